/**
 * Issue 10, "Prove nothing is lost": an acknowledged append survives a crash.
 *
 * A child process (children/appender.ts) appends to the embedded event store with several
 * concurrent writers over a handful of streams (appends of 1-5 events with expected revisions,
 * group-committed), and keeps the audit ledger beside them. It reports each append the moment
 * its promise resolves. The test SIGKILLs it at seeded random moments and restarts it on the
 * same folder, again and again; then checks, against every acknowledgement of every run, that
 * the log lost nothing acknowledged and holds nothing half-appended, that SQLite finds both
 * files sound after every kill, and that the audit hash chain kept across the crashes verifies.
 */
import { LedgerKeeper } from '../../libs/audit/src/ledger-keeper';
import { AuditSigningKey, trustedKeys } from '../../libs/audit/src/signing-key';
import { settled } from '../../libs/audit/src/testing/audit-fixtures';
import { verifyLog } from '../../libs/audit/src/verify';
import { SqliteEventStore } from '../../libs/event-store/src/embedded/sqlite-event-store';
import type { StoredEvent } from '../../libs/event-store/src/event-store.port';
import { SqliteReadStore } from '../../libs/read-store/src/embedded/sqlite-read-store';
import type { AppenderArgs } from './children/appender';
import { LINE, type Ack } from './children/crash-events';
import { APPENDER, checkLog, integrityCheck, LineChild, sleep, temporaryFolders, testSeed, withSeed } from './crash-harness';
import { sized, timeoutFor } from './long-run';
import { join } from 'node:path';

const KILLS = sized(6, 60);
/** A kill comes after 0 to this many acknowledgements of the run (0: while it starts). */
const MOST_ACKS_BEFORE_KILL = sized(150, 400);
const STREAMS = Array.from({ length: 5 }, (_, i) => `crash-stream-${i}`);
const WRITERS = 4;
const FINAL_RUN_APPENDS = 100;

const folders = temporaryFolders('vjt-crash-durability-');
afterAll(async () => {
  await LineChild.killAll();
  folders.removeAll();
});

describe('crash durability of the embedded event store', () => {
  it(`keeps every acknowledged append, whole, across ${KILLS} SIGKILLs at random moments, and the ledger kept across them verifies`, async () => {
    const seed = testSeed();
    await withSeed(seed, async (random) => {
      const dir = folders.make();
      const acks: Ack[] = [];
      let largestGroup = 0;
      const killedAt: number[] = [];
      const args = (run: number): AppenderArgs => ({ dir, seed, run, streams: STREAMS, writers: WRITERS, ledger: true });
      const collect = (child: LineChild) => {
        const ofRun = child.of(LINE.ack) as Ack[];
        acks.push(...ofRun);
        const perCommit = new Map<number, number>();
        for (const ack of ofRun) perCommit.set(ack.commit, (perCommit.get(ack.commit) ?? 0) + 1);
        largestGroup = Math.max(largestGroup, ...perCommit.values());
      };

      for (let run = 0; run < KILLS; run++) {
        const child = LineChild.spawn(APPENDER, args(run));
        const target = random() < 0.1 ? 0 : 1 + Math.floor(random() * MOST_ACKS_BEFORE_KILL);
        const delayMs = Math.floor(random() * 4);
        const reached = await child.until(() => child.of(LINE.ready).length > 0 && child.of(LINE.ack).length >= target);
        if (!reached) throw new Error(`run ${run} ended before it was killed: ${child.describe()}`);
        if (delayMs > 0) await sleep(delayMs);
        const exit = await child.kill();
        if (exit.signal !== 'SIGKILL') throw new Error(`run ${run} was not killed: ${child.describe()}`);
        collect(child);
        killedAt.push(child.of(LINE.ack).length);
        expect({ run, events: integrityCheck(join(dir, 'events.sqlite')), readModels: integrityCheck(join(dir, 'read-models.sqlite')) })
          .toEqual({ run, events: 'ok', readModels: 'ok' });
      }

      // One last run carries on from where the killed ones left every stream, and stops cleanly.
      const last = LineChild.spawn(APPENDER, { ...args(KILLS), appends: FINAL_RUN_APPENDS });
      await last.succeeded();
      collect(last);
      expect(integrityCheck(join(dir, 'events.sqlite'))).toBe('ok');
      expect(largestGroup).toBeGreaterThan(1); // appends were group-committed, several to a commit

      const events = SqliteEventStore.open({ directory: dir });
      const readStore = SqliteReadStore.open({ directory: dir });
      try {
        const log: StoredEvent[] = [];
        for await (const event of events.readAll()) log.push(event);
        const figures = checkLog(seed, log, acks);

        // The ledger the children kept (and were killed while keeping) is complete; sign a head over it and verify everything.
        const key = AuditSigningKey.generate();
        const keeper = new LedgerKeeper(events, readStore, { signingKey: key, headIntervalMs: 0 });
        await keeper.start();
        await settled(keeper, events);
        expect(await keeper.signNow()).toMatchObject({ position: String(log.length - 1) });
        await settled(keeper, events); // the head's own event, ledgered
        await keeper.stop();
        const report = await verifyLog(events, readStore, { trustedKeys: trustedKeys(key.publicKey) });
        expect(report).toMatchObject({ ok: true, complete: true, eventsVerified: log.length + 1, eventsNotYetLedgered: 0, headsVerified: 1, alarms: 0 });

        const summary = { seed, killsSurvived: KILLS, ...figures, largestGroupCommit: largestGroup, acknowledgedWhenKilled: killedAt, ledgerVerified: report.eventsVerified };
        console.log(`crash durability: ${JSON.stringify(summary)}`);
      } finally {
        await readStore.close();
        await events.close();
      }
    });
  }, timeoutFor(60_000, 600_000));
});
