import type { JourneyDocument } from '../../journeys/journey.document';
import type { Cell } from '../cells';
import { dimensionsOf } from '../dimensions';

export const EXITS = 'exits';

/**
 * Exit from support (DOMAIN.md question 6): one cell per episode that has exited, dated on
 * the exit (`VictimExited` `occurredAt`), under the journey's dimensions and the episode's
 * competent authority.
 *
 * - `exits: 1` and `reason.<reason>: 1` (exactly one reason, so reasons add up to exits;
 *   `reason.lost_contact` is the lost-contact count).
 * - `daysInSupport.<n>: 1` with n the calendar days from the episode's referral to the exit
 *   (DOMAIN.md "Days").
 * - `stableHousing: 1` when the housing at exit is `stable`.
 * - `leaveToRemain: 1` when the immigration status at exit is `leave_to_remain` (a person
 *   who is British or settled is not counted: the figure is about status granted).
 */
export function exitsCells(doc: JourneyDocument): Cell[] {
  return doc.episodes.flatMap((episode) => {
    const exit = episode.exit;
    if (!exit) return [];
    const counters: Record<string, number> = { exits: 1, [`reason.${exit.reason}`]: 1, [`daysInSupport.${exit.daysInSupport}`]: 1 };
    if (exit.housing === 'stable') counters.stableHousing = 1;
    if (exit.immigrationStatus === 'leave_to_remain') counters.leaveToRemain = 1;
    return [{ family: EXITS, date: exit.on, dims: dimensionsOf(doc, episode.competentAuthority), counters }];
  });
}
