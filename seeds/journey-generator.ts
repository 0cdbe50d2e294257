import { uuidFrom } from '../apps/api/src/journeys/recording/journey-stream';
import type { CalendarDate } from '../libs/domain/src/calendar/calendar-date';
import { isCalendarDate } from '../libs/domain/src/calendar/calendar-date';
import { BANK_HOLIDAY_TABLE_RANGE } from '../libs/domain/src/calendar/bank-holidays';
import type { JourneyCommand } from '../libs/domain/src/journey/commands';
import { decide } from '../libs/domain/src/journey/decide';
import { evolve, initialState } from '../libs/domain/src/journey/state';
import { NRM_START } from '../libs/domain/src/policy';
import { DAY_MS, dayStartMs, daysFrom, identificationDate, plusDays } from './dates';
import { JourneyPlanner, type Step } from './journey-plan';
import { FIRST_FIGURES_YEAR, figuresFor } from './nrm-statistics';
import { drawPerson } from './person';
import { Random } from './random';

export interface SeedOptions {
  /** How many journeys to generate. */
  journeys: number;
  /** PRNG seed: same seed + options => identical output (ids, dates, everything). */
  seed: number;
  /** 'YYYY-MM-DD', the simulation's "now": nothing is dated after it. Default '2026-11-01'. */
  today?: string;
  /** First identification year, default 2014; referrals per year follow the published growth, scaled to `journeys`. */
  fromYear?: number;
}

export interface SeededEvent {
  type: string;
  data: Record<string, unknown>;
  /** ISO instant: when the event was recorded (on or after its occurredAt, never after today). */
  recordedAt: string;
  recordedBy: { userId: string; role: string; organisationId: string };
  /** The event's id, name-based from seed, journey and index: a reconsideration names its decision by it. */
  id: string;
  /** The id of the command that recorded it: a v4-shaped UUID from the PRNG, as the API gives each request a random one. */
  commandId: string;
}

export interface GeneratedJourney {
  journeyId: string;
  events: SeededEvent[];
}

export const DEFAULT_TODAY = '2026-11-01';
export const DEFAULT_FROM_YEAR = 2014;
/** Working-day arithmetic needs the bank holiday table, which ends in 2030; leave room for a 9-working-day step. */
export const LATEST_TODAY = plusDays(BANK_HOLIDAY_TABLE_RANGE.last, -16);

/** The id of a seeded journey's i-th event: name-based (UUID v5 layout) from seed, journey and index. */
export const seedEventId = (seed: number, journeyId: string, index: number) => uuidFrom(`nrm-seed:${seed}/journey:${journeyId}/event:${index}`);
/** One correlation id per seeded journey: its events were recorded by one append. */
export const seedCorrelationId = (seed: number, journeyId: string) => uuidFrom(`nrm-seed:${seed}/journey:${journeyId}`);

/**
 * Lazily generates journeys (never all in memory). Every journey's events are produced by the
 * domain's decide() from commands, folding as it goes, so every invariant holds; a command the
 * decider refuses is a generator bug and throws. Options are checked at once, not on first use.
 */
export function generateJourneys(options: SeedOptions): Generator<GeneratedJourney> {
  const { journeys, seed, today, fromYear } = checked(options);
  return (function* () {
    const perYear = journeysPerYear(journeys, fromYear, today);
    const referralNumbers = new Map<number, number>();
    const nextReferralId = (year: number) => {
      const n = (referralNumbers.get(year) ?? 0) + 1;
      referralNumbers.set(year, n);
      return `NRM-${year}-${String(n).padStart(5, '0')}`;
    };
    let index = 0;
    for (const [year, count] of perYear) {
      for (let k = 0; k < count; k++, index++) yield generateJourney(seed, index, year, today, nextReferralId);
    }
  })();
}

function generateJourney(seed: number, index: number, year: number, today: CalendarDate, nextReferralId: (year: number) => string): GeneratedJourney {
  const rng = Random.from(`nrm-seed:${seed}/journey:${index}`);
  const journeyId = rng.uuid();
  const person = drawPerson(rng, identificationDate(rng, year, today));
  const providerId = person.ageGroup === 'adult' ? `msvcc-sub-${String(rng.int(1, 12)).padStart(2, '0')}` : `la-children-${person.policeForceArea}`;
  const actors = {
    responder: actor(person.firstResponder.organisationId, rng.int(1, 8)),
    caseworker: actor(providerId, rng.int(1, 12)),
  };
  const steps = new JourneyPlanner(rng, today, journeyId, person, providerId, nextReferralId).plan();
  steps.sort(byOccurrence);
  const clock = new RecordingClock(rng, today);
  const events: SeededEvent[] = [];
  let state = initialState();
  for (const step of steps) {
    const i = events.length;
    const data = step.reconsiders ? { ...step.data, decisionEventId: step.reconsiders.eventId } : step.data;
    const recordedAt = clock.record(step.date);
    const commandId = rng.uuid();
    let decided;
    try {
      decided = decide({ type: step.type, data, now: recordedAt } as unknown as JourneyCommand, state);
    } catch (error) {
      throw new Error(`Seed generator bug: journey ${journeyId} (seed ${seed}, #${index}) step ${i} ${step.type} ${JSON.stringify(data)} was refused: ${(error as Error).message}`);
    }
    decided.forEach((event, k) => {
      const id = seedEventId(seed, journeyId, i + k);
      state = evolve(state, { ...event, id } as Parameters<typeof evolve>[1]);
      events.push({ type: event.type, data: event.data as unknown as Record<string, unknown>, recordedAt, recordedBy: actors[step.by], id, commandId });
    });
    step.eventId = events[i]?.id;
  }
  return { journeyId, events };
}

const byOccurrence = (a: Step, b: Step) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.episode - b.episode || a.priority - b.priority);

const actor = (organisationId: string, n: number) => ({ userId: `${organisationId}.worker-${n}`, role: 'support_worker', organisationId });

/**
 * When each step is recorded: mostly the same working day, sometimes days later (late entries),
 * never before the step happened, never after today, and never earlier than the step before
 * (the server clock runs forward). Instants are between 00:00 and 22:59 UTC, which is the same
 * calendar day in the UK whether on GMT or BST, so the decider's "today" is the intended day.
 */
class RecordingClock {
  private last = 0;
  private readonly todayStart: number;
  private readonly end: number;

  constructor(private readonly rng: Random, today: CalendarDate) {
    this.todayStart = dayStartMs(today);
    this.end = this.todayStart + (23 * 3600 - 1) * 1000;
  }

  record(occurredOn: CalendarDate): string {
    const { rng } = this;
    const lag = rng.chance(0.75) ? 0 : rng.chance(0.6) ? rng.int(1, 3) : rng.int(4, 30);
    const day = Math.min(dayStartMs(occurredOn) + lag * DAY_MS, this.todayStart);
    let ms = day + rng.int(8 * 3600, 18 * 3600) * 1000 + rng.int(0, 999);
    if (ms <= this.last) ms = this.last + rng.int(1, 180) * 1000;
    this.last = Math.min(ms, Math.max(this.end, this.last));
    return new Date(this.last).toISOString();
  }
}

/**
 * Journeys per identification year: proportional to NRM referrals plus Duty to Notify reports
 * that year (the current year pro rata to today), apportioned by largest remainder.
 */
export function journeysPerYear(journeys: number, fromYear: number, today: CalendarDate): Array<[year: number, count: number]> {
  const lastYear = Number(today.slice(0, 4));
  const weights: Array<[number, number]> = [];
  for (let year = fromYear; year <= lastYear; year++) {
    const f = figuresFor(year);
    const share = year === lastYear ? (daysFrom(`${year}-01-01`, today) + 1) / (daysFrom(`${year}-01-01`, `${year}-12-31`) + 1) : 1;
    weights.push([year, (f.referrals + f.dutyToNotify) * share]);
  }
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  const exact = weights.map(([year, w]) => [year, (journeys * w) / total] as const);
  const counts = exact.map(([year, x]) => [year, Math.floor(x)] as [number, number]);
  let left = journeys - counts.reduce((sum, [, c]) => sum + c, 0);
  const order = exact.map(([, x], i) => [i, x - Math.floor(x)] as const).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [i] of order) {
    if (left-- <= 0) break;
    counts[i][1]++;
  }
  return counts;
}

function checked(options: SeedOptions): Required<SeedOptions> {
  const today = options.today ?? DEFAULT_TODAY;
  const fromYear = options.fromYear ?? DEFAULT_FROM_YEAR;
  if (!Number.isSafeInteger(options.journeys) || options.journeys < 0) throw new RangeError(`journeys must be a whole number, 0 or more (got ${options.journeys})`);
  if (!Number.isSafeInteger(options.seed)) throw new RangeError(`seed must be a whole number (got ${options.seed})`);
  if (!isCalendarDate(today)) throw new RangeError(`today must be a date YYYY-MM-DD (got ${today})`);
  if (today > LATEST_TODAY) throw new RangeError(`today must be on or before ${LATEST_TODAY}: working days are only known to the end of ${BANK_HOLIDAY_TABLE_RANGE.last.slice(0, 4)}`);
  if (!Number.isInteger(fromYear) || fromYear < FIRST_FIGURES_YEAR || `${fromYear}-01-01` > today || (fromYear === 2009 && today < NRM_START)) {
    throw new RangeError(`fromYear must be from ${FIRST_FIGURES_YEAR} (the NRM began on ${NRM_START}) to the year of today, ${today.slice(0, 4)} (got ${fromYear})`);
  }
  return { journeys: options.journeys, seed: options.seed, today, fromYear };
}
