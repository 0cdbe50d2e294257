import { EsdbTestServer } from '../support/esdb-test-server';
import { consent, identification, referral } from '../../seeds/journey-requests';
import { client, startApp, temporaryDataDir, RunningApp, tokenFor, SUPPORT_WORKER } from '../support/running-app';

/**
 * The EventStoreDB node dies while the projector's subscription is open, and comes back:
 * commands meanwhile get 503 and record nothing; the projector resubscribes with backoff from
 * its checkpoint, and the read model ends with every event applied exactly once.
 */
describe('EventStoreDB going away and coming back', () => {
  const data = temporaryDataDir();
  let server: EsdbTestServer;
  let running: RunningApp;
  beforeAll(async () => {
    server = await EsdbTestServer.start({ maxAppendSize: 4 * 1024 * 1024 });
    running = await startApp(data.dir, {
      EVENTSTORE_CONNECTION_STRING: `${server.connectionString}&defaultDeadline=2000`,
      PROJECTOR_RETRY_MIN_MS: '50',
      PROJECTOR_RETRY_MAX_MS: '400',
      PROJECTOR_BATCH_SIZE: '2',
    });
  });
  afterAll(async () => {
    await running?.stop();
    await server?.close();
    data.remove();
  });

  const care = (providerId: string) => ({ service: 'outreach', providerId, startedOn: '2024-01-10' });

  /** Retries while the client reconnects; returns the first non-503 answer. */
  async function recordWhenBack(path: string, body: unknown) {
    const api = client(running.url, tokenFor(data.dir, SUPPORT_WORKER));
    for (let attempt = 0; attempt < 100; attempt++) {
      const response = await api.post(path, body);
      if (response.status !== 503 && response.status !== 500) return response;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${path} never came back`);
  }

  it('resumes projecting from the checkpoint without loss or duplication', async () => {
    const api = client(running.url, tokenFor(data.dir, SUPPORT_WORKER));
    const { body } = await api.post('/journeys', identification());
    const id = body.journeyId;
    await api.post(`/journeys/${id}/consents`, consent());
    const referred = await api.post(`/journeys/${id}/referrals`, referral());
    expect((await api.get(`/journeys/${id}?minPosition=${referred.body.position}`)).body.lastRevision).toBe(2);
    for (const provider of ['a', 'b', 'c']) expect((await api.post(`/journeys/${id}/care`, care(provider))).status).toBe(201);

    await server.stop();
    const during = await api.post(`/journeys/${id}/care`, care('during-outage'));
    expect(during.status).toBe(503);
    expect(during.body.code).toBe('EVENT_STORE_UNAVAILABLE');
    await new Promise((r) => setTimeout(r, 300));
    const health = (await api.get('/health')).body;
    expect(health.projections[0]).toMatchObject({ connected: false, reconnect: { attempts: expect.any(Number) } });
    await server.restart();

    let last = '';
    for (const provider of ['d', 'e']) {
      const response = await recordWhenBack(`/journeys/${id}/care`, care(provider));
      expect(response.status).toBe(201);
      last = response.body.position;
    }
    const journey = await api.get(`/journeys/${id}?minPosition=${last}`);
    expect(journey.status).toBe(200);
    expect(journey.body.episodes[0].care.map((c: { providerId: string }) => c.providerId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(journey.body.lastRevision).toBe(7);
    const after = (await api.get('/health')).body;
    expect(after.projections[0]).toMatchObject({ connected: true, running: true, lastError: null, behind: false });
  });
});
