/**
 * Memory and time of `verifyLog` over a large embedded log (not a test: run by hand).
 *
 *   npx tsc -p tsconfig.build.json        # or any build that emits dist/libs/audit
 *   node dist/libs/audit/benchmark/verify-memory.js build /tmp/vjt-1m 1000000 70000
 *   node --expose-gc dist/libs/audit/benchmark/verify-memory.js verify /tmp/vjt-1m
 *   GC_AT_MARKS=1 node --expose-gc --max-old-space-size=768 dist/.../verify-memory.js verify /tmp/vjt-1m
 *
 * `build` writes synthetic events straight into events.sqlite (journey-shaped JSON, ~70k
 * streams interleaved at random), then runs the real LedgerKeeper over them and signs a head.
 * `verify` runs in a fresh process and samples RSS and heap while verifying the whole log.
 */
import Database from 'better-sqlite3';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SqliteEventStore } from '../../event-store/src/embedded/sqlite-event-store';
import { SqliteReadStore } from '../../read-store/src/embedded/sqlite-read-store';
import { LedgerKeeper } from '../src/ledger-keeper';
import { AUDIT_LEDGER, readLedgerState } from '../src/ledger';
import { loadOrCreateAuditSigningKey, trustedKeys } from '../src/signing-key';
import { verifyLog } from '../src/verify';

const mb = (bytes: number) => Math.round(bytes / 1e6);

async function build(directory: string, count: number, streams: number): Promise<void> {
  await SqliteEventStore.open({ directory }).close(); // creates the schema
  const db = new Database(join(directory, 'events.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare('INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const revisions = new Int32Array(streams);
  const ids = Array.from({ length: streams }, () => randomUUID());
  const started = Date.now();
  const write = db.transaction((from: number, to: number) => {
    for (let position = from; position < to; position++) {
      const s = Math.floor(Math.random() * streams);
      const revision = revisions[s]++;
      const data = {
        occurredAt: '2024-03-0' + (1 + (position % 9)), referralId: `NRM-2024-${String(position % 100000).padStart(5, '0')}`,
        competentAuthority: 'SCA', supportRequested: position % 3 === 0, exploitationTypes: ['labour', 'sexual'].slice(0, 1 + (position % 2)),
        indicators: ['debt_bondage', 'withheld_documents'], policeForceArea: 'E23000001',
        ...(revision === 0 ? { personalDetails: { name: `pd1:${randomBytes(12).toString('base64url')}:${randomBytes(40).toString('base64url')}` } } : {}),
      };
      const metadata = {
        recordedAt: new Date(1_700_000_000_000 + position * 1000).toISOString(), recordedBy: { userId: 'worker-7', role: 'support_worker', organisationId: 'met-police' },
        commandId: randomUUID(), correlationId: randomUUID(), schemaVersion: 1,
      };
      insert.run(BigInt(position), `journey-${ids[s]}`, BigInt(revision), randomUUID(), revision === 0 ? 'VictimIdentified' : 'NrmReferralMade', JSON.stringify(data), JSON.stringify(metadata));
    }
  });
  for (let from = 0; from < count; from += 10_000) write(from, Math.min(from + 10_000, count));
  db.exec(`INSERT INTO streams (stream_id, last_revision, last_position) SELECT stream_id, max(revision), max(position) FROM events GROUP BY stream_id`);
  db.close();
  console.log(`wrote ${count} events over ${streams} streams in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const events = SqliteEventStore.open({ directory });
  const readStore = SqliteReadStore.open({ directory });
  const keeper = new LedgerKeeper(events, readStore, { signingKey: loadOrCreateAuditSigningKey({ dataDir: directory }), headIntervalMs: 0, batchSize: 500 });
  const ledgering = Date.now();
  await keeper.start();
  const head = await events.headPosition();
  // Caught up, then the head it signs after catching up is ledgered too: one past the events.
  while ((await readLedgerState(readStore))?.position !== String(Number(head) + 1)) await new Promise((r) => setTimeout(r, 200));
  await keeper.stop();
  console.log(`keeper ledgered ${count + 1} events in ${((Date.now() - ledgering) / 1000).toFixed(1)} s; RSS ${mb(process.memoryUsage().rss)} MB`);
  await readStore.close();
  await events.close();
}

async function verify(directory: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const events = SqliteEventStore.open({ directory });
  const readStore = SqliteReadStore.open({ directory });
  const key = loadOrCreateAuditSigningKey({ dataDir: directory });
  gc();
  const opened = process.memoryUsage();
  const loading = Date.now();
  // The embedded read store mirrors a collection in memory on first use: load it first, to tell its cost from the verifier's.
  await readStore.collection(AUDIT_LEDGER).findOne({ _id: 'none' });
  gc();
  const mirrored = process.memoryUsage();
  const mirrorSeconds = (Date.now() - loading) / 1000;
  let peakRss = mirrored.rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const heapAt: string[] = [];
  let nextMark = 100_000;
  const started = Date.now();
  const report = await verifyLog(events, readStore, {
    trustedKeys: trustedKeys(key.publicKey),
    onProgress: (done) => {
      if (done < nextMark) return;
      nextMark += 100_000;
      if (process.env.GC_AT_MARKS) gc(); // live heap only, not garbage V8 has not collected yet
      const { heapUsed, rss } = process.memoryUsage();
      heapAt.push(`${done}: heap ${mb(heapUsed)} MB, rss ${mb(rss)} MB`);
    },
  });
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  console.log(JSON.stringify({
    report: { ok: report.ok, eventsVerified: report.eventsVerified, headsVerified: report.headsVerified, headsInLogVerified: report.headsInLogVerified, firstBroken: report.firstBroken },
    seconds, eventsPerSecond: Math.round(report.eventsVerified / seconds),
    rssMB: { afterOpening: mb(opened.rss), afterLedgerMirrorLoaded: mb(mirrored.rss), peakDuringVerify: mb(peakRss), verifierOwnPeak: mb(peakRss - mirrored.rss) },
    heapMB: { afterOpening: mb(opened.heapUsed), afterLedgerMirrorLoaded: mb(mirrored.heapUsed) },
    ledgerMirrorLoadSeconds: mirrorSeconds,
    heapDuringVerify: heapAt,
  }, null, 2));
  await readStore.close();
  await events.close();
}

const [mode, directory, count, streams] = process.argv.slice(2);
(mode === 'build' ? build(directory, Number(count ?? 1_000_000), Number(streams ?? 70_000)) : verify(directory)).catch((error) => {
  console.error(error);
  process.exit(1);
});
