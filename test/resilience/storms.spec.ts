import { randomUUID } from 'node:crypto';
import type { EventStore, StoredEvent } from '../../libs/event-store/src/event-store.port';
import { EVENT_STORE } from '../../apps/api/src/infrastructure/tokens';
import { consent, identification, referral } from '../../seeds/journey-requests';
import { useRunningApp, type HttpResult } from '../support/running-app';
import { sized, timeoutFor } from './long-run';

/**
 * Issue 10, "prove nothing is lost", under concurrency: many writers racing on the same
 * journeys with the same If-Match, and many identical retries racing with the same
 * Idempotency-Key. The events stored are compared, one by one, with the responses that said
 * they were recorded: nothing lost, nothing doubled, nothing else.
 *
 * Bounded by default; LONG_TESTS=1 for 100 journeys x 20 writers and 50 retries per key.
 */
const JOURNEYS = sized(10, 100);
const WRITERS = sized(10, 20);
const ROUNDS = sized(3, 5);
const KEYS = sized(6, 30);
const RETRIES = sized(20, 50);

/** Events the fixture writes per journey: identification, consent, referral. */
const SETUP_EVENTS = 3;

describe('concurrency and idempotency storms', () => {
  const app = useRunningApp({ RATE_LIMIT_PER_WINDOW: '10000000', RATE_LIMIT_PER_USER_PER_WINDOW: '10000000' });
  const store = () => app.app.app.get<symbol, EventStore>(EVENT_STORE, { strict: false });

  async function eventsAfter(position: bigint | undefined): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for await (const event of store().readAll({ after: position })) events.push(event);
    return events;
  }

  async function referredJourney(): Promise<string> {
    const created = await app.api.post('/journeys', identification());
    expect(created.status).toBe(201);
    const id = created.body.journeyId as string;
    expect((await app.api.post(`/journeys/${id}/consents`, consent())).status).toBe(201);
    expect((await app.api.post(`/journeys/${id}/referrals`, referral())).status).toBe(201);
    return id;
  }

  /** The conflicting commands writers send: care or a needs assessment, each with its own values. */
  function stepOf(journey: number, round: number, writer: number): { path: string; body: Record<string, unknown>; type: string; data: Record<string, unknown> } {
    if (writer % 2 === 0) {
      const body = { service: 'counselling', providerId: `j${journey}-r${round}-w${writer}`, startedOn: '2024-01-10' };
      return { path: 'care', body, type: 'CareProvided', data: { ...body, occurredAt: body.startedOn } };
    }
    const body = { occurredAt: '2024-01-12', domains: ['health', `round_${round}`], riskLevel: 'medium', dependants: writer };
    return { path: 'needs-assessments', body, type: 'NeedsAssessed', data: body };
  }

  it(`lets exactly one of ${WRITERS} writers with the same If-Match through per journey and revision, for ${JOURNEYS} journeys and ${ROUNDS} rounds; the log holds exactly the winners`, async () => {
    const headBefore = await store().headPosition();
    const journeys = await Promise.all(Array.from({ length: JOURNEYS }, referredJourney));
    const winners = new Map<string, Array<{ revision: number; position: string; type: string; data: Record<string, unknown> }>>(journeys.map((id) => [id, []]));
    const problems: string[] = [];
    let conflicts = 0;
    let requests = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const expected = SETUP_EVENTS - 1 + round; // the revision every writer of this round read
      const results = await Promise.all(journeys.flatMap((id, j) => Array.from({ length: WRITERS }, async (_, w) => {
        const step = stepOf(j, round, w);
        const response = await app.api.post(`/journeys/${id}/${step.path}`, step.body, { 'if-match': `"${expected}"` });
        return { id, step, response };
      })));
      requests += results.length;
      for (const id of journeys) {
        const mine = results.filter((r) => r.id === id);
        const won = mine.filter((r) => r.response.status === 201);
        const lost = mine.filter((r) => r.response.status !== 201);
        if (won.length !== 1) {
          problems.push(`${id} round ${round}: ${won.length} winners (${mine.map((r) => r.response.status).join(' ')})`);
          continue;
        }
        const winner = won[0].response;
        if (winner.body.revision !== expected + 1 || winner.headers.get('etag') !== `"${expected + 1}"`) {
          problems.push(`${id} round ${round}: the winner got revision ${winner.body.revision} (ETag ${winner.headers.get('etag')}), not ${expected + 1}`);
        }
        for (const loser of lost) {
          conflicts++;
          const r = loser.response;
          if (r.status !== 409 || r.body?.code !== 'CONCURRENCY_CONFLICT' || r.body.currentRevision !== expected + 1 || r.headers.get('etag') !== `"${expected + 1}"`) {
            problems.push(`${id} round ${round}: a loser got ${r.status} ${JSON.stringify(r.body)} ETag ${r.headers.get('etag')}, not 409 at revision ${expected + 1}`);
          }
        }
        winners.get(id)!.push({ revision: winner.body.revision, position: winner.body.position, type: won[0].step.type, data: won[0].step.data });
      }
    }
    expect(problems).toEqual([]);

    // The log, after the storm, holds the fixtures' events and the winners', and nothing else.
    const stored = await eventsAfter(headBefore);
    expect(stored).toHaveLength(JOURNEYS * (SETUP_EVENTS + ROUNDS));
    const byStream = new Map<string, StoredEvent[]>();
    for (const event of stored) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
    expect(byStream.size).toBe(JOURNEYS);
    // Each journey's history, read over HTTP from the event store, equals its winners, event by event.
    for (const id of journeys) {
      const history = await app.api.get(`/journeys/${id}/history`);
      expect(history.status).toBe(200);
      const recorded = history.body.events.slice(SETUP_EVENTS).map((e: any) => ({ revision: e.revision, position: e.position, type: e.type, data: e.data }));
      expect([id, history.body.events.length, recorded]).toEqual([id, SETUP_EVENTS + ROUNDS, winners.get(id)]);
    }
    report(`If-Match storm: ${JOURNEYS} journeys x ${WRITERS} writers x ${ROUNDS} rounds = ${requests} conditional commands; ` +
      `${JOURNEYS * ROUNDS} appended (one per journey and round), ${conflicts} conflicts answered 409 with the current revision`);
  }, timeoutFor(30_000, 600_000));

  /** Fires `count` copies of the same request at once. */
  const storm = (count: number, send: () => Promise<HttpResult>) => Promise.all(Array.from({ length: count }, send));

  it(`appends once per Idempotency-Key when ${RETRIES} identical requests race with it (${KEYS} keys, steps and new journeys), and answers each the same`, async () => {
    const journeys = await Promise.all(Array.from({ length: Math.ceil(KEYS / 4) }, referredJourney));
    const headBefore = await store().headPosition();
    // Half the keys record care on a journey (two keys per journey, so keys race each other too); half start journeys.
    const keys = Array.from({ length: KEYS }, (_, k) => ({
      key: `storm-${k}-${randomUUID()}`,
      path: k % 2 === 0 ? `/journeys/${journeys[Math.floor(k / 4)]}/care` : '/journeys',
      body: k % 2 === 0 ? { service: 'legal', providerId: `key-${k}`, startedOn: '2024-01-11' } : identification({ gender: 'male' }),
      type: k % 2 === 0 ? 'CareProvided' : 'VictimIdentified',
    }));
    const results = await Promise.all(keys.map((k) => storm(RETRIES, () => app.api.post(k.path, k.body, { 'idempotency-key': k.key }))));

    const problems: string[] = [];
    results.forEach((responses, i) => {
      const statuses = responses.map((r) => r.status);
      if (statuses.some((s) => s !== 201)) problems.push(`${keys[i].key}: ${statuses.join(' ')}`);
      const bodies = new Set(responses.map((r) => JSON.stringify(r.body)));
      if (bodies.size !== 1) problems.push(`${keys[i].key}: ${bodies.size} different results ${[...bodies].join(' ')}`);
      const firsts = responses.filter((r) => r.headers.get('idempotent-replayed') !== 'true').length;
      if (firsts !== 1) problems.push(`${keys[i].key}: ${firsts} responses not marked Idempotent-Replayed (one recorded it, the rest replay it)`);
    });
    expect(problems).toEqual([]);

    // Exactly one event per key, where its responses said, of the right type, and nothing else.
    const stored = await eventsAfter(headBefore);
    expect(stored).toHaveLength(KEYS);
    for (const [i, k] of keys.entries()) {
      const answer = results[i][0].body;
      const mine = stored.filter((e) => e.metadata.idempotencyKey?.endsWith(`/${k.key}`));
      expect([k.key, mine.map((e) => ({ stream: e.streamId, position: e.position.toString(), revision: Number(e.revision), type: e.type }))])
        .toEqual([k.key, [{ stream: `journey-${answer.journeyId}`, position: answer.position, revision: answer.revision, type: k.type }]]);
    }
    report(`Idempotency storm: ${KEYS} keys x ${RETRIES} concurrent identical requests = ${KEYS * RETRIES} requests; ${KEYS} appended (one per key), ${KEYS * (RETRIES - 1)} answered with the first result`);
  }, timeoutFor(30_000, 600_000));

  it(`answers every identical retry with the first result, not 409, when ${RETRIES} carry the same Idempotency-Key and If-Match`, async () => {
    const id = await referredJourney();
    const headBefore = await store().headPosition();
    const key = randomUUID();
    const body = { service: 'interpreting', providerId: 'p-if-match', startedOn: '2024-01-11' };
    const responses = await storm(RETRIES, () => app.api.post(`/journeys/${id}/care`, body, { 'idempotency-key': key, 'if-match': '"2"' }));
    expect(responses.map((r) => r.status)).toEqual(Array(RETRIES).fill(201));
    expect(new Set(responses.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(responses[0].body.revision).toBe(3);
    const stored = await eventsAfter(headBefore);
    expect(stored.map((e) => [e.type, e.data])).toEqual([['CareProvided', { ...body, occurredAt: body.startedOn }]]);
    // A retry after the storm, one by one, still gets the first result and appends nothing.
    const later = await app.api.post(`/journeys/${id}/care`, body, { 'idempotency-key': key, 'if-match': '"2"' });
    expect([later.status, later.body, later.headers.get('idempotent-replayed')]).toEqual([201, responses[0].body, 'true']);
    expect(await store().headPosition()).toBe(stored[0].position);
  }, timeoutFor(30_000, 600_000));

  it(`records one of ${RETRIES} different requests racing with the same Idempotency-Key, refuses the others with 422, and appends once`, async () => {
    const id = await referredJourney();
    const headBefore = await store().headPosition();
    const key = randomUUID();
    const bodies = Array.from({ length: RETRIES }, (_, i) => ({ service: 'transport', providerId: `p-${i}`, startedOn: '2024-01-11' }));
    const responses = await Promise.all(bodies.map((body) => app.api.post(`/journeys/${id}/care`, body, { 'idempotency-key': key })));
    const won = responses.flatMap((r, i) => (r.status === 201 ? [i] : []));
    expect(won).toHaveLength(1);
    const refused = responses.filter((r) => r.status !== 201);
    expect(refused.map((r) => [r.status, r.body.code])).toEqual(Array(RETRIES - 1).fill([422, 'IDEMPOTENCY_KEY_REUSED']));
    const stored = await eventsAfter(headBefore);
    expect(stored.map((e) => [e.type, e.data, e.position.toString()])).toEqual([['CareProvided', { ...bodies[won[0]], occurredAt: '2024-01-11' }, responses[won[0]].body.position]]);
  }, timeoutFor(30_000, 600_000));
});

function report(line: string) {
  // eslint-disable-next-line no-console
  console.log(line);
}
