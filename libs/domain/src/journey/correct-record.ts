import type { JourneyEvent } from '../events';
import { broken, JourneyRuleBroken } from '../rules';
import { EVENT_RECORDED_BY, type JourneyCommand, type JourneyCommandOf, type JourneyCommandType } from './commands';
import { correctHistory, isCorrectableField, isPersonalDetailsField, type JourneyFact } from './corrections';
import { evolve, initialState, type JourneyState } from './state';

type Decide = (command: JourneyCommand, state: JourneyState) => JourneyEvent[];

/** The command that records each kind of fact. */
const COMMAND_RECORDING = Object.fromEntries(
  Object.entries(EVENT_RECORDED_BY).map(([command, event]) => [event, command]),
) as Record<JourneyFact['type'], JourneyCommandType>;

/**
 * Decides a correction. The corrected event must be one of this journey's facts (not a
 * correction, not an erasure), only its correctable data fields may change, personal details
 * cannot be corrected once erased, and the journey with the correction applied must still
 * keep every rule: the facts from the corrected one on are decided again, in order, as
 * commands arriving now, on the state folded from the corrected history before them.
 * (Earlier facts are unchanged and were decided already.) A broken rule is answered with
 * its own code, saying which later fact it breaks at.
 */
export function correctRecord(command: JourneyCommandOf<'CorrectRecord'>, state: JourneyState, decide: Decide): JourneyEvent[] {
  const { correctedEventId, changes } = command.data;
  const index = state.facts.findIndex((fact) => fact.id === correctedEventId);
  if (index < 0) {
    if (state.correctionIds.includes(correctedEventId)) {
      broken('EVENT_NOT_CORRECTABLE', 'A correction is not corrected: record another correction of the original event instead.', 'correctedEventId');
    }
    broken('CORRECTED_EVENT_NOT_FOUND', `There is no event ${correctedEventId} on this journey.`, 'correctedEventId');
  }
  const target = state.facts[index];
  if (target.type === 'PersonalDataErased') {
    broken('EVENT_NOT_CORRECTABLE', 'An erasure cannot be corrected: the personal data it erased is gone for good.', 'correctedEventId');
  }
  changes.forEach((change, i) => {
    if (!isCorrectableField(target.type, change.field)) {
      broken('FIELD_NOT_CORRECTABLE', `${change.field} is not a field of ${target.type} that a correction may change (keys such as referral ids, the journey and its caseload never change).`, `changes[${i}].field`);
    }
  });
  if (state.personalDataErasedOn && changes.some((change) => isPersonalDetailsField(change.field))) {
    broken('PERSONAL_DATA_ALREADY_ERASED', `This person's personal data was erased on ${state.personalDataErasedOn}; it cannot be corrected.`);
  }
  const corrected = correctHistory(state.facts, command.data);
  let before = corrected.slice(0, index).reduce(evolve, initialState());
  for (const fact of corrected.slice(index)) {
    redecide(fact, before, command, decide);
    before = evolve(before, fact);
  }
  return [{ type: 'RecordCorrected', data: command.data }];
}

function redecide(fact: JourneyFact, state: JourneyState, correction: JourneyCommandOf<'CorrectRecord'>, decide: Decide): void {
  const data = fact.type === 'JourneyTransferred' ? withoutOrigin(fact.data) : fact.data;
  try {
    decide({ type: COMMAND_RECORDING[fact.type], data, now: correction.now } as JourneyCommand, state);
  } catch (error) {
    if (!(error instanceof JourneyRuleBroken)) throw error;
    const corrected = fact.id === correction.data.correctedEventId;
    // The request field is the change that broke the corrected event's own rule; a later event's rule has none.
    const change = corrected ? correction.data.changes.findIndex((c) => c.field === error.field) : -1;
    const which = corrected ? `the corrected ${fact.type}` : `the later ${fact.type} ${fact.id}`;
    broken(error.code, `With this correction, ${which} would break a rule: ${error.message}`, change >= 0 ? `changes[${change}].value` : undefined);
  }
}

/** A transfer's origin is taken from the journey when it is decided, not given. */
function withoutOrigin<T extends { fromOrganisationId: string }>({ fromOrganisationId: _origin, ...rest }: T): Omit<T, 'fromOrganisationId'> {
  return rest;
}
