/**
 * Synthetic NRM journeys for demos, load tests and read-model checks: deterministic from a
 * seed, shaped by published Home Office figures (nrm-statistics.ts, assumptions.ts), and
 * every event decided by the domain's decider, so every invariant holds. See README.md.
 *
 * Generate (lazily, one journey at a time):
 *
 *   for (const { journeyId, events } of generateJourneys({ journeys: 1000, seed: 1 })) { ... }
 *
 * Seed a store (one atomic append per journey; a re-run skips what is there; Ctrl-C safe):
 *
 *   const result = await seedEventStore(store, vault, DEMO_SEED, (done, total) => bar.update(done, total), signal);
 *   // => { journeys, events, skipped }
 *
 * Options: `journeys` (how many), `seed` (same seed and options => byte-identical output),
 * `today` (default 2026-11-01; nothing is dated after it; at most LATEST_TODAY), `fromYear`
 * (default 2014; journeys per year follow referrals + Duty to Notify reports that year).
 * Bad options throw a RangeError at once, naming the option.
 *
 * Ids: journey ids are v4-shaped UUIDs from the seeded PRNG; event ids are name-based
 * (seedEventId(seed, journeyId, index), via the API's uuidFrom); each event's commandId is a
 * v4-shaped UUID from the PRNG; the correlation id is one per journey (seedCorrelationId).
 * Referral ids are NRM-<year>-<nnnnn>, numbered per year within one generated set.
 */
export {
  generateJourneys,
  journeysPerYear,
  seedCorrelationId,
  seedEventId,
  DEFAULT_FROM_YEAR,
  DEFAULT_TODAY,
  LATEST_TODAY,
  type GeneratedJourney,
  type SeededEvent,
  type SeedOptions,
} from './journey-generator';
export { seedEventStore, toEventsToAppend, type SeedResult } from './seed-event-store';
import type { SeedOptions } from './journey-generator';

/**
 * The fixed demo set for `npm run demo`: 2,000 journeys, seed 2024 (about 30,000 events,
 * seeded and projected in about 7 s). Fewer would leave most of the dashboard's figures
 * below the suppression threshold: 200 journeys over the NRM's years give about 4 a quarter.
 */
export const DEMO_SEED: SeedOptions = Object.freeze({ journeys: 2000, seed: 2024 });
