import { consent, identification, referral } from '../../seeds/journey-requests';
import { useRunningApp } from '../support/running-app';
import { journeyProjection } from '../../projections/journeys/journey.projection';

const V = journeyProjection.version;


/** Operators see each projection's lag and can rebuild one; reads never fail while it happens. */
describe('projection status and rebuild over HTTP', () => {
  const app = useRunningApp({ PROJECTION_RETIRE_AFTER_MS: '200', PROJECTOR_BATCH_SIZE: '1' });
  const admin = () => app.as({ role: 'admin' });

  it('reports each projection with its serving collection and lag', async () => {
    const { body } = await app.api.post('/journeys', identification());
    const status = await admin().get(`/projections`, { 'x-min-position': '0' });
    expect(status.status).toBe(200);
    expect(status.body).toEqual([
      expect.objectContaining({ name: 'journeys', version: V, serving: `journeys__v${V}`, running: true, lastError: null, rebuilding: null }),
      expect.objectContaining({ name: 'analytics', running: true, lastError: null, rebuilding: null }),
    ]);
    expect(status.body[0]).toHaveProperty('lagEvents');
    expect(status.body[0]).toHaveProperty('lagSeconds');
    expect(body.journeyId).toEqual(expect.any(String));
  });

  it('rebuilds the journeys read model into a new collection and switches, with every read answered meanwhile', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const { body } = await app.api.post('/journeys', identification());
      await app.api.post(`/journeys/${body.journeyId}/consents`, consent());
      ids.push(body.journeyId);
    }
    const last = await app.api.post(`/journeys/${ids[0]}/referrals`, referral());
    const before = await app.api.get(`/journeys/${ids[0]}?minPosition=${last.body.position}`);

    const started = await admin().post('/projections/journeys/rebuild', {});
    expect(started.status).toBe(202);
    const statuses: number[] = [];
    let serving = `journeys__v${V}`;
    for (let i = 0; i < 400 && serving === `journeys__v${V}`; i++) {
      statuses.push((await app.api.get(`/journeys/${ids[i % ids.length]}`)).status);
      serving = (await admin().get('/projections')).body[0].serving;
    }
    expect(serving).toMatch(new RegExp(`^journeys__v${V}__\\d+$`));
    expect(new Set(statuses)).toEqual(new Set([200]));
    const after = await app.api.get(`/journeys/${ids[0]}`);
    expect(after.body).toEqual(before.body);
  });

  it('answers 404 for a projection that does not exist', async () => {
    const response = await admin().post('/projections/nothing/rebuild', {});
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('PROJECTION_NOT_FOUND');
  });
});
