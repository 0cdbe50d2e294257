import fc from 'fast-check';
import { generateJourneys } from '../../../../seeds/journey-generator';
import { consented, decided, decision, exited, identified, referred } from '../../test-support/journey-fixtures';
import { addDays, ukDateOf, type CalendarDate } from '../calendar/calendar-date';
import { EXIT_REASONS } from '../codes';
import type { JourneyEvent, RecordedJourneyEvent } from '../events';
import type { JourneyCommand } from './commands';
import { foldJourney } from './decider';
import { NEXT_STEP_IDS, NextStep, NextStepId, nextSteps, refusalOf } from './next-steps';
import { evolve, initialState, JourneyState } from './state';

/** The events as recorded: each with an id (a decision's id is what a reconsideration names). */
const recorded = (...events: Array<JourneyEvent | RecordedJourneyEvent>): RecordedJourneyEvent[] =>
  events.map((e, i) => ('id' in e ? e : { ...e, id: `event-${i}` }) as RecordedJourneyEvent);

const stepsOf = (events: Array<JourneyEvent | RecordedJourneyEvent>, today: CalendarDate) => {
  const steps = nextSteps(foldJourney(recorded(...events)), today);
  return Object.fromEntries(steps.map((s) => [s.step, s])) as Record<NextStepId, NextStep>;
};
const allowedOf = (events: Array<JourneyEvent | RecordedJourneyEvent>, today: CalendarDate) =>
  Object.values(stepsOf(events, today)).filter((s) => s.allowed).map((s) => s.step);
const codeOf = (s: NextStep) => s.reason?.code;

const reconsidered = (decisionEventId: string, requestedOn: string, referralId = 'ref-1'): JourneyEvent => ({
  type: 'ReconsiderationRequested', data: { occurredAt: requestedOn, referralId, decisionEventId, requestedOn },
});
const followedUp = (occurredAt: string, monthsSinceExit: number): JourneyEvent => ({
  type: 'FollowUpRecorded', data: { occurredAt, monthsSinceExit, contactMade: false },
});
const reReferred = (occurredAt: string, newReferralId = 'ref-2', previousReferralId = 'ref-1'): JourneyEvent => ({
  type: 'VictimReReferred', data: { occurredAt, newReferralId, previousReferralId, sameIncident: false, competentAuthority: 'SCA' },
});

describe('nextSteps: a journey through its life', () => {
  const adult = [identified()];
  const referredAdult = [...adult, consented(true), referred('2024-01-09')];
  const rgPositive = decision('rg-1', decided('reasonable_grounds', 'positive', '2024-01-16'));
  const cgPositive = decision('cg-1', decided('conclusive_grounds', 'positive', '2024-03-01'));

  it('lists every step, in journey order, each with a title, the command it records and the probe the decider answered', () => {
    const steps = nextSteps(foldJourney(recorded(...adult)), '2024-01-08');
    expect(steps.map((s) => s.step)).toEqual([...NEXT_STEP_IDS]);
    expect(steps.map((s) => s.command)).toEqual([
      'RecordConsent', 'SubmitDutyToNotify', 'RecordCircumstances', 'ReferVictim', 'RecordDecision', 'RecordDecision',
      'RequestReconsideration', 'AssessNeeds', 'RecordCare', 'RecordExit', 'RecordFollowUp', 'ReReferVictim',
    ]);
    for (const s of steps) {
      expect(s.title).toMatch(/^[A-Z]/);
      expect(s.probe.type).toBe(s.command);
      expect(s.probe.data.occurredAt).toBe('2024-01-08');
      expect(ukDateOf(s.probe.now)).toBe('2024-01-08');
    }
  });

  it('refuses every step before identification, with the decider’s code', () => {
    const steps = nextSteps(initialState(), '2024-01-08');
    expect(steps.every((s) => !s.allowed && codeOf(s) === 'JOURNEY_NOT_IDENTIFIED')).toBe(true);
  });

  it('identified adult: consent and circumstances; no referral before consent, no Duty to Notify before a refusal', () => {
    expect(allowedOf(adult, '2024-01-08')).toEqual(['consent', 'circumstances']);
    const s = stepsOf(adult, '2024-01-08');
    expect(s.referral.reason).toEqual({ code: 'CONSENT_REQUIRED_FOR_ADULT_REFERRAL', message: expect.stringContaining('informed consent') });
    expect(codeOf(s['duty-to-notify'])).toBe('DUTY_TO_NOTIFY_NEEDS_REFUSED_CONSENT');
    // No referral yet: the decider's code, and a sentence without the probe's stand-in id.
    expect(s['reasonable-grounds-decision'].reason).toEqual({ code: 'REFERRAL_NOT_FOUND', message: 'This person has not been referred into the NRM: record a referral first.' });
    expect(s['reasonable-grounds-decision'].preset).toEqual({ stage: 'reasonable_grounds' });
    expect(codeOf(s['conclusive-grounds-decision'])).toBe('REFERRAL_NOT_FOUND');
    expect(codeOf(s.reconsideration)).toBe('REFERRAL_NOT_FOUND');
    expect(s.reconsideration.preset).toEqual({});
    for (const id of ['needs-assessment', 'care', 'exit'] as const) expect(codeOf(s[id])).toBe('NO_OPEN_EPISODE');
    expect(codeOf(s['follow-up'])).toBe('FOLLOW_UP_WITHOUT_EXIT');
    expect(s['follow-up'].preset).toEqual({});
    expect(s['re-referral'].reason).toEqual({ code: 'RE_REFERRAL_WITHOUT_EXIT', message: 'This person has never been referred: record a referral instead.' });
  });

  it('an adult who refused: a Duty to Notify, not a referral; once they consent, a referral', () => {
    const refused = [...adult, consented(false)];
    expect(allowedOf(refused, '2024-01-08')).toEqual(['consent', 'duty-to-notify', 'circumstances']);
    expect(stepsOf(refused, '2024-01-08').referral.reason?.message).toMatch(/did not consent/);
    const notified = [...refused, { type: 'DutyToNotifySubmitted', data: { occurredAt: '2024-01-08', policeForceArea: 'E23000001', exploitationTypes: ['labour'] } } as JourneyEvent];
    expect(codeOf(stepsOf(notified, '2024-01-09')['duty-to-notify'])).toBe('DUTY_TO_NOTIFY_ALREADY_SUBMITTED');
    expect(allowedOf([...adult, consented(false), consented(true, '2024-01-09')], '2024-01-09')).toEqual(['consent', 'circumstances', 'referral']);
  });

  it('a child (or a person of unknown age) is referred without consent, never by Duty to Notify', () => {
    for (const ageGroup of ['child', 'unknown'] as const) {
      const s = stepsOf([identified({ ageGroup })], '2024-01-08');
      expect(s.referral.allowed).toBe(true);
      expect(codeOf(s['duty-to-notify'])).toBe('DUTY_TO_NOTIFY_NOT_FOR_CHILD');
    }
  });

  it('referred: the RG decision on the current referral, care, needs assessment and exit (but not move-on)', () => {
    const s = stepsOf(referredAdult, '2024-01-10');
    expect(allowedOf(referredAdult, '2024-01-10')).toEqual(['consent', 'circumstances', 'reasonable-grounds-decision', 'needs-assessment', 'care', 'exit']);
    expect(s['reasonable-grounds-decision'].preset).toEqual({ stage: 'reasonable_grounds', referralId: 'ref-1' });
    expect(s['conclusive-grounds-decision']).toMatchObject({
      preset: { stage: 'conclusive_grounds', referralId: 'ref-1' }, allowed: false,
      reason: { code: 'CONCLUSIVE_GROUNDS_WITHOUT_POSITIVE_REASONABLE_GROUNDS' },
    });
    expect(s['conclusive-grounds-decision'].availableFrom).toBeUndefined();
    expect(codeOf(s.referral)).toBe('ALREADY_REFERRED');
    expect(s.reconsideration.reason).toEqual({ code: 'DECISION_NOT_FOUND', message: expect.stringContaining('No decision has been made') });
    expect(s.exit.allowedValues).toEqual({ reason: EXIT_REASONS.filter((r) => r !== 'move_on_complete') });
  });

  it('positive RG: no CG before the recovery period ends; it says from when, and allows it on that date', () => {
    const journey = [...referredAdult, rgPositive];
    const during = stepsOf(journey, '2024-01-20')['conclusive-grounds-decision'];
    expect(during).toMatchObject({ allowed: false, reason: { code: 'CONCLUSIVE_GROUNDS_BEFORE_RECOVERY_PERIOD' }, availableFrom: '2024-02-15' });
    expect(during.reason!.message).toContain('2024-02-15');
    expect(stepsOf(journey, '2024-02-14')['conclusive-grounds-decision'].availableFrom).toBe('2024-02-15');
    const after = stepsOf(journey, '2024-02-15')['conclusive-grounds-decision'];
    expect(after).toMatchObject({ allowed: true, preset: { stage: 'conclusive_grounds', referralId: 'ref-1' } });
    expect(after.reason).toBeUndefined();
    expect(after.availableFrom).toBeUndefined();
    const s = stepsOf(journey, '2024-01-20');
    expect(codeOf(s['reasonable-grounds-decision'])).toBe('REASONABLE_GROUNDS_ALREADY_DECIDED');
    expect(s.reconsideration).toMatchObject({ allowed: false, reason: { code: 'RECONSIDERATION_OF_POSITIVE_DECISION' }, preset: { decisionEventId: 'rg-1', referralId: 'ref-1' } });
  });

  it('dates the end of the recovery period by the RG’s policy version: 45 days before 2023-01-30', () => {
    const journey = [identified({ occurredAt: '2022-12-01' }), consented(true, '2022-12-01'), referred('2022-12-01'), decision('rg-0', decided('reasonable_grounds', 'positive', '2022-12-05'))];
    expect(stepsOf(journey, '2022-12-10')['conclusive-grounds-decision'].availableFrom).toBe('2023-01-19');
    expect(stepsOf(journey, '2023-01-19')['conclusive-grounds-decision'].allowed).toBe(true);
  });

  it('a negative decision may be reconsidered within its window (availableUntil), once; then decided again', () => {
    const negative = decision('rg-n', decided('reasonable_grounds', 'negative', '2024-03-01'));
    const journey = [...referredAdult, negative];
    const within = stepsOf(journey, '2024-03-10').reconsideration;
    expect(within).toMatchObject({ allowed: true, preset: { decisionEventId: 'rg-n', referralId: 'ref-1' }, availableUntil: '2024-03-31' });
    expect(stepsOf(journey, '2024-03-31').reconsideration.allowed).toBe(true);
    const late = stepsOf(journey, '2024-04-01').reconsideration;
    expect(late).toMatchObject({ allowed: false, reason: { code: 'RECONSIDERATION_WINDOW_CLOSED' }, availableUntil: '2024-03-31' });
    expect(codeOf(stepsOf(journey, '2024-03-10')['conclusive-grounds-decision'])).toBe('CONCLUSIVE_GROUNDS_WITHOUT_POSITIVE_REASONABLE_GROUNDS');
    const asked = [...journey, reconsidered('rg-n', '2024-03-10')];
    const s = stepsOf(asked, '2024-03-12');
    expect(s.reconsideration).toMatchObject({ allowed: false, reason: { code: 'RECONSIDERATION_ALREADY_REQUESTED' } });
    expect(s.reconsideration.availableUntil).toBeUndefined();
    expect(s['reasonable-grounds-decision']).toMatchObject({ allowed: true, preset: { stage: 'reasonable_grounds', referralId: 'ref-1' } });
  });

  it('a decision made before the February 2024 guidance has no reconsideration deadline', () => {
    const journey = [...referredAdult, decision('rg-n', decided('reasonable_grounds', 'negative', '2024-01-20'))];
    const s = stepsOf(journey, '2025-06-01').reconsideration;
    expect(s.allowed).toBe(true);
    expect(s.availableUntil).toBeUndefined();
  });

  it('positive CG: exit with move-on too; after exit only follow-ups (at their milestones) and a re-referral', () => {
    const concluded = [...referredAdult, rgPositive, cgPositive];
    const s = stepsOf(concluded, '2024-03-02');
    expect(codeOf(s['conclusive-grounds-decision'])).toBe('CONCLUSIVE_GROUNDS_ALREADY_DECIDED');
    expect(s.exit.allowedValues).toEqual({ reason: [...EXIT_REASONS] });
    const out = [...concluded, exited('2024-04-01', 'move_on_complete')];
    expect(allowedOf(out, '2024-04-10')).toEqual(['consent', 'circumstances', 'follow-up', 're-referral']);
    const after = stepsOf(out, '2024-04-10');
    for (const id of ['needs-assessment', 'care', 'exit'] as const) expect(codeOf(after[id])).toBe('NO_OPEN_EPISODE');
    expect(after['follow-up']).toMatchObject({ title: 'Record the 1-month follow-up', preset: { monthsSinceExit: 1 }, dueOn: '2024-05-01' });
    expect(after['re-referral']).toMatchObject({ allowed: true, preset: { previousReferralId: 'ref-1' } });
    // The milestone for now: the latest one due and not recorded, else the next to come.
    expect(stepsOf(out, '2024-07-15')['follow-up']).toMatchObject({ preset: { monthsSinceExit: 3 }, dueOn: '2024-07-01' });
    const one = [...out, followedUp('2024-05-02', 1)];
    expect(stepsOf(one, '2024-05-03')['follow-up']).toMatchObject({ preset: { monthsSinceExit: 3 }, dueOn: '2024-07-01' });
    const all = [...out, ...[1, 3, 6, 12, 24].map((m) => followedUp('2026-05-01', m))];
    const none = stepsOf(all, '2026-05-02')['follow-up'];
    expect(none).toMatchObject({ allowed: true, preset: {}, title: 'Record a follow-up' });
    expect(none.dueOn).toBeUndefined();
  });

  it('an exit without a decision: no RG on the closed referral', () => {
    const out = [...referredAdult, exited('2024-01-12', 'lost_contact')];
    expect(codeOf(stepsOf(out, '2024-01-20')['reasonable-grounds-decision'])).toBe('REASONABLE_GROUNDS_NEEDS_OPEN_REFERRAL');
  });

  it('re-referred: a new episode, its RG on the new referral; follow-ups stop until the next exit', () => {
    const journey = [...referredAdult, rgPositive, cgPositive, exited('2024-04-01', 'move_on_complete'), followedUp('2024-05-02', 1), reReferred('2024-09-02')];
    const s = stepsOf(journey, '2024-09-03');
    expect(allowedOf(journey, '2024-09-03')).toEqual(['consent', 'circumstances', 'reasonable-grounds-decision', 'needs-assessment', 'care', 'exit']);
    expect(s['reasonable-grounds-decision'].preset).toEqual({ stage: 'reasonable_grounds', referralId: 'ref-2' });
    expect(s['re-referral'].preset).toEqual({ previousReferralId: 'ref-2' });
    expect(codeOf(s['follow-up'])).toBe('FOLLOW_UP_WITHOUT_EXIT');
    // Exited again: the follow-up schedule starts again from the new exit.
    const again = stepsOf([...journey, exited('2024-10-01')], '2024-10-02')['follow-up'];
    expect(again).toMatchObject({ allowed: true, preset: { monthsSinceExit: 1 }, dueOn: '2024-11-01' });
  });

  it('reconsiders the latest negative decision it may, even on an earlier referral', () => {
    const journey = [
      ...referredAdult, decision('rg-n', decided('reasonable_grounds', 'negative', '2024-03-01')), exited('2024-03-05', 'negative_decision'),
      reReferred('2024-03-06'), decision('rg-2', decided('reasonable_grounds', 'positive', '2024-03-07', 'ref-2')),
    ];
    expect(stepsOf(journey, '2024-03-08').reconsideration).toMatchObject({ allowed: true, preset: { decisionEventId: 'rg-n', referralId: 'ref-1' }, availableUntil: '2024-03-31' });
    // The latest negative decision already has a request: the earlier one, still in its window, is offered.
    const both = [
      ...journey.slice(0, -1), decision('rg-m', decided('reasonable_grounds', 'negative', '2024-03-07', 'ref-2')), reconsidered('rg-m', '2024-03-08', 'ref-2'),
    ];
    expect(stepsOf(both, '2024-03-09').reconsideration).toMatchObject({ allowed: true, preset: { decisionEventId: 'rg-n', referralId: 'ref-1' } });
    // None may be: the latest negative decision says why.
    expect(stepsOf(both, '2024-04-02').reconsideration).toMatchObject({ allowed: false, reason: { code: 'RECONSIDERATION_ALREADY_REQUESTED' }, preset: { decisionEventId: 'rg-m', referralId: 'ref-2' } });
  });
});

/** A step's probe dated another day: its dates are all today's, and nothing else in it is a date. */
function redated(probe: JourneyCommand, from: CalendarDate, to: CalendarDate): JourneyCommand {
  return JSON.parse(JSON.stringify(probe).split(from).join(to));
}

/** The step a recorded event is an instance of. */
function stepOfEvent(event: { type: string; data: Record<string, unknown> }): NextStepId | undefined {
  switch (event.type) {
    case 'ConsentRecorded': return 'consent';
    case 'DutyToNotifySubmitted': return 'duty-to-notify';
    case 'CircumstancesRecorded': return 'circumstances';
    case 'VictimReferred': return 'referral';
    case 'DecisionMade': return event.data.stage === 'reasonable_grounds' ? 'reasonable-grounds-decision' : 'conclusive-grounds-decision';
    case 'ReconsiderationRequested': return 'reconsideration';
    case 'NeedsAssessed': return 'needs-assessment';
    case 'CareProvided': return 'care';
    case 'VictimExited': return 'exit';
    case 'FollowUpRecorded': return 'follow-up';
    case 'VictimReReferred': return 're-referral';
    default: return undefined;
  }
}

describe('nextSteps agrees with the decider on generated journeys (property)', () => {
  it('allows exactly what decide accepts, refuses with its code, and offers each next step the history went on to record', () => {
    let checkedSteps = 0;
    let checkedNext = 0;
    let timeGated = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 8 }), (seed, offsets) => {
        for (const journey of generateJourneys({ journeys: 12, seed })) {
          let state: JourneyState = initialState();
          journey.events.forEach((event, i) => {
            state = evolve(state, { type: event.type, data: event.data, id: event.id } as unknown as RecordedJourneyEvent);
            // Soundness: at some day on or after the last event was recorded, every answer is decide's.
            const today = addDays(ukDateOf(event.recordedAt), offsets[i % offsets.length]);
            for (const s of nextSteps(state, today)) {
              const refusal = refusalOf(s.probe, state);
              expect([s.step, s.allowed, s.reason?.code]).toEqual([s.step, refusal === undefined, refusal?.code]);
              if (refusal && !['REFERRAL_NOT_FOUND', 'DECISION_NOT_FOUND'].includes(refusal.code)) expect(s.reason!.message).toBe(refusal.message);
              if (s.availableFrom) {
                timeGated++;
                expect(s.availableFrom > today).toBe(true);
                expect(refusalOf(redated(s.probe, today, addDays(s.availableFrom, -1)), state)?.code).toBe(s.reason!.code);
                expect(refusalOf(redated(s.probe, today, s.availableFrom), state)).toBeUndefined();
              }
              if (s.availableUntil && s.allowed) expect(refusalOf(redated(s.probe, today, s.availableUntil), state)).toBeUndefined();
              if (s.allowedValues) for (const reason of s.allowedValues.reason) expect(refusalOf({ ...s.probe, data: { ...s.probe.data, reason } } as JourneyCommand, state)).toBeUndefined();
              checkedSteps++;
            }
            // Completeness: the step the history recorded next was offered on the day it was recorded.
            const next = journey.events[i + 1];
            const id = next && stepOfEvent(next);
            if (!id) return;
            const day = next.type === 'ReconsiderationRequested' ? (next.data.requestedOn as string) : ukDateOf(next.recordedAt);
            const offered = nextSteps(state, day).find((s) => s.step === id)!;
            const current = state.episodes[state.episodes.length - 1]?.referralId;
            if (next.type === 'DecisionMade' && next.data.referralId !== current) return;
            expect([id, offered.allowed, offered.reason]).toEqual([id, true, undefined]);
            if (next.type === 'DecisionMade') expect(offered.preset.referralId).toBe(next.data.referralId);
            if (next.type === 'VictimReReferred') expect(offered.preset.previousReferralId).toBe(next.data.previousReferralId);
            if (next.type === 'VictimExited') expect(offered.allowedValues?.reason).toContain(next.data.reason);
            checkedNext++;
          });
        }
      }),
      { numRuns: 20, seed: 13 },
    );
    expect(checkedSteps).toBeGreaterThan(10_000);
    expect(checkedNext).toBeGreaterThan(1_000);
    expect(timeGated).toBeGreaterThan(0);
  });
});
