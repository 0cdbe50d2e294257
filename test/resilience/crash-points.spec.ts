/**
 * Issue 10, "Prove nothing is lost": a crash at each named crash point
 * (libs/crash-points/src/crash-point.ts) loses nothing and leaves nothing half-done.
 *
 * For every point a child is run with VJT_CRASH_POINT naming it (the Nth time it is reached, N
 * seeded), must die by SIGKILL at that point, and is run again on the folder it left, crashing
 * again at another N, a few times over; then it is restarted without the variable. Then: every acknowledged append is in the log, whole, and the appends committed but
 * never acknowledged are whole too; the read models equal those of a clean, uninterrupted
 * projection of the same log; the audit ledger verifies. Every exported point must have been
 * exercised.
 */
import { join } from 'node:path';
import { CRASH_POINT_VARIABLE, CRASH_POINTS, type CrashPointName } from '../../libs/crash-points/src/crash-point';
import { SqliteEventStore } from '../../libs/event-store/src/embedded/sqlite-event-store';
import type { StoredEvent } from '../../libs/event-store/src/event-store.port';
import { SqliteReadStore } from '../../libs/read-store/src/embedded/sqlite-read-store';
import type { AppenderArgs } from './children/appender';
import { LINE, type Ack } from './children/crash-events';
import type { ProjectorArgs } from './children/projector';
import { inspectStores, type FolderInspection } from './children/read-model-digest';
import {
  APPENDER, checkLog, copyStoreFiles, integrityCheck, LineChild, LOG_FILES, PROJECTOR, seedLog, temporaryFolders, testSeed, withSeed,
} from './crash-harness';
import { sized, timeoutFor } from './long-run';

const folders = temporaryFolders('vjt-crash-points-');
const exercised = new Set<CrashPointName>();
const seed = testSeed();
/** Enough batches for every crash to find work left (about 15 events a journey). */
const JOURNEYS = sized(60, 300);
const WRITERS = 4;
/** Crashes at each point, each run restarted on the folder the last one left, before the run that completes. */
const CRASHES = sized(3, 10);
/** Events per projector batch: a log of ~900 events is many batches, so that every crash finds work left. */
const BATCH = 50;

let seeded: string;
let head: bigint;
let clean: FolderInspection;

beforeAll(async () => {
  await withSeed(seed, async () => {
    seeded = folders.make();
    head = (await seedLog(seeded, { journeys: JOURNEYS, seed })).head;
    const dir = folders.make();
    copyStoreFiles(seeded, dir, LOG_FILES);
    const reference = LineChild.spawn(PROJECTOR, { dir, catchUpBatchSize: 5000, ledger: true, inspect: true } satisfies ProjectorArgs);
    await reference.succeeded();
    clean = reference.of(LINE.done)[0].inspection;
  });
}, timeoutFor(30_000, 120_000));
afterAll(async () => {
  await LineChild.killAll();
  folders.removeAll();
});

/** Runs `child` to its crash at `point`: it must die by SIGKILL, saying it crashed there, and leave both files sound. */
async function crashesAt(child: LineChild, point: CrashPointName, dir: string): Promise<void> {
  const exit = await child.exited;
  if (exit.signal !== 'SIGKILL' || !child.stderr.includes(`${CRASH_POINT_VARIABLE}: crashing at ${point} `)) {
    throw new Error(`expected a crash at ${point}, got ${child.describe()}`);
  }
  expect(child.of(LINE.done)).toEqual([]);
  expect({ events: integrityCheck(join(dir, 'events.sqlite')), readModels: integrityCheck(join(dir, 'read-models.sqlite')) }).toEqual({ events: 'ok', readModels: 'ok' });
  exercised.add(point);
}

describe('a crash at each named crash point', () => {
  it(`event-store.after-commit, ${CRASHES} times: each crashed group is in the log, whole, though never acknowledged; every acknowledged append too`, async () => {
    await withSeed(seed, async (random) => {
      const dir = folders.make();
      const args = (run: number): AppenderArgs => ({
        dir, seed, run, streams: Array.from({ length: WRITERS }, (_, i) => `point-stream-${i}`), writers: WRITERS, ownStreams: true, ledger: true,
      });
      const acks: Ack[] = [];
      for (let run = 0; run < CRASHES; run++) {
        const nth = 1 + Math.floor(random() * 20);
        const crashing = LineChild.spawn(APPENDER, args(run), { [CRASH_POINT_VARIABLE]: `event-store.after-commit@${nth}` });
        await crashesAt(crashing, 'event-store.after-commit', dir);
        // One writer per stream: every commit held one append of each writer, and all succeeded.
        expect({ run, acknowledged: crashing.of(LINE.ack).length }).toEqual({ run, acknowledged: (nth - 1) * WRITERS });
        acks.push(...crashing.of(LINE.ack));
      }
      const restarted = LineChild.spawn(APPENDER, { ...args(CRASHES), appends: 20 });
      await restarted.succeeded();
      acks.push(...restarted.of(LINE.ack));
      const events = SqliteEventStore.open({ directory: dir });
      const readStore = SqliteReadStore.open({ directory: dir });
      try {
        const log: StoredEvent[] = [];
        for await (const event of events.readAll()) log.push(event);
        // The group each crash interrupted was committed: its appends are there, all of them, unacknowledged.
        expect(checkLog(seed, log, acks)).toMatchObject({ acknowledgedAppends: acks.length, unacknowledgedAppends: CRASHES * WRITERS });
        expect((await inspectStores(events, readStore)).ledger).toEqual({ ok: true, eventsVerified: log.length, eventsNotYetLedgered: 0, alarms: 0 });
      } finally {
        await readStore.close();
        await events.close();
      }
    });
  }, timeoutFor(30_000, 300_000));

  /** Each crashing run dies at the Nth time it reaches the point, N seeded from 1 to this (a run reaches each point several times per batch). */
  it.each<{ point: CrashPointName; most: number; what: string }>([
    { point: 'projector.before-checkpoint', most: 5, what: 'a batch written but not committed is applied again, once' },
    { point: 'read-store.after-commit', most: 8, what: 'a transaction committed to SQLite but not applied in memory is there after the restart' },
    { point: 'ledger-keeper.after-commit', most: 3, what: 'a ledger batch committed before the keeper moved on is not ledgered twice' },
  ])(`$point, ${CRASHES} times: $what; then the read models equal a clean projection and the ledger verifies`, async ({ point, most }) => {
    await withSeed(seed, async (random) => {
      const dir = folders.make();
      copyStoreFiles(seeded, dir, LOG_FILES);
      const args: ProjectorArgs = { dir, catchUpBatchSize: BATCH, ledger: true, ledgerBatchSize: BATCH, inspect: true };
      for (let run = 0; run < CRASHES; run++) {
        const nth = 1 + Math.floor(random() * most);
        await crashesAt(LineChild.spawn(PROJECTOR, args, { [CRASH_POINT_VARIABLE]: `${point}@${nth}` }), point, dir);
      }
      const restarted = LineChild.spawn(PROJECTOR, args);
      await restarted.succeeded();
      const after: FolderInspection = restarted.of(LINE.done)[0].inspection;
      expect(after).toEqual(clean);
      expect(after.checkpoints).toEqual({ journeys: head.toString(), analytics: head.toString() });
      expect(after.ledger).toEqual({ ok: true, eventsVerified: Number(head) + 1, eventsNotYetLedgered: 0, alarms: 0 });
    });
  }, timeoutFor(30_000, 300_000));

  it('exercised every crash point', () => {
    expect([...exercised].sort()).toEqual([...CRASH_POINTS].sort());
  });
});
