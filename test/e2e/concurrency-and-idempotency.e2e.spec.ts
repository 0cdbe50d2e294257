import { randomUUID } from 'node:crypto';
import { describeOnEachEventStore } from '../support/event-store-backends';
import { useRunningApp } from '../support/running-app';
import { consent, identification, referral } from '../../seeds/journey-requests';

describeOnEachEventStore('optimistic concurrency and idempotent retries over HTTP', (env) => {
  const app = useRunningApp(env);

  const care = (providerId: string) => ({ service: 'counselling', providerId, startedOn: '2024-01-10' });

  /** The journey's last revision once the read model has caught up with everything recorded. */
  async function revisionOf(id: string): Promise<number> {
    return (await app.api.get(`/journeys/${id}?minPosition=${await app.api.head()}`)).body.lastRevision;
  }

  async function referredJourney(): Promise<{ id: string; etag: string }> {
    const { body } = await app.api.post('/journeys', identification());
    await app.api.post(`/journeys/${body.journeyId}/consents`, consent());
    const referred = await app.api.post(`/journeys/${body.journeyId}/referrals`, referral());
    return { id: body.journeyId, etag: referred.headers.get('etag')! };
  }

  it('lets exactly one of two concurrent commands with the same If-Match through; the other gets 409', async () => {
    const { id, etag } = await referredJourney();
    const [a, b] = await Promise.all([
      app.api.post(`/journeys/${id}/care`, care('provider-a'), { 'if-match': etag }),
      app.api.post(`/journeys/${id}/care`, care('provider-b'), { 'if-match': etag }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body).toMatchObject({ code: 'CONCURRENCY_CONFLICT', currentRevision: 3 });
    expect(loser.headers.get('etag')).toBe('"3"');
    expect(await revisionOf(id)).toBe(3);
  });

  it('races many conditional commands: one winner per revision, every loser 409, nothing else stored', async () => {
    const { id, etag } = await referredJourney();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => app.api.post(`/journeys/${id}/care`, care(`p-${i}`), { 'if-match': etag })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    const journey = await app.api.get(`/journeys/${id}?minPosition=${await app.api.head()}`);
    expect(journey.body.episodes[0].care).toHaveLength(1);
  });

  it('records unconditional concurrent commands one after another (no lost update)', async () => {
    const { id } = await referredJourney();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => app.api.post(`/journeys/${id}/care`, care(`p-${i}`))));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(results.map((r) => r.body.revision).sort((x, y) => x - y)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('refuses a stale If-Match with 409 and the current revision', async () => {
    const { id } = await referredJourney();
    const stale = await app.api.post(`/journeys/${id}/care`, care('p'), { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.body.currentRevision).toBe(2);
  });

  it('returns the original result for a retried Idempotency-Key and appends nothing', async () => {
    const { id } = await referredJourney();
    const key = randomUUID();
    const first = await app.api.post(`/journeys/${id}/care`, care('p-1'), { 'idempotency-key': key });
    const head = await app.api.head();
    const retry = await app.api.post(`/journeys/${id}/care`, care('p-1'), { 'idempotency-key': key });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await app.api.head()).toBe(head);
  });

  it('treats the same body with keys in another order as the same request', async () => {
    const { id } = await referredJourney();
    const key = randomUUID();
    const first = await app.api.post(`/journeys/${id}/care`, { service: 'legal', providerId: 'p', startedOn: '2024-01-10' }, { 'idempotency-key': key });
    const retry = await app.api.post(`/journeys/${id}/care`, { startedOn: '2024-01-10', providerId: 'p', service: 'legal' }, { 'idempotency-key': key });
    expect(retry.body).toEqual(first.body);
  });

  it('returns the same new journey when an identification is retried with its key', async () => {
    const key = randomUUID();
    const first = await app.api.post('/journeys', identification(), { 'idempotency-key': key });
    const retry = await app.api.post('/journeys', identification(), { 'idempotency-key': key });
    expect(retry.body.journeyId).toBe(first.body.journeyId);
  });

  it('refuses the same key with a different body (422) and appends nothing', async () => {
    const { id } = await referredJourney();
    const key = randomUUID();
    await app.api.post(`/journeys/${id}/care`, care('p-1'), { 'idempotency-key': key });
    const head = await app.api.head();
    const other = await app.api.post(`/journeys/${id}/care`, care('p-2'), { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await app.api.head()).toBe(head);
  });

  it('appends once when the same key is retried concurrently', async () => {
    const { id } = await referredJourney();
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 8 }, () => app.api.post(`/journeys/${id}/care`, care('p-1'), { 'idempotency-key': key })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(results.map((r) => r.body.position)).size).toBe(1);
    expect(await revisionOf(id)).toBe(3);
  });

  it('keeps idempotency keys across a restart (stored, not cached)', async () => {
    const { id } = await referredJourney();
    const key = randomUUID();
    const first = await app.api.post(`/journeys/${id}/care`, care('p-1'), { 'idempotency-key': key });
    await app.restart();
    const retry = await app.api.post(`/journeys/${id}/care`, care('p-1'), { 'idempotency-key': key });
    expect(retry.body).toEqual(first.body);
  });
});
