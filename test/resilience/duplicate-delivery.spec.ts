import * as fc from 'fast-check';
import { readCheckpoint, CHECKPOINTS } from '../../apps/projector/src/checkpoints';
import { ProjectionRunner } from '../../apps/projector/src/projection-runner';
import type { EventStore, StoredEvent, Subscription, SubscriptionMessage, SubscribeOptions } from '../../libs/event-store/src/event-store.port';
import { SqliteReadStore } from '../../libs/read-store/src/embedded/sqlite-read-store';
import { ALL_PROJECTIONS, type DocumentProjection } from '../../projections';
import { Random } from '../../seeds/random';
import { sized, timeoutFor } from './long-run';
import { expectSameReadModel, readModelOf } from './read-models';
import { openRealisticLog, type RealisticLog } from './realistic-log';

/**
 * Issue 10, "nothing is lost": a subscription may deliver an event more than once, and the
 * copies may come late: after later events, in another batch, after the runner lost its
 * subscription or was restarted. Over generated delivery schedules (each event one to three
 * times, copies arriving up to past the end of the log, interruptions and catch-up signals
 * anywhere, batch sizes from 1), every projection's read model (journey documents, and for
 * analytics its cells and roll-ups too) and its checkpoint end exactly as one in-order
 * delivery leaves them.
 *
 * Reproduce a failure with FC_SEED=<seed printed> (and FC_PATH=<path> to go straight to the
 * shrunk case).
 */
const JOURNEYS = sized(20, 150);
const RUNS = sized(20, 100);
const SEED = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));

type Item =
  | { kind: 'event'; index: number; first: boolean }
  | { kind: 'caught_up' }
  /** The runner is stopped here and a new one started from the stored checkpoint (a process restart). */
  | { kind: 'restart' }
  /** The subscription fails here: the runner drops its uncommitted batch and resubscribes from its position. */
  | { kind: 'drop' };

interface Schedule {
  /** Which events come again and how late: drawn from this seed (so that a failure shrinks in few steps). */
  copySeed: number;
  /** Percentage of events delivered again, each one or two more times. */
  duplicated: number;
  /** Most later events first delivered before a copy comes (beyond the log's end: after the head was reached). */
  lateness: number;
  interruptions: Array<{ after: number; kind: 'restart' | 'drop' }>;
  caughtUps: number[];
  batchSize: number;
  catchUpBatchSize: number;
}

/** The order in which a schedule delivers things: every event once in order, copies and signals slotted in after later events. */
function deliveries(n: number, schedule: Schedule): Item[] {
  const after: Item[][] = Array.from({ length: n }, () => []);
  const tail: Item[] = [];
  for (const { after: k, kind } of schedule.interruptions) after[k].push({ kind });
  for (const k of schedule.caughtUps) after[k].push({ kind: 'caught_up' });
  const random = Random.from(`duplicate-delivery:${schedule.copySeed}`);
  for (let index = 0; index < n; index++) {
    if (random.int(1, 100) > schedule.duplicated) continue;
    for (let copy = random.int(1, 2); copy > 0; copy--) {
      const delay = random.int(0, schedule.lateness);
      (index + delay < n ? after[index + delay] : tail).push({ kind: 'event', index, first: false });
    }
  }
  const items: Item[] = [];
  for (let k = 0; k < n; k++) items.push({ kind: 'event', index: k, first: true }, ...after[k]);
  // Copies later than the log's end come after the head was reached: live, in small batches.
  return [...items, { kind: 'caught_up' }, ...tail, { kind: 'caught_up' }];
}

/**
 * The real store for everything but subscriptions, which follow the schedule. One schedule is
 * shared by the subscriptions of successive runners: a new subscription from position `after`
 * first delivers again, in order, every event after `after` that was already delivered (what a
 * real catch-up subscription does), then carries on with the schedule where the last one left it.
 */
class ScheduledEventStore implements EventStore {
  readonly gapFreePositions = true;
  private cursor = 0;
  private frontier = -1;
  private readonly stops: Array<'restart' | 'drained'> = [];
  private wakeStop?: () => void;

  constructor(
    private readonly inner: EventStore,
    private readonly log: readonly StoredEvent[],
    private readonly items: readonly Item[],
  ) {}

  /** Resolves when the schedule reaches a restart, or has all been delivered (and the runner asked for more). */
  async nextStop(): Promise<'restart' | 'drained'> {
    while (this.stops.length === 0) await new Promise<void>((resolve) => (this.wakeStop = resolve));
    return this.stops.shift()!;
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const after = options.after === undefined ? -1 : Number(options.after);
    let closed = false;
    let onClose!: () => void;
    const closing = new Promise<void>((resolve) => (onClose = resolve));
    const head = this.log[this.log.length - 1].position;
    const again = this.log.slice(after + 1, this.frontier + 1);
    const store = this;
    const messages = (async function* (): AsyncGenerator<SubscriptionMessage> {
      for (const event of again) {
        if (closed) return;
        yield { kind: 'event', event };
      }
      while (!closed && store.cursor < store.items.length) {
        const item = store.items[store.cursor++];
        if (item.kind === 'event') {
          if (item.first) store.frontier = item.index;
          yield { kind: 'event', event: store.log[item.index] };
        } else if (item.kind === 'caught_up') {
          yield { kind: 'caught_up', position: head };
        } else if (item.kind === 'drop') {
          throw new Error('subscription lost (scheduled)');
        } else {
          store.stop('restart');
          await closing;
          return;
        }
      }
      if (!closed) store.stop('drained');
      await closing;
    })();
    return {
      [Symbol.asyncIterator]: () => messages,
      close: async () => {
        closed = true;
        onClose();
      },
    };
  }

  private stop(reason: 'restart' | 'drained'): void {
    this.stops.push(reason);
    this.wakeStop?.();
  }

  append(): never {
    throw new Error('read only');
  }
  readStream(streamId: string) {
    return this.inner.readStream(streamId);
  }
  readAll(options?: Parameters<EventStore['readAll']>[0]) {
    return this.inner.readAll(options);
  }
  findIdempotencyRecord(key: string) {
    return this.inner.findIdempotencyRecord(key);
  }
  headPosition() {
    return this.inner.headPosition();
  }
  async close(): Promise<void> {}
}

describe('duplicate and late delivery to every projection', () => {
  let log: RealisticLog;
  let readStore: SqliteReadStore;
  /** Each projection's read model after one in-order delivery. */
  const expected = new Map<string, Map<string, string>>();
  const clock = () => '2026-11-20T12:00:00.000Z';

  beforeAll(async () => {
    log = await openRealisticLog({ journeys: JOURNEYS, seed: 42 });
    readStore = SqliteReadStore.open({ directory: log.directory });
    log.events.forEach((event, i) => expect(event.position).toBe(BigInt(i))); // the schedule addresses events by position
    for (const projection of ALL_PROJECTIONS) {
      const collection = `${projection.collection}__in_order`;
      const runner = new ProjectionRunner(projection, log.store, readStore, { batchSize: 100, collection, retryMinMs: 1, retryMaxMs: 10 }, clock);
      await runner.start();
      expect(await runner.waitFor(log.head, 60_000)).toBe(true);
      await runner.stop();
      expected.set(projection.name, await readModel(collection));
    }
  }, timeoutFor(30_000, 300_000));

  afterAll(async () => {
    await readStore?.close();
    await log?.close();
  });

  it('uses a realistic log: seeded journeys with corrections, transfers and erasures', () => {
    const types = new Set(log.events.map((e) => e.type));
    for (const type of ['VictimIdentified', 'VictimReferred', 'DecisionMade', 'ReconsiderationRequested', 'VictimExited', 'FollowUpRecorded', 'VictimReReferred', 'RecordCorrected', 'JourneyTransferred', 'PersonalDataErased']) {
      expect([type, types.has(type)]).toEqual([type, true]);
    }
    expect(log.added.RecordCorrected).toBeGreaterThanOrEqual(5);
    const analytics = [...expected.get('analytics')!.values()].map((json) => JSON.parse(json));
    expect(analytics.filter((d) => d.kind === 'rollup').length).toBeGreaterThan(0);
    expect(analytics.filter((d) => d.kind === 'cell').length).toBeGreaterThan(0);
    expect(expected.get('journeys')!.size).toBe(JOURNEYS);
  });

  it(`leaves every read model as one in-order delivery does (fast-check seed ${SEED})`, async () => {
    const n = log.events.length;
    const schedules: fc.Arbitrary<Schedule> = fc.record({
      copySeed: fc.integer(),
      duplicated: fc.integer({ min: 0, max: 100 }),
      lateness: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: n + 20 })),
      interruptions: fc.array(fc.record({ after: fc.nat(n - 1), kind: fc.constantFrom('restart' as const, 'drop' as const) }), { maxLength: 4 }),
      caughtUps: fc.array(fc.nat(n - 1), { maxLength: 3 }),
      // Tiny batches are slow on the analytics projection (each writes dozens of cells): one run in five.
      batchSize: fc.oneof({ weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 4, arbitrary: fc.integer({ min: 6, max: 60 }) }),
      catchUpBatchSize: fc.oneof({ weight: 1, arbitrary: fc.integer({ min: 1, max: 10 }) }, { weight: 4, arbitrary: fc.integer({ min: 11, max: 600 }) }),
    });
    let run = 0;
    const property = fc.asyncProperty(schedules, async (schedule) => {
      const items = deliveries(n, schedule);
      for (const projection of ALL_PROJECTIONS) {
        const collection = `${projection.collection}__run_${++run}`;
        try {
          const store = new ScheduledEventStore(log.store, log.events, items);
          await deliverAll(projection, store, collection, schedule);
          expectSameReadModel(projection.name, await readModel(collection), expected.get(projection.name)!);
          expect({ projection: projection.name, checkpoint: await readCheckpoint(readStore, collection) }).toEqual({ projection: projection.name, checkpoint: log.head });
        } finally {
          await readStore.dropCollection(collection);
          await readStore.collection(CHECKPOINTS).deleteOne({ _id: collection });
        }
      }
    });
    await fc.assert(property, {
      seed: SEED,
      path: process.env.FC_PATH,
      numRuns: RUNS,
      endOnFailure: process.env.FC_NO_SHRINK === '1',
      reporter: (details) => {
        if (!details.failed) return;
        const example = details.counterexample?.[0] as Schedule | undefined;
        const summary = example && { ...example, deliveries: deliveries(log.events.length, example).length };
        throw new Error(
          `Duplicate delivery changed a read model or its checkpoint (fast-check seed ${details.seed}, path ${details.counterexamplePath}; ` +
          `rerun with FC_SEED=${details.seed} FC_PATH=${details.counterexamplePath})\n` +
          `Shrunk schedule: ${JSON.stringify(summary)}\n${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
        );
      },
    });
  }, timeoutFor(120_000, 1_200_000)); // generous: a failure is shrunk before it is reported (seconds: a schedule shrinks in few steps)

  /**
   * Projects through the scheduled store: restarts where the schedule says (stop, then a new
   * runner from the stored checkpoint), until everything was delivered.
   */
  async function deliverAll(projection: DocumentProjection<any>, store: ScheduledEventStore, collection: string, schedule: Schedule): Promise<void> {
    const options = { batchSize: schedule.batchSize, catchUpBatchSize: schedule.catchUpBatchSize, collection, retryMinMs: 1, retryMaxMs: 4 };
    for (;;) {
      const runner = new ProjectionRunner(projection, store, readStore, options, clock);
      await runner.start();
      const watch = failureOf(runner);
      let stop: 'restart' | 'drained';
      try {
        stop = await Promise.race([store.nextStop(), watch.failed]);
      } finally {
        watch.cancel();
        await runner.stop();
      }
      if (stop === 'drained') return;
    }
  }

  /** Rejects if the projection stops with an error (so the test fails instead of waiting for a stop that never comes). */
  function failureOf(runner: ProjectionRunner<any>): { failed: Promise<never>; cancel: () => void } {
    let timer: NodeJS.Timeout | undefined;
    const failed = new Promise<never>((_, reject) => {
      timer = setInterval(() => {
        const { lastError } = runner.status();
        if (lastError) reject(new Error(`${runner.collection} failed at ${lastError.position}: ${lastError.message}`));
      }, 50);
    });
    return { failed, cancel: () => clearInterval(timer) };
  }

  const readModel = (collection: string) => readModelOf(readStore, collection);
});
