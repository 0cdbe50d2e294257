import { addDays, ukDateOf } from '../../libs/domain/src/calendar/calendar-date';
import { NEXT_STEP_IDS } from '../../libs/domain/src/journey/next-steps';
import { consent, identification, referral } from '../../seeds/journey-requests';
import { useRunningApp } from '../support/running-app';

/**
 * GET /journeys/:id/next-steps over HTTP: what the rules allow next, answered by the decider,
 * with the revision it was worked out from; who may ask, and on whose caseload.
 * Dates are relative to today, so the recovery period is still running when the test runs.
 */
describe('the next steps of a journey over HTTP', () => {
  const app = useRunningApp();
  const today = ukDateOf(new Date().toISOString());
  const day = (offset: number) => addDays(today, offset);
  let journeyId: string;
  let revision: number;

  beforeAll(async () => {
    const created = await app.api.post('/journeys', identification({ occurredAt: day(-20) }));
    journeyId = created.body.journeyId;
    const steps: Array<[string, unknown]> = [
      ['consents', consent(true, day(-20))],
      ['referrals', referral(day(-19), 'NRM-2024-00011')],
      ['decisions', { referralId: 'NRM-2024-00011', stage: 'reasonable_grounds', outcome: 'positive', decidedAt: day(-5) }],
    ];
    for (const [route, body] of steps) {
      const response = await app.api.post(`/journeys/${journeyId}/${route}`, body);
      expect([route, response.status]).toEqual([route, 201]);
      revision = response.body.revision;
    }
  });

  const byStep = (body: any) => Object.fromEntries(body.steps.map((s: any) => [s.step, s]));

  it('lists every step with its route, preset and the decider’s answer, at the journey’s revision (also the ETag)', async () => {
    const response = await app.api.get(`/journeys/${journeyId}/next-steps`);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(`"${revision}"`);
    expect(response.body).toMatchObject({ journeyId, revision: 3, asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const asOf = response.body.asOf;
    expect(response.body.steps.map((s: any) => s.step)).toEqual([...NEXT_STEP_IDS]);
    for (const s of response.body.steps) {
      expect(s).toMatchObject({ title: expect.any(String), method: 'POST', path: expect.stringMatching(new RegExp(`^/journeys/${journeyId}/[a-z-]+$`)), preset: expect.any(Object), allowed: expect.any(Boolean) });
      expect(s.probe).toBeUndefined();
      if (s.allowed) expect(s.reason).toBeUndefined();
      else expect(s.reason).toEqual({ code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String) });
    }
    const steps = byStep(response.body);
    expect(steps['conclusive-grounds-decision']).toEqual({
      step: 'conclusive-grounds-decision', title: 'Record the Conclusive Grounds decision', method: 'POST', path: `/journeys/${journeyId}/decisions`,
      preset: { stage: 'conclusive_grounds', referralId: 'NRM-2024-00011' },
      allowed: false,
      reason: { code: 'CONCLUSIVE_GROUNDS_BEFORE_RECOVERY_PERIOD', message: expect.stringContaining(addDays(day(-5), 30)) },
      availableFrom: addDays(day(-5), 30),
    });
    expect(steps['reasonable-grounds-decision']).toMatchObject({ allowed: false, reason: { code: 'REASONABLE_GROUNDS_ALREADY_DECIDED' }, preset: { stage: 'reasonable_grounds', referralId: 'NRM-2024-00011' } });
    expect(steps.referral).toMatchObject({ path: `/journeys/${journeyId}/referrals`, allowed: false, reason: { code: 'ALREADY_REFERRED' } });
    expect(steps.reconsideration).toMatchObject({ path: `/journeys/${journeyId}/reconsiderations`, allowed: false, reason: { code: 'RECONSIDERATION_OF_POSITIVE_DECISION' } });
    expect(steps.exit).toMatchObject({ allowed: true, allowedValues: { reason: expect.not.arrayContaining(['move_on_complete']) } });
    expect(steps['follow-up']).toMatchObject({ path: `/journeys/${journeyId}/follow-ups`, allowed: false, reason: { code: 'FOLLOW_UP_WITHOUT_EXIT' } });
    expect(response.body.steps.filter((s: any) => s.allowed).map((s: any) => s.step)).toEqual(['consent', 'circumstances', 'needs-assessment', 'care', 'exit']);
    expect(asOf).toBe(ukDateOf(new Date().toISOString()));
  });

  it('names routes the API serves: every path is a POST of the OpenAPI document', async () => {
    const openApi = await app.anonymous().get('/docs/openapi.json');
    const response = await app.api.get(`/journeys/${journeyId}/next-steps`);
    for (const s of response.body.steps) {
      expect([s.step, openApi.body.paths[s.path.replace(journeyId, '{id}')]?.post ? 'POST' : 'missing']).toEqual([s.step, 'POST']);
    }
    expect(openApi.body.paths['/journeys/{id}/next-steps'].get.summary).toMatch(/next/);
  });

  it('agrees with the API: a refused step is refused with the code given; an allowed one, sent with If-Match at the revision given, is recorded', async () => {
    const { body } = await app.api.get(`/journeys/${journeyId}/next-steps`);
    const steps = byStep(body);
    const cg = steps['conclusive-grounds-decision'];
    const refused = await app.api.post(cg.path, { ...cg.preset, outcome: 'positive', decidedAt: body.asOf });
    expect([refused.status, refused.body.code]).toEqual([422, cg.reason.code]);
    const needs = steps['needs-assessment'];
    const recorded = await app.api.post(needs.path, { ...needs.preset, occurredAt: body.asOf, domains: ['health'], riskLevel: 'low', dependants: 0 }, { 'if-match': `"${body.revision}"` });
    expect(recorded.status).toBe(201);
    expect(recorded.body.revision).toBe(body.revision + 1);
    const stale = await app.api.post(needs.path, { occurredAt: body.asOf, domains: ['health'], riskLevel: 'low', dependants: 0 }, { 'if-match': `"${body.revision}"` });
    expect([stale.status, stale.body.code]).toEqual([409, 'CONCURRENCY_CONFLICT']);
    // Read from the record itself: the new revision at once, with or without a position to wait for.
    const after = await app.api.get(`/journeys/${journeyId}/next-steps?minPosition=${recorded.body.position}`);
    expect([after.status, after.body.revision, after.headers.get('etag')]).toEqual([200, body.revision + 1, `"${body.revision + 1}"`]);
    const viaHeader = await app.api.get(`/journeys/${journeyId}/next-steps`, { 'x-min-position': recorded.body.position });
    expect(viaHeader.body.revision).toBe(body.revision + 1);
  });

  it('offers a reconsideration of a recent negative decision with its preset and deadline, and the API records it', async () => {
    const created = await app.api.post('/journeys', identification({ occurredAt: day(-10), ageGroup: 'child' }));
    const id = created.body.journeyId;
    expect((await app.api.post(`/journeys/${id}/referrals`, referral(day(-9), 'NRM-2024-00077'))).status).toBe(201);
    expect((await app.api.post(`/journeys/${id}/decisions`, { referralId: 'NRM-2024-00077', stage: 'reasonable_grounds', outcome: 'negative', decidedAt: day(-3) })).status).toBe(201);
    const { body } = await app.api.get(`/journeys/${id}/next-steps`);
    const reconsideration = byStep(body).reconsideration;
    expect(reconsideration).toMatchObject({
      allowed: true, path: `/journeys/${id}/reconsiderations`,
      preset: { referralId: 'NRM-2024-00077', decisionEventId: expect.any(String) }, availableUntil: addDays(day(-3), 30),
    });
    expect(byStep(body)['duty-to-notify'].reason.code).toBe('DUTY_TO_NOTIFY_NOT_FOR_CHILD');
    const asked = await app.api.post(reconsideration.path, { ...reconsideration.preset, requestedOn: body.asOf }, { 'if-match': `"${body.revision}"` });
    expect(asked.status).toBe(201);
    const after = byStep((await app.api.get(`/journeys/${id}/next-steps`)).body);
    expect(after.reconsideration.reason.code).toBe('RECONSIDERATION_ALREADY_REQUESTED');
    expect(after['reasonable-grounds-decision']).toMatchObject({ allowed: true, preset: { stage: 'reasonable_grounds', referralId: 'NRM-2024-00077' } });
  });

  it('is for support workers on their caseload and for auditors; another organisation’s journey is not found', async () => {
    const path = `/journeys/${journeyId}/next-steps`;
    expect((await app.as({ role: 'auditor', organisationId: 'audit-office' }).get(path)).status).toBe(200);
    for (const role of ['analyst', 'admin'] as const) {
      const refused = await app.as({ role, organisationId: 'met-police' }).get(path);
      expect([role, refused.status, refused.body.code]).toEqual([role, 403, 'FORBIDDEN']);
    }
    expect((await app.anonymous().get(path)).status).toBe(401);
    const elsewhere = await app.as({ role: 'support_worker', organisationId: 'kent-police' }).get(path);
    expect([elsewhere.status, elsewhere.body.code]).toEqual([404, 'JOURNEY_NOT_FOUND']);
    const unknown = await app.api.get('/journeys/00000000-0000-4000-8000-000000000000/next-steps');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'JOURNEY_NOT_FOUND']);
    expect((await app.api.get('/journeys/not-a-uuid/next-steps')).status).toBe(400);
    const badPosition = await app.api.get(`${path}?minPosition=abc`);
    expect([badPosition.status, badPosition.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
