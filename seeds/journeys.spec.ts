import { addMonths, daysBetween, ukDateOf } from '../libs/domain/src/calendar/calendar-date';
import { FOLLOW_UP_MILESTONES } from '../libs/domain/src/codes';
import type { RecordedJourneyEvent } from '../libs/domain/src/events';
import { EVENT_RECORDED_BY, type JourneyCommand } from '../libs/domain/src/journey/commands';
import { decide } from '../libs/domain/src/journey/decide';
import { evolve, initialState } from '../libs/domain/src/journey/state';
import { recoveryPeriodEnds } from '../libs/domain/src/policy';
import { generateJourneys, type GeneratedJourney } from './index';
import { figuresFor, MEDIAN_CG_WAIT_2023_DAYS } from './nrm-statistics';

const TODAY = '2026-11-01';
const COMMAND_FOR = Object.fromEntries(Object.entries(EVENT_RECORDED_BY).map(([command, event]) => [event, command]));
const yearOf = (date: unknown) => Number(String(date).slice(0, 4));
const share = (part: number, whole: number) => part / whole;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
type Data = Record<string, any>;

let journeys: GeneratedJourney[];
beforeAll(() => {
  journeys = [...generateJourneys({ journeys: 5000, seed: 2025, today: TODAY })];
});

describe('5,000 generated journeys: every invariant holds', () => {
  it('re-deciding every event from its command gives back the same event, in order', () => {
    const refused: string[] = [];
    for (const journey of journeys) {
      let state = initialState();
      for (const event of journey.events) {
        try {
          const command = { type: COMMAND_FOR[event.type], data: event.data, now: event.recordedAt } as unknown as JourneyCommand;
          const [decided, ...more] = decide(command, state);
          if (more.length || decided.type !== event.type || decided.data !== (event.data as unknown)) refused.push(`${journey.journeyId}: ${event.type} decided differently`);
          state = evolve(state, { ...decided, id: event.id } as RecordedJourneyEvent);
        } catch (error) {
          refused.push(`${journey.journeyId}: ${event.type} ${(error as Error).message}`);
          break;
        }
      }
    }
    expect(refused).toEqual([]);
  });

  it('checks the rules independently: dates, consent, CG timing, re-referral links, ids, anonymity', () => {
    const problems: string[] = [];
    const eventIds = new Set<string>();
    const fail = (journey: GeneratedJourney, what: string) => problems.push(`${journey.journeyId}: ${what}`);
    for (const journey of journeys) {
      const identified = journey.events[0].data as Data;
      let consent: boolean | undefined;
      let lastReferral: string | undefined;
      let previousRecordedAt = '';
      const rgInForce = new Map<string, Data>();
      const decisionIds = new Map<string, Data>();
      if (journey.events[0].type !== 'VictimIdentified' || identified.journeyId !== journey.journeyId) fail(journey, 'does not start with its identification');
      for (const event of journey.events) {
        const d = event.data as Data;
        if (eventIds.has(event.id)) fail(journey, `event id ${event.id} used twice`);
        eventIds.add(event.id);
        for (const field of ['occurredAt', 'decidedAt', 'startedOn', 'endedOn', 'requestedOn']) {
          if (d[field] !== undefined && d[field] > TODAY) fail(journey, `${event.type}.${field} after today`);
        }
        const recordedOn = ukDateOf(event.recordedAt);
        if (recordedOn < d.occurredAt || recordedOn > TODAY) fail(journey, `${event.type} recorded on ${recordedOn}, occurred ${d.occurredAt}`);
        if (event.recordedAt < previousRecordedAt) fail(journey, 'recordedAt runs backwards');
        previousRecordedAt = event.recordedAt;
        if (event.type === 'ConsentRecorded' && d.scope === 'nrm_referral') consent = d.given;
        if ((event.type === 'VictimReferred' || event.type === 'VictimReReferred') && identified.ageGroup === 'adult' && consent !== true) fail(journey, 'adult referred without consent');
        if (event.type === 'VictimReferred') lastReferral = d.referralId;
        if (event.type === 'VictimReReferred') {
          if (d.previousReferralId !== lastReferral) fail(journey, 're-referral does not follow the last referral');
          lastReferral = d.newReferralId;
        }
        if ((event.type === 'VictimReferred' || event.type === 'VictimReReferred') && !/^NRM-\d{4}-\d{5,}$/.test(d.referralId ?? d.newReferralId)) fail(journey, 'referral id shape');
        if (event.type === 'DutyToNotifySubmitted' && (identified.ageGroup !== 'adult' || identified.personalDetails)) fail(journey, 'Duty to Notify for a child, or with personal data');
        if (event.type === 'DecisionMade') {
          decisionIds.set(event.id, d);
          if (d.stage === 'reasonable_grounds') rgInForce.set(d.referralId, d);
          const rg = rgInForce.get(d.referralId);
          if (d.stage === 'conclusive_grounds' && (rg?.outcome !== 'positive' || d.decidedAt < recoveryPeriodEnds(rg.decidedAt))) fail(journey, 'CG before a positive RG and its recovery period');
        }
        if (event.type === 'ReconsiderationRequested' && decisionIds.get(d.decisionEventId)?.outcome !== 'negative') fail(journey, 'reconsideration of no earlier negative decision');
        if (event.type === 'FollowUpRecorded' && (!(FOLLOW_UP_MILESTONES as readonly number[]).includes(d.monthsSinceExit) || (!d.contactMade && Object.keys(d).length !== 3))) fail(journey, 'follow-up shape');
      }
    }
    expect(problems).toEqual([]);
  });

  it('covers every path', () => {
    const seen = new Map<string, number>();
    const see = (path: string, yes: boolean) => yes && seen.set(path, (seen.get(path) ?? 0) + 1);
    for (const { events } of journeys) {
      const types = events.map((e) => e.type);
      const data = (type: string) => events.filter((e) => e.type === type).map((e) => e.data as Data);
      const identified = events[0].data as Data;
      const decisions = data('DecisionMade');
      const exits = data('VictimExited');
      const referrals = types.filter((t) => t === 'VictimReferred' || t === 'VictimReReferred').length;
      see('duty to notify (adult, no consent)', types.includes('DutyToNotifySubmitted'));
      see('duty to notify, later consented and referred', types.includes('DutyToNotifySubmitted') && types.includes('VictimReferred'));
      see('refused, then consented', data('ConsentRecorded').some((c) => !c.given) && types.includes('VictimReferred') && !types.includes('DutyToNotifySubmitted'));
      see('child referred without consent', identified.ageGroup === 'child' && types.includes('VictimReferred') && !types.includes('ConsentRecorded'));
      see('unknown age referred', identified.ageGroup === 'unknown' && types.includes('VictimReferred'));
      see('negative RG exit', exits.some((x) => x.reason === 'negative_decision') && decisions.every((d) => d.stage === 'reasonable_grounds'));
      see('reconsideration overturned', events.some((e, i) => e.type === 'ReconsiderationRequested' &&
        events.slice(i).some((x) => x.type === 'DecisionMade' && x.data.referralId === e.data.referralId && x.data.outcome === 'positive')));
      see('positive CG and move-on exit', exits.some((x) => x.reason === 'move_on_complete'));
      see('negative CG exit', decisions.some((d) => d.stage === 'conclusive_grounds' && d.outcome === 'negative') && exits.some((x) => x.reason === 'negative_decision'));
      see('lost contact', exits.some((x) => x.reason === 'lost_contact'));
      see('re-referral', types.includes('VictimReReferred'));
      see('follow-up without contact', data('FollowUpRecorded').some((f) => !f.contactMade));
      see('follow-up at 24 months', data('FollowUpRecorded').some((f) => f.monthsSinceExit === 24 && f.contactMade));
      see('care with cost', data('CareProvided').some((c) => c.costPence > 0));
      see('care still running today', data('CareProvided').some((c) => c.endedOn === undefined));
      see('needs assessment', types.includes('NeedsAssessed'));
      see('devolved child panel', data('VictimReferred').some((r) => r.competentAuthority === 'DEVOLVED_CHILD_PANEL'));
      see('IECA', data('VictimReferred').some((r) => r.competentAuthority === 'IECA'));
      const open = referrals > exits.length;
      const lastRef = [...data('VictimReferred').map((r) => r.referralId), ...data('VictimReReferred').map((r) => r.newReferralId)].pop();
      const last = decisions.filter((d) => d.referralId === lastRef);
      see('RG backlog at today', open && !last.some((d) => d.stage === 'reasonable_grounds'));
      see('CG backlog at today', open && last.some((d) => d.stage === 'reasonable_grounds' && d.outcome === 'positive') && !last.some((d) => d.stage === 'conclusive_grounds'));
    }
    expect([...seen.keys()].sort()).toEqual([
      'CG backlog at today', 'IECA', 'RG backlog at today', 'care still running today', 'care with cost', 'child referred without consent',
      'devolved child panel', 'duty to notify (adult, no consent)', 'duty to notify, later consented and referred', 'follow-up at 24 months',
      'follow-up without contact', 'lost contact', 'needs assessment', 'negative CG exit', 'negative RG exit', 'positive CG and move-on exit',
      're-referral', 'reconsideration overturned', 'refused, then consented', 'unknown age referred',
    ]);
  });
});

describe('5,000 generated journeys: distributions match the published figures', () => {
  const firstReferrals = () => journeys.flatMap((j) => j.events.filter((e) => e.type === 'VictimReferred').map((e) => ({ identified: j.events[0].data as Data, referral: e.data as Data })));

  it('share of children among referrals: the year-by-year published shares, within 3 points', () => {
    const referrals = firstReferrals();
    const children = referrals.filter((r) => r.identified.ageGroup === 'child').length;
    const expected = referrals.reduce((sum, r) => sum + figuresFor(yearOf(r.identified.occurredAt)).childShare, 0) / referrals.length;
    expect(Math.abs(share(children, referrals.length) - expected)).toBeLessThan(0.03);
    expect(share(children, referrals.length)).toBeGreaterThan(0.3);
    expect(share(children, referrals.length)).toBeLessThan(0.5);
  });

  it('Duty to Notify share of identifications: reports / (referrals + reports) by year, within 2.5 points', () => {
    const dtn = journeys.filter((j) => j.events.some((e) => e.type === 'DutyToNotifySubmitted')).length;
    const expected = journeys.reduce((sum, j) => { const f = figuresFor(yearOf(j.events[0].data.occurredAt)); return sum + f.dutyToNotify / (f.referrals + f.dutyToNotify); }, 0) / journeys.length;
    expect(Math.abs(share(dtn, journeys.length) - expected)).toBeLessThan(0.025);
  });

  it('RG positive rate: about 90% of decisions 2019-2021, about 55% in 2023-2024 (after the threshold change)', () => {
    const first = journeys.flatMap((j) => {
      const seen = new Set<string>();
      return j.events.filter((e) => e.type === 'DecisionMade' && e.data.stage === 'reasonable_grounds').map((e) => e.data as Data)
        .filter((d) => !seen.has(d.referralId) && seen.add(d.referralId));
    });
    const rate = (from: number, to: number) => {
      const inYears = first.filter((d) => yearOf(d.decidedAt) >= from && yearOf(d.decidedAt) <= to);
      return share(inYears.filter((d) => d.outcome === 'positive').length, inYears.length);
    };
    expect(rate(2019, 2021)).toBeGreaterThan(0.86);
    expect(rate(2019, 2021)).toBeLessThan(0.96);
    expect(rate(2023, 2024)).toBeGreaterThan(0.48);
    expect(rate(2023, 2024)).toBeLessThan(0.64);
  });

  it('median wait from referral to CG for decisions made in 2023: 526 days, within 15%', () => {
    const waits = journeys.flatMap((j) => {
      const referredOn = new Map<string, string>();
      const waited: number[] = [];
      for (const e of j.events) {
        const d = e.data as Data;
        if (e.type === 'VictimReferred') referredOn.set(d.referralId, d.occurredAt);
        if (e.type === 'VictimReReferred') referredOn.set(d.newReferralId, d.occurredAt);
        if (e.type === 'DecisionMade' && d.stage === 'conclusive_grounds' && yearOf(d.decidedAt) === 2023 && !waited.length) waited.push(daysBetween(referredOn.get(d.referralId)!, d.decidedAt));
      }
      return waited;
    });
    expect(waits.length).toBeGreaterThan(100);
    expect(Math.abs(median(waits) - MEDIAN_CG_WAIT_2023_DAYS) / MEDIAN_CG_WAIT_2023_DAYS).toBeLessThan(0.15);
  });

  it('re-referral within 12 months of exit: a few percent', () => {
    let observed = 0, reReferred = 0;
    for (const { events } of journeys) {
      const reReferrals = events.filter((e) => e.type === 'VictimReReferred').map((e) => e.data.occurredAt as string);
      for (const exit of events.filter((e) => e.type === 'VictimExited').map((e) => e.data.occurredAt as string)) {
        if (addMonths(exit, 12) > TODAY) continue;
        observed++;
        if (reReferrals.some((on) => on > exit && on <= addMonths(exit, 12))) reReferred++;
      }
    }
    expect(observed).toBeGreaterThan(1000);
    expect(share(reReferred, observed)).toBeGreaterThan(0.02);
    expect(share(reReferred, observed)).toBeLessThan(0.07);
  });

  it('mostly male, UK and Albanian nationals most referred', () => {
    const referrals = firstReferrals();
    expect(share(referrals.filter((r) => r.identified.gender === 'male').length, referrals.length)).toBeGreaterThan(0.65);
    const byNationality = new Map<string, number>();
    for (const r of referrals) byNationality.set(r.identified.nationality, (byNationality.get(r.identified.nationality) ?? 0) + 1);
    const top = [...byNationality].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([n]) => n).sort();
    expect(top).toEqual(['AL', 'GB']);
  });
});
