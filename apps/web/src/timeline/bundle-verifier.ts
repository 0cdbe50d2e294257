/**
 * Checks a journey's evidence bundle in the browser, independently of the server that served
 * it, mirroring libs/audit/src/verify-bundle.ts check for check:
 *
 *   eventHash    = SHA-256(UTF-8 of the canonical JSON of the stored event)
 *   streamHash_n = SHA-256(streamHash_(n-1) || eventHash_n), from 32 zero bytes at revision 0
 *   statement    = the last event's revision and position, the stream chain's end, and
 *                  globalHash = SHA-256(previousGlobalHash || last eventHash)
 *   signature    = Ed25519 over the canonical JSON of { kind: "vjt.stream-statement.v1", ...statement }
 *   key id       = RFC 7638 thumbprint (SHA-256 of the canonical JWK {crv, kty, x}, base64url)
 *
 * Only WebCrypto (crypto.subtle) and TextEncoder: no DOM, so it also runs under Node (the
 * browser spec compares it with the server's verifier).
 */
import type { BundledEvent, EvidenceBundle, StreamStatement } from './api-types';
import { canonicalJson } from './canonical-json';

export const BUNDLE_FORMAT = 'vjt-evidence-bundle/1';
const STATEMENT_KIND = 'vjt.stream-statement.v1';
const HEAD_KIND = 'vjt.audit-head.v1';
const HEX64 = /^[0-9a-f]{64}$/;
const DECIMAL = /^\d{1,40}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const EVENT_FIELDS = ['data', 'id', 'metadata', 'position', 'revision', 'streamId', 'type'].join();

type Bytes = Uint8Array<ArrayBuffer>;
type Key = object;

/** The part of WebCrypto used here: the browser's crypto.subtle, or Node's webcrypto.subtle. */
export interface SubtleLike {
  digest(algorithm: 'SHA-256', data: Bytes): Promise<ArrayBuffer>;
  importKey(format: 'jwk' | 'spki', keyData: any, algorithm: { name: 'Ed25519' }, extractable: boolean, keyUsages: Array<'verify'>): Promise<Key>;
  exportKey(format: 'raw', key: any): Promise<ArrayBuffer>;
  verify(algorithm: { name: 'Ed25519' }, key: any, signature: Bytes, data: Bytes): Promise<boolean>;
}

export interface BundleCheck {
  check: string;
  ok: boolean;
  detail: string;
}

/** One bundled event's own link: its recomputed hash against the chain's entry, and that entry against the one before. */
export interface EventLinkCheck {
  eventId: string;
  revision: string;
  position: string;
  /** The event's hash as recomputed here from its bundled content. */
  eventHash: string;
  /** The recomputed hash is the one the chain records for it. */
  eventHashMatches: boolean;
  /** SHA-256(previous link's stream hash || recomputed event hash) is this link's stream hash. */
  streamLinkHolds: boolean;
}

export interface BundleVerification {
  /** Every check passed. */
  ok: boolean;
  checks: BundleCheck[];
  /** The first check that failed, in the order verify-bundle makes them. */
  firstFailure: BundleCheck | null;
  /** The stream revision the first failure is about, when it is about one event. */
  brokenRevision: string | null;
  events: EventLinkCheck[];
  streamId: string | null;
  statement: StreamStatement | null;
  keyId: string | null;
}

/** The browser's WebCrypto (or Node's global one, Node 20+). */
export function defaultSubtle(): SubtleLike {
  const subtle = (globalThis as unknown as { crypto?: { subtle?: SubtleLike } }).crypto?.subtle;
  if (!subtle) throw new Error('This browser has no WebCrypto (crypto.subtle): the page must be served over HTTPS or from localhost.');
  return subtle;
}

export async function verifyBundle(input: unknown, subtle: SubtleLike = defaultSubtle()): Promise<BundleVerification> {
  const checks: BundleCheck[] = [];
  const linkChecks: EventLinkCheck[] = [];
  let brokenRevision: string | null = null;
  let keyId: string | null = null;
  const add = (check: string, ok: boolean, detail: string) => checks.push({ check, ok, detail });
  const bundle = input as EvidenceBundle;
  const result = (): BundleVerification => {
    const firstFailure = checks.find((c) => !c.ok) ?? null;
    return {
      ok: checks.length > 0 && !firstFailure,
      checks,
      firstFailure,
      brokenRevision,
      events: linkChecks,
      streamId: typeof bundle?.statement?.streamId === 'string' ? bundle.statement.streamId : null,
      statement: firstFailure?.check === 'bundle format' ? null : bundle.statement,
      keyId,
    };
  };
  const sha256 = async (bytes: Bytes): Promise<Bytes> => new Uint8Array(await subtle.digest('SHA-256', bytes));

  const shape = shapeProblem(bundle);
  if (shape) {
    add('bundle format', false, `The bundle is not a well-formed evidence bundle: ${shape}.`);
    return result();
  }
  add('bundle format', true, BUNDLE_FORMAT);

  // The key: its PEM and JWK the same Ed25519 key, named by its own thumbprint.
  let key: Key;
  try {
    key = await subtle.importKey('spki', pemBody(bundle.publicKey.pem), { name: 'Ed25519' }, true, ['verify']);
    const raw = toBase64Url(new Uint8Array(await subtle.exportKey('raw', key)));
    const { kty, crv, x } = bundle.publicKey.jwk;
    if (kty !== 'OKP' || crv !== 'Ed25519' || x !== raw) throw new Error('its PEM and JWK are different keys');
    const thumbprint = toBase64Url(await sha256(utf8(canonicalJson({ crv: 'Ed25519', kty: 'OKP', x: raw }))));
    if (thumbprint !== bundle.publicKey.keyId) throw new Error(`its key id is not its thumbprint (${thumbprint})`);
    keyId = thumbprint;
  } catch (error) {
    add('public key', false, `The bundled public key is not a usable Ed25519 key: ${error instanceof Error ? error.message : String(error)}.`);
    return result();
  }
  add('public key', true, `Ed25519 key ${keyId}`);

  // The events and the stream chain, recomputed from the bundled events alone.
  const { events, chain, statement } = bundle;
  let streamHash: Bytes = new Uint8Array(32);
  let lastEventHash: Bytes | undefined;
  let problem: string | undefined;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    const link = chain[i];
    const hash = await sha256(utf8(canonicalJson(storedForm(event))));
    const previousLink = i === 0 ? new Uint8Array(32) : fromHex(chain[i - 1].streamHash);
    const ownLink = hex(await sha256(concat(previousLink, hash))) === link.streamHash;
    linkChecks.push({ eventId: event.id, revision: event.revision, position: event.position, eventHash: hex(hash), eventHashMatches: hex(hash) === link.eventHash, streamLinkHolds: ownLink });
    if (problem) continue;
    if (event.streamId !== statement.streamId) problem = `the event at index ${i} belongs to ${event.streamId}, not to ${statement.streamId}`;
    else if (event.revision !== String(i)) problem = `the event at index ${i} has revision ${event.revision}: the stream must be complete from revision 0`;
    else if (i > 0 && BigInt(event.position) <= BigInt(events[i - 1].position)) problem = `the event at revision ${i} is out of log order`;
    else if (link.position !== event.position || link.revision !== event.revision) problem = `the chain's link ${i} is for another event`;
    if (problem) {
      brokenRevision = String(i);
      continue;
    }
    lastEventHash = hash;
    streamHash = await sha256(concat(streamHash, hash));
    if (hex(hash) !== link.eventHash) problem = `The event at revision ${i} (position ${event.position}) does not match its hash: it was altered after it was recorded`;
    else if (hex(streamHash) !== link.streamHash) problem = `The stream chain breaks at revision ${i} (position ${event.position})`;
    if (problem) brokenRevision = String(i);
  }
  add('events and stream chain', !problem, problem ? sentence(problem) : `${events.length} events recomputed from revision 0; the stream chain holds.`);

  // The statement names the last event and the chain's end recomputed above.
  const last = events[events.length - 1];
  const lastLink = chain[chain.length - 1];
  let statementProblem: string | undefined;
  if (!problem) {
    if (statement.revision !== last.revision || statement.position !== last.position) statementProblem = 'The signed statement does not name the last event of the bundle';
    else if (statement.streamHash !== hex(streamHash)) statementProblem = 'The signed statement\u2019s stream hash is not the one recomputed from the events';
    else if (hex(await sha256(concat(fromHex(bundle.previousGlobalHash), lastEventHash!))) !== statement.globalHash) statementProblem = 'The signed statement\u2019s global hash does not follow from the previous global hash and the last event';
    else if (lastLink.globalHash !== statement.globalHash) statementProblem = 'The last link\u2019s global hash differs from the signed statement\u2019s';
  }
  add('statement', !problem && !statementProblem, problem ? 'Not checked: the events are broken.'
    : statementProblem ? `${statementProblem}.` : `Revision ${statement.revision} at position ${statement.position}, signed at ${statement.signedAt}.`);

  const signed = bundle.signature.keyId === bundle.publicKey.keyId && await verifySignature(subtle, key, { kind: STATEMENT_KIND, ...statement }, bundle.signature.value);
  add('statement signature', signed, signed ? `Valid Ed25519 signature by key ${keyId}.` : 'The statement\u2019s signature is not valid for the bundled key: the statement or the signature was altered.');

  if (bundle.latestHead) {
    const head = bundle.latestHead;
    const valid = head.keyId === keyId && await verifySignature(subtle, key, { kind: HEAD_KIND, position: head.position, globalHash: head.globalHash, time: head.time }, head.signature);
    add('latest signed head', valid, valid
      ? `Position ${head.position} signed at ${head.time}${BigInt(head.position) >= BigInt(statement.position) ? ', at or after the statement' : ', before the statement (no head signed since)'}.`
      : 'The latest signed head\u2019s signature is not valid for the bundled key.');
  } else {
    add('latest signed head', true, 'None was signed yet.');
  }
  return result();
}

/** What is wrong with the bundle's shape, if anything, before any cryptography (as verify-bundle's shapeProblem). */
function shapeProblem(bundle: EvidenceBundle): string | undefined {
  if (!bundle || typeof bundle !== 'object') return 'it is not a JSON object';
  if (bundle.format !== BUNDLE_FORMAT) return `unknown format ${JSON.stringify(bundle.format)} (expected ${BUNDLE_FORMAT})`;
  const { events, chain, statement, signature, publicKey } = bundle;
  if (!Array.isArray(events) || events.length === 0 || !Array.isArray(chain) || chain.length !== events.length) return 'its events and chain must be non-empty lists of equal length';
  for (const e of events) {
    // Exactly the stored fields: anything else would be shown as evidence without being hashed.
    if (!e || typeof e !== 'object' || Object.keys(e).sort().join() !== EVENT_FIELDS) return 'an event must carry exactly the stored fields (position, streamId, revision, id, type, data, metadata)';
    if (!DECIMAL.test(e.position) || !DECIMAL.test(e.revision) || typeof e.streamId !== 'string' || typeof e.id !== 'string' || typeof e.type !== 'string'
      || !e.data || typeof e.data !== 'object' || !e.metadata || typeof e.metadata !== 'object') return 'an event is not in the stored form';
  }
  for (const l of chain) {
    if (!l || !DECIMAL.test(l.position) || !DECIMAL.test(l.revision) || !HEX64.test(l.eventHash) || !HEX64.test(l.streamHash) || !HEX64.test(l.globalHash)) return 'a chain link is malformed';
  }
  if (!statement || typeof statement.streamId !== 'string' || !DECIMAL.test(statement.revision) || !DECIMAL.test(statement.position)
    || !HEX64.test(statement.streamHash) || !HEX64.test(statement.globalHash) || typeof statement.signedAt !== 'string') return 'the statement is malformed';
  if (!HEX64.test(bundle.previousGlobalHash)) return 'previousGlobalHash is malformed';
  if (!signature || signature.algorithm !== 'Ed25519' || typeof signature.value !== 'string' || typeof signature.keyId !== 'string') return 'the signature is malformed';
  if (!publicKey || typeof publicKey.pem !== 'string' || typeof publicKey.keyId !== 'string' || !publicKey.jwk) return 'the public key is malformed';
  const head = bundle.latestHead;
  if (head !== null && (typeof head !== 'object' || !DECIMAL.test(head.position) || !HEX64.test(head.globalHash) || typeof head.signature !== 'string'
    || typeof head.keyId !== 'string' || typeof head.time !== 'string')) return 'the latest head is malformed';
  return undefined;
}

/** The object hashed for a stored event: its fields, position and revision as the store's bigints print them. */
function storedForm(event: BundledEvent): BundledEvent {
  return {
    position: BigInt(event.position).toString(), streamId: event.streamId, revision: BigInt(event.revision).toString(),
    id: event.id, type: event.type, data: event.data, metadata: event.metadata,
  };
}

async function verifySignature(subtle: SubtleLike, key: Key, payload: Record<string, unknown>, signature: string): Promise<boolean> {
  if (typeof signature !== 'string' || !BASE64.test(signature)) return false;
  try {
    return await subtle.verify({ name: 'Ed25519' }, key, fromBase64(signature), utf8(canonicalJson(payload)));
  } catch {
    return false;
  }
}

const sentence = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}.`;

function utf8(text: string): Bytes {
  return new TextEncoder().encode(text) as Bytes;
}

function concat(a: Bytes, b: Bytes): Bytes {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

function fromHex(text: string): Bytes {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function fromBase64(text: string): Bytes {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The DER bytes inside a PEM block. */
function pemBody(pem: string): Bytes {
  const body = pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');
  if (!body || !BASE64.test(body)) throw new Error('its PEM is not base64');
  return fromBase64(body);
}
