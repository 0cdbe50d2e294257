/**
 * Issue 10, "Prove nothing is lost": a projector killed again and again while it catches up on
 * a large log ends with exactly the read models of one uninterrupted run.
 *
 * A log of synthetic journeys is seeded (seeds/) and copied into two folders. In one, a child
 * (children/projector.ts: the Projector with every projection, and the audit ledger keeper, on
 * the embedded read store) catches up in small batches and is SIGKILLed at seeded random
 * points, then restarted, until a run completes: half the kills from outside at a point of its
 * progress, half from inside just after one of the read store's SQLite commits (the crash point
 * read-store.after-commit). In the other, one child
 * catches up uninterrupted, in the API's default catch-up batches. Then every document of every
 * projection's serving collection must be the same in both (a digest of them all, sorted by
 * _id, in canonical JSON), every checkpoint at the head of the log, the ledger kept across the
 * crashes must verify, and no restart may have found less progress than its killed run reported.
 */
import { join } from 'node:path';
import { CRASH_POINT_VARIABLE } from '../../libs/crash-points/src/crash-point';
import { LINE } from './children/crash-events';
import type { ProjectorArgs } from './children/projector';
import type { FolderInspection } from './children/read-model-digest';
import {
  copyStoreFiles, integrityCheck, LineChild, LOG_FILES, PROJECTOR, seedLog, sleep, temporaryFolders, testSeed, withSeed,
} from './crash-harness';
import { sized, timeoutFor } from './long-run';

const JOURNEYS = sized(300, 3000);
const KILLS = sized(4, 30);
/** Events per transaction of the crashed runs: small, so that a kill lands among many batches. */
const CRASHED_BATCH = sized(200, 500);
/** The uninterrupted run's: the API's default (PROJECTOR_CATCH_UP_BATCH_SIZE). */
const CLEAN_BATCH = 5000;

const folders = temporaryFolders('vjt-projector-crash-');
afterAll(async () => {
  await LineChild.killAll();
  folders.removeAll();
});

const lastProgress = (child: LineChild): bigint => {
  const progress = child.of(LINE.progress);
  return progress.length ? BigInt(progress[progress.length - 1].at) : -2n;
};

describe('the projector killed while it catches up on a large log', () => {
  it(`ends with the read models of an uninterrupted run after ${KILLS} SIGKILLs (${JOURNEYS} journeys)`, async () => {
    const seed = testSeed();
    await withSeed(seed, async (random) => {
      const seeded = folders.make();
      const { events, head } = await seedLog(seeded, { journeys: JOURNEYS, seed });
      const crashed = folders.make();
      const clean = folders.make();
      copyStoreFiles(seeded, crashed, LOG_FILES);
      copyStoreFiles(seeded, clean, LOG_FILES);

      const reference = LineChild.spawn(PROJECTOR, { dir: clean, catchUpBatchSize: CLEAN_BATCH, ledger: true, inspect: true } satisfies ProjectorArgs);
      const args: ProjectorArgs = { dir: crashed, catchUpBatchSize: CRASHED_BATCH, ledger: true, ledgerBatchSize: CRASHED_BATCH, inspect: true };
      const killedAt: string[] = [];
      let progress = -1n;
      let runs = 0;
      let crashedModels: FolderInspection | undefined;
      while (!crashedModels) {
        const left = KILLS - killedAt.length;
        const remaining = Number(head - progress);
        /** A seeded share of `n`: on average what is left over the kills still to come. */
        const share = (n: number) => 1 + Math.floor((random() * 2 * n) / (left + 1));
        // Half the kills come from outside, at a seeded point of the progress (plus 0-4 ms): wherever the child happens to be.
        // The other half from inside, just after a seeded one of the read store's SQLite commits (about three per batch):
        // the moment between a commit and what follows it, which a kill from outside almost never hits.
        const kind = left === 0 ? 'none' : random() < 0.5 ? 'outside' : 'after-commit';
        const nth = share(Math.ceil((3 * remaining) / CRASHED_BATCH));
        const target = progress + BigInt(share(remaining));
        const delayMs = Math.floor(random() * 5);
        const child = LineChild.spawn(PROJECTOR, args, kind === 'after-commit' ? { [CRASH_POINT_VARIABLE]: `read-store.after-commit@${nth}` } : {});
        runs++;
        // A restart must find at least what the killed run reported as committed.
        if ((await child.until(() => child.of(LINE.progress).length > 0)) && lastProgress(child) < progress) {
          throw new Error(`run ${runs} started at ${lastProgress(child)}, but the run killed before it had committed up to ${progress}`);
        }
        if (kind === 'outside' && (await child.until(() => lastProgress(child) >= target))) {
          if (delayMs > 0) await sleep(delayMs);
          await child.kill();
        }
        const exit = await child.exited;
        if (exit.signal === 'SIGKILL') {
          if (kind === 'after-commit' && !child.stderr.includes('crashing at read-store.after-commit')) throw new Error(`run ${runs}: ${child.describe()}`);
          if (child.of(LINE.progress).length > 0) progress = lastProgress(child);
          killedAt.push(`${progress}${kind === 'after-commit' ? ` (after commit ${nth})` : ''}`);
          expect({ run: runs, events: integrityCheck(join(crashed, 'events.sqlite')), readModels: integrityCheck(join(crashed, 'read-models.sqlite')) })
            .toEqual({ run: runs, events: 'ok', readModels: 'ok' });
          continue;
        }
        await child.succeeded(); // it completed before its kill came, or no kill was left
        crashedModels = child.of(LINE.done)[0].inspection;
      }
      await reference.succeeded();

      const cleanModels: FolderInspection = reference.of(LINE.done)[0].inspection;
      const atHead = Object.fromEntries(Object.keys(cleanModels.checkpoints).map((name) => [name, head.toString()]));
      expect(cleanModels).toMatchObject({ checkpoints: atHead, ledger: { ok: true, eventsVerified: events, eventsNotYetLedgered: 0, alarms: 0 } });
      expect(crashedModels).toEqual(cleanModels);
      expect(killedAt.length).toBeGreaterThan(0);

      const summary = { seed, journeys: JOURNEYS, events, kills: killedAt.length, runs, killedAtPositions: killedAt, documents: crashedModels!.documents, digest: crashedModels!.digest };
      console.log(`projector crash: ${JSON.stringify(summary)}`);
    });
  }, timeoutFor(60_000, 900_000));
});
