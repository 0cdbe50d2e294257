import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../event-store/src/embedded/sqlite-event-store';
import type { StoredEvent } from '../../event-store/src/event-store.port';
import { SqliteReadStore } from '../../read-store/src/embedded/sqlite-read-store';
import { chainHash, eventHash, GENESIS_HASH } from './hash-chain';
import { appendToLedger } from './ledger-append';
import { LedgerKeeper } from './ledger-keeper';
import { AUDIT_ALARMS, AUDIT_LEDGER, ledgerEntriesOfStream, readLedgerEntries, readLedgerState, type LedgerEntry } from './ledger';
import { AUDIT_HEADS, AUDIT_HEADS_STREAM, checkHeadSignature, headOfEvent, type StoredHead } from './signed-heads';
import { AuditSigningKey, trustedKeys } from './signing-key';
import { anEvent, appendInterleaved, settled } from './testing/audit-fixtures';

describe('LedgerKeeper', () => {
  let dir: string;
  let events: SqliteEventStore;
  let readStore: SqliteReadStore;
  const key = AuditSigningKey.generate();
  const keepers: LedgerKeeper[] = [];
  const keeper = (options: ConstructorParameters<typeof LedgerKeeper>[2] = {}) => {
    const k = new LedgerKeeper(events, readStore, { batchSize: 7, headIntervalMs: 0, ...options });
    keepers.push(k);
    return k;
  };
  const all = async () => {
    const out: StoredEvent[] = [];
    for await (const e of events.readAll()) out.push(e);
    return out;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vjt-audit-keeper-'));
    events = SqliteEventStore.open({ directory: dir });
    readStore = SqliteReadStore.open({ directory: dir });
  });
  afterEach(async () => {
    for (const k of keepers.splice(0)) await k.stop();
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ledgers every event with its event, stream and global hashes, in batches', async () => {
    await appendInterleaved(events, 60, 6);
    const k = keeper();
    await k.start();
    await settled(k, events);
    const log = await all();
    const entries = await readStore.collection<LedgerEntry>(AUDIT_LEDGER).find({}, { sort: { _id: 1 } });
    expect(entries).toHaveLength(60);
    const streams = new Map<string, Buffer>();
    let global = GENESIS_HASH;
    log.forEach((event, i) => {
      const h = eventHash(event);
      const s = chainHash(streams.get(event.streamId) ?? GENESIS_HASH, h);
      global = chainHash(global, h);
      expect(entries[i]).toMatchObject({ streamId: event.streamId, revision: event.revision.toString(), eventHash: h.toString('hex'), streamHash: s.toString('hex'), globalHash: global.toString('hex') });
      streams.set(event.streamId, s);
    });
    expect(await readLedgerState(readStore)).toMatchObject({ position: '59', globalHash: global.toString('hex') });
  });

  it('answers the history\u2019s questions: entries by position, and a stream\u2019s entries in order', async () => {
    await appendInterleaved(events, 40, 3);
    const k = keeper();
    await k.start();
    await settled(k, events);
    const stream = await events.readStream('journey-1');
    const byPosition = await readLedgerEntries(readStore, stream.map((e) => e.position));
    expect([...byPosition.keys()]).toEqual(stream.map((e) => e.position.toString()));
    const ofStream = await ledgerEntriesOfStream(readStore, 'journey-1');
    expect(ofStream.map((e) => e.revision)).toEqual(stream.map((e) => e.revision.toString()));
    expect(ofStream).toEqual(stream.map((e) => byPosition.get(e.position.toString())));
    expect(await ledgerEntriesOfStream(readStore, 'journey-unknown')).toEqual([]);
  });

  it('follows the log live and resumes after a restart from its own end', async () => {
    await appendInterleaved(events, 10, 2);
    const first = keeper();
    await first.start();
    await settled(first, events);
    await events.append('journey-live', [anEvent()], 'no_stream');
    await settled(first, events);
    await first.stop();
    await appendInterleaved(events, 5, 2);
    const second = keeper();
    await second.start();
    await settled(second, events);
    expect(await readStore.collection(AUDIT_LEDGER).countDocuments({})).toBe(16);
    expect(await readStore.collection(AUDIT_ALARMS).countDocuments({})).toBe(0);
  });

  it('is idempotent: a batch delivered again changes nothing', async () => {
    await appendInterleaved(events, 20, 3);
    const k = keeper();
    await k.start();
    await settled(k, events);
    await k.stop();
    const before = await readStore.collection(AUDIT_LEDGER).find({}, { sort: { _id: 1 } });
    const again = await readStore.withTransaction(async (tx) => appendToLedger(tx, (await all()).slice(5, 15), { gapFree: true, now: '2024-01-01T00:00:00Z' }));
    expect(again).toMatchObject({ entriesWritten: 0, alarms: [] });
    expect(await readStore.collection(AUDIT_LEDGER).find({}, { sort: { _id: 1 } })).toEqual(before);
  });

  it('raises an alarm, and overwrites nothing, when a re-delivered event differs from its entry', async () => {
    await appendInterleaved(events, 20, 3);
    const k = keeper();
    await k.start();
    await settled(k, events);
    await k.stop();
    const before = await readStore.collection(AUDIT_LEDGER).find({}, { sort: { _id: 1 } });
    const altered = (await all()).slice(0, 10).map((e) => (e.position === 4n ? { ...e, data: { ...e.data, note: 'rewritten' } } : e));
    const result = await readStore.withTransaction((tx) => appendToLedger(tx, altered, { gapFree: true, now: '2024-01-01T00:00:00Z' }));
    expect(result.alarms).toEqual([expect.objectContaining({ kind: 'event_differs', position: '4' })]);
    expect(await readStore.collection(AUDIT_LEDGER).find({}, { sort: { _id: 1 } })).toEqual(before);
    expect(await readStore.collection(AUDIT_ALARMS).find({})).toEqual([expect.objectContaining({ kind: 'event_differs', position: '4', seen: 1 })]);
  });

  it('signs a head after catching up, into the read store and into the log, where it is ledgered like any event', async () => {
    await appendInterleaved(events, 30, 4);
    const k = keeper({ signingKey: key });
    await k.start();
    await settled(k, events);
    const heads = await readStore.collection<StoredHead>(AUDIT_HEADS).find({});
    expect(heads).toHaveLength(1);
    expect(heads[0]).toMatchObject({ position: '29', keyId: key.keyId });
    expect(checkHeadSignature(heads[0], trustedKeys(key.publicKey))).toBe('valid');
    const [inLog] = await events.readStream(AUDIT_HEADS_STREAM);
    expect(inLog.position).toBe(30n);
    expect(headOfEvent(inLog)).toEqual({ position: '29', globalHash: heads[0].globalHash, time: heads[0].time, keyId: key.keyId, signature: heads[0].signature });
    expect((await readLedgerState(readStore))?.position).toBe('30');
    expect(heads[0].globalHash).toBe((await readLedgerEntries(readStore, [29n])).get('29')!.globalHash);
  });

  it('signs after catching up only when that catch-up ledgered something: a plain restart appends nothing', async () => {
    await appendInterleaved(events, 5, 2);
    const first = keeper({ signingKey: key });
    await first.start();
    await settled(first, events);
    await first.stop();
    const head = await events.headPosition();
    const second = keeper({ signingKey: key });
    await second.start();
    await settled(second, events);
    expect(await events.headPosition()).toBe(head);
    await second.stop();
    await appendInterleaved(events, 2, 2); // appended while no keeper ran
    const third = keeper({ signingKey: key });
    await third.start();
    await settled(third, events);
    expect(await readStore.collection(AUDIT_HEADS).countDocuments({})).toBe(2);
  });

  it('signs periodically only when something besides heads was ledgered since the last head', async () => {
    await appendInterleaved(events, 5, 2);
    const k = keeper({ signingKey: key, headIntervalMs: 30 });
    await k.start();
    await settled(k, events);
    await new Promise((r) => setTimeout(r, 150));
    expect(await readStore.collection(AUDIT_HEADS).countDocuments({})).toBe(1);
    await events.append('journey-new', [anEvent()], 'no_stream');
    await settled(k, events);
    await new Promise((r) => setTimeout(r, 150));
    await settled(k, events);
    const heads = await readStore.collection<StoredHead>(AUDIT_HEADS).find({}, { sort: { _id: 1 } });
    expect(heads.map((h) => h.position)).toEqual(['4', '6']);
  });

  it('signs on demand, and says so when nothing is ledgered yet', async () => {
    const k = keeper({ signingKey: key });
    await k.start();
    await k.caughtUpOnce();
    expect(await k.signNow()).toBeUndefined();
    await events.append('journey-x', [anEvent()], 'no_stream');
    await settled(k, events);
    const head = await k.signNow({ by: { userId: 'auditor-1', role: 'auditor', organisationId: 'audit-office' } });
    expect(head).toMatchObject({ position: '0' }); // the log was empty when the keeper caught up: nothing was signed then
    const [onDemand] = await events.readStream(AUDIT_HEADS_STREAM);
    expect(onDemand.metadata.recordedBy).toEqual({ userId: 'auditor-1', role: 'auditor', organisationId: 'audit-office' });
  });
});
