import type { CalendarDate } from '../../../libs/domain/src/calendar/calendar-date';
import type { DecisionStage } from '../../../libs/domain/src/codes';
import type { EpisodeView, JourneyDocument } from '../../journeys/journey.document';
import type { Cell } from '../cells';
import { dimensionsOf } from '../dimensions';
import { inForce } from './decisions';

export const WAITING = 'waiting';

/** One wait for a decision: from `start` until `endsOn` (exclusive: on that day it is over), or still open. */
export interface Wait {
  stage: DecisionStage;
  start: CalendarDate;
  endsOn: CalendarDate | null;
  /** A wait reopened by a reconsideration request. */
  reconsideration: boolean;
}

/**
 * Waits for a decision, as intervals, for the backlog at any date (DOMAIN.md question 2).
 * Per referral:
 * - awaiting RG from the referral until the first RG decision;
 * - awaiting CG from the positive RG in force (recovery period included) until the first CG
 *   decision;
 * - a reconsideration request reopens the wait at the reconsidered decision's stage, from
 *   the request date until the next decision at that stage (so a person whose negative RG is
 *   being reconsidered is awaiting RG again, and one whose negative CG is, awaiting CG).
 * An exit ends any wait open on its date; a request made on or after the exit opens none
 * (the caseload shows an exited person as awaiting nothing). Empty waits (a decision on the
 * day the wait began) are left out: they are never open at the end of any day.
 *
 * Cell: `date` = the start of the wait; `extra` = { stage, endsOn: the date the wait ended
 * (decision or exit) or null while open, reconsideration }; dims: the journey's, with the
 * referral's competent authority; counters `{ waits: 1 }`. A wait is open at the end of day
 * D when start <= D and (endsOn is null or endsOn > D); its age at D is the calendar days
 * from its start to D.
 */
export function waitingCells(doc: JourneyDocument): Cell[] {
  return doc.episodes.flatMap((episode) =>
    waitsOf(episode).map((wait): Cell => ({
      family: WAITING,
      date: wait.start,
      dims: dimensionsOf(doc, episode.competentAuthority),
      extra: { stage: wait.stage, endsOn: wait.endsOn, reconsideration: wait.reconsideration },
      counters: { waits: 1 },
    })),
  );
}

export function waitsOf(episode: EpisodeView): Wait[] {
  const { decisions } = episode;
  const first = (stage: DecisionStage) => decisions.find((d) => d.stage === stage);
  const waits: Wait[] = [{ stage: 'reasonable_grounds', start: episode.referredOn, endsOn: first('reasonable_grounds')?.decidedAt ?? null, reconsideration: false }];
  const rg = inForce(episode, 'reasonable_grounds');
  if (rg?.outcome === 'positive') {
    waits.push({ stage: 'conclusive_grounds', start: rg.decidedAt, endsOn: first('conclusive_grounds')?.decidedAt ?? null, reconsideration: false });
  }
  decisions.forEach((decision, i) => {
    if (!decision.reconsiderationRequestedOn) return;
    const next = decisions.slice(i + 1).find((d) => d.stage === decision.stage);
    waits.push({ stage: decision.stage, start: decision.reconsiderationRequestedOn, endsOn: next?.decidedAt ?? null, reconsideration: true });
  });
  const exitOn = episode.exit?.on;
  return waits
    .map((wait) => (exitOn !== undefined && (wait.endsOn === null || exitOn < wait.endsOn) ? { ...wait, endsOn: exitOn } : wait))
    .filter((wait) => wait.endsOn === null || wait.endsOn > wait.start);
}
