import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../apps/api/src/app.factory';
import { loadConfig } from '../../apps/api/src/config';
import { consent, identification } from '../../seeds/journey-requests';
import { client, SUPPORT_WORKER, temporaryDataDir, tokenFor } from '../support/running-app';

/**
 * The API's log output over a workload that puts a canary in every personal-data and
 * free-text field a client can send (and in a query string, a path, headers and a token):
 * every line is a JSON object, every request has its line with its ids, a command's line has
 * the id its events were recorded under, and no canary (nor a token) is ever written.
 */
const CANARY = 'CANARY-93xk';
const canary = (where: string) => `${CANARY}-${where}`;

interface LogLine {
  level: string;
  time: string;
  msg: string;
  [field: string]: unknown;
}

describe('structured logs', () => {
  const data = temporaryDataDir();
  const written: string[] = [];
  let app: NestFastifyApplication;
  let url: string;
  const tokens: string[] = [];
  const as = (user: Parameters<typeof tokenFor>[1]) => {
    const token = tokenFor(data.dir, user);
    tokens.push(token);
    return client(url, token);
  };

  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: data.dir, PORT: '0', LOG_LEVEL: 'debug', AUDIT_HEAD_INTERVAL_MS: '0' });
    app = await createApp(config, { logDestination: { write: (line: string) => void written.push(line) } });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app?.close();
    data.remove();
  });

  /** The entries written so far, each line parsed (a line that is not JSON fails the test here). */
  const entries = (): LogLine[] => written.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  const requestLine = (correlationId: string) => entries().find((e) => e.msg === 'request completed' && e.correlationId === correlationId);
  /** A request's line is written once its response has gone: wait for it rather than race it. */
  async function lineOf(correlationId: string): Promise<LogLine> {
    for (let waited = 0; waited < 2000; waited += 10) {
      const line = requestLine(correlationId);
      if (line) return line;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no request line with correlation id ${correlationId}`);
  }

  it('logs every request as one JSON line with its ids, and never a canary nor a token', async () => {
    const worker = as(SUPPORT_WORKER);
    const auditor = as({ role: 'auditor', organisationId: 'inspectorate', userId: 'auditor-1' });
    const admin = as({ role: 'admin', organisationId: 'ops', userId: 'admin-1' });
    const sent = (correlationId: string, more: Record<string, string> = {}) => ({ 'x-correlation-id': correlationId, ...more });

    // Commands whose bodies hold personal details and free text.
    const identified = await worker.post('/journeys', identification({
      personalDetails: {
        name: canary('NAME'),
        dateOfBirth: '1931-07-29',
        contact: { phone: canary('PHONE'), email: `${canary('EMAIL').toLowerCase()}@example.org`, address: canary('ADDRESS') },
        notes: canary('NOTES'),
      },
    }), sent('log-identify'));
    expect(identified.status).toBe(201);
    const journeyId: string = identified.body.journeyId;
    const consented = await worker.post(`/journeys/${journeyId}/consents`, consent(), sent('log-consent', { 'idempotency-key': canary('IDEMPOTENCY-KEY') }));
    expect(consented.status).toBe(201);
    const read = await worker.get(`/journeys/${journeyId}/personal-details`, sent('log-read', { 'x-purpose': 'case_management' }));
    expect(read.body.personalDetails.name).toBe(canary('NAME')); // the response holds them; the log must not
    const before = await auditor.get(`/journeys/${journeyId}/history`, sent('log-history-1'));
    const identifiedEvent = before.body.events.find((e: { type: string }) => e.type === 'VictimIdentified');
    const corrected = await auditor.post(`/journeys/${journeyId}/corrections`, {
      correctedEventId: identifiedEvent.eventId,
      changes: [{ field: 'personalDetails.notes', value: canary('CORRECTED-NOTES') }],
      reason: canary('CORRECTION-REASON'),
    }, sent('log-correct'));
    expect(corrected.status).toBe(201);
    const erased = await admin.post(`/journeys/${journeyId}/erasure`, { reason: canary('ERASURE-REASON'), legalBasis: 'consent_withdrawn' }, sent('log-erase'));
    expect(erased.status).toBe(201);

    // Refused requests with a canary in a field, the body, the query, the path, a header, the token.
    const invalid = await worker.post('/journeys', identification({ personalDetails: { name: canary('TOO-LONG-NAME').repeat(20) }, [canary('UNKNOWN-FIELD')]: canary('UNKNOWN-VALUE') }), sent('log-invalid'));
    expect([invalid.status, invalid.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const malformed = await worker.post('/journeys', `{"personalDetails":{"name":"${canary('MALFORMED')}"`, sent('log-malformed'));
    expect(malformed.status).toBe(400);
    expect((await worker.get(`/journeys?status=${canary('QUERY')}`, sent('log-query'))).status).toBe(400);
    expect((await worker.get(`/journeys/${canary('PATH')}`, sent('log-path'))).status).toBe(400);
    expect((await worker.get(`/${canary('ROUTE')}`, sent('log-no-route'))).status).toBe(404);
    expect((await worker.get(`/journeys/${journeyId}/personal-details`, sent('log-purpose', { 'x-purpose': canary('PURPOSE') }))).status).toBe(400);
    expect((await client(url, canary('TOKEN')).get('/journeys', sent('log-bad-token'))).status).toBe(401);
    expect((await worker.get('/journeys', { 'x-correlation-id': `${canary('CORRELATION')} with spaces` })).status).toBe(200);

    const after = await auditor.get(`/journeys/${journeyId}/history`, sent('log-history-2'));
    const commandIdOf = (type: string) => after.body.events.find((e: { type: string }) => e.type === type).commandId as string;

    // Each command's line carries the id its event was recorded under, and who recorded it.
    expect(await lineOf('log-identify')).toMatchObject({
      level: 'info', method: 'POST', route: '/journeys', statusCode: 201, responseTime: expect.any(Number),
      reqId: expect.stringMatching(/^[0-9a-f-]{36}$/), userId: 'worker-7', role: 'support_worker', organisationId: 'met-police',
      journeyId, commandType: 'IdentifyVictim', commandId: commandIdOf('VictimIdentified'), revision: 0, replayed: false,
    });
    expect(await lineOf('log-consent')).toMatchObject({ route: '/journeys/:id/consents', journeyId, commandType: 'RecordConsent', commandId: commandIdOf('ConsentRecorded') });
    expect(await lineOf('log-correct')).toMatchObject({
      route: '/journeys/:id/corrections', statusCode: 201, userId: 'auditor-1', role: 'auditor', commandType: 'CorrectRecord', commandId: commandIdOf('RecordCorrected'),
    });
    expect(await lineOf('log-erase')).toMatchObject({
      route: '/journeys/:id/erasure', statusCode: 201, userId: 'admin-1', role: 'admin', commandType: 'ErasePersonalData', commandId: commandIdOf('PersonalDataErased'),
    });
    expect(await lineOf('log-read')).toMatchObject({ method: 'GET', route: '/journeys/:id/personal-details', journeyId, statusCode: 200, userId: 'worker-7' });

    // Refusals: the route template and the error's code, no value the client sent.
    expect(await lineOf('log-invalid')).toMatchObject({ route: '/journeys', statusCode: 400, code: 'VALIDATION_FAILED', userId: 'worker-7' });
    expect(await lineOf('log-malformed')).toMatchObject({ route: '/journeys', statusCode: 400, code: 'MALFORMED_BODY' });
    expect(await lineOf('log-query')).toMatchObject({ route: '/journeys', statusCode: 400 });
    expect(await lineOf('log-path')).toMatchObject({ route: '/journeys/:id', statusCode: 400 });
    expect((await lineOf('log-path')).journeyId).toBeUndefined();
    expect(await lineOf('log-no-route')).toMatchObject({ route: null, statusCode: 404 });
    expect(await lineOf('log-bad-token')).toMatchObject({ route: '/journeys', statusCode: 401, code: 'UNAUTHENTICATED' });
    expect((await lineOf('log-bad-token')).userId).toBeUndefined();
    const refused = entries().find((e) => e.msg === 'request refused' && e.correlationId === 'log-invalid');
    expect(refused).toMatchObject({ level: 'debug', code: 'VALIDATION_FAILED', statusCode: 400 });
    expect(refused!.problems).toEqual(expect.arrayContaining([{ field: 'personalDetails.name', rule: 'maxLength' }, { field: '(unknown field)', rule: 'unknownField' }]));

    await lineOf('log-history-2'); // the last request's line
    const all = entries();
    const requests = all.filter((e) => e.msg === 'request completed');
    expect(requests.length).toBe(15); // one per request made above
    expect(new Set(requests.map((e) => e.reqId)).size).toBe(requests.length);
    for (const line of requests) {
      expect(line).toMatchObject({ time: expect.any(String), reqId: expect.any(String), correlationId: expect.any(String), method: expect.any(String), statusCode: expect.any(Number) });
      expect('route' in line).toBe(true);
      // Who asked is known once the token is checked: not for a 401, nor a body refused while parsed (before the guard runs).
      const authenticated = line.statusCode !== 401 && line.route !== null && line.code !== 'MALFORMED_BODY';
      if (authenticated) expect(line).toMatchObject({ userId: expect.any(String), role: expect.any(String) });
    }
    // A malformed X-Correlation-Id is replaced by one made up (and logged as that).
    expect(requests.some((e) => /^[0-9a-f-]{36}$/.test(String(e.correlationId)) && e.route === '/journeys' && e.statusCode === 200)).toBe(true);

    // Nest's own lines and the code's go through the same logger.
    expect(all.some((e) => e.context === 'NestApplication' && e.level === 'info')).toBe(true);
    expect(all.some((e) => e.context === 'Stores')).toBe(true);
    for (const line of all) expect(line).toMatchObject({ time: expect.any(String), level: expect.stringMatching(/^(trace|debug|info|warn|error|fatal)$/), service: 'api' });

    // Nothing a client sent as data, nor any token, anywhere in the output.
    const output = written.join('');
    expect(output).not.toContain(CANARY);
    expect(output.toLowerCase()).not.toContain(CANARY.toLowerCase());
    expect(output).not.toContain('1931-07-29');
    for (const token of tokens) {
      expect(output).not.toContain(token);
      expect(output).not.toContain(token.split('.')[2]); // not even the signature
    }
    expect(output).not.toMatch(/Bearer/i);
  });
});
