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
 * Appends generated journeys through the event-store port, one append per journey (expected
 * 'no_stream'), with the metadata the API writes and deterministic event ids. Stops between
 * journeys when `signal` aborts: a journey is one atomic append, so nothing is half-written.
 * A journey whose stream already exists is skipped, so a re-run with the same seed is idempotent.
 * Personal details are sealed with each journey's data key, as the API seals them.
 * `progress(done, total, events)` is called after each journey (done counts skipped ones too).
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
  if (signal?.aborted) return result;
  let done = 0;
  let yielded = Date.now();
  for await (const journey of journeys) {
    try {
      await store.append(journeyStreamId(journey.journeyId), toEventsToAppend(await sealed(journey, personalData), options.seed), 'no_stream');
      result.journeys++;
      result.events += journey.events.length;
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      result.skipped++;
    }
    progress?.(++done, options.journeys, result.events);
    if (Date.now() - yielded >= YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      yielded = Date.now();
    }
    if (signal?.aborted) break;
  }
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
