/**
 * Crash-test child: appends to the embedded event store until killed (or until `appends`
 * appends were acknowledged), with several concurrent writers over a handful of streams, each
 * append 1-5 events with the expected revision the writer last saw. Appends made in one turn of
 * the event loop share a group commit. The moment an append's promise resolves, one `A` line
 * reports it (crash-events.ts): what was acknowledged, so the test can check it survived.
 *
 * On start it reads each stream's current revision from the store, so a restart after a crash
 * carries on from wherever the last run got to. A writer whose expected revision was stale
 * (another writer won) learns the actual revision from the error and makes a new append.
 *
 * Optionally it runs the audit LedgerKeeper beside the writers, on the read store in the same
 * folder, so that the ledger is kept (and crashes) while the log grows.
 *
 *   node -r test/support/swc-register.js appender.ts '<json AppenderArgs>'
 */
import { WrongExpectedRevisionError } from '../../../libs/event-store/src/errors';
import { SqliteEventStore } from '../../../libs/event-store/src/embedded/sqlite-event-store';
import type { ExpectedRevision } from '../../../libs/event-store/src/event-store.port';
import { LedgerKeeper } from '../../../libs/audit/src/ledger-keeper';
import { SqliteReadStore } from '../../../libs/read-store/src/embedded/sqlite-read-store';
import { seededRandom } from '../../../libs/audit/src/testing/audit-fixtures';
import { appendKey, crashEvents, LINE, writeLine, type Ack } from './crash-events';

export interface AppenderArgs {
  dir: string;
  seed: number;
  /** This run's number: part of every append's key, so ids never repeat across runs. */
  run: number;
  streams: string[];
  writers: number;
  /** Each writer appends to its own stream (writers must equal streams): no conflicts, every append succeeds. */
  ownStreams?: boolean;
  /** Stop cleanly after this many acknowledged appends; without it, run until killed. */
  appends?: number;
  /** Keep the audit ledger alongside. */
  ledger?: boolean;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]) as AppenderArgs;
  const store = SqliteEventStore.open({ directory: args.dir });
  const readStore = args.ledger ? SqliteReadStore.open({ directory: args.dir }) : undefined;
  const keeper = readStore && new LedgerKeeper(store, readStore, { batchSize: 50, headIntervalMs: 0, retryMinMs: 10, retryMaxMs: 100 });
  await keeper?.start();

  const revisions = new Map<string, bigint>();
  for (const stream of args.streams) revisions.set(stream, (await store.readStream(stream)).at(-1)?.revision ?? -1n);
  writeLine(LINE.ready, { run: args.run, revisions: Object.fromEntries(revisions), head: await store.headPosition() });

  let acknowledged = 0;
  let conflicts = 0;
  const stopping = () => args.appends !== undefined && acknowledged >= args.appends;
  const writer = async (w: number) => {
    const random = seededRandom(args.seed * 7919 + args.run * 104729 + w);
    for (let sequence = 0; !stopping(); sequence++) {
      const stream = args.ownStreams ? args.streams[w] : args.streams[Math.floor(random() * args.streams.length)];
      const count = 1 + Math.floor(random() * 5);
      const key = appendKey(args.run, w, sequence);
      const events = crashEvents(args.seed, key, stream, count);
      const last = revisions.get(stream)!;
      const expected: ExpectedRevision = last < 0n ? 'no_stream' : last;
      try {
        const result = await store.append(stream, events, expected);
        const ack: Ack = {
          key, stream, ids: events.map((e) => e.id), position: result.position.toString(), commit: store.stats().commits,
          revisions: [(result.nextExpectedRevision - BigInt(count) + 1n).toString(), result.nextExpectedRevision.toString()],
        };
        writeLine(LINE.ack, ack);
        acknowledged++;
        if (result.nextExpectedRevision > revisions.get(stream)!) revisions.set(stream, result.nextExpectedRevision);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        conflicts++;
        const actual = error.actual === 'no_stream' ? -1n : error.actual;
        if (actual > revisions.get(stream)!) revisions.set(stream, actual);
      }
    }
  };
  await Promise.all(Array.from({ length: args.writers }, (_, w) => writer(w)));

  if (keeper) {
    const head = await store.headPosition();
    while (keeper.status().position !== (head?.toString() ?? null)) await new Promise((r) => setTimeout(r, 5));
    await keeper.stop();
  }
  writeLine(LINE.done, { acknowledged, conflicts, ...store.stats() });
  await readStore?.close();
  await store.close();
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
