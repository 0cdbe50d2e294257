/**
 * Issue 12, "SIGTERM under load loses no acknowledged command and leaves no projection
 * half-applied". The real entry (apps/api/src/main.ts) runs in a child process on a data folder
 * whose log was seeded beforehand, so that the in-process projector is still catching up (in
 * small batches) when the signal comes, while several clients record journeys over HTTP, each
 * command with its own Idempotency-Key. One more request is held in flight (a read waiting for a position that never comes, answered
 * after READ_YOUR_WRITES_TIMEOUT_MS), so the drain lasts long enough to be seen. Then SIGTERM:
 *
 * - the process exits 0, within the shutdown timeout, having logged each phase in order;
 * - the request in flight was answered as usual; requests after the signal got 503
 *   SHUTTING_DOWN with Retry-After (or, once the listener closed, a connection error), /health
 *   503 with shuttingDown: true; never another 5xx, never a hang;
 * - the stores were closed cleanly: no WAL left beside them, SQLite's integrity check passes;
 * - every command answered 201 is in the event log at the revision and position it was
 *   acknowledged with; a command refused with SHUTTING_DOWN recorded nothing (retried with its
 *   key after a restart, it is recorded then, not replayed), and one whose answer was lost is
 *   recorded at most once (its retry is replayed or recorded, never twice);
 * - each projection's checkpoint accounts for exactly what its documents hold: the journey
 *   documents are those of the log up to the checkpoint, and the read models, continued from the
 *   state the shutdown left, equal a clean rebuild from the log alone (the projector crash
 *   test's comparison: children/projector.ts and its digest), with the audit ledger verifying.
 *
 * The restarted API is then stopped the same way under load with no request held, which is the
 * drain time printed in the summary line.
 */
import { randomUUID } from 'node:crypto';
import { consent, identification, referral } from '../../seeds/journey-requests';
import { killAllChildren, temporaryFolders, within } from './api-child';
import { LineChild, seedLog, testSeed, withSeed, journeysIn } from './crash-harness';
import {
  type Api, expectCheckpointsConsistent, expectClosedCleanly, expectContinuedEqualsClean, expectLinesInOrder, request, type Result, startMain,
} from './graceful-shutdown-checks';
import { logOf } from '../support/event-log';
import { sized, timeoutFor } from './long-run';
import type { StoredEvent } from '../../libs/event-store/src/event-store.port';

/** Concurrent clients, and the commands acknowledged before the signal. */
const CLIENTS = sized(6, 16);
const ACKNOWLEDGED_BEFORE_SIGNAL = sized(120, 3000);
/** Journeys in the log before the API first starts (about 15 events each). */
const SEEDED_JOURNEYS = sized(300, 3000);
/** The seeded log's seed (RESILIENCE_SEED replays one), named by a failure. */
const SEED = testSeed();
const SHUTDOWN_TIMEOUT_MS = 15_000;
/** How long the held request waits before it is answered (503 NOT_YET_PROJECTED). */
const HELD_MS = 1_000;
/** A request unanswered for this long has hung. */
const HANG_MS = SHUTDOWN_TIMEOUT_MS + 5_000;

/** How a request can fail at the socket when it meets the listener closing (never once a handler has it). */
const CONNECTION_REFUSED = /^(ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|EPIPE)$/;

const folders = temporaryFolders('vjt-graceful-shutdown-');
afterAll(async () => {
  await killAllChildren();
  await LineChild.killAll();
  folders.removeAll();
});

const ENV = {
  SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  READ_YOUR_WRITES_TIMEOUT_MS: String(HELD_MS), RATE_LIMIT_PER_WINDOW: '10000000', RATE_LIMIT_PER_USER_PER_WINDOW: '10000000',
  // Small batches: the projector, catching up on the seeded log, commits many of them, and is in the middle of one or between two when the signal comes.
  PROJECTOR_BATCH_SIZE: '5', PROJECTOR_CATCH_UP_BATCH_SIZE: '20',
};

/** A command sent: where, what, with which key; and, once answered 201, what it was acknowledged with. */
interface Command {
  path: string;
  body: unknown;
  key: string;
  /** The journey's revision this command is the next step after (-1 for a new journey). */
  after: number;
  journeyId?: string;
}
interface Acknowledged {
  journeyId: string;
  revision: number;
  position: string;
}

/** Everything the clients saw. */
class Load {
  readonly acknowledged: Acknowledged[] = [];
  /** 503 SHUTTING_DOWN: not handled, so nothing recorded. */
  readonly refused: Command[] = [];
  /** No answer (the connection failed): recorded or not, whole. */
  readonly unanswered: Array<Command & { error: string }> = [];
  /** Anything else: must stay empty. */
  readonly unexpected: string[] = [];
  private readonly clients: Promise<void>[] = [];
  private journeys = 0;

  constructor(private readonly api: Api) {}

  start(clients: number): void {
    for (let i = 0; i < clients; i++) this.clients.push(this.client(i));
  }

  /** Resolves once every client has met a refusal, or a connection error. */
  finished(): Promise<void> {
    return Promise.all(this.clients).then(() => undefined);
  }

  private async client(n: number): Promise<void> {
    for (;;) {
      const journey = await this.send({ path: '/journeys', body: identification(), key: randomUUID(), after: -1 });
      if (!journey) return;
      const id = journey.journeyId;
      const reference = `NRM-2024-${n}-${++this.journeys}`;
      const steps: Array<[string, unknown]> = [[`/journeys/${id}/consents`, consent()], [`/journeys/${id}/referrals`, referral('2024-01-09', reference)]];
      for (const [index, [path, body]] of steps.entries()) {
        if (!(await this.send({ path, body, key: randomUUID(), after: index, journeyId: id }))) return;
      }
    }
  }

  /** Sends a command; its acknowledgement, or undefined when the client must stop. */
  private async send(command: Command): Promise<Acknowledged | undefined> {
    const result = await request(this.api, 'POST', command.path, { body: command.body, headers: { 'Idempotency-Key': command.key }, hangMs: HANG_MS });
    if (result.kind === 'answered' && result.status === 201) {
      const ack = { journeyId: result.body.journeyId, revision: result.body.revision, position: result.body.position };
      if (ack.revision !== command.after + 1) this.unexpected.push(`${command.path}: revision ${ack.revision}, expected ${command.after + 1}`);
      this.acknowledged.push(ack);
      return ack;
    }
    if (result.kind === 'answered' && result.status === 503 && result.body?.code === 'SHUTTING_DOWN' && result.headers.get('retry-after') === '5') {
      this.refused.push(command);
    } else if (result.kind === 'connection') {
      this.unanswered.push({ ...command, error: result.error });
    } else {
      this.unexpected.push(`${command.path}: ${JSON.stringify(result.kind === 'answered' ? { status: result.status, body: result.body } : result)}`);
    }
    return undefined;
  }
}

/** Every acknowledged command is in the log, at the revision and position it was acknowledged with. */
function expectAcknowledgedPresent(log: readonly StoredEvent[], acknowledged: readonly Acknowledged[]): void {
  const journeys = journeysIn(log);
  const missing = acknowledged.filter((ack) => String(journeys.get(ack.journeyId)?.[ack.revision]?.position) !== ack.position);
  expect(missing).toEqual([]);
}

/** The API's shutdown lines, in order; the durations they give. */
function shutdownLines(api: Api): { phases: Record<string, number>; totalMs: number } {
  const [, stopAccepting, inFlight, projections, close, totalMs] = expectLinesInOrder(api.child, [
    /Received SIGTERM: shutting down gracefully()/,
    /Shutdown phase 1\/4 \(stop accepting requests\) done in (\d+) ms/,
    /Shutdown phase 2\/4 \(finish in-flight requests\) done in (\d+) ms: \d+ in-flight request\(s\) answered; \d+ refused during the drain; listener closed/,
    /Shutdown phase 3\/4 \(stop projections\) done in (\d+) ms: checkpoints committed \(journeys at \S+, analytics at \S+\)/,
    /Shutdown phase 4\/4 \(close the application and stores\) done in (\d+) ms: event store, read store and key store closed/,
    /Shutdown complete in (\d+) ms; exiting with code 0/,
  ]);
  return { phases: { stopAccepting, inFlight, projections, close }, totalMs };
}

describe('SIGTERM under load (apps/api/src/main.ts in a child process)', () => {
  it(`drains, loses no acknowledged command, and leaves no projection half-applied (${CLIENTS} clients)`, () => withSeed(SEED, async () => {
    // A log already there and no read models: the projector is catching up (in batches of 20) when the signal comes.
    const dataDir = folders.make();
    const seeded = await seedLog(dataDir, { journeys: SEEDED_JOURNEYS, seed: SEED });
    const seededJourneys = new Set(journeysIn(await logOf(dataDir)).keys());
    const api = await startMain(dataDir, ENV);
    const load = new Load(api);
    load.start(CLIENTS);
    while (load.acknowledged.length < ACKNOWLEDGED_BEFORE_SIGNAL && load.unexpected.length === 0) await new Promise((r) => setTimeout(r, 10));

    // One request in flight that takes HELD_MS to answer: a read waiting for a position never reached.
    const anyJourney = load.acknowledged[0].journeyId;
    const held = request(api, 'GET', `/journeys/${anyJourney}?minPosition=1000000000`, { hangMs: HANG_MS });
    await new Promise((r) => setTimeout(r, 100));
    const acknowledgedAtSignal = load.acknowledged.length;
    const signalled = performance.now();
    api.child.process.kill('SIGTERM');
    // A load balancer's health check during the drain, on a new connection.
    const health: Result[] = [];
    for (;;) {
      const answer = await request(api, 'GET', '/health', { hangMs: HANG_MS });
      health.push(answer);
      if (answer.kind !== 'answered' || answer.status === 503) break;
      expect(health.length).toBeLessThan(20); // the signal is taken within a few requests
    }
    const exit = await within(api.child.exited, SHUTDOWN_TIMEOUT_MS + 5_000, 'still running');
    const drainedInMs = Math.round(performance.now() - signalled);
    expect([exit, drainedInMs < SHUTDOWN_TIMEOUT_MS]).toEqual([{ code: 0, signal: null }, true]);
    await load.finished();
    const first = shutdownLines(api);

    // HTTP: the held request was answered as usual; the clients saw only 201, SHUTTING_DOWN or a closed connection.
    const heldAnswer = await held;
    expect(heldAnswer.kind === 'answered' && [heldAnswer.status, heldAnswer.body.code]).toEqual([503, 'NOT_YET_PROJECTED']);
    const lastHealth = health.at(-1)!;
    expect(lastHealth.kind === 'answered' && [lastHealth.status, lastHealth.body]).toEqual([503, expect.objectContaining({ code: 'SHUTTING_DOWN', shuttingDown: true })]);
    expect(load.unexpected).toEqual([]);
    expect(load.refused.length).toBeGreaterThan(0); // the clients kept sending during the drain, and were told
    expect(load.acknowledged.length).toBeGreaterThanOrEqual(acknowledgedAtSignal);

    // Stores: closed cleanly; every acknowledged command in the log; checkpoints consistent with the documents.
    expectClosedCleanly(dataDir);
    const log = await logOf(dataDir);
    expect(log.map((event) => event.position)).toEqual(log.map((_, i) => BigInt(i)));
    expectAcknowledgedPresent(log, load.acknowledged);
    const checkpoints = await expectCheckpointsConsistent(dataDir);

    // Restart: the refused commands were not recorded (their retry is new), the unanswered ones at most once.
    const again = await startMain(dataDir, ENV);
    const retried = new Load(again);
    for (const command of [...load.refused, ...load.unanswered]) {
      const answer = await request(again, 'POST', command.path, { body: command.body, headers: { 'Idempotency-Key': command.key }, hangMs: HANG_MS });
      expect(answer.kind === 'answered' && answer.status).toBe(201);
      if (answer.kind !== 'answered') continue;
      const refused = load.refused.includes(command);
      if (refused) expect([command.path, answer.headers.get('idempotent-replayed')]).toEqual([command.path, null]);
      retried.acknowledged.push({ journeyId: answer.body.journeyId, revision: answer.body.revision, position: answer.body.position });
      expect(answer.body.revision).toBe(command.after + 1);
    }

    // And the same again under load with no request held: the drain a deployment sees.
    const second = new Load(again);
    second.start(CLIENTS);
    while (second.acknowledged.length < ACKNOWLEDGED_BEFORE_SIGNAL / 2 && second.unexpected.length === 0) await new Promise((r) => setTimeout(r, 10));
    const signalledAgain = performance.now();
    again.child.process.kill('SIGTERM');
    const exitAgain = await within(again.child.exited, SHUTDOWN_TIMEOUT_MS + 5_000, 'still running');
    const drainedAgainInMs = Math.round(performance.now() - signalledAgain);
    expect(exitAgain).toEqual({ code: 0, signal: null });
    await second.finished();
    expect(second.unexpected).toEqual([]);
    // A request whose connection failed never reached a handler: refused or reset at the socket as the listener closed.
    for (const { error } of [...load.unanswered, ...second.unanswered]) expect(error).toMatch(CONNECTION_REFUSED);
    const secondLines = shutdownLines(again);
    expectClosedCleanly(dataDir);

    // Every command acknowledged in either run, and every retry, exactly once.
    const finalLog = await logOf(dataDir);
    const everyAck = [...load.acknowledged, ...retried.acknowledged, ...second.acknowledged];
    expectAcknowledgedPresent(finalLog, everyAck);
    const lastRevision = new Map<string, number>();
    for (const ack of everyAck) lastRevision.set(ack.journeyId, Math.max(ack.revision, lastRevision.get(ack.journeyId) ?? -1));
    const unansweredAtEnd = second.unanswered.length;
    const journeys = journeysIn(finalLog);
    const extra = [...journeys].filter(([id, events]) => !seededJourneys.has(id) && events.length !== (lastRevision.get(id) ?? -1) + 1);
    // Only a command whose answer was lost in the second run may stand unacknowledged (its retry never came).
    expect(extra.length).toBeLessThanOrEqual(unansweredAtEnd);
    const finalCheckpoints = await expectCheckpointsConsistent(dataDir);

    // The read models the shutdowns left, continued to the head, equal a clean build from the log alone.
    const cleanModels = await expectContinuedEqualsClean(dataDir, folders.make);
    expect(cleanModels).toMatchObject({ checkpoints: { journeys: finalCheckpoints.head, analytics: finalCheckpoints.head }, ledger: { eventsVerified: finalLog.length } });

    const summary = {
      seed: SEED, seededEvents: seeded.events, clients: CLIENTS,
      first: { acknowledged: load.acknowledged.length, refused: load.refused.length, unanswered: load.unanswered.map((u) => u.error), exitAfterSignalMs: drainedInMs, logged: first, checkpoints },
      second: { acknowledged: second.acknowledged.length, refused: second.refused.length, unanswered: second.unanswered.map((u) => u.error), exitAfterSignalMs: drainedAgainInMs, logged: secondLines, checkpoints: finalCheckpoints },
      events: finalLog.length,
    };
    console.log(`graceful shutdown: ${JSON.stringify(summary)}`);
  }), timeoutFor(60_000, 300_000));
});
