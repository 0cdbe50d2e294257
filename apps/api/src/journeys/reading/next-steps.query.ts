import type { CalendarDate } from '../../../../../libs/domain/src/calendar/calendar-date';
import { journeyStreamId } from '../../../../../libs/domain/src/events';
import { foldJourney } from '../../../../../libs/domain/src/journey/decider';
import { NextStep, NextStepId, nextSteps } from '../../../../../libs/domain/src/journey/next-steps';
import type { RuleCode } from '../../../../../libs/domain/src/rules';
import type { EventStore } from '../../../../../libs/event-store/src/event-store.port';
import { JourneyNotFound } from '../../errors';
import { assertOnCaseload } from '../caseload';
import { toRecordedJourneyEvents } from '../recording/journey-stream';
import type { Actor } from '../recording/record-journey-step.command';

/** The route each step is recorded on: POST /journeys/:id/<route> (journeys.controller.ts). */
export const STEP_ROUTES: Readonly<Record<NextStepId, string>> = {
  consent: 'consents',
  'duty-to-notify': 'duty-to-notify',
  circumstances: 'circumstances',
  referral: 'referrals',
  'reasonable-grounds-decision': 'decisions',
  'conclusive-grounds-decision': 'decisions',
  reconsideration: 'reconsiderations',
  'needs-assessment': 'needs-assessments',
  care: 'care',
  exit: 'exit',
  'follow-up': 'follow-ups',
  're-referral': 're-referrals',
};

export interface NextStepView {
  step: NextStepId;
  title: string;
  method: 'POST';
  path: string;
  /** Fields the step's form sends as given. */
  preset: NextStep['preset'];
  allowed: boolean;
  reason?: { code: RuleCode; message: string };
  availableFrom?: CalendarDate;
  availableUntil?: CalendarDate;
  dueOn?: CalendarDate;
  allowedValues?: NextStep['allowedValues'];
}

export interface NextStepsAnswer {
  journeyId: string;
  /** The stream revision the answer was worked out from: send it back as If-Match with the step. */
  revision: number;
  asOf: CalendarDate;
  steps: NextStepView[];
}

/**
 * The steps the rules allow next on a journey, as of `today`: folded from the journey's own
 * stream, as a command is decided (so no read model can lag behind it), and answered by the
 * decider itself (libs/domain/src/journey/next-steps.ts). A support worker reads only their
 * caseload's journeys; any other is not found.
 */
export async function readNextSteps(events: EventStore, journeyId: string, actor: Actor, today: CalendarDate): Promise<NextStepsAnswer> {
  const stored = await events.readStream(journeyStreamId(journeyId));
  const state = foldJourney(toRecordedJourneyEvents(stored));
  if (!state.identified) throw new JourneyNotFound(journeyId);
  assertOnCaseload(actor, state.caseloadOrganisationId, journeyId);
  return {
    journeyId,
    revision: Number(stored[stored.length - 1].revision),
    asOf: today,
    steps: nextSteps(state, today).map(({ step, title, preset, allowed, reason, availableFrom, availableUntil, dueOn, allowedValues }) => ({
      step, title, method: 'POST' as const, path: `/journeys/${journeyId}/${STEP_ROUTES[step]}`, preset, allowed,
      ...(reason ? { reason } : {}),
      ...(availableFrom ? { availableFrom } : {}),
      ...(availableUntil ? { availableUntil } : {}),
      ...(dueOn ? { dueOn } : {}),
      ...(allowedValues ? { allowedValues } : {}),
    })),
  };
}
