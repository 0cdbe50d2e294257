import { daysBetween } from '../../../libs/domain/src/calendar/calendar-date';
import type { DecisionStage } from '../../../libs/domain/src/codes';
import { REASONABLE_GROUNDS_TARGET_WORKING_DAYS } from '../../../libs/domain/src/policy';
import type { DecisionView, EpisodeView, JourneyDocument } from '../../journeys/journey.document';
import type { Cell } from '../cells';
import { dimensionsOf } from '../dimensions';

export const DECISIONS = 'decisions';

/**
 * Decisions and how long they took (DOMAIN.md questions 1-3). One cell per referral and
 * stage that has a decision: the decision IN FORCE at that stage, i.e. the latest one (an
 * overturn replaces a decision, never edits it). A negative RG overturned by a positive one
 * counts as one positive RG on the new decision's date, and the negative no longer counts
 * here (it still counts in `reconsiderations`). While a reconsideration is pending, the
 * negative is the decision in force and counts.
 *
 * - `date`: the decision date (`decidedAt`), as official statistics count;
 *   `extra.referredOn` is the referral date, for counting by referral cohort.
 * - `extra.stage`: reasonable_grounds or conclusive_grounds.
 * - dims: the journey's, with the referral's competent authority.
 * - counters: `decisions` 1; `positive` 1 when positive.
 *   RG: `workingDays.<n>` with n the working days from referral to the decision (DOMAIN.md
 *   counting rule: weekdays that are not England and Wales bank holidays, after the referral
 *   up to and including the decision; for a reconsidered decision still from the referral),
 *   and `withinTarget` 1 when n <= 5.
 *   CG: `days.<n>` with n the calendar days from the RG in force (the positive RG) to the CG,
 *   and `daysFromReferral.<n>` the calendar days from the referral.
 */
export function decisionsCells(doc: JourneyDocument): Cell[] {
  return doc.episodes.flatMap((episode) =>
    (['reasonable_grounds', 'conclusive_grounds'] as const).flatMap((stage) => {
      const decision = inForce(episode, stage);
      return decision ? [decisionCell(doc, episode, decision)] : [];
    }),
  );
}

/** The latest decision at a stage: the one in force. */
export function inForce(episode: EpisodeView, stage: DecisionStage): DecisionView | undefined {
  return [...episode.decisions].reverse().find((d) => d.stage === stage);
}

function decisionCell(doc: JourneyDocument, episode: EpisodeView, decision: DecisionView): Cell {
  const counters: Record<string, number> = { decisions: 1 };
  if (decision.outcome === 'positive') counters.positive = 1;
  if (decision.stage === 'reasonable_grounds') {
    counters[`workingDays.${decision.waited}`] = 1;
    if (decision.waited <= REASONABLE_GROUNDS_TARGET_WORKING_DAYS) counters.withinTarget = 1;
  } else {
    counters[`days.${decision.waited}`] = 1;
    counters[`daysFromReferral.${daysBetween(episode.referredOn, decision.decidedAt)}`] = 1;
  }
  return {
    family: DECISIONS,
    date: decision.decidedAt,
    dims: dimensionsOf(doc, episode.competentAuthority),
    extra: { stage: decision.stage, referredOn: episode.referredOn },
    counters,
  };
}
