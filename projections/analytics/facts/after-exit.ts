import { FOLLOW_UP_MILESTONES } from '../../../libs/domain/src/codes';
import type { JourneyDocument } from '../../journeys/journey.document';
import type { Cell } from '../cells';
import { dimensionsOf } from '../dimensions';

export const AFTER_EXIT = 'afterExit';

/**
 * After exit (DOMAIN.md question 7): one cell per episode that has exited, dated on the exit
 * (`VictimExited` `occurredAt`: an exit cohort), under the journey's dimensions and the
 * episode's competent authority.
 *
 * - `extra.reReferredOn`: the date of the first re-referral after this exit (the next
 *   episode's `VictimReReferred` `occurredAt`), or null. With the exit date it lets the
 *   query decide "re-referred within 12 / 24 months" (DOMAIN.md: on or before the same
 *   calendar day N months after the exit, clamped to the month's end) and censor at any
 *   `asOf`, since whether a window has fully passed depends on the day the question is
 *   asked (apps/api/src/analytics/reports/after-exit.report.ts).
 * - `exits: 1`.
 * - For each scheduled milestone m (1, 3, 6, 12, 24 months): `followUpsRecorded.<m>: 1` when a
 *   follow-up was recorded for it (contact made or not: no contact is a fact), and
 *   `contactMade.<m>: 1` when one of them made contact. Follow-ups at other months count
 *   in neither.
 * - `contactedAfterExit: 1` when any follow-up of this exit made contact;
 *   `reExploitationReported: 1` when any reported re-exploitation; `destituteAtFollowUp: 1`
 *   when any found the person destitute.
 */
export function afterExitCells(doc: JourneyDocument): Cell[] {
  return doc.episodes.flatMap((episode) => {
    if (!episode.exit) return [];
    const next = doc.episodes.find((e) => e.number === episode.number + 1);
    const counters: Record<string, number> = { exits: 1 };
    for (const m of FOLLOW_UP_MILESTONES) {
      const atMilestone = episode.followUps.filter((f) => f.monthsSinceExit === m);
      if (atMilestone.length > 0) counters[`followUpsRecorded.${m}`] = 1;
      if (atMilestone.some((f) => f.contactMade)) counters[`contactMade.${m}`] = 1;
    }
    if (episode.followUps.some((f) => f.contactMade)) counters.contactedAfterExit = 1;
    if (episode.followUps.some((f) => f.reExploitationReported)) counters.reExploitationReported = 1;
    if (episode.followUps.some((f) => f.destitute)) counters.destituteAtFollowUp = 1;
    return [{
      family: AFTER_EXIT,
      date: episode.exit.on,
      dims: dimensionsOf(doc, episode.competentAuthority),
      extra: { reReferredOn: next?.referredOn ?? null },
      counters,
    }];
  });
}
