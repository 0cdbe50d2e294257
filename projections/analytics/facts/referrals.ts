import type { JourneyDocument } from '../../journeys/journey.document';
import { periodOf, PERIODS, type Period } from '../aggregate';
import type { Cell } from '../cells';
import { dimensionsOf } from '../dimensions';

export const REFERRALS = 'referrals';

/** The counter that carries distinct people for a period grouping. */
export const PEOPLE_COUNTER: Record<Period, string> = { month: 'peopleMonth', quarter: 'peopleQuarter', year: 'peopleYear' };

/**
 * Volume (DOMAIN.md question 4): what one journey adds to the `referrals` family.
 *
 * - One cell per episode, dated on the episode's referral date (`VictimReferred` or
 *   `VictimReReferred` `occurredAt`), under the journey's dimensions and the episode's
 *   competent authority: `referrals: 1` (a re-referral counts as a referral in its own period).
 * - People: a journey with several referrals in one month, quarter or year is one person
 *   in it. The counters `peopleMonth`, `peopleQuarter` and `peopleYear` are 1 on the cell of
 *   the journey's FIRST referral in that month, quarter or year, and absent on its later
 *   ones, so summing the counter over a period's cells counts distinct journeys exactly.
 *   In a breakdown by competent authority a person counts under the authority of that
 *   first referral, so the rows add up to the total.
 * - Duty to Notify: one cell dated on the submission, with no competent authority
 *   (no referral is made): `dutyToNotify: 1`. Its dimensions are the identification's.
 */
export function referralsCells(doc: JourneyDocument): Cell[] {
  const seen = new Set<string>();
  // Episodes are in referral order already (a re-referral follows an exit); sorting keeps "first" honest regardless.
  const episodes = [...doc.episodes].sort((a, b) => (a.referredOn < b.referredOn ? -1 : a.referredOn > b.referredOn ? 1 : a.number - b.number));
  const cells: Cell[] = episodes.map((episode) => {
    const counters: Record<string, number> = { referrals: 1 };
    for (const period of PERIODS) {
      const key = periodOf(episode.referredOn, period);
      if (seen.has(key)) continue; // period keys never clash: '2024-01', '2024-Q1', '2024'
      seen.add(key);
      counters[PEOPLE_COUNTER[period]] = 1;
    }
    return { family: REFERRALS, date: episode.referredOn, dims: dimensionsOf(doc, episode.competentAuthority), counters };
  });
  if (doc.dutyToNotifyOn) {
    cells.push({ family: REFERRALS, date: doc.dutyToNotifyOn, dims: dimensionsOf(doc, null), counters: { dutyToNotify: 1 } });
  }
  return cells;
}
