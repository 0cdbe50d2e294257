import { consent, decision, exit, identification, referral } from '../../seeds/journey-requests';
import { useRunningApp } from '../support/running-app';

/**
 * The caseload's search by referral reference: GET /journeys?reference=, over a journey's
 * current and earlier referrals, ignoring case and surrounding spaces; a support worker's
 * own organisation only, as every caseload query.
 */
describe('the caseload searched by referral reference', () => {
  const app = useRunningApp();
  const own = () => app.as({ role: 'support_worker', organisationId: 'org-a' });
  const other = () => app.as({ role: 'support_worker', organisationId: 'org-b' });
  const auditor = () => app.as({ role: 'auditor', organisationId: 'audit-office' });
  let reReferred: string;
  let single: string;
  let elsewhere: string;
  let position = '0';

  async function journey(api: ReturnType<typeof own>, steps: Array<[string, unknown]>): Promise<string> {
    const created = await api.post('/journeys', identification());
    for (const [route, body] of steps) {
      const response = await api.post(`/journeys/${created.body.journeyId}/${route}`, body);
      expect([route, response.status]).toEqual([route, 201]);
      position = response.body.position;
    }
    return created.body.journeyId;
  }

  beforeAll(async () => {
    reReferred = await journey(own(), [
      ['consents', consent()],
      ['referrals', referral('2024-01-09', 'NRM-2024-00011')],
      ['decisions', decision('reasonable_grounds', 'negative', '2024-01-12', 'NRM-2024-00011')],
      ['exit', exit('2024-02-01', 'negative_decision')],
      ['re-referrals', { occurredAt: '2024-09-02', newReferralId: 'NRM-2024-00099', previousReferralId: 'NRM-2024-00011', sameIncident: false, competentAuthority: 'SCA' }],
    ]);
    single = await journey(own(), [['consents', consent()], ['referrals', referral('2024-01-10', 'NRM-2024-00012')]]);
    await journey(own(), [['consents', consent()]]);
    // Another organisation's journey with the same reference (references are not unique across caseloads).
    elsewhere = await journey(other(), [['consents', consent()], ['referrals', referral('2024-01-09', 'NRM-2024-00011')]]);
  });

  const ids = (body: any) => body.items.map((i: any) => i.journeyId).sort();
  const search = (api: ReturnType<typeof own>, query: string) => api.get(`/journeys?${query}&minPosition=${position}`);

  it('finds a journey by an earlier referral and by its current one', async () => {
    const earlier = await search(own(), 'reference=NRM-2024-00011');
    expect(earlier.status).toBe(200);
    expect(earlier.body).toMatchObject({ total: 1, items: [{ journeyId: reReferred, currentReferralId: 'NRM-2024-00099', episodeCount: 2 }] });
    expect(ids((await search(own(), 'reference=NRM-2024-00099')).body)).toEqual([reReferred]);
    expect(ids((await search(own(), 'reference=NRM-2024-00012')).body)).toEqual([single]);
  });

  it('matches exactly, ignoring case and surrounding spaces', async () => {
    expect(ids((await search(own(), `reference=${encodeURIComponent('  nrm-2024-00011 ')}`)).body)).toEqual([reReferred]);
    for (const near of ['NRM-2024-0001', 'NRM-2024-000111', 'NRM.2024.00011', 'RM-2024-00011']) {
      const response = await search(own(), `reference=${encodeURIComponent(near)}`);
      expect([near, response.status, response.body.total]).toEqual([near, 200, 0]);
    }
  });

  it('keeps a support worker to their organisation’s caseload; an auditor searches every caseload', async () => {
    expect(ids((await search(other(), 'reference=NRM-2024-00011')).body)).toEqual([elsewhere]);
    expect(ids((await search(other(), 'reference=NRM-2024-00099')).body)).toEqual([]);
    expect(ids((await search(auditor(), 'reference=NRM-2024-00011')).body)).toEqual([reReferred, elsewhere].sort());
    expect(ids((await search(auditor(), 'reference=NRM-2024-00011&organisation=org-b')).body)).toEqual([elsewhere]);
  });

  it('combines with the other filters', async () => {
    expect(ids((await search(own(), 'reference=NRM-2024-00012&status=awaiting_reasonable_grounds')).body)).toEqual([single]);
    expect((await search(own(), 'reference=NRM-2024-00012&status=exited')).body.total).toBe(0);
    expect(ids((await search(own(), 'reference=nrm-2024-00099&overdue=true')).body)).toEqual([reReferred]);
  });

  it('treats an empty reference as no search, and refuses one that cannot be a reference', async () => {
    expect((await search(own(), 'reference=')).body.total).toBe(3);
    expect((await search(own(), 'reference=%20%20')).body.total).toBe(3);
    for (const bad of ['NRM 2024', 'NRM*', '.*', '-NRM', 'N'.repeat(65), '(a)']) {
      const response = await search(own(), `reference=${encodeURIComponent(bad)}`);
      expect([bad, response.status, response.body.code, response.body.errors?.[0]?.field]).toEqual([bad, 400, 'VALIDATION_FAILED', 'reference']);
    }
  });
});
