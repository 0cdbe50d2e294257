/**
 * Checks an evidence bundle offline: nothing but the bundle and, ideally, the public key the
 * verifier trusts (without one, a forger could re-sign with a key of their own and bundle it).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { chainHash, eventHash, GENESIS_HASH } from './hash-chain';
import { checkHeadSignature } from './signed-heads';
import { keyIdOf, trustedKeys, verifyCanonical } from './signing-key';
import { BUNDLE_FORMAT, statementPayload, storedFromBundled, type BundleCheck, type BundleReport, type EvidenceBundle } from './evidence-bundle';

const HEX64 = /^[0-9a-f]{64}$/;
const DECIMAL = /^\d{1,40}$/;
const EVENT_FIELDS = ['data', 'id', 'metadata', 'position', 'revision', 'streamId', 'type'].join();

export function verifyEvidenceBundle(input: unknown, trusted?: KeyObject): BundleReport {
  const checks: BundleCheck[] = [];
  const add = (check: string, ok: boolean, detail: string) => checks.push({ check, ok, detail });
  const bundle = input as EvidenceBundle;
  const report = (keyMatchesTrusted: boolean | null): BundleReport => ({
    ok: checks.every((c) => c.ok) && keyMatchesTrusted !== false,
    keyMatchesTrusted,
    streamId: typeof bundle?.statement?.streamId === 'string' ? bundle.statement.streamId : null,
    events: Array.isArray(bundle?.events) ? bundle.events.length : 0,
    checks,
  });

  const shape = shapeProblem(bundle);
  if (shape) {
    add('bundle format', false, shape);
    return report(null);
  }
  add('bundle format', true, BUNDLE_FORMAT);

  // The key: parsed from the bundle, named by its own thumbprint, compared with the trusted one.
  let key: KeyObject;
  try {
    key = createPublicKey(bundle.publicKey.pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`an ${key.asymmetricKeyType} key`);
    const jwkKey = createPublicKey({ key: bundle.publicKey.jwk as any, format: 'jwk' });
    if (keyIdOf(jwkKey) !== keyIdOf(key)) throw new Error('its PEM and JWK are different keys');
    if (keyIdOf(key) !== bundle.publicKey.keyId) throw new Error(`its keyId is not its thumbprint (${keyIdOf(key)})`);
  } catch (error) {
    add('public key', false, `the bundled public key is not usable: ${error instanceof Error ? error.message : error}`);
    return report(null);
  }
  add('public key', true, `Ed25519 key ${bundle.publicKey.keyId}`);
  const keyMatchesTrusted = trusted ? keyIdOf(trusted) === keyIdOf(key) : null;
  if (keyMatchesTrusted === false) add('trusted key', false, `the bundle is signed by key ${keyIdOf(key)}, not by the trusted key ${keyIdOf(trusted!)}`);
  else if (keyMatchesTrusted) add('trusted key', true, 'the bundled key is the trusted key');

  // The events and the stream chain, recomputed from the bundled events alone.
  const { events, chain, statement } = bundle;
  let streamHash = GENESIS_HASH;
  let lastEventHash: Buffer | undefined;
  let problem: string | undefined;
  for (let i = 0; i < events.length && !problem; i++) {
    const event = events[i];
    const link = chain[i];
    if (event.streamId !== statement.streamId) problem = `event ${i} belongs to ${event.streamId}, not ${statement.streamId}`;
    else if (event.revision !== String(i)) problem = `event ${i} has revision ${event.revision}: the stream must be complete from revision 0`;
    else if (i > 0 && BigInt(event.position) <= BigInt(events[i - 1].position)) problem = `event ${i} is out of log order`;
    else if (link.position !== event.position || link.revision !== event.revision) problem = `the chain's link ${i} is for another event`;
    if (problem) break;
    lastEventHash = eventHash(storedFromBundled(event));
    streamHash = chainHash(streamHash, lastEventHash);
    if (lastEventHash.toString('hex') !== link.eventHash) problem = `event at revision ${i} (position ${event.position}) does not match its hash: it was altered`;
    else if (streamHash.toString('hex') !== link.streamHash) problem = `the stream chain breaks at revision ${i}`;
  }
  add('events and stream chain', !problem, problem ?? `${events.length} events recomputed from revision 0; the stream chain holds`);

  // The statement: it names the last event and the chain end recomputed above.
  const last = events[events.length - 1];
  const lastLink = chain[chain.length - 1];
  const statementProblem =
    statement.revision !== last.revision || statement.position !== last.position ? 'the statement does not name the last bundled event'
      : statement.streamHash !== streamHash.toString('hex') ? 'the statement\u2019s stream hash is not the recomputed one'
        : chainHash(Buffer.from(bundle.previousGlobalHash, 'hex'), lastEventHash!).toString('hex') !== statement.globalHash ? 'the statement\u2019s global hash does not follow from the previous global hash and the last event'
          : lastLink.globalHash !== statement.globalHash ? 'the last link\u2019s global hash differs from the statement\u2019s'
            : undefined;
  add('statement', !problem && !statementProblem, problem ? 'not checked: the events are broken' : (statementProblem ?? `revision ${statement.revision} at position ${statement.position}, signed at ${statement.signedAt}`));

  const signed = bundle.signature.keyId === bundle.publicKey.keyId && verifyCanonical(key, statementPayload(statement), bundle.signature.value);
  add('statement signature', signed, signed ? `valid Ed25519 signature by ${bundle.publicKey.keyId}` : 'the statement\u2019s signature is not valid for the bundled key: the statement or the signature was altered');

  if (bundle.latestHead) {
    const head = bundle.latestHead;
    const valid = checkHeadSignature(head, trustedKeys(key)) === 'valid';
    add('latest signed head', valid, valid ? `position ${head.position} signed at ${head.time}${BigInt(head.position) >= BigInt(statement.position) ? ', at or after the statement' : ', before the statement (no head signed since)'}` : 'the latest head\u2019s signature is not valid for the bundled key');
  } else {
    add('latest signed head', true, 'none was signed yet');
  }
  return report(keyMatchesTrusted);
}

/** What is wrong with the bundle's shape, if anything, before any cryptography. */
function shapeProblem(bundle: EvidenceBundle): string | undefined {
  if (!bundle || typeof bundle !== 'object') return 'not a JSON object';
  if (bundle.format !== BUNDLE_FORMAT) return `unknown format ${JSON.stringify(bundle.format)} (expected ${BUNDLE_FORMAT})`;
  const { events, chain, statement, signature, publicKey } = bundle;
  if (!Array.isArray(events) || events.length === 0 || !Array.isArray(chain) || chain.length !== events.length) return 'events and chain must be non-empty lists of equal length';
  for (const e of events) {
    // Exactly the stored fields: anything else would be shown as evidence without being hashed.
    if (!e || typeof e !== 'object' || Object.keys(e).sort().join() !== EVENT_FIELDS) return 'an event must carry exactly the stored fields (position, streamId, revision, id, type, data, metadata)';
    if ( !DECIMAL.test(e.position) || !DECIMAL.test(e.revision) || typeof e.streamId !== 'string' || typeof e.id !== 'string' || typeof e.type !== 'string'
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
  if (head !== null && (typeof head !== 'object' || !DECIMAL.test(head.position) || !HEX64.test(head.globalHash) || typeof head.signature !== 'string' || typeof head.keyId !== 'string' || typeof head.time !== 'string')) return 'the latest head is malformed';
  return undefined;
}
