import type { FieldChange, JourneyEvent, RecordedJourneyEvent } from '../events';
import { given } from '../../test-support/journey-specification';
import { command, consented, decided, decision, identified, referred } from '../../test-support/journey-fixtures';
import { applyChanges } from './corrections';
import { foldJourney } from './decider';

const withId = (id: string, event: JourneyEvent) => ({ ...event, id }) as RecordedJourneyEvent;
const correction = (correctedEventId: string, changes: FieldChange[], occurredAt = '2024-06-01') => ({
  occurredAt, correctedEventId, changes, reason: 'Decision letter received: the date was recorded wrongly',
});
const corrected = (id: string, correctedEventId: string, changes: FieldChange[]) =>
  withId(id, { type: 'RecordCorrected', data: correction(correctedEventId, changes) });
const erasure = withId('erasure', { type: 'PersonalDataErased', data: { occurredAt: '2024-03-01', reason: 'DPO-1', legalBasis: 'consent_withdrawn' } });
const transfer = withId('transfer', { type: 'JourneyTransferred', data: { occurredAt: '2024-02-01', fromOrganisationId: 'org-ngo-1', toOrganisationId: 'org-ngo-2', reason: 'relocated' } });

const history = [
  withId('identified', identified({ personalDetails: { name: 'pd1:sealed' } })),
  withId('consent', consented()),
  withId('referral', referred('2024-01-08')),
  decision('rg', decided('reasonable_grounds', 'positive', '2024-01-12')),
];
const cg = decision('cg', decided('conclusive_grounds', 'positive', '2024-02-11'));

describe('Corrections: the original stays; the correction says which event and which fields', () => {
  it('records a correction of a decision date', () => {
    const data = correction('rg', [{ field: 'decidedAt', value: '2024-01-10' }]);
    given(...history).when(command('CorrectRecord', data)).then([{ type: 'RecordCorrected', data }]);
  });
  it('records a correction removing an optional field (null) and one of personal details', () => {
    const care = withId('care', { type: 'CareProvided', data: { occurredAt: '2024-01-09', service: 'outreach', providerId: 'p', startedOn: '2024-01-09', endedOn: '2024-01-20' } });
    const removal = correction('care', [{ field: 'endedOn', value: null }]);
    given(...history, care).when(command('CorrectRecord', removal)).then([{ type: 'RecordCorrected', data: removal }]);
    const renamed = correction('identified', [{ field: 'personalDetails.name', value: 'pd1:another' }]);
    given(...history).when(command('CorrectRecord', renamed)).then([{ type: 'RecordCorrected', data: renamed }]);
  });
  it('refuses an event that is not on this journey', () => {
    given(...history).when(command('CorrectRecord', correction('elsewhere', [{ field: 'decidedAt', value: '2024-01-10' }])))
      .thenBreaks('CORRECTED_EVENT_NOT_FOUND', 'correctedEventId');
  });
  it('refuses to correct a correction or an erasure', () => {
    const first = corrected('fix-1', 'rg', [{ field: 'decidedAt', value: '2024-01-10' }]);
    given(...history, first).when(command('CorrectRecord', correction('fix-1', [{ field: 'changes', value: [] }])))
      .thenBreaks('EVENT_NOT_CORRECTABLE', 'correctedEventId');
    given(...history, erasure).when(command('CorrectRecord', correction('erasure', [{ field: 'legalBasis', value: 'objection' }])))
      .thenBreaks('EVENT_NOT_CORRECTABLE', 'correctedEventId');
  });
  it('refuses keys and anything but the event type’s data fields', () => {
    const refused: Array<[string, string]> = [
      ['rg', 'referralId'], ['referral', 'referralId'], ['identified', 'journeyId'], ['identified', 'caseloadOrganisationId'],
      ['transfer', 'toOrganisationId'], ['transfer', 'fromOrganisationId'], ['rg', 'waited'], ['rg', 'decidedAt.year'], ['consent', 'personalDetails'],
    ];
    for (const [eventId, field] of refused) {
      given(...history, transfer).when(command('CorrectRecord', correction(eventId, [{ field: 'occurredAt', value: '2024-01-12' }, { field, value: 'x' }])))
        .thenBreaks('FIELD_NOT_CORRECTABLE', 'changes[1].field');
    }
  });
  it('refuses to correct personal details after erasure, and still corrects other facts', () => {
    given(...history, erasure).when(command('CorrectRecord', correction('identified', [{ field: 'personalDetails.notes', value: 'pd1:x' }])))
      .thenBreaks('PERSONAL_DATA_ALREADY_ERASED');
    const gender = correction('identified', [{ field: 'gender', value: 'male' }]);
    given(...history, erasure).when(command('CorrectRecord', gender)).then([{ type: 'RecordCorrected', data: gender }]);
  });
  it('refuses a correction dated in the future', () => {
    given(...history).when(command('CorrectRecord', correction('rg', [{ field: 'decidedAt', value: '2024-01-10' }], '2026-12-01')))
      .thenBreaks('DATE_IN_FUTURE', 'occurredAt');
  });
});

describe('Corrections: the corrected journey must keep every rule', () => {
  it('refuses a decision date corrected to before the referral, naming the change', () => {
    given(...history).when(command('CorrectRecord', correction('rg', [{ field: 'occurredAt', value: '2024-01-12' }, { field: 'decidedAt', value: '2024-01-07' }])))
      .thenBreaks('DATE_BEFORE_DEPENDENCY', 'changes[1].value');
  });
  it('refuses an RG date that would put a later CG inside the recovery period', () => {
    const later = [{ field: 'decidedAt', value: '2024-01-13' }, { field: 'occurredAt', value: '2024-01-13' }];
    given(...history, cg).when(command('CorrectRecord', correction('rg', later))).thenBreaks('CONCLUSIVE_GROUNDS_BEFORE_RECOVERY_PERIOD');
  });
  it('refuses an RG outcome corrected to negative under a later CG', () => {
    given(...history, cg).when(command('CorrectRecord', correction('rg', [{ field: 'outcome', value: 'negative' }])))
      .thenBreaks('CONCLUSIVE_GROUNDS_WITHOUT_POSITIVE_REASONABLE_GROUNDS');
  });
  it('refuses a child corrected to an adult who was referred without consent', () => {
    const child = [withId('identified', identified({ ageGroup: 'child' })), withId('referral', referred('2024-01-08'))];
    given(...child).when(command('CorrectRecord', correction('identified', [{ field: 'ageGroup', value: 'adult' }])))
      .thenBreaks('CONSENT_REQUIRED_FOR_ADULT_REFERRAL');
    const unknown = correction('identified', [{ field: 'ageGroup', value: 'unknown' }]);
    given(...child).when(command('CorrectRecord', unknown)).then([{ type: 'RecordCorrected', data: unknown }]);
  });
  it('refuses an identification date corrected to after a later step', () => {
    given(...history).when(command('CorrectRecord', correction('identified', [{ field: 'occurredAt', value: '2024-01-09' }])))
      .thenBreaks('DATE_BEFORE_DEPENDENCY');
  });
});

describe('Corrections: later commands decide on the corrected facts', () => {
  it('holds a CG to the recovery period after the corrected RG date', () => {
    const later = [...history, corrected('fix-1', 'rg', [{ field: 'decidedAt', value: '2024-01-20' }, { field: 'occurredAt', value: '2024-01-20' }])];
    given(...later).when(command('RecordDecision', decided('conclusive_grounds', 'positive', '2024-02-11'))).thenBreaks('CONCLUSIVE_GROUNDS_BEFORE_RECOVERY_PERIOD');
    const cgAfter = decided('conclusive_grounds', 'positive', '2024-02-19');
    given(...later).when(command('RecordDecision', cgAfter)).then([{ type: 'DecisionMade', data: cgAfter }]);
  });
  it('folds a corrected history exactly as the history recorded corrected, corrections on corrections included', () => {
    const fixes = [
      corrected('fix-1', 'rg', [{ field: 'decidedAt', value: '2024-01-20' }]),
      corrected('fix-2', 'identified', [{ field: 'ageGroup', value: 'unknown' }]),
      corrected('fix-3', 'rg', [{ field: 'decidedAt', value: '2024-01-15' }, { field: 'reasonCode', value: 'clear_indicators' }]),
    ];
    const asRecorded = history.map((e) => {
      if (e.id === 'rg') return { ...e, data: { ...e.data, decidedAt: '2024-01-15', reasonCode: 'clear_indicators' } };
      if (e.id === 'identified') return { ...e, data: { ...e.data, ageGroup: 'unknown' } };
      return e;
    }) as RecordedJourneyEvent[];
    const { correctionIds, ...state } = foldJourney([...history, ...fixes]);
    const { correctionIds: none, ...replayed } = foldJourney(asRecorded);
    expect(correctionIds).toEqual(['fix-1', 'fix-2', 'fix-3']);
    expect(none).toEqual([]);
    expect(state).toEqual(replayed);
  });
});

describe('applyChanges', () => {
  it('sets dotted paths, creates objects on the way, removes with null, and leaves the original alone', () => {
    const original = { a: 1, b: { c: 2, d: 3 }, list: [1, 2] };
    expect(applyChanges(original, [{ field: 'b.c', value: 5 }, { field: 'e.f', value: 'x' }, { field: 'b.d', value: null }, { field: 'list', value: [3] }]))
      .toEqual({ a: 1, b: { c: 5 }, e: { f: 'x' }, list: [3] });
    expect(original).toEqual({ a: 1, b: { c: 2, d: 3 }, list: [1, 2] });
  });
});
