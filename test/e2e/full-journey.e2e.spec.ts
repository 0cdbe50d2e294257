import { describeOnEachEventStore } from '../support/event-store-backends';
import { client, startApp, temporaryDataDir, tokenFor, RunningApp, SUPPORT_WORKER } from '../support/running-app';
import { consent, decision, exit, identification, referral } from '../../seeds/journey-requests';

/**
 * A support worker records a whole journey over HTTP, including a re-referral with an
 * overturned decision; the app restarts on the same data folder and nothing is lost.
 */
describeOnEachEventStore('a journey recorded end to end over HTTP, surviving a restart', (env) => {
  const data = temporaryDataDir();
  let running: RunningApp;
  let journeyId: string;
  let lastPosition = '0';
  afterAll(async () => {
    await running?.stop();
    data.remove();
  });
  const worker = () => client(running.url, tokenFor(data.dir, SUPPORT_WORKER));

  it('records every step and answers with revision, position and ETag', async () => {
    running = await startApp(data.dir, env());
    const api = worker();
    const created = await api.post('/journeys', identification());
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ journeyId: expect.any(String), revision: 0, position: expect.stringMatching(/^\d+$/) });
    expect(created.headers.get('etag')).toBe('"0"');
    expect(created.headers.get('location')).toBe(`/journeys/${created.body.journeyId}`);
    journeyId = created.body.journeyId;
    const steps: Array<[string, unknown]> = [
      ['consents', consent()],
      ['circumstances', { occurredAt: '2024-01-09', recruitmentMethod: 'false_job_offer', controlMethods: ['debt_bondage', 'threats'], perpetratorRoles: ['recruiter'], relationshipToPerpetrator: 'acquaintance', organisedCrimeGroup: true, durationBand: 'months_1_to_6', debtBand: 'gbp_1000_to_5000' }],
      ['referrals', referral('2024-01-09')],
      ['care', { service: 'accommodation', providerId: 'safe-house-3', startedOn: '2024-01-10', costPence: 250000 }],
      ['needs-assessments', { occurredAt: '2024-01-12', domains: ['health', 'housing'], riskLevel: 'high', dependants: 1 }],
      ['decisions', decision('reasonable_grounds', 'positive', '2024-01-16')],
      ['decisions', decision('conclusive_grounds', 'positive', '2024-02-15')],
      ['exit', exit('2024-04-01')],
      ['follow-ups', { occurredAt: '2024-05-02', monthsSinceExit: 1, contactMade: true, housing: 'stable', occupation: 'employed', immigrationStatus: 'leave_to_remain', destitute: false, safeguardingConcern: false, reExploitationReported: false }],
      ['follow-ups', { occurredAt: '2024-07-02', monthsSinceExit: 3, contactMade: false }],
      ['re-referrals', { occurredAt: '2024-09-02', newReferralId: 'NRM-2024-0907', previousReferralId: 'NRM-2024-0001', sameIncident: false, competentAuthority: 'SCA' }],
      ['decisions', decision('reasonable_grounds', 'negative', '2024-09-04', 'NRM-2024-0907')],
    ];
    for (const [index, [route, body]] of steps.entries()) {
      const response = await api.post(`/journeys/${journeyId}/${route}`, body);
      expect([route, response.status, response.body]).toEqual([route, 201, expect.objectContaining({ revision: index + 1 })]);
      lastPosition = response.body.position;
    }
    const negative = await api.get(`/journeys/${journeyId}?minPosition=${lastPosition}`);
    const negativeRg = negative.body.episodes[1].decisions[0];
    expect(negativeRg).toMatchObject({ stage: 'reasonable_grounds', outcome: 'negative', waited: 2 });
    const asked = await api.post(`/journeys/${journeyId}/reconsiderations`, { referralId: 'NRM-2024-0907', decisionEventId: negativeRg.eventId, requestedOn: '2024-09-10' });
    expect(asked.status).toBe(201);
    const overturned = await api.post(`/journeys/${journeyId}/decisions`, decision('reasonable_grounds', 'positive', '2024-09-20', 'NRM-2024-0907'));
    expect(overturned.status).toBe(201);
    lastPosition = overturned.body.position;
  });

  it('shows the journey read model with status, waits, decisions and care', async () => {
    const api = worker();
    const journey = await api.get(`/journeys/${journeyId}`, { 'x-min-position': lastPosition });
    expect(journey.status).toBe(200);
    expect(journey.headers.get('etag')).toBe('"14"');
    expect(journey.body).toMatchObject({
      journeyId,
      organisationId: 'met-police',
      region: 'London',
      status: 'awaiting_conclusive_grounds',
      reReferred: true,
      currentReferralId: 'NRM-2024-0907',
      recoveryPeriodEndsOn: '2024-10-20',
      waiting: { for: 'conclusive_grounds', since: '2024-09-20' },
      overdue: { reasonableGrounds: false, followUp: false },
      services: ['accommodation'],
      totalCareCostPence: 250000,
      lastRevision: 14,
      personalData: 'held',
    });
    expect(journey.body.personalDetails).toBeUndefined();
    const details = await api.get(`/journeys/${journeyId}/personal-details`, { 'x-purpose': 'case_management' });
    expect(details.body).toMatchObject({
      status: 'held',
      personalDetails: { name: 'Test Person', dateOfBirth: '1995-03-02', contact: { phone: '07700900000' }, notes: 'Met at a car wash.' },
    });
    const [first, second] = journey.body.episodes;
    expect(first).toMatchObject({
      referralId: 'NRM-2024-0001',
      referredOn: '2024-01-09',
      reasonableGroundsTargetOn: '2024-01-16',
      reasonableGrounds: { outcome: 'positive', decidedAt: '2024-01-16', workingDays: 5, withinTarget: true },
      conclusiveGrounds: { outcome: 'positive', decidedAt: '2024-02-15', daysFromReasonableGrounds: 30, daysFromReferral: 37 },
      exit: { on: '2024-04-01', reason: 'move_on_complete', daysInSupport: 83 },
      needsAssessments: [{ on: '2024-01-12', riskLevel: 'high' }],
    });
    expect(first.followUps.map((f: any) => [f.monthsSinceExit, f.contactMade])).toEqual([[1, true], [3, false]]);
    expect(second).toMatchObject({
      number: 2, previousReferralId: 'NRM-2024-0001', sameIncident: false,
      reasonableGrounds: { outcome: 'positive', decidedAt: '2024-09-20' },
    });
    expect(second.decisions.map((d: any) => [d.outcome, d.reconsiderationRequestedOn ?? null])).toEqual([['negative', '2024-09-10'], ['positive', null]]);
  });

  it('lists the journey in its organisation’s caseload, and not in another’s', async () => {
    const api = worker();
    const mine = await api.get('/journeys?organisation=met-police&status=awaiting_conclusive_grounds');
    expect(mine.body).toMatchObject({ total: 1, page: 1, items: [{ journeyId, status: 'awaiting_conclusive_grounds', episodeCount: 2 }] });
    expect(mine.body.items[0].personalDetails).toBeUndefined();
    const theirs = await api.get('/journeys?organisation=kent-police');
    expect(theirs.body).toMatchObject({ total: 0, items: [] });
  });

  it('keeps everything after a restart on the same data folder', async () => {
    const api = worker();
    const before = await api.get(`/journeys/${journeyId}`);
    const headBefore = await api.head();
    await running.stop();
    running = await startApp(data.dir, env());
    const after = worker();
    expect(await after.head()).toBe(headBefore);
    const journey = await after.get(`/journeys/${journeyId}?minPosition=${headBefore}`);
    expect(journey.body).toEqual({ ...before.body });
    const next = await after.post(`/journeys/${journeyId}/needs-assessments`, { occurredAt: '2024-09-21', domains: ['health'], riskLevel: 'medium', dependants: 0 });
    expect(next.body.revision).toBe(15);
  });
});
