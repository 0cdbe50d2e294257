import Database from 'better-sqlite3';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../event-store/src/embedded/sqlite-event-store';
import { SqliteReadStore } from '../../read-store/src/embedded/sqlite-read-store';
import { LedgerKeeper } from './ledger-keeper';
import { AUDIT_LEDGER, AUDIT_STATE, AUDIT_STREAMS, ledgerId, readLedgerState } from './ledger';
import { AUDIT_HEADS, type StoredHead } from './signed-heads';
import { AuditSigningKey, trustedKeys } from './signing-key';
import { verifyLog, VerifyRangeNotLedgered, type VerifyReport } from './verify';
import { appendInterleaved, seededRandom, settled } from './testing/audit-fixtures';

const key = AuditSigningKey.generate();
const trusted = trustedKeys(key.publicKey);
const random = seededRandom(2024);
const pick = (from: number, to: number) => from + Math.floor(random() * (to - from + 1)); // inclusive

/** A data folder with a ledgered, signed log: 200 events, a head, 120 more, a head, 60 more (ledgered, unsigned). */
let template: string;
let logLength: number;
let headPositions: number[];
const folders: string[] = [];

async function withStores<T>(dir: string, work: (events: SqliteEventStore, readStore: SqliteReadStore) => Promise<T>): Promise<T> {
  const events = SqliteEventStore.open({ directory: dir });
  const readStore = SqliteReadStore.open({ directory: dir });
  try {
    return await work(events, readStore);
  } finally {
    await readStore.close();
    await events.close();
  }
}

function copyOfTemplate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vjt-audit-tamper-'));
  cpSync(template, dir, { recursive: true });
  folders.push(dir);
  return dir;
}

/** The attacker's tool: the event store's file, opened directly. */
function tamper(dir: string, sql: (db: Database.Database) => void): void {
  const db = new Database(join(dir, 'events.sqlite'));
  try {
    db.transaction(() => sql(db))();
  } finally {
    db.close();
  }
}

const verify = (dir: string, options: Partial<Parameters<typeof verifyLog>[2]> = {}) =>
  withStores(dir, (events, readStore) => verifyLog(events, readStore, { trustedKeys: trusted, pageSize: 64, streamCacheSize: 5, ...options }));

beforeAll(async () => {
  template = mkdtempSync(join(tmpdir(), 'vjt-audit-template-'));
  await withStores(template, async (events, readStore) => {
    const keeper = new LedgerKeeper(events, readStore, { signingKey: key, headIntervalMs: 0, batchSize: 50 });
    await appendInterleaved(events, 200, 25, seededRandom(5));
    await keeper.start();
    await settled(keeper, events); // signs a head after catching up
    await appendInterleaved(events, 120, 25, seededRandom(6));
    await settled(keeper, events);
    await keeper.signNow();
    await appendInterleaved(events, 60, 25, seededRandom(7));
    await settled(keeper, events);
    await keeper.stop();
    logLength = Number(await events.headPosition()) + 1;
    headPositions = (await readStore.collection<StoredHead>(AUDIT_HEADS).find({}, { sort: { _id: 1 } })).map((h) => Number(h.position));
  });
});

afterAll(() => {
  for (const dir of [template, ...folders]) rmSync(dir, { recursive: true, force: true });
});

describe('verifyLog', () => {
  it('passes an intact log: every event, both heads in the read store and both in the log', async () => {
    const report = await verify(copyOfTemplate());
    expect(headPositions).toEqual([199, 320]);
    expect(report).toMatchObject<Partial<VerifyReport>>({ ok: true, complete: true, eventsVerified: logLength, headsVerified: 2, headsInLogVerified: 2, eventsNotYetLedgered: 0, lastPosition: String(logLength - 1), alarms: 0 });
    expect(report.firstBroken).toBeUndefined();
  });

  it('verifies a range, and resumes where maxEvents stopped it', async () => {
    const dir = copyOfTemplate();
    const first = await verify(dir, { from: 50n, maxEvents: 100 });
    expect(first).toMatchObject({ ok: true, complete: false, eventsVerified: 100, lastPosition: '149', resumeFrom: '150', headsVerified: 0 });
    const rest = await verify(dir, { from: 150n, to: 330n });
    expect(rest).toMatchObject({ ok: true, complete: true, eventsVerified: 181, lastPosition: '330', headsVerified: 2 });
  });

  it('refuses to start past the ledger\u2019s end', async () => {
    await expect(verify(copyOfTemplate(), { from: 10_000n })).rejects.toBeInstanceOf(VerifyRangeNotLedgered);
  });

  describe('catches tampering at the right position (property test over random positions)', () => {
    const trials = Number(process.env.AUDIT_TAMPER_TRIALS ?? 12);

    it('one byte of one event\u2019s data flipped', async () => {
      for (let t = 0; t < trials; t++) {
        const dir = copyOfTemplate();
        const position = pick(0, logLength - 1);
        tamper(dir, (db) => {
          const { data } = db.prepare('SELECT data FROM events WHERE position = ?').get(position) as { data: string };
          const i = pick(0, data.length - 1);
          const flipped = String.fromCharCode(data.charCodeAt(i) ^ pick(1, 0x7e));
          db.prepare('UPDATE events SET data = ? WHERE position = ?').run(data.slice(0, i) + flipped + data.slice(i + 1), position);
        });
        const report = await verify(dir);
        expect({ ok: report.ok, position: report.firstBroken?.position }).toEqual({ ok: false, position: String(position) });
      }
    });

    it('one event deleted', async () => {
      for (let t = 0; t < trials; t++) {
        const dir = copyOfTemplate();
        const position = t === 0 ? logLength - 1 : pick(0, logLength - 1); // the last one too: the ledger remembers it
        tamper(dir, (db) => db.prepare('DELETE FROM events WHERE position = ?').run(position));
        const report = await verify(dir);
        expect({ ok: report.ok, position: report.firstBroken?.position }).toEqual({ ok: false, position: String(position) });
      }
    });

    it('two events\u2019 data swapped', async () => {
      for (let t = 0; t < trials; t++) {
        const dir = copyOfTemplate();
        const first = pick(0, logLength - 2);
        const second = pick(first + 1, logLength - 1);
        tamper(dir, (db) => {
          const read = db.prepare('SELECT data FROM events WHERE position = ?');
          const write = db.prepare('UPDATE events SET data = ? WHERE position = ?');
          const [a, b] = [first, second].map((p) => (read.get(p) as { data: string }).data);
          write.run(b, first);
          write.run(a, second);
        });
        const report = await verify(dir);
        expect({ ok: report.ok, position: report.firstBroken?.position }).toEqual({ ok: false, position: String(first) });
      }
    });

    it('two events reordered (whole rows exchanged between positions)', async () => {
      for (let t = 0; t < trials; t++) {
        const dir = copyOfTemplate();
        const first = pick(0, logLength - 2);
        const second = pick(first + 1, logLength - 1);
        tamper(dir, (db) => {
          db.prepare('UPDATE events SET position = -1 WHERE position = ?').run(first);
          db.prepare('UPDATE events SET position = ? WHERE position = ?').run(first, second);
          db.prepare('UPDATE events SET position = ? WHERE position = -1').run(second);
        });
        const report = await verify(dir);
        expect({ ok: report.ok, position: report.firstBroken?.position }).toEqual({ ok: false, position: String(first) });
      }
    });

    it('the log truncated after a signed head', async () => {
      for (let t = 0; t < trials; t++) {
        const dir = copyOfTemplate();
        const head = headPositions[t % headPositions.length];
        const cut = t % 3 === 2 ? pick(head + 1, logLength - 1) : pick(1, head); // from before or after the head
        tamper(dir, (db) => db.prepare('DELETE FROM events WHERE position >= ?').run(cut));
        const report = await verify(dir);
        expect({ ok: report.ok, position: report.firstBroken?.position }).toEqual({ ok: false, position: String(cut) });
        expect(report.firstBroken?.reason).toMatch(/truncated/);
      }
    });

    it('the log truncated before a signed head, and the ledger cut to match: the head still tells', async () => {
      for (let t = 0; t < trials; t++) {
        const dir = copyOfTemplate();
        const cut = pick(1, headPositions[1]);
        tamper(dir, (db) => db.prepare('DELETE FROM events WHERE position >= ?').run(cut));
        await withStores(dir, async (_events, readStore) => {
          await readStore.collection(AUDIT_LEDGER).deleteMany({ _id: { $gte: ledgerId(BigInt(cut)) } });
          const last = await readStore.collection(AUDIT_LEDGER).findOne({ _id: ledgerId(BigInt(cut - 1)) });
          await readStore.collection(AUDIT_STATE).updateOne({ _id: 'ledger' }, { $set: { position: String(cut - 1), globalHash: last!.globalHash } });
          await readStore.collection(AUDIT_STREAMS).deleteMany({});
        });
        const report = await verify(dir);
        expect({ ok: report.ok, position: report.firstBroken?.position }).toEqual({ ok: false, position: String(cut) });
        expect(report.firstBroken?.reason).toMatch(/head signed at .* covers position \d+, but the log ends/);
      }
    });
  });

  it('catches a log rewritten with a ledger recomputed to match: only the signed head can tell', async () => {
    const dir = copyOfTemplate();
    const position = 120;
    tamper(dir, (db) => db.prepare(`UPDATE events SET data = json_set(data, '$.note', 'rewritten') WHERE position = ?`).run(position));
    // The attacker rebuilds the whole ledger from the altered log (they hold the data folder, not the key).
    await withStores(dir, async (events, readStore) => {
      for (const name of [AUDIT_LEDGER, AUDIT_STATE, AUDIT_STREAMS]) await readStore.dropCollection(name);
      const keeper = new LedgerKeeper(events, readStore, { headIntervalMs: 0 });
      await keeper.start();
      await settled(keeper, events);
      await keeper.stop();
      expect((await readLedgerState(readStore))?.position).toBe(String(logLength - 1));
    });
    const report = await verify(dir);
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toEqual({ position: '199', reason: expect.stringMatching(/the log up to there was rewritten/) });
  });

  it('refuses heads signed by an untrusted key', async () => {
    const report = await withStores(copyOfTemplate(), (events, readStore) => verifyLog(events, readStore, { trustedKeys: trustedKeys(AuditSigningKey.generate().publicKey) }));
    expect(report).toMatchObject({ ok: false, firstBroken: { position: '199', reason: expect.stringMatching(/not trusted/) } });
  });
});
