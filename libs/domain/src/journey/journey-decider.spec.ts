import { given } from '../../test-support/journey-specification';
import { NOW, command, consented, decided, decision, exited, identified, referred } from '../../test-support/journey-fixtures';

const identify = identified().data as any;
const followUp = (occurredAt: string, monthsSinceExit = 1) => ({ occurredAt, monthsSinceExit, contactMade: false });
const reReferral = (occurredAt: string, previousReferralId = 'ref-1', newReferralId = 'ref-2') => ({
  occurredAt, newReferralId, previousReferralId, sameIncident: false, competentAuthority: 'SCA' as const,
});
const care = (startedOn: string, endedOn?: string) => ({ occurredAt: startedOn, service: 'accommodation' as const, providerId: 'prov-1', startedOn, endedOn });
const exit = (occurredAt: string, reason: any = 'withdrew') => ({ occurredAt, reason, housing: 'stable' as const, immigrationStatus: 'pending' as const });
const positiveRg = decision('rg-1', decided('reasonable_grounds', 'positive', '2024-01-12'));

describe('Invariant 1: nothing before identification; a journey is identified once', () => {
  it('identifies a new journey', () => {
    given().when(command('IdentifyVictim', identify)).then([{ type: 'VictimIdentified', data: identify }]);
  });
  it('refuses a second identification', () => {
    given(identified()).when(command('IdentifyVictim', identify)).thenBreaks('JOURNEY_ALREADY_IDENTIFIED');
  });
  it('refuses any other step before identification', () => {
    given().when(command('RecordConsent', consented().data as any)).thenBreaks('JOURNEY_NOT_IDENTIFIED');
    given().when(command('ReferVictim', referred().data as any)).thenBreaks('JOURNEY_NOT_IDENTIFIED');
  });
  it('refuses an identification dated before the NRM began', () => {
    given().when(command('IdentifyVictim', { ...identify, occurredAt: '2009-03-31' })).thenBreaks('DATE_BEFORE_NRM', 'occurredAt');
  });
});

describe('Invariant 2: an adult is referred only with consent; otherwise only a Duty to Notify', () => {
  it('refers an adult who consented', () => {
    given(identified(), consented(true)).when(command('ReferVictim', referred().data as any)).then([referred()]);
  });
  it('refuses to refer an adult who was never asked', () => {
    given(identified()).when(command('ReferVictim', referred().data as any)).thenBreaks('CONSENT_REQUIRED_FOR_ADULT_REFERRAL');
  });
  it('refuses to refer an adult who refused', () => {
    given(identified(), consented(false)).when(command('ReferVictim', referred().data as any)).thenBreaks('CONSENT_REQUIRED_FOR_ADULT_REFERRAL');
  });
  it('refers an adult who refused and later consented (the latest answer counts)', () => {
    given(identified(), consented(false), consented(true, '2024-01-09'))
      .when(command('ReferVictim', referred('2024-01-09').data as any)).then([referred('2024-01-09')]);
  });
  it('refers a child without consent', () => {
    given(identified({ ageGroup: 'child' })).when(command('ReferVictim', referred().data as any)).then([referred()]);
  });
  it('presumes a person of unknown age is a child (MSA 2015 s.51): no consent needed', () => {
    given(identified({ ageGroup: 'unknown' })).when(command('ReferVictim', referred().data as any)).then([referred()]);
  });
  const dtn = { occurredAt: '2024-01-08', policeForceArea: 'E23000001', exploitationTypes: ['labour' as const] };
  it('takes a Duty to Notify for an adult who refused consent', () => {
    given(identified(), consented(false)).when(command('SubmitDutyToNotify', dtn)).then([{ type: 'DutyToNotifySubmitted', data: dtn }]);
  });
  it('refuses a Duty to Notify for a child', () => {
    given(identified({ ageGroup: 'child' })).when(command('SubmitDutyToNotify', dtn)).thenBreaks('DUTY_TO_NOTIFY_NOT_FOR_CHILD');
  });
  it('refuses a Duty to Notify when consent was given or never asked', () => {
    given(identified(), consented(true)).when(command('SubmitDutyToNotify', dtn)).thenBreaks('DUTY_TO_NOTIFY_NEEDS_REFUSED_CONSENT');
    given(identified()).when(command('SubmitDutyToNotify', dtn)).thenBreaks('DUTY_TO_NOTIFY_NEEDS_REFUSED_CONSENT');
  });
  it('refuses a second Duty to Notify', () => {
    given(identified(), consented(false), { type: 'DutyToNotifySubmitted', data: dtn })
      .when(command('SubmitDutyToNotify', dtn)).thenBreaks('DUTY_TO_NOTIFY_ALREADY_SUBMITTED');
  });
  it('refuses a second referral (a re-referral follows an exit instead)', () => {
    given(identified(), consented(), referred()).when(command('ReferVictim', referred('2024-01-09', 'ref-2').data as any)).thenBreaks('ALREADY_REFERRED');
  });
});

describe('Invariant 3: an RG decision needs an open referral without one, dated on or after the referral', () => {
  const base = [identified(), consented(), referred('2024-01-08')];
  it('records an RG decision on the referral date (0 working days)', () => {
    const rg = decided('reasonable_grounds', 'positive', '2024-01-08');
    given(...base).when(command('RecordDecision', rg)).then([{ type: 'DecisionMade', data: rg }]);
  });
  it('refuses an RG decision dated before the referral', () => {
    given(identified(), consented(), referred('2024-01-10'))
      .when(command('RecordDecision', decided('reasonable_grounds', 'positive', '2024-01-09'))).thenBreaks('DATE_BEFORE_DEPENDENCY', 'decidedAt');
  });
  it('refuses an RG decision on an unknown referral', () => {
    given(...base).when(command('RecordDecision', decided('reasonable_grounds', 'positive', '2024-01-09', 'ref-x'))).thenBreaks('REFERRAL_NOT_FOUND');
  });
  it('refuses an RG decision after the person exited', () => {
    given(...base, exited('2024-01-09')).when(command('RecordDecision', decided('reasonable_grounds', 'positive', '2024-01-10'))).thenBreaks('REASONABLE_GROUNDS_NEEDS_OPEN_REFERRAL');
  });
  it('refuses a decision on a journey never referred', () => {
    given(identified(), consented()).when(command('RecordDecision', decided('reasonable_grounds', 'positive', '2024-01-10'))).thenBreaks('REFERRAL_NOT_FOUND');
  });
});

describe('Invariant 4: a CG decision needs a positive RG and the recovery period after it', () => {
  const base = [identified(), consented(), referred('2024-01-08'), positiveRg];
  it('records a CG decision on the first day after the 30-day recovery period (RG from 2023-01-30)', () => {
    const cg = decided('conclusive_grounds', 'positive', '2024-02-11');
    given(...base).when(command('RecordDecision', cg)).then([{ type: 'DecisionMade', data: cg }]);
  });
  it('refuses a CG decision one day before the 30-day recovery period ends', () => {
    given(...base).when(command('RecordDecision', decided('conclusive_grounds', 'positive', '2024-02-10')))
      .thenBreaks('CONCLUSIVE_GROUNDS_BEFORE_RECOVERY_PERIOD', 'decidedAt');
  });
  it('applies the 45-day recovery period to an RG decided before 2023-01-30', () => {
    const old = [identified({ occurredAt: '2023-01-02' }), consented(true, '2023-01-02'), referred('2023-01-02'),
      decision('rg-old', decided('reasonable_grounds', 'positive', '2023-01-27'))];
    given(...old).when(command('RecordDecision', decided('conclusive_grounds', 'positive', '2023-03-12')))
      .thenBreaks('CONCLUSIVE_GROUNDS_BEFORE_RECOVERY_PERIOD');
    const cg = decided('conclusive_grounds', 'positive', '2023-03-13');
    given(...old).when(command('RecordDecision', cg)).then([{ type: 'DecisionMade', data: cg }]);
  });
  it('refuses a CG decision without an RG, or after a negative RG', () => {
    given(identified(), consented(), referred()).when(command('RecordDecision', decided('conclusive_grounds', 'positive', '2024-06-01')))
      .thenBreaks('CONCLUSIVE_GROUNDS_WITHOUT_POSITIVE_REASONABLE_GROUNDS');
    given(identified(), consented(), referred(), decision('rg-n', decided('reasonable_grounds', 'negative', '2024-01-12')))
      .when(command('RecordDecision', decided('conclusive_grounds', 'positive', '2024-06-01')))
      .thenBreaks('CONCLUSIVE_GROUNDS_WITHOUT_POSITIVE_REASONABLE_GROUNDS');
  });
});

describe('Invariant 5: a second decision at a stage needs a reconsideration request on the first', () => {
  const negativeRg = decision('rg-n', decided('reasonable_grounds', 'negative', '2024-03-01'));
  const base = [identified(), consented(), referred('2024-01-08'), negativeRg];
  const reconsider = (requestedOn: string, decisionEventId = 'rg-n') => ({ occurredAt: requestedOn, referralId: 'ref-1', decisionEventId, requestedOn });
  it('refuses a second RG decision without a reconsideration request', () => {
    given(...base).when(command('RecordDecision', decided('reasonable_grounds', 'positive', '2024-03-05'))).thenBreaks('REASONABLE_GROUNDS_ALREADY_DECIDED');
  });
  it('records an overturn after a reconsideration request, as a new decision', () => {
    const overturn = decided('reasonable_grounds', 'positive', '2024-03-20');
    given(...base, { type: 'ReconsiderationRequested', data: reconsider('2024-03-10') })
      .when(command('RecordDecision', overturn)).then([{ type: 'DecisionMade', data: overturn }]);
  });
  it('accepts a reconsideration request within 30 days and refuses one on day 31 (decisions since Feb 2024)', () => {
    given(...base).when(command('RequestReconsideration', reconsider('2024-03-31'))).then([{ type: 'ReconsiderationRequested', data: reconsider('2024-03-31') }]);
    given(...base).when(command('RequestReconsideration', reconsider('2024-04-01'))).thenBreaks('RECONSIDERATION_WINDOW_CLOSED', 'requestedOn');
  });
  it('refuses to reconsider a positive decision, an unknown one, or one already under reconsideration', () => {
    given(identified(), consented(), referred(), positiveRg).when(command('RequestReconsideration', reconsider('2024-01-15', 'rg-1'))).thenBreaks('RECONSIDERATION_OF_POSITIVE_DECISION');
    given(...base).when(command('RequestReconsideration', reconsider('2024-03-05', 'nope'))).thenBreaks('DECISION_NOT_FOUND');
    given(...base, { type: 'ReconsiderationRequested', data: reconsider('2024-03-10') })
      .when(command('RequestReconsideration', reconsider('2024-03-11'))).thenBreaks('RECONSIDERATION_ALREADY_REQUESTED');
  });
  it('refuses a second CG decision without reconsideration', () => {
    given(identified(), consented(), referred(), positiveRg, decision('cg-1', decided('conclusive_grounds', 'negative', '2024-06-03')))
      .when(command('RecordDecision', decided('conclusive_grounds', 'positive', '2024-06-10'))).thenBreaks('CONCLUSIVE_GROUNDS_ALREADY_DECIDED');
  });
});

describe('Invariant 6: care, needs assessment and exit need an open episode; move-on needs a positive CG', () => {
  const open = [identified(), consented(), referred('2024-01-08')];
  it('records care, a needs assessment and an exit while referred', () => {
    given(...open).when(command('RecordCare', care('2024-01-09'))).then([{ type: 'CareProvided', data: care('2024-01-09') }]);
    const needs = { occurredAt: '2024-01-10', domains: ['health'], riskLevel: 'high' as const, dependants: 1 };
    given(...open).when(command('AssessNeeds', needs)).then([{ type: 'NeedsAssessed', data: needs }]);
    given(...open).when(command('RecordExit', exit('2024-02-01'))).then([{ type: 'VictimExited', data: exit('2024-02-01') }]);
  });
  it('refuses care before referral and after exit', () => {
    given(identified(), consented()).when(command('RecordCare', care('2024-01-09'))).thenBreaks('NO_OPEN_EPISODE');
    given(...open, exited('2024-02-01')).when(command('RecordCare', care('2024-02-02'))).thenBreaks('NO_OPEN_EPISODE');
    given(...open, exited('2024-02-01')).when(command('RecordExit', exit('2024-02-02'))).thenBreaks('NO_OPEN_EPISODE');
  });
  it('refuses care that ends before it starts', () => {
    given(...open).when(command('RecordCare', care('2024-01-10', '2024-01-09'))).thenBreaks('CARE_ENDS_BEFORE_IT_STARTS', 'endedOn');
  });
  it('refuses a move-on exit without a positive CG, and accepts one after it', () => {
    given(...open, positiveRg).when(command('RecordExit', exit('2024-03-01', 'move_on_complete'))).thenBreaks('MOVE_ON_WITHOUT_POSITIVE_CONCLUSIVE_GROUNDS');
    const withCg = [...open, positiveRg, decision('cg-1', decided('conclusive_grounds', 'positive', '2024-03-01'))];
    given(...withCg).when(command('RecordExit', exit('2024-04-20', 'move_on_complete'))).then([{ type: 'VictimExited', data: exit('2024-04-20', 'move_on_complete') }]);
  });
});

describe('Invariant 7: follow-ups need an exit; a re-referral needs an exit and opens a new episode', () => {
  const afterExit = [identified(), consented(), referred('2024-01-08'), exited('2024-02-01')];
  it('records a follow-up after exit, including "no contact made" as a fact', () => {
    given(...afterExit).when(command('RecordFollowUp', followUp('2024-03-01'))).then([{ type: 'FollowUpRecorded', data: followUp('2024-03-01') }]);
  });
  it('refuses a follow-up before any exit', () => {
    given(identified(), consented(), referred()).when(command('RecordFollowUp', followUp('2024-03-01'))).thenBreaks('FOLLOW_UP_WITHOUT_EXIT');
  });
  it('re-refers after an exit, opening a new episode that takes decisions', () => {
    given(...afterExit).when(command('ReReferVictim', reReferral('2024-06-01'))).then([{ type: 'VictimReReferred', data: reReferral('2024-06-01') }]);
    const rg = decided('reasonable_grounds', 'positive', '2024-06-03', 'ref-2');
    given(...afterExit, { type: 'VictimReReferred', data: reReferral('2024-06-01') })
      .when(command('RecordDecision', rg)).then([{ type: 'DecisionMade', data: rg }]);
  });
  it('refuses a re-referral without exit, of the wrong referral, or reusing a referral id', () => {
    given(identified(), consented(), referred()).when(command('ReReferVictim', reReferral('2024-06-01'))).thenBreaks('RE_REFERRAL_WITHOUT_EXIT');
    given(identified(), consented()).when(command('ReReferVictim', reReferral('2024-06-01'))).thenBreaks('RE_REFERRAL_WITHOUT_EXIT');
    given(...afterExit).when(command('ReReferVictim', reReferral('2024-06-01', 'ref-x'))).thenBreaks('RE_REFERRAL_OF_WRONG_REFERRAL');
    given(...afterExit).when(command('ReReferVictim', reReferral('2024-06-01', 'ref-1', 'ref-1'))).thenBreaks('REFERRAL_ID_IN_USE');
  });
});

describe('Invariant 8: dates are never in the future nor before what they depend on', () => {
  it('refuses an occurredAt after today in the UK', () => {
    given().when(command('IdentifyVictim', { ...identify, occurredAt: '2026-11-29' })).thenBreaks('DATE_IN_FUTURE', 'occurredAt');
  });
  it('uses the UK date of the server clock: 00:30 BST on 1 June is already 1 June', () => {
    given().when(command('IdentifyVictim', { ...identify, occurredAt: '2025-06-01' }, '2025-05-31T23:30:00Z'))
      .then([{ type: 'VictimIdentified', data: { ...identify, occurredAt: '2025-06-01' } }]);
  });
  it('refuses a step dated before the identification', () => {
    given(identified()).when(command('RecordConsent', consented(true, '2024-01-07').data as any)).thenBreaks('DATE_BEFORE_DEPENDENCY', 'occurredAt');
  });
  it('refuses a referral dated before consent, and care before the referral', () => {
    given(identified(), consented(true, '2024-01-10')).when(command('ReferVictim', referred('2024-01-09').data as any)).thenBreaks('DATE_BEFORE_DEPENDENCY');
    given(identified(), consented(), referred('2024-01-10')).when(command('RecordCare', care('2024-01-09'))).thenBreaks('DATE_BEFORE_DEPENDENCY');
  });
  it('refuses a follow-up or re-referral dated before the exit', () => {
    const afterExit = [identified(), consented(), referred('2024-01-08'), exited('2024-02-01')];
    given(...afterExit).when(command('RecordFollowUp', followUp('2024-01-31'))).thenBreaks('DATE_BEFORE_DEPENDENCY');
    given(...afterExit).when(command('ReReferVictim', reReferral('2024-01-31'))).thenBreaks('DATE_BEFORE_DEPENDENCY');
  });
  it('refuses a decision date in the future even when occurredAt is today', () => {
    given(identified(), consented(), referred()).when(command('RecordDecision', { ...decided('reasonable_grounds', 'positive', '2026-12-01'), occurredAt: '2026-11-28' }))
      .thenBreaks('DATE_IN_FUTURE', 'decidedAt');
  });
  void NOW;
});

describe('Caseload: a journey moves between organisations only by an explicit transfer', () => {
  const transfer = { occurredAt: '2024-02-01', toOrganisationId: 'org-ngo-2', reason: 'relocated' as const };
  it('records where the case came from, taken from the journey, not the caller', () => {
    given(identified()).when(command('TransferJourney', transfer))
      .then([{ type: 'JourneyTransferred', data: { ...transfer, fromOrganisationId: 'org-ngo-1' } }]);
  });
  it('follows earlier transfers', () => {
    given(identified(), { type: 'JourneyTransferred', data: { ...transfer, fromOrganisationId: 'org-ngo-1' } })
      .when(command('TransferJourney', { ...transfer, toOrganisationId: 'org-ngo-3' }))
      .then([{ type: 'JourneyTransferred', data: { ...transfer, toOrganisationId: 'org-ngo-3', fromOrganisationId: 'org-ngo-2' } }]);
  });
  it('refuses a transfer to the organisation that already holds the case', () => {
    given(identified()).when(command('TransferJourney', { ...transfer, toOrganisationId: 'org-ngo-1' }))
      .thenBreaks('TRANSFER_TO_SAME_ORGANISATION', 'toOrganisationId');
  });
  it('refuses a transfer before identification', () => {
    given().when(command('TransferJourney', transfer)).thenBreaks('JOURNEY_NOT_IDENTIFIED');
  });
});

describe('Erasure: personal data is erased once, and the journey goes on', () => {
  const erasure = { occurredAt: '2024-03-01', reason: 'DPO case 2024-117', legalBasis: 'consent_withdrawn' as const };
  it('records the erasure', () => {
    given(identified()).when(command('ErasePersonalData', erasure)).then([{ type: 'PersonalDataErased', data: erasure }]);
  });
  it('refuses a second erasure', () => {
    given(identified(), { type: 'PersonalDataErased', data: erasure })
      .when(command('ErasePersonalData', { ...erasure, occurredAt: '2024-03-02' })).thenBreaks('PERSONAL_DATA_ALREADY_ERASED');
  });
  it('still records the journey’s facts after an erasure', () => {
    given(identified({ ageGroup: 'child' }), { type: 'PersonalDataErased', data: erasure })
      .when(command('ReferVictim', referred('2024-03-02').data as any)).then([referred('2024-03-02')]);
  });
});
