import { randomUUID } from 'node:crypto';
import { useRunningApp } from '../support/running-app';
import { identification } from '../../seeds/journey-requests';

describe('bad input: 400 naming each field and rule, nothing appended', () => {
  const app = useRunningApp({ BODY_LIMIT_BYTES: '4096', READ_YOUR_WRITES_TIMEOUT_MS: '200' });

  async function expect400(path: string, body: unknown) {
    const head = await app.api.head();
    const response = await app.api.post(path, body);
    expect(response.status).toBe(400);
    expect(await app.api.head()).toBe(head);
    return response.body;
  }

  it('names every bad field, including nested ones, with its rule', async () => {
    const body = await expect400('/journeys', identification({
      ageGroup: 'elderly', nationality: 'XX', occurredAt: '2023-02-29', policeForceArea: 'E99999999',
      firstResponder: { organisationId: 'x', organisationType: 'wizard' }, exploitationTypes: [],
    }));
    expect(body.code).toBe('VALIDATION_FAILED');
    const fields = body.errors.map((e: any) => `${e.field}:${e.rule}`);
    expect(fields).toEqual(expect.arrayContaining([
      'ageGroup:isIn', 'nationality:isIn', 'occurredAt:isCalendarDate', 'policeForceArea:isIn',
      'firstResponder.organisationType:isIn', 'exploitationTypes:arrayMinSize',
    ]));
    expect(body.errors.find((e: any) => e.field === 'firstResponder.organisationType').message).toContain('firstResponder.organisationType');
  });

  it('refuses unknown fields', async () => {
    const body = await expect400('/journeys', identification({ favouriteColour: 'blue' }));
    expect(body.errors).toEqual([expect.objectContaining({ field: 'favouriteColour', rule: 'unknownField' })]);
  });

  it('refuses answers on a follow-up where no contact was made, and requires them where it was', async () => {
    const { body: created } = await app.api.post('/journeys', identification());
    const noContact = await expect400(`/journeys/${created.journeyId}/follow-ups`, { occurredAt: '2024-05-01', monthsSinceExit: 1, contactMade: false, housing: 'stable' });
    expect(noContact.errors).toEqual([expect.objectContaining({ field: 'housing', rule: 'absentWithoutContact' })]);
    const contact = await expect400(`/journeys/${created.journeyId}/follow-ups`, { occurredAt: '2024-05-01', monthsSinceExit: 1, contactMade: true });
    expect(contact.errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(['housing', 'occupation', 'immigrationStatus', 'destitute']));
  });

  it('refuses a body that is not a JSON object, and malformed JSON', async () => {
    expect((await expect400('/journeys', [1, 2])).errors[0].field).toBe('body');
    expect((await expect400('/journeys', '{"occurredAt":')).code).toBe('MALFORMED_BODY');
  });

  it('refuses a journey id that is not a UUID, and a malformed If-Match', async () => {
    expect((await expect400('/journeys/not-a-uuid/consents', {})).errors[0].field).toBe('id');
    const response = await app.api.post(`/journeys/${randomUUID()}/consents`, { occurredAt: '2024-01-08', scope: 'nrm_referral', given: true, interpreterUsed: false }, { 'if-match': 'yesterday' });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('If-Match');
  });

  it('refuses a body over BODY_LIMIT_BYTES with 413', async () => {
    const response = await app.api.post('/journeys', identification({ personalDetails: { notes: 'x'.repeat(5000) } }));
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('BODY_TOO_LARGE');
  });

  it('answers 503 with Retry-After when a read waits for a position not reached in time', async () => {
    const response = await app.api.get(`/journeys?minPosition=999999`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.body.code).toBe('NOT_YET_PROJECTED');
  });

  it('serves the OpenAPI document with every route', async () => {
    const doc = await app.api.get('/docs/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining([
      '/journeys', '/journeys/{id}', '/journeys/{id}/consents', '/journeys/{id}/duty-to-notify', '/journeys/{id}/circumstances',
      '/journeys/{id}/referrals', '/journeys/{id}/decisions', '/journeys/{id}/reconsiderations', '/journeys/{id}/needs-assessments',
      '/journeys/{id}/care', '/journeys/{id}/exit', '/journeys/{id}/follow-ups', '/journeys/{id}/re-referrals', '/health',
    ]));
  });
});
