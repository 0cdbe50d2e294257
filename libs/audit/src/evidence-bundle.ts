/**
 * The evidence bundle: one stream's events as stored, each event's hashes, and a statement
 * of the stream's chain end signed with the audit key, with the latest signed head and the
 * public key. Self-contained: `verifyEvidenceBundle` checks it with nothing but the bundle
 * (and, as it should be, a public key the verifier already trusts). docs/audit.md, "Evidence bundle".
 */
import type { KeyObject } from 'node:crypto';
import type { SignedHead } from './signed-heads';
import type { AuditPublicKey } from './signing-key';
import { fromStoredEventJson, toStoredEventJson, type StoredEventJson } from '../../event-store/src/stored-event-json';

export const BUNDLE_FORMAT = 'vjt-evidence-bundle/1';
/** Domain separation, as for heads. */
export const STATEMENT_KIND = 'vjt.stream-statement.v1';

/** A stored event as the bundle carries it: as stored, positions and revisions as decimal strings. */
export type BundledEvent = StoredEventJson;

export interface BundledLink {
  position: string;
  revision: string;
  eventHash: string;
  streamHash: string;
  globalHash: string;
}

/** What the audit key vouches for: the stream's chain end and its place in the global chain. */
export interface StreamStatement {
  streamId: string;
  /** Revision of the stream's last event. */
  revision: string;
  streamHash: string;
  /** Position of the stream's last event. */
  position: string;
  globalHash: string;
  signedAt: string;
}

export interface EvidenceBundle {
  format: typeof BUNDLE_FORMAT;
  canonicalization: string;
  events: BundledEvent[];
  chain: BundledLink[];
  /** The global hash just before the statement's position: with the last event's hash it gives the statement's globalHash. */
  previousGlobalHash: string;
  statement: StreamStatement;
  signature: { algorithm: 'Ed25519'; keyId: string; value: string };
  latestHead: SignedHead | null;
  publicKey: AuditPublicKey;
}

export function statementPayload(statement: StreamStatement): Record<string, unknown> {
  return { kind: STATEMENT_KIND, ...statement };
}

export const bundledEvent = toStoredEventJson;
/** The bundled form back as the store's, for hashing (canonical form is the same). */
export const storedFromBundled = fromStoredEventJson;

export interface BundleCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface BundleReport {
  /** Every check passed, and the signing key is the trusted one when one was given. */
  ok: boolean;
  /** true / false: the bundled key is / is not the trusted one; null: no trusted key was given, the bundled key was taken on trust. */
  keyMatchesTrusted: boolean | null;
  streamId: string | null;
  events: number;
  checks: BundleCheck[];
}

export type { KeyObject };
