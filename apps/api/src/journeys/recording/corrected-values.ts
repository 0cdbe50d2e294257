import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { JourneyCommand } from '../../../../../libs/domain/src/journey/commands';
import { applyChanges, isCorrectableField, isPersonalDetailsField, type JourneyFact } from '../../../../../libs/domain/src/journey/corrections';
import type { JourneyState } from '../../../../../libs/domain/src/journey/state';
import { FieldProblem, ValidationFailed } from '../../errors';
import { flatten } from '../../http/validation.pipe';
import * as Steps from '../steps';

/** The request each kind of fact is recorded with: a corrected value is held to the same validation. */
const STEP_REQUEST: Record<JourneyFact['type'], (new () => object) | undefined> = {
  VictimIdentified: Steps.IdentifyVictimDto,
  ConsentRecorded: Steps.RecordConsentDto,
  DutyToNotifySubmitted: Steps.SubmitDutyToNotifyDto,
  CircumstancesRecorded: Steps.RecordCircumstancesDto,
  VictimReferred: Steps.ReferVictimDto,
  DecisionMade: Steps.RecordDecisionDto,
  ReconsiderationRequested: Steps.RequestReconsiderationDto,
  NeedsAssessed: Steps.AssessNeedsDto,
  CareProvided: Steps.RecordCareDto,
  VictimExited: Steps.RecordExitDto,
  FollowUpRecorded: Steps.RecordFollowUpDto,
  VictimReReferred: Steps.ReReferVictimDto,
  JourneyTransferred: Steps.TransferJourneyDto,
  PersonalDataErased: undefined, // not correctable: the decider refuses it
};

/** Fields an event holds that its request does not carry: keys set by the server (never correctable). */
const NOT_REQUESTED = ['journeyId', 'caseloadOrganisationId', 'fromOrganisationId'];

/**
 * Unknown codes, malformed dates and the like are a 400, as in the step's own request: the
 * corrected event's data is validated with that request's rules, and any problem the
 * correction brings in is refused (a problem the original already had is not the
 * correction's). Personal details are validated in plain text, before they are sealed.
 * Only changes to correctable fields of an existing event are checked here: the decider
 * answers for the rest (422).
 */
export function checkCorrectedValues(command: JourneyCommand, state: JourneyState): void {
  if (command.type !== 'CorrectRecord') return;
  const target = state.facts.find((fact) => fact.id === command.data.correctedEventId);
  const request = target && STEP_REQUEST[target.type];
  if (!target || !request) return;
  const changes = command.data.changes.map((change, index) => ({ ...change, index })).filter((c) => isCorrectableField(target.type, c.field));
  const removedDate = changes.find((c) => c.field === 'occurredAt' && c.value === null);
  if (removedDate) throw new ValidationFailed([{ field: `changes[${removedDate.index}].value`, rule: 'required', message: 'occurredAt cannot be removed, only corrected' }]);
  const original = requestShape(target);
  const before = new Set(problemsOf(request, original).map(key));
  const introduced = problemsOf(request, applyChanges(original, changes)).filter((p) => !before.has(key(p)));
  if (introduced.length === 0) return;
  throw new ValidationFailed(introduced.map((problem) => {
    const change = changes.find((c) => problem.field === c.field || problem.field.startsWith(`${c.field}.`));
    return { ...problem, field: change ? `changes[${change.index}].value` : 'changes', message: `${target.type}: ${problem.message}` };
  }));
}

/** The fact's data as its request would carry it; sealed personal details are left out (they are not plain text). */
function requestShape(fact: JourneyFact): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fact.data).filter(([name]) => !NOT_REQUESTED.includes(name) && !isPersonalDetailsField(name)));
}

function problemsOf(request: new () => object, data: Record<string, unknown>): FieldProblem[] {
  const errors = validateSync(plainToInstance(request, data), { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  return flatten(errors);
}

const key = (problem: FieldProblem) => `${problem.field}\u0000${problem.rule}`;
