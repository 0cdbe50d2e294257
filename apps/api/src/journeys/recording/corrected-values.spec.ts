import type { FieldChange, JourneyEvent, RecordedJourneyEvent } from '../../../../../libs/domain/src/events';
import { foldJourney } from '../../../../../libs/domain/src/journey/decider';
import { command, consented, exited, identified, referred } from '../../../../../libs/domain/test-support/journey-fixtures';
import { ValidationFailed } from '../../errors';
import { checkCorrectedValues } from './corrected-values';

const withId = (id: string, event: JourneyEvent) => ({ ...event, id }) as RecordedJourneyEvent;
const followUp = withId('follow-up', {
  type: 'FollowUpRecorded',
  data: { occurredAt: '2024-03-01', monthsSinceExit: 1, contactMade: true, housing: 'stable', occupation: 'employed', immigrationStatus: 'pending', destitute: false, safeguardingConcern: false, reExploitationReported: false },
});
const state = foldJourney([
  withId('identified', identified({ journeyId: 'not-a-uuid', personalDetails: { name: 'pd1:a-sealed-value-longer-than-any-limit'.repeat(20) } })),
  withId('consent', consented()), withId('referral', referred()), withId('exit', exited('2024-02-01')), followUp,
]);
const problems = (correctedEventId: string, changes: FieldChange[]) => {
  try {
    checkCorrectedValues(command('CorrectRecord', { occurredAt: '2024-06-01', correctedEventId, changes, reason: 'r' }), state);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailed);
    return (error as ValidationFailed).problems.map((p) => [p.field, p.rule]);
  }
};

describe('corrected values are held to the step request’s own validation (400)', () => {
  it('accepts valid values, and leaves what the original already had (sealed details, server keys) alone', () => {
    expect(problems('identified', [{ field: 'gender', value: 'male' }, { field: 'personalDetails.name', value: 'A Name' }])).toEqual([]);
    expect(problems('follow-up', [{ field: 'housing', value: 'homeless' }])).toEqual([]);
  });
  it('refuses unknown codes, malformed dates and bad personal details, naming the change', () => {
    expect(problems('identified', [{ field: 'gender', value: 'male' }, { field: 'nationality', value: 'XX' }])).toEqual([['changes[1].value', 'isIn']]);
    expect(problems('consent', [{ field: 'occurredAt', value: '2024-02-30' }])).toEqual([['changes[0].value', 'isCalendarDate']]);
    expect(problems('identified', [{ field: 'personalDetails.dateOfBirth', value: 'yesterday' }])).toEqual([['changes[0].value', 'isCalendarDate']]);
  });
  it('refuses removing a required field, and a change that makes another field invalid', () => {
    expect(problems('exit', [{ field: 'reason', value: null }])).toEqual([['changes[0].value', 'isIn']]);
    expect(problems('consent', [{ field: 'occurredAt', value: null }])).toEqual([['changes[0].value', 'required']]);
    expect(problems('follow-up', [{ field: 'contactMade', value: false }]).map(([field]) => field)).toContain('changes');
  });
  it('leaves fields that are not correctable, and unknown events, to the decider', () => {
    expect(problems('referral', [{ field: 'referralId', value: '!!' }])).toEqual([]);
    expect(problems('nowhere', [{ field: 'gender', value: 'nope' }])).toEqual([]);
  });
});
