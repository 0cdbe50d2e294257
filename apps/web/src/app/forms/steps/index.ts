/** Every step's form, by the step id GET /journeys/:id/next-steps uses. */
import { circumstances, consent, dutyToNotify } from './before-referral';
import { identify } from './identify';
import { conclusiveGroundsDecision, reasonableGroundsDecision, reconsideration, referral } from './referral-and-decisions';
import type { StepDefinition } from './step-definition';
import { care, exit, followUp, needsAssessment, reReferral } from './support-and-after';

export const STEPS: ReadonlyMap<string, StepDefinition> = new Map([
  identify, consent, dutyToNotify, circumstances, referral, reasonableGroundsDecision, conclusiveGroundsDecision,
  reconsideration, needsAssessment, care, exit, followUp, reReferral,
].map((step) => [step.id, step]));

export type { JourneySnapshot, StepDefinition, StepInput } from './step-definition';
