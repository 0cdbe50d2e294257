import { ukDateOf } from '../../libs/domain/src/calendar/calendar-date';
import { describeOnEachEventStore } from '../support/event-store-backends';
import { consent, decision, identification, referral } from '../../seeds/journey-requests';
import { useRunningApp } from '../support/running-app';

/**
 * An auditor replays a journey over HTTP: its history with provenance, its state at a
 * position and at a date on both bases, and a correction that is visible in all of them
 * while the original stays in the history.
 */
describeOnEachEventStore('auditing a journey over HTTP: history, state as at, corrections', (env) => {
  const app = useRunningApp(env);
  const auditor = () => app.as({ role: 'auditor', organisationId: 'nrm-audit', userId: 'auditor-1' });
  const today = ukDateOf(new Date().toISOString());
  let journeyId: string;
  let positions: string[] = [];
  let rgEventId: string;
  let correctionPosition: string;

  beforeAll(async () => {
    const created = await app.api.post('/journeys', identification());
    journeyId = created.body.journeyId;
    positions = [created.body.position];
    for (const [route, body] of [['consents', consent()], ['referrals', referral('2024-01-09')], ['decisions', decision('reasonable_grounds', 'positive', '2024-01-17')]] as const) {
      const response = await app.api.post(`/journeys/${journeyId}/${route}`, body, { 'x-correlation-id': 'audit-e2e' });
      expect(response.status).toBe(201);
      positions.push(response.body.position);
    }
  });

  it('lists every event in order with its provenance, personal details sealed as stored', async () => {
    const history = await auditor().get(`/journeys/${journeyId}/history`);
    expect(history.status).toBe(200);
    expect(history.body.events.map((e: any) => [e.revision, e.position, e.type])).toEqual([
      [0, positions[0], 'VictimIdentified'], [1, positions[1], 'ConsentRecorded'], [2, positions[2], 'VictimReferred'], [3, positions[3], 'DecisionMade'],
    ]);
    const [identified, , , rg] = history.body.events;
    expect(identified).toMatchObject({
      occurredAt: '2024-01-08', recordedBy: { userId: 'worker-7', role: 'support_worker', organisationId: 'met-police' },
      commandId: expect.any(String), correlationId: expect.any(String), schemaVersion: 2, correctedBy: [],
    });
    expect(ukDateOf(identified.recordedAt)).toBe(today);
    expect(identified.data.personalDetails.name).toMatch(/^pd1:/);
    expect(JSON.stringify(history.body)).not.toContain('Test Person');
    for (const event of history.body.events) expect(event.hash === null || typeof event.hash.eventHash === 'string').toBe(true);
    expect(rg).toMatchObject({ type: 'DecisionMade', occurredAt: '2024-01-17', data: { decidedAt: '2024-01-17' } });
    rgEventId = rg.eventId;
  });

  it('shows the journey as it stood at a position, and refuses a state nothing was recorded by', async () => {
    const atReferral = await auditor().get(`/journeys/${journeyId}/state?atPosition=${positions[2]}`);
    expect(atReferral.status).toBe(200);
    expect(atReferral.body).toMatchObject({
      journeyId, basis: 'recorded', atPosition: positions[2], asOf: today, stage: 'awaiting_reasonable_grounds', lastRevision: 2, corrections: [],
    });
    expect(atReferral.body.foldedEvents).toBeUndefined();
    const before = await auditor().get(`/journeys/${journeyId}/state?asOf=2020-01-01`);
    expect([before.status, before.body.code]).toEqual([404, 'JOURNEY_NOT_FOUND']);
    const both = await auditor().get(`/journeys/${journeyId}/state?asOf=${today}&atPosition=${positions[2]}`);
    expect([both.status, both.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('refuses corrections that are malformed, touch keys, or would break a rule; nothing is appended', async () => {
    const head = await app.api.head();
    const correct = (changes: unknown[], correctedEventId = rgEventId) =>
      auditor().post(`/journeys/${journeyId}/corrections`, { correctedEventId, changes, reason: 'Decision letter received' });
    const bad = await correct([{ field: 'decidedAt', value: '2024-13-40' }]);
    expect([bad.status, bad.body.code, bad.body.errors?.[0]?.field]).toEqual([400, 'VALIDATION_FAILED', 'changes[0].value']);
    const key = await correct([{ field: 'referralId', value: 'NRM-2024-9999' }]);
    expect([key.status, key.body.code, key.body.field]).toEqual([422, 'FIELD_NOT_CORRECTABLE', 'changes[0].field']);
    const early = await correct([{ field: 'decidedAt', value: '2024-01-05' }, { field: 'occurredAt', value: '2024-01-05' }]);
    expect([early.status, early.body.code]).toEqual([422, 'DATE_BEFORE_DEPENDENCY']);
    const missing = await correct([{ field: 'decidedAt', value: '2024-01-12' }], '00000000-0000-4000-8000-000000000000');
    expect([missing.status, missing.body.code]).toEqual([422, 'CORRECTED_EVENT_NOT_FOUND']);
    const elsewhere = await app.as({ role: 'support_worker', organisationId: 'another-org' }).post(`/journeys/${journeyId}/corrections`, { correctedEventId: rgEventId, changes: [{ field: 'reasonCode', value: 'x' }], reason: 'r' });
    expect([elsewhere.status, elsewhere.body.code]).toEqual([404, 'JOURNEY_NOT_FOUND']);
    const analyst = await app.as({ role: 'analyst' }).post(`/journeys/${journeyId}/corrections`, { correctedEventId: rgEventId, changes: [{ field: 'reasonCode', value: 'x' }], reason: 'r' });
    expect(analyst.status).toBe(403);
    expect(await app.api.head()).toBe(head);
  });

  it('records a correction: the original stays in the history, and the read model applies it', async () => {
    const corrected = await auditor().post(`/journeys/${journeyId}/corrections`, {
      correctedEventId: rgEventId,
      changes: [{ field: 'decidedAt', value: '2024-01-12' }, { field: 'occurredAt', value: '2024-01-12' }],
      reason: 'SCA decision letter ref 2024/118 shows 12 January',
    });
    expect(corrected.status).toBe(201);
    expect(corrected.body.revision).toBe(4);
    correctionPosition = corrected.body.position;

    const history = await auditor().get(`/journeys/${journeyId}/history`);
    const [rg, correction] = history.body.events.slice(3);
    expect(rg).toMatchObject({ eventId: rgEventId, data: { decidedAt: '2024-01-17' } });
    expect(correction).toMatchObject({
      type: 'RecordCorrected', occurredAt: today, recordedBy: { userId: 'auditor-1', role: 'auditor', organisationId: 'nrm-audit' },
      data: { correctedEventId: rgEventId, changes: [{ field: 'decidedAt', value: '2024-01-12' }, { field: 'occurredAt', value: '2024-01-12' }] },
    });
    expect(rg.correctedBy).toEqual([correction.eventId]);

    const journey = await auditor().get(`/journeys/${journeyId}?minPosition=${correctionPosition}`);
    expect(journey.body.episodes[0].reasonableGrounds).toEqual({ outcome: 'positive', decidedAt: '2024-01-12', workingDays: 3, withinTarget: true });
    expect(journey.body.recoveryPeriodEndsOn).toBe('2024-02-11');
  });

  it('shows the correction in the state as at: pending on what was recorded then, applied on what we now know', async () => {
    const recordedThen = await auditor().get(`/journeys/${journeyId}/state?atPosition=${positions[3]}`);
    expect(recordedThen.body.episodes[0].reasonableGrounds.decidedAt).toBe('2024-01-17');
    expect(recordedThen.body.corrections).toEqual([expect.objectContaining({ correctedEventId: rgEventId, applied: false, position: correctionPosition, reason: expect.stringContaining('2024/118') })]);

    const knownNow = await auditor().get(`/journeys/${journeyId}/state?asOf=2024-01-15&basis=occurred`);
    expect(knownNow.status).toBe(200);
    expect(knownNow.body).toMatchObject({ basis: 'occurred', asOf: '2024-01-15', status: 'in_recovery_period', waiting: { for: 'conclusive_grounds', since: '2024-01-12', days: 3 } });
    expect(knownNow.body.corrections).toEqual([expect.objectContaining({ correctedEventId: rgEventId, applied: true, changes: [{ field: 'decidedAt', value: '2024-01-12' }, { field: 'occurredAt', value: '2024-01-12' }] })]);
    const beforeTheDecision = await auditor().get(`/journeys/${journeyId}/state?asOf=2024-01-11&basis=occurred`);
    expect(beforeTheDecision.body).toMatchObject({ status: 'awaiting_reasonable_grounds', corrections: [] });

    const recordedToday = await auditor().get(`/journeys/${journeyId}/state?asOf=${today}`);
    const current = await auditor().get(`/journeys/${journeyId}`);
    const { basis, atPosition, corrections, ...view } = recordedToday.body;
    expect([basis, atPosition, corrections]).toEqual(['recorded', null, []]);
    expect(view).toEqual(current.body);
  });

  it('corrects personal details sealed, and opens them as corrected, on the record', async () => {
    const worker = app.api;
    const corrected = await worker.post(`/journeys/${journeyId}/corrections`, {
      correctedEventId: (await auditor().get(`/journeys/${journeyId}/history`)).body.events[0].eventId,
      changes: [{ field: 'personalDetails.name', value: 'Corrected Person' }],
      reason: 'Name misspelt at identification',
    });
    expect(corrected.status).toBe(201);
    const history = await auditor().get(`/journeys/${journeyId}/history`);
    expect(JSON.stringify(history.body)).not.toContain('Corrected Person');
    expect(history.body.events[5].data.changes[0].value).toMatch(/^pd1:/);
    const details = await auditor().get(`/journeys/${journeyId}/personal-details`, { 'x-purpose': 'audit' });
    expect(details.body.personalDetails).toMatchObject({ name: 'Corrected Person', dateOfBirth: '1995-03-02', contact: { phone: '07700900000' } });
  });

  it('hides history and state from another organisation’s support worker', async () => {
    const other = app.as({ role: 'support_worker', organisationId: 'another-org' });
    expect((await other.get(`/journeys/${journeyId}/history`)).status).toBe(404);
    expect((await other.get(`/journeys/${journeyId}/state`)).status).toBe(404);
    expect((await app.api.get(`/journeys/${journeyId}/history`)).status).toBe(200);
  });
});
