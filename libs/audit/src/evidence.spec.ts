import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../event-store/src/embedded/sqlite-event-store';
import { SqliteReadStore } from '../../read-store/src/embedded/sqlite-read-store';
import { SqliteDataKeyStore } from '../../personal-data/src/embedded/sqlite-data-key-store';
import { KeyEncryptionKeys } from '../../personal-data/src/key-encryption-keys';
import { PersonalDataVault } from '../../personal-data/src/personal-data-vault';
import { buildEvidenceBundle, EvidenceMismatch, StreamNotYetLedgered } from './evidence';
import { statementPayload, type EvidenceBundle } from './evidence-bundle';
import { LedgerKeeper } from './ledger-keeper';
import { AuditSigningKey, trustedKeys } from './signing-key';
import { verifyEvidenceBundle } from './verify-bundle';
import { verifyLog } from './verify';
import { anEvent, appendInterleaved, settled } from './testing/audit-fixtures';

const journeyId = '6f1c2a9e-8d4b-4c3a-9e2f-1a2b3c4d5e6f';
const streamId = `journey-${journeyId}`;

describe('evidence bundles, and erasure', () => {
  let dir: string;
  let events: SqliteEventStore;
  let readStore: SqliteReadStore;
  let keys: SqliteDataKeyStore;
  let vault: PersonalDataVault;
  let keeper: LedgerKeeper;
  const key = AuditSigningKey.generate();
  const clone = (bundle: EvidenceBundle): EvidenceBundle => JSON.parse(JSON.stringify(bundle));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vjt-audit-evidence-'));
    events = SqliteEventStore.open({ directory: dir });
    readStore = SqliteReadStore.open({ directory: dir });
    keys = SqliteDataKeyStore.open({ dataDir: dir });
    vault = new PersonalDataVault({ store: keys, keks: KeyEncryptionKeys.from({ current: randomBytes(32) }) });
    keeper = new LedgerKeeper(events, readStore, { signingKey: key, headIntervalMs: 0 });
    // Other journeys' events around this one's, personal details sealed as the API seals them.
    await appendInterleaved(events, 30, 4);
    const personalDetails = await vault.seal(journeyId, { name: 'Ada Lovelace', dateOfBirth: '1990-12-10' });
    await events.append(streamId, [anEvent('VictimIdentified', { personalDetails })], 'no_stream');
    await appendInterleaved(events, 10, 4);
    await events.append(streamId, [anEvent('ConsentRecorded'), anEvent('NrmReferralMade')], 0n);
    await keeper.start();
    await settled(keeper, events);
  });

  afterEach(async () => {
    await keeper.stop();
    await keys.close();
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const bundle = async () => (await buildEvidenceBundle(events, readStore, key, streamId, { now: '2024-07-01T12:00:00.000Z' }))!;

  it('bundles the stream\u2019s events as stored, their hashes, a signed statement, the latest head and the public key', async () => {
    const b = await bundle();
    const stored = await events.readStream(streamId);
    expect(b.events.map((e) => e.position)).toEqual(stored.map((e) => e.position.toString()));
    expect(b.events[0].data.personalDetails).toEqual(stored[0].data.personalDetails); // sealed, as stored
    expect(b.statement).toEqual({ streamId, revision: '2', streamHash: b.chain[2].streamHash, position: stored[2].position.toString(), globalHash: b.chain[2].globalHash, signedAt: '2024-07-01T12:00:00.000Z' });
    expect(b.latestHead).toMatchObject({ keyId: key.keyId });
    expect(b.publicKey).toEqual(key.describe());
    expect(await buildEvidenceBundle(events, readStore, key, 'journey-none')).toBeUndefined();
  });

  it('passes verify-bundle intact, against the trusted key', async () => {
    const report = verifyEvidenceBundle(await bundle(), key.publicKey);
    expect(report).toMatchObject({ ok: true, keyMatchesTrusted: true, streamId, events: 3 });
    expect(report.checks.every((c) => c.ok)).toBe(true);
  });

  it('fails verify-bundle when one byte of an event changed', async () => {
    const b = clone(await bundle());
    b.events[1].metadata.recordedAt = String(b.events[1].metadata.recordedAt).replace('10:00', '10:01');
    const report = verifyEvidenceBundle(b, key.publicKey);
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => !c.ok)?.detail).toMatch(/revision 1 .* was altered/);
  });

  it('fails verify-bundle when a field is added to an event (shown, but not hashed)', async () => {
    const b = clone(await bundle()) as any;
    b.events[0].note = 'added';
    expect(verifyEvidenceBundle(b, key.publicKey)).toMatchObject({ ok: false, checks: [{ check: 'bundle format', ok: false }] });
  });

  it('fails verify-bundle when the statement is re-signed with another key', async () => {
    const forger = AuditSigningKey.generate();
    const b = clone(await bundle());
    b.statement.revision = '1'; // the forger wants the last event gone...
    b.events.pop();
    b.chain.pop();
    b.statement.position = b.events[1].position;
    b.statement.streamHash = b.chain[1].streamHash;
    b.signature.value = forger.signCanonical(statementPayload(b.statement));
    expect(verifyEvidenceBundle(b, key.publicKey).ok).toBe(false); // the bundled key is still ours: the signature fails
    b.signature.keyId = forger.keyId;
    b.publicKey = forger.describe();
    const againstTrusted = verifyEvidenceBundle(b, key.publicKey);
    expect(againstTrusted).toMatchObject({ ok: false, keyMatchesTrusted: false });
    // Without a trusted key the forger's own key is all there is: the report says it was not checked.
    expect(verifyEvidenceBundle(b).keyMatchesTrusted).toBeNull();
  });

  it('fails verify-bundle for a statement whose signature was altered, or any malformed bundle', async () => {
    const b = clone(await bundle());
    b.signature.value = Buffer.from(b.signature.value, 'base64').reverse().toString('base64');
    expect(verifyEvidenceBundle(b, key.publicKey).ok).toBe(false);
    expect(verifyEvidenceBundle({ format: 'something' }).ok).toBe(false);
    expect(verifyEvidenceBundle(null).ok).toBe(false);
  });

  it('erasure keeps the log verifiable and the bundle valid: the sealed fields never change', async () => {
    const before = await bundle();
    await vault.erase(journeyId);
    await events.append(streamId, [anEvent('PersonalDataErased')], 2n);
    await settled(keeper, events);
    expect(await vault.open(journeyId, before.events[0].data.personalDetails as any)).toEqual({ status: 'erased' });
    expect(await verifyLog(events, readStore, { trustedKeys: trustedKeys(key.publicKey) })).toMatchObject({ ok: true, eventsVerified: 45, headsVerified: 1 }); // 43 events, a head, the erasure
    const after = await bundle();
    expect(after.chain.slice(0, 3)).toEqual(before.chain);
    expect(verifyEvidenceBundle(after, key.publicKey)).toMatchObject({ ok: true, events: 4 });
  });

  it('refuses to sign over events that differ from the ledger', async () => {
    await keeper.stop();
    const altered = Object.create(events) as SqliteEventStore;
    altered.readStream = async (id: string) => (await events.readStream(id)).map((e) => (e.revision === 1n ? { ...e, data: { ...e.data, note: 'rewritten' } } : e));
    await expect(buildEvidenceBundle(altered, readStore, key, streamId)).rejects.toBeInstanceOf(EvidenceMismatch);
  });

  it('waits for the keeper, then says the stream is not ledgered yet', async () => {
    await keeper.stop();
    await events.append(streamId, [anEvent('CareRecorded')], 2n);
    await expect(buildEvidenceBundle(events, readStore, key, streamId, { waitMs: 50 })).rejects.toBeInstanceOf(StreamNotYetLedgered);
  });
});
