import { daysBetween } from '../../../libs/domain/src/calendar/calendar-date';
import type { EpisodeView, JourneyDocument } from '../../journeys/journey.document';
import { periodOf, PERIODS, type Period } from '../aggregate';
import type { Cell } from '../cells';
import { dimensionsOf } from '../dimensions';

export const CARE = 'care';

/** Within this many calendar days of the referral, a needs assessment is on time. */
export const NEEDS_ASSESSMENT_DAYS = 10;

/** The counter that carries distinct people with costed care for a period grouping. */
export const COSTED_PEOPLE_COUNTER: Record<Period, string> = { month: 'costedPeopleMonth', quarter: 'costedPeopleQuarter', year: 'costedPeopleYear' };

/**
 * Care standards (DOMAIN.md question 5): one cell per referral episode, dated on the
 * episode's referral date (its `VictimReferred` or `VictimReReferred` `occurredAt`: a
 * referral cohort), under the journey's dimensions and the episode's competent authority.
 * Care and needs assessments belong to the episode open when they were recorded.
 *
 * - `referrals: 1`.
 * - `needsAssessedWithin10Days: 1` when a needs assessment is dated within 10 calendar days
 *   of the referral (DOMAIN.md "Days": 0 on the referral date, so days 0..10 count).
 * - `withCare: 1` when the episode has any care record, and `daysToFirstCare.<n>: 1` with n
 *   the calendar days from the referral to the earliest `startedOn` of its care.
 * - `outreachOnly: 1` when its care includes outreach and no accommodation (outreach is the
 *   victim care contract's alternative to a safe house; financial, medical, legal and the
 *   other services come with either, so they do not change it).
 * - `services.<service>: 1` for each service the episode received at least once.
 * - `costPence`: the sum of `costPence` over the episode's care records that carry one.
 *   People with costed care (a record with a `costPence`, even 0) are distinct journeys:
 *   `costedPeopleMonth`, `costedPeopleQuarter` and `costedPeopleYear` are 1 on the journey's
 *   first costed episode referred in that month, quarter or year, so their sum over a
 *   period's cells counts each person once. In a breakdown by competent authority a person
 *   counts under the authority of that first episode.
 */
export function careCells(doc: JourneyDocument): Cell[] {
  const costedIn = new Set<string>();
  return byReferralDate(doc.episodes).map((episode) => {
    const counters: Record<string, number> = { referrals: 1 };
    if (episode.needsAssessments.some((a) => daysBetween(episode.referredOn, a.on) <= NEEDS_ASSESSMENT_DAYS)) counters.needsAssessedWithin10Days = 1;
    if (episode.care.length > 0) {
      counters.withCare = 1;
      const firstStart = episode.care.map((c) => c.startedOn).sort()[0];
      counters[`daysToFirstCare.${daysBetween(episode.referredOn, firstStart)}`] = 1;
      const services = new Set(episode.care.map((c) => c.service));
      if (services.has('outreach') && !services.has('accommodation')) counters.outreachOnly = 1;
      for (const service of services) counters[`services.${service}`] = 1;
    }
    const costed = episode.care.filter((c) => c.costPence !== undefined);
    if (costed.length > 0) {
      counters.costPence = costed.reduce((sum, c) => sum + c.costPence!, 0);
      for (const period of PERIODS) {
        const key = periodOf(episode.referredOn, period);
        if (costedIn.has(key)) continue; // keys never clash: '2024-01', '2024-Q1', '2024'
        costedIn.add(key);
        counters[COSTED_PEOPLE_COUNTER[period]] = 1;
      }
    }
    return { family: CARE, date: episode.referredOn, dims: dimensionsOf(doc, episode.competentAuthority), counters };
  });
}

function byReferralDate(episodes: readonly EpisodeView[]): EpisodeView[] {
  return [...episodes].sort((a, b) => (a.referredOn < b.referredOn ? -1 : a.referredOn > b.referredOn ? 1 : a.number - b.number));
}
