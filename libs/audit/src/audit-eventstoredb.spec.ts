import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EsdbTestServer } from '../../../test/support/esdb-test-server';
import { EsdbEventStore } from '../../event-store/src/eventstoredb/esdb-event-store';
import type { StoredEvent } from '../../event-store/src/event-store.port';
import { SqliteReadStore } from '../../read-store/src/embedded/sqlite-read-store';
import { buildEvidenceBundle } from './evidence';
import { LedgerKeeper } from './ledger-keeper';
import { AUDIT_HEADS_STREAM } from './signed-heads';
import { AuditSigningKey, trustedKeys } from './signing-key';
import { verifyEvidenceBundle } from './verify-bundle';
import { verifyLog } from './verify';
import { appendInterleaved, seededRandom, settled } from './testing/audit-fixtures';

/** The test double's own log, to play the attacker who can edit the server's files. */
type ServerLog = { log: { all: Array<{ data: Uint8Array }> } };

/**
 * The same keeper and verifier on EventStoreDB (the protocol test server, through the real
 * client): positions are log offsets there, with gaps, several events share a commit, and
 * other streams' events sit between ours.
 */
describe('the audit chain on EventStoreDB positions', () => {
  let server: EsdbTestServer;
  let events: EsdbEventStore;
  let readStore: SqliteReadStore;
  let dir: string;
  const key = AuditSigningKey.generate();

  beforeEach(async () => {
    server = await EsdbTestServer.start({ initialLogPosition: 2n ** 40n });
    dir = mkdtempSync(join(tmpdir(), 'vjt-audit-esdb-'));
    events = EsdbEventStore.connect({ connectionString: server.connectionString, streamPrefixes: ['journey-', AUDIT_HEADS_STREAM], pageSize: 16 });
    readStore = SqliteReadStore.open({ directory: dir });
    await appendInterleaved(events, 40, 5, seededRandom(3));
    await appendInterleaved(events, 10, 3, seededRandom(4), 'elsewhere-'); // not ours: never chained
    await events.append('journey-batch', [1, 2, 3].map(() => ({ id: crypto.randomUUID(), type: 'T', data: { n: Math.random() }, metadata: { recordedAt: 'x', recordedBy: { userId: 'u', role: 'r', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 } })), 'no_stream');
    const keeper = new LedgerKeeper(events, readStore, { signingKey: key, headIntervalMs: 0, batchSize: 7 });
    await keeper.start();
    await settled(keeper, events);
    await appendInterleaved(events, 5, 5, seededRandom(5));
    await settled(keeper, events);
    await keeper.stop();
  });

  afterEach(async () => {
    await readStore.close();
    await events.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ledgers, signs and verifies the whole log, heads included', async () => {
    const report = await verifyLog(events, readStore, { trustedKeys: trustedKeys(key.publicKey), pageSize: 10, streamCacheSize: 2 });
    expect(report).toMatchObject({ ok: true, complete: true, eventsVerified: 49, headsVerified: 1, headsInLogVerified: 1, eventsNotYetLedgered: 0 });
    const bundle = await buildEvidenceBundle(events, readStore, key, 'journey-batch');
    expect(verifyEvidenceBundle(bundle, key.publicKey)).toMatchObject({ ok: true, events: 3 });
  });

  it('finds an event altered in the server\u2019s log at its position', async () => {
    const ours: StoredEvent[] = [];
    for await (const e of events.readAll()) ours.push(e);
    const victim = ours[20];
    const log = (server as unknown as ServerLog).log.all;
    const index = log.findIndex((r) => (r as unknown as { id: string }).id === victim.id);
    log[index] = { ...log[index], data: Buffer.from(JSON.stringify({ ...victim.data, note: 'rewritten' })) };
    const report = await verifyLog(events, readStore, { trustedKeys: trustedKeys(key.publicKey) });
    expect(report).toMatchObject({ ok: false, firstBroken: { position: victim.position.toString(), reason: expect.stringMatching(/not the one recorded/) } });
  });

  it('finds an event removed from the server\u2019s log at the next one, where the global chain breaks', async () => {
    const ours: StoredEvent[] = [];
    for await (const e of events.readAll()) ours.push(e);
    const log = (server as unknown as ServerLog).log.all;
    log.splice(log.findIndex((r) => (r as unknown as { id: string }).id === ours[12].id), 1);
    const report = await verifyLog(events, readStore, { trustedKeys: trustedKeys(key.publicKey) });
    expect(report).toMatchObject({ ok: false, firstBroken: { position: ours[13].position.toString() } });
  });
});
