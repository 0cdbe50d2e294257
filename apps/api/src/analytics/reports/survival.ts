/**
 * Kaplan-Meier survival: the estimated share of people who have not had the event (here a
 * re-referral) by each day, when some are still being followed (censored) at the end.
 * Pure; times are whole days.
 */
export interface Observation {
  /** Days from the start (an exit) to the event, or to the censoring. */
  days: number;
  /** True for the event, false when censored (followed this long without it). */
  event: boolean;
  /** How many people share this time and outcome. */
  count: number;
}

/** The estimate at one distinct event time: `atRisk` is the number followed at least `days` (ties: censored at `days` are at risk). */
export interface KaplanMeierStep {
  days: number;
  atRisk: number;
  events: number;
  survival: number;
}

/** S(t) = product over event times u <= t of (1 - events(u) / atRisk(u)), one step per distinct event time. */
export function kaplanMeier(observations: readonly Observation[]): KaplanMeierStep[] {
  const byDay = tally(observations);
  let atRisk = byDay.reduce((total, t) => total + t.events + t.censored, 0);
  let survival = 1;
  const steps: KaplanMeierStep[] = [];
  for (const { days, events, censored } of byDay) {
    if (events > 0) {
      survival *= 1 - events / atRisk;
      steps.push({ days, atRisk, events, survival });
    }
    atRisk -= events + censored;
  }
  return steps;
}

/** A point of a published curve; `suppressed` names its values withheld (null). */
export interface SurvivalPoint {
  days: number;
  /** Followed longer than `days` without the event. */
  atRisk: number | null;
  /** Cumulative events up to and including `days`. */
  events: number | null;
  /** Cumulative censored up to and including `days`. */
  censored: number | null;
  /** The Kaplan-Meier estimate at `days`, 4 decimals. */
  survival: number | null;
  suppressed: string[];
}

export const SURVIVAL_STEP_DAYS = 30;

/**
 * The curve at days 0, step, 2·step, ... up to the first point past the longest time, with
 * disclosure control. At each point atRisk + events + censored = the people followed, so
 * each point is published whole or withheld whole. A point is withheld when fewer than
 * `threshold` are at risk, or when, since the last published point (or the start), the
 * events or the censored grew by 1 to threshold-1. So every published count, and every
 * difference between two published points, is 0 or at least the threshold, and no
 * withheld figure can be recovered by subtraction.
 */
export function survivalCurve(observations: readonly Observation[], threshold: number, step = SURVIVAL_STEP_DAYS): SurvivalPoint[] {
  const byDay = tally(observations);
  if (byDay.length === 0) return [];
  const steps = kaplanMeier(observations);
  const people = byDay.reduce((total, t) => total + t.events + t.censored, 0);
  const longest = byDay[byDay.length - 1].days;
  const small = (growth: number) => growth > 0 && growth < threshold;
  const points: SurvivalPoint[] = [];
  let published = { events: 0, censored: 0 };
  let events = 0;
  let censored = 0;
  let survival = 1;
  let day = 0;
  let kmStep = 0;
  for (let days = 0; days < longest + step; days += step) {
    for (; day < byDay.length && byDay[day].days <= days; day++) {
      events += byDay[day].events;
      censored += byDay[day].censored;
    }
    for (; kmStep < steps.length && steps[kmStep].days <= days; kmStep++) survival = steps[kmStep].survival;
    const atRisk = people - events - censored;
    if (atRisk < threshold || small(events - published.events) || small(censored - published.censored)) {
      points.push({ days, atRisk: null, events: null, censored: null, survival: null, suppressed: ['atRisk', 'censored', 'events', 'survival'] });
      continue;
    }
    published = { events, censored };
    points.push({ days, atRisk, events, censored, survival: Math.round(survival * 10_000) / 10_000, suppressed: [] });
  }
  return points;
}

/** Events and censored per distinct day, in day order. */
function tally(observations: readonly Observation[]): Array<{ days: number; events: number; censored: number }> {
  const byDay = new Map<number, { days: number; events: number; censored: number }>();
  for (const o of observations) {
    if (o.count <= 0) continue;
    const t = byDay.get(o.days) ?? { days: o.days, events: 0, censored: 0 };
    if (o.event) t.events += o.count;
    else t.censored += o.count;
    byDay.set(o.days, t);
  }
  return [...byDay.values()].sort((a, b) => a.days - b.days);
}
