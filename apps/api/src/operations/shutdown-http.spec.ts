/**
 * The HTTP side of the graceful shutdown (HttpDrain), on the whole application in this process:
 * while a request is in flight, stopping refuses new requests with 503 SHUTTING_DOWN (and /health
 * with shuttingDown: true), the request in flight is still answered, and only then does
 * `requestsFinished()` resolve. A refused command records nothing.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JOURNEY_STREAM_PREFIX } from '../../../../libs/domain/src/events';
import { SqliteEventStore } from '../../../../libs/event-store/src/embedded/sqlite-event-store';
import { identification } from '../../../../seeds/journey-requests';
import { temporaryFolders } from '../../../../test/support/temporary-folders';
import { SUPPORT_WORKER, tokenFor } from '../../../../test/support/running-app';
import { createApp } from '../app.factory';
import { loadConfig } from '../config';
import { HttpDrain, SHUTTING_DOWN_RETRY_AFTER_SECONDS } from './shutdown-http';

const folders = temporaryFolders('vjt-shutdown-http-');
afterAll(() => folders.removeAll());

/** How long a read-your-writes wait for a position never reached is held before it is answered. */
const HELD_MS = 1_500;

async function call(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

describe('HttpDrain: the HTTP side of a graceful shutdown', () => {
  let app: NestFastifyApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('refuses new requests with 503 SHUTTING_DOWN, answers the one in flight, then reports it finished', async () => {
    const dataDir = folders.make();
    app = await createApp(loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'error', AUDIT_HEAD_INTERVAL_MS: '0', READ_YOUR_WRITES_TIMEOUT_MS: String(HELD_MS) }));
    const drain = HttpDrain.install(app);
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const auth = { authorization: `Bearer ${tokenFor(dataDir, SUPPORT_WORKER)}` };
    const post = (body: unknown) => call(`${url}/journeys`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const created = await post(identification());
    expect(created.status).toBe(201);
    expect(drain.inFlight).toBe(0);

    // A request in flight: a read waiting for a position the projector will not reach in time.
    const held = call(`${url}/journeys/${created.body.journeyId}?minPosition=1000000`, { headers: auth });
    while (drain.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
    expect(drain.stopAccepting()).toBe('new requests are answered 503 SHUTTING_DOWN; 1 request(s) in flight');
    let finished = false;
    const finishing = drain.requestsFinished().then((detail) => ((finished = true), detail));

    const health = await call(`${url}/health`);
    expect([health.status, health.body]).toEqual([503, { statusCode: 503, code: 'SHUTTING_DOWN', message: expect.stringMatching(/shutting down/), status: 'shutting_down', shuttingDown: true }]);
    expect(health.headers.get('retry-after')).toBe(String(SHUTTING_DOWN_RETRY_AFTER_SECONDS));
    expect(health.headers.get('connection')).toBe('close');
    const refused = await post(identification());
    expect([refused.status, refused.body]).toEqual([503, { statusCode: 503, code: 'SHUTTING_DOWN', message: expect.stringMatching(/nothing was recorded.*Idempotency-Key/) }]);
    expect(refused.headers.get('retry-after')).toBe(String(SHUTTING_DOWN_RETRY_AFTER_SECONDS));
    // Refused before authentication too: nothing reaches a handler.
    expect((await call(`${url}/journeys`)).status).toBe(503);
    expect(finished).toBe(false);

    const answer = await held;
    expect([answer.status, answer.body.code]).toEqual([503, 'NOT_YET_PROJECTED']); // answered as usual, not refused
    expect(answer.headers.get('connection')).toBe('close'); // and its keep-alive connection ends with it
    expect(await finishing).toBe('1 in-flight request(s) answered; 3 refused during the drain');
    expect([drain.inFlight, drain.refused]).toEqual([0, 3]);

    await drain.closeListener();
    await expect(fetch(`${url}/health`)).rejects.toThrow(); // refused at the socket now
    await app.close();
    app = undefined;

    // The refused command recorded nothing: one journey, the first.
    const events = SqliteEventStore.open({ directory: dataDir });
    try {
      const journeys = new Set<string>();
      for await (const event of events.readAll()) if (event.streamId.startsWith(JOURNEY_STREAM_PREFIX)) journeys.add(event.streamId);
      expect([...journeys]).toEqual([`${JOURNEY_STREAM_PREFIX}${created.body.journeyId}`]);
    } finally {
      await events.close();
    }
  }, 20_000);

  it('counts a request whose client went away until its handler has answered', async () => {
    const dataDir = folders.make();
    app = await createApp(loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'error', AUDIT_HEAD_INTERVAL_MS: '0', READ_YOUR_WRITES_TIMEOUT_MS: String(HELD_MS) }));
    const drain = HttpDrain.install(app);
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const auth = { authorization: `Bearer ${tokenFor(dataDir, SUPPORT_WORKER)}` };
    const created = await call(`${url}/journeys`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(identification()) });
    expect(created.status).toBe(201);

    const abandoned = new AbortController();
    const started = performance.now();
    const gone = fetch(`${url}/journeys/${created.body.journeyId}?minPosition=1000000`, { headers: auth, signal: abandoned.signal }).catch((error: Error) => error.name);
    while (drain.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
    abandoned.abort();
    expect(await gone).toBe('AbortError');
    await new Promise((r) => setTimeout(r, 50));
    expect(drain.inFlight).toBe(1); // its handler is still waiting
    drain.stopAccepting();
    await drain.requestsFinished();
    expect(performance.now() - started).toBeGreaterThanOrEqual(HELD_MS - 50); // not before the handler answered
    expect(drain.inFlight).toBe(0);
  }, 20_000);

  it('with nothing in flight, requestsFinished() resolves at once', async () => {
    const dataDir = folders.make();
    app = await createApp(loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'error', AUDIT_HEAD_INTERVAL_MS: '0' }));
    const drain = HttpDrain.install(app);
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    expect((await call(`${url}/health`)).status).toBe(200);
    drain.stopAccepting();
    expect(await drain.requestsFinished()).toBe('0 in-flight request(s) answered; 0 refused during the drain');
  }, 20_000);
});
