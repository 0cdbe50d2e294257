import { journeyStreamId } from '../libs/domain/src/events';
import { CURRENT_SCHEMA_VERSION } from '../libs/domain/src/upcasting';
import type { JourneyEventType, PersonalDetails } from '../libs/domain/src/events';
import { WrongExpectedRevisionError } from '../libs/event-store/src/errors';
import type { EventStore, EventToAppend } from '../libs/event-store/src/event-store.port';
import { compiledWorkerScript, generateJourneysInWorker } from './generation-worker';
import { generateJourneys, seedCorrelationId, type GeneratedJourney, type SeedOptions } from './journey-generator';

export interface SeedResult {
  /** Journeys appended by this run. */
  journeys: number;
  /** Events appended by this run. */
  events: number;
  /** Journeys whose stream already existed (an earlier run with the same seed): left as they were. */
  skipped: number;
}

/** Yield to the event loop this often, so that Ctrl-C (SIGINT) and timers get a turn. */
const YIELD_EVERY_MS = 50;
/** From this many journeys, generate on a worker thread (when running compiled): it overlaps the appends. */
const WORKER_FROM = 1000;
/**
 * Journeys appended together. Their appends are made in one turn, so the embedded stores
 * commit their data keys in one durable transaction and their events in another (group
 * commit): one fsync each per window rather than per journey, which was three quarters of
 * seeding's time. Each journey is still its own atomic append, made in generation order.
 */
const JOURNEYS_PER_WINDOW = 64;

/**
 * Appends generated journeys through the event-store port, one append per journey (expected
 * 'no_stream'), with the metadata the API writes and deterministic event ids, in generation
 * order, a window of journeys at a time. Stops between windows when `signal` aborts: a journey
 * is one atomic append, so nothing is half-written. A journey whose stream already exists is
 * skipped, so a re-run with the same seed is idempotent. Personal details are sealed with each
 * journey's data key, as the API seals them. `progress(done, total, events)` is called after
 * each journey (done counts skipped ones too).
 */
export async function seedEventStore(
  store: EventStore,
  personalData: PersonalDataSealer,
  options: SeedOptions,
  progress?: (done: number, total: number, events: number) => void,
  signal?: AbortSignal,
): Promise<SeedResult> {
  const result: SeedResult = { journeys: 0, events: 0, skipped: 0 };
  const inline = generateJourneys(options); // checks the options at once, whichever thread generates
  const script = options.journeys >= WORKER_FROM ? compiledWorkerScript() : undefined;
  const journeys: Iterable<GeneratedJourney> | AsyncIterable<GeneratedJourney> = script ? generateJourneysInWorker(options, script) : inline;
  let done = 0;
  let yielded = Date.now();
  const appendWindow = async (window: GeneratedJourney[]) => {
    const sealedJourneys = await Promise.all(window.map((journey) => sealed(journey, personalData)));
    // Every append is called before any is awaited: they join one group commit, in this order.
    const outcomes = await Promise.allSettled(sealedJourneys.map((journey) =>
      store.append(journeyStreamId(journey.journeyId), toEventsToAppend(journey, options.seed), 'no_stream')));
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') {
        result.journeys++;
        result.events += window[i].events.length;
      } else if (outcome.reason instanceof WrongExpectedRevisionError) {
        result.skipped++;
      } else {
        throw outcome.reason;
      }
      progress?.(++done, options.journeys, result.events);
    });
  };
  let window: GeneratedJourney[] = [];
  for await (const journey of journeys) {
    if (signal?.aborted) break;
    window.push(journey);
    if (window.length < JOURNEYS_PER_WINDOW) continue;
    await appendWindow(window);
    window = [];
    if (Date.now() - yielded >= YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      yielded = Date.now();
    }
  }
  if (window.length > 0 && !signal?.aborted) await appendWindow(window);
  return result;
}

/** What seeding needs of the personal-data vault: synthetic people's details are sealed like real ones. */
export interface PersonalDataSealer {
  seal(journeyId: string, details: PersonalDetails): Promise<unknown>;
}

async function sealed(journey: GeneratedJourney, personalData: PersonalDataSealer): Promise<GeneratedJourney> {
  const events = await Promise.all(journey.events.map(async (event) => {
    const details = event.type === 'VictimIdentified' ? (event.data.personalDetails as PersonalDetails | undefined) : undefined;
    if (!details) return event;
    return { ...event, data: { ...event.data, personalDetails: await personalData.seal(journey.journeyId, details) } };
  }));
  return { ...journey, events };
}

/** A generated journey as the store takes it: the metadata the API's toEventsToAppend writes. */
export function toEventsToAppend(journey: GeneratedJourney, seed: number): EventToAppend[] {
  const correlationId = seedCorrelationId(seed, journey.journeyId);
  return journey.events.map((event) => ({
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: {
      recordedAt: event.recordedAt,
      recordedBy: { ...event.recordedBy },
      commandId: event.commandId,
      correlationId,
      schemaVersion: CURRENT_SCHEMA_VERSION[event.type as JourneyEventType],
    },
  }));
}
