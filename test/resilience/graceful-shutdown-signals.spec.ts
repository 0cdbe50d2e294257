/**
 * Issue 12, graceful shutdown: the cases beside the drain under load (graceful-shutdown.spec.ts),
 * on the real entry points in child processes.
 *
 * - A second signal during the drain ends the API at once: exit code 143 after SIGTERM, 130
 *   after SIGINT, with one line saying the exit was forced. What was acknowledged before stays.
 * - A drain longer than SHUTDOWN_TIMEOUT_MS ends the API with exit code 1 and a line naming the
 *   phase it was stuck in.
 * - The projector process (apps/projector/src/main.ts, here alone on an embedded data folder,
 *   as it may run with the API stopped) stops on SIGTERM in the middle of catching up: each
 *   projection and the audit ledger finish their batch, the stores close cleanly, exit 0; the
 *   checkpoints agree with the documents, and the read models continued from there equal a
 *   clean build.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { identification } from '../../seeds/journey-requests';
import { Child, killAllChildren, temporaryFolders, within } from './api-child';
import { integrityCheck, LineChild, seedLog, testSeed, withSeed, journeysIn } from './crash-harness';
import {
  type Api, expectCheckpointsConsistent, expectClosedCleanly, expectContinuedEqualsClean, expectLinesInOrder, PROJECTOR_MAIN, request, startMain,
} from './graceful-shutdown-checks';
import { logOf } from '../support/event-log';
import { sized, timeoutFor } from './long-run';

const folders = temporaryFolders('vjt-shutdown-signals-');
afterAll(async () => {
  await killAllChildren();
  await LineChild.killAll();
  folders.removeAll();
});

/** A read-your-writes wait this long keeps a request in flight for the whole test. */
const HELD = { READ_YOUR_WRITES_TIMEOUT_MS: '30000' };

/** Starts the API, records one journey, and leaves a request in flight (a read waiting for a position never reached). */
async function apiWithRequestInFlight(env: Record<string, string>): Promise<{ api: Api; dataDir: string; journeyId: string; held: ReturnType<typeof request> }> {
  const dataDir = folders.make();
  const api = await startMain(dataDir, { ...HELD, ...env });
  const created = await request(api, 'POST', '/journeys', { body: identification(), headers: { 'Idempotency-Key': randomUUID() }, hangMs: 10_000 });
  expect(created.kind === 'answered' && created.status).toBe(201);
  const journeyId = (created as { body: { journeyId: string } }).body.journeyId;
  const held = request(api, 'GET', `/journeys/${journeyId}?minPosition=1000000000`, { hangMs: 40_000 });
  await new Promise((r) => setTimeout(r, 150));
  return { api, dataDir, journeyId, held };
}

describe('graceful shutdown: a second signal, the timeout, and the projector process', () => {
  it.each([
    ['SIGTERM', 'SIGTERM', 143],
    ['SIGINT', 'SIGINT', 130],
  ] as const)('%s, then %s during the drain: the API exits at once with code %i and says it was forced', async (first, second, code) => {
    const { api, dataDir, journeyId, held } = await apiWithRequestInFlight({ SHUTDOWN_TIMEOUT_MS: '60000' });
    api.child.process.kill(first);
    await api.child.waitForOutput(/Shutdown phase 1\/4 \(stop accepting requests\) done in \d+ ms: new requests are answered 503 SHUTTING_DOWN; 1 request\(s\) in flight/);
    const signalled = performance.now();
    api.child.process.kill(second);
    const exit = await within(api.child.exited, 5_000, 'still running');
    const forcedInMs = Math.round(performance.now() - signalled);
    expect(exit).toEqual({ code, signal: null });
    const output = api.child.stdout + api.child.stderr;
    expect(output).toMatch(new RegExp(`Received ${first}: shutting down gracefully`));
    expect(output).toMatch(new RegExp(`Received ${second} again during the shutdown \\(phase 2/4 \\(finish in-flight requests\\)\\): forced exit with code ${code}, without finishing the drain`));
    expect(output).not.toMatch(/Shutdown phase 2\/4 \(finish in-flight requests\) done|Shutdown complete/);
    // The request in flight loses its connection; what was acknowledged before is on disk (the log recovers its WAL on open).
    expect((await held).kind).toBe('connection');
    const log = await logOf(dataDir);
    expect(journeysIn(log).get(journeyId)?.length).toBe(1);
    expect(integrityCheck(join(dataDir, 'events.sqlite'))).toBe('ok');
    console.log(`graceful shutdown, forced: ${first} then ${second} -> exit ${code} ${forcedInMs} ms after the second signal`);
  }, 30_000);

  it('a drain longer than SHUTDOWN_TIMEOUT_MS exits 1, naming the phase it was stuck in', async () => {
    const { api, dataDir, journeyId } = await apiWithRequestInFlight({ SHUTDOWN_TIMEOUT_MS: '500' });
    const signalled = performance.now();
    api.child.process.kill('SIGTERM');
    const exit = await within(api.child.exited, 10_000, 'still running');
    const exitedInMs = Math.round(performance.now() - signalled);
    expect(exit).toEqual({ code: 1, signal: null });
    expect(exitedInMs).toBeGreaterThanOrEqual(450);
    expect(api.child.stdout + api.child.stderr).toMatch(/Shutdown timed out after 500 ms, stuck in phase 2\/4 \(finish in-flight requests\): 1 request\(s\) still in flight; exiting with code 1/);
    expect(journeysIn(await logOf(dataDir)).get(journeyId)?.length).toBe(1);
    console.log(`graceful shutdown, timed out: exit 1 ${exitedInMs} ms after SIGTERM (timeout 500 ms)`);
  }, 30_000);

  it('the projector process on SIGTERM mid catch-up: batches finished, stores closed, exit 0, read models consistent', async () => {
    const seed = testSeed();
    await withSeed(seed, async () => {
      const dataDir = folders.make();
      const { events, head } = await seedLog(dataDir, { journeys: sized(300, 3000), seed });
      const projector = Child.spawn(PROJECTOR_MAIN, [], {
        DATA_DIR: dataDir, LOG_LEVEL: 'log', AUDIT_HEAD_INTERVAL_MS: '0', SHUTDOWN_TIMEOUT_MS: '15000',
        // Small batches: many transactions, so the signal lands in the middle of catching up.
        PROJECTOR_BATCH_SIZE: '20', PROJECTOR_CATCH_UP_BATCH_SIZE: '20',
      });
      await projector.waitForOutput(/Projecting journeys, analytics into/);
      await new Promise((r) => setTimeout(r, 200));
      const signalled = performance.now();
      projector.process.kill('SIGTERM');
      const exit = await within(projector.exited, 20_000, 'still running');
      const exitedInMs = Math.round(performance.now() - signalled);
      expect([exit, projector.stderr]).toEqual([{ code: 0, signal: null }, '']);
      const [, stopMs, closeMs, totalMs] = expectLinesInOrder(projector, [
        /Received SIGTERM: shutting down gracefully \(stop projections, then close stores; at most 15000 ms\)()/,
        /Shutdown phase 1\/2 \(stop projections\) done in (\d+) ms: checkpoints committed \(journeys at \S+, analytics at \S+\)/,
        /Shutdown phase 2\/2 \(close stores\) done in (\d+) ms: event store, read store and key store closed/,
        /Shutdown complete in (\d+) ms; exiting with code 0/,
      ]);
      expectClosedCleanly(dataDir);
      const { checkpoints } = await expectCheckpointsConsistent(dataDir);
      await expectContinuedEqualsClean(dataDir, folders.make);
      const summary = { seed, events, head: String(head), checkpoints, exitAfterSignalMs: exitedInMs, logged: { stopMs, closeMs, totalMs } };
      console.log(`graceful shutdown, projector process: ${JSON.stringify(summary)}`);
    });
  }, timeoutFor(30_000, 300_000));
});
