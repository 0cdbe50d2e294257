import type { JourneyDocument } from '../../journeys/journey.document';
import type { Cell } from '../cells';
import { dimensionsOf } from '../dimensions';

export const RECONSIDERATIONS = 'reconsiderations';

/**
 * Reconsiderations and their outcomes (DOMAIN.md question 3). Per referral and per stage
 * (`extra.stage`), under the journey's dimensions with the referral's competent authority:
 * - every negative decision ever made, on its decision date: `negativeDecisions` 1. This
 *   includes negatives later overturned (they are what gets reconsidered) and negatives
 *   made on reconsideration (they may be reconsidered again);
 * - every reconsideration request, on its request date: `requests` 1; `requestsDecided` 1
 *   once a new decision at the same stage replaced the reconsidered one (whatever its date);
 *   `overturned` 1 when that new decision is positive. A request and its outcome stay on the
 *   request's date, so overturned <= requestsDecided <= requests in every row.
 */
export function reconsiderationsCells(doc: JourneyDocument): Cell[] {
  return doc.episodes.flatMap((episode) => {
    const dims = dimensionsOf(doc, episode.competentAuthority);
    return episode.decisions.flatMap((decision, i): Cell[] => {
      const cells: Cell[] = [];
      if (decision.outcome === 'negative') {
        cells.push({ family: RECONSIDERATIONS, date: decision.decidedAt, dims, extra: { stage: decision.stage }, counters: { negativeDecisions: 1 } });
      }
      if (decision.reconsiderationRequestedOn) {
        const next = episode.decisions.slice(i + 1).find((d) => d.stage === decision.stage);
        const counters: Record<string, number> = { requests: 1 };
        if (next) counters.requestsDecided = 1;
        if (next?.outcome === 'positive') counters.overturned = 1;
        cells.push({ family: RECONSIDERATIONS, date: decision.reconsiderationRequestedOn, dims, extra: { stage: decision.stage }, counters });
      }
      return cells;
    });
  });
}
