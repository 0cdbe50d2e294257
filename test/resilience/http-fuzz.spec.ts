import fc from 'fast-check';
import type { EventStore } from '../../libs/event-store/src/event-store.port';
import { EVENT_STORE } from '../../apps/api/src/infrastructure/tokens';
import { consent, decision, exit, identification, referral } from '../../seeds/journey-requests';
import { SUPPORT_WORKER, tokenFor, useRunningApp } from '../support/running-app';
import { sized, timeoutFor } from './long-run';
import { brokenRefs, operationsOf, resolve, ResponseValidators, type OpenApiDocument, type Operation, type Schema } from './http/openapi';
import { FALLBACK_ERROR_SCHEMA, judge } from './http/oracle';
import { authorizationFor, OWN_ORGANISATION, PRINCIPALS, type Principal } from './http/principals';
import { describeRequest, requestArb, send, type FuzzContext, type FuzzRequest } from './http/requests';

/**
 * Issue 10, "prove nothing is lost": every route of the served OpenAPI document, as every role,
 * with no token and with bad tokens, fuzzed with fast-check (valid bodies from the schemas and
 * from seeds/journey-requests.ts, broken bodies, odd headers, odd path and query parameters).
 * The checks on each response are in http/oracle.ts; requests run one at a time so that the
 * event store's head before and after each one proves a refusal appended nothing.
 *
 * FUZZ_SEED=n replays a run (each route and principal runs from a seed derived from it; a
 * failure prints both). Bounded by default; LONG_TESTS=1 runs tens of thousands of requests.
 */
const BASE_SEED = Number(process.env.FUZZ_SEED ?? 20240108);
/** Runs per route for a principal the route lets in, and for one it refuses (a refusal is decided before anything else). */
const RUNS_ALLOWED = sized(8, 400);
const RUNS_REFUSED = sized(1, 20);

describe('HTTP fuzzing from the OpenAPI document', () => {
  const app = useRunningApp({
    RATE_LIMIT_PER_WINDOW: '10000000',
    RATE_LIMIT_PER_USER_PER_WINDOW: '10000000',
    READ_YOUR_WRITES_TIMEOUT_MS: '50',
  });
  let document: OpenApiDocument;
  let operations: Operation[];

  beforeAll(async () => {
    const served = await app.anonymous().get('/docs/openapi.json');
    expect(served.status).toBe(200);
    document = served.body;
    operations = operationsOf(document);
  });

  it('serves a document whose every $ref resolves and whose every schema compiles', () => {
    // Regression: NestedField's lazy type was anonymous, so nested bodies referred to '#/components/schemas/'.
    expect(brokenRefs(document)).toEqual([]);
    expect(resolve(document, resolve(document, document.components!.schemas!.IdentifyVictimDto).properties.firstResponder).required)
      .toEqual(['organisationId', 'organisationType']);
    const validators = new ResponseValidators(document);
    for (const operation of operations) {
      if (operation.body) validators.validator(operation.body);
      for (const schema of operation.responses.values()) if (schema) validators.validator(schema);
    }
    // Errors are described: every protected route documents its 401 and 403 with the error shape.
    const errorShape = document.components!.schemas!.ErrorResponseDto;
    expect(errorShape?.required).toEqual(['statusCode', 'code', 'message']);
    for (const operation of operations.filter((o) => !o.public)) {
      expect([operation.route, resolve(document, operation.responses.get('401') ?? {})]).toEqual([operation.route, errorShape]);
      expect([operation.route, resolve(document, operation.responses.get('403') ?? {})]).toEqual([operation.route, errorShape]);
    }
  });

  it('regressions found by fuzzing: deep bodies, long path parameters, huge headers and bad URLs get 4xx in the error shape', async () => {
    const events = app.app.app.get<symbol, EventStore>(EVENT_STORE, { strict: false });
    const raw = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(app.app.url + path, { ...init, headers: { authorization: `Bearer ${tokenFor(app.app.dataDir, SUPPORT_WORKER)}`, 'content-type': 'application/json', ...init.headers } });
      return { status: response.status, body: (await response.json()) as any };
    };
    const { body: created } = await app.api.post('/journeys', identification());
    const head = await events.headPosition();
    // A body nested 10,000 deep overflowed class-transformer's stack: a 500. Now a 400 before anything recurses into it.
    const deep = `{"service":"legal","providerId":"p","startedOn":"2024-01-10","deep":${'['.repeat(10_000)}1${']'.repeat(10_000)}}`;
    expect(await raw(`/journeys/${created.journeyId}/care`, { method: 'POST', body: deep })).toEqual({
      status: 400, body: expect.objectContaining({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'body', rule: 'maxDepth' })] }),
    });
    const deepIdentification = JSON.stringify(identification()).replace('"Test Person"', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`);
    expect((await raw('/journeys', { method: 'POST', body: deepIdentification })).body.errors[0].rule).toBe('maxDepth');
    // Fastify answered these itself, in its own shape ({error, message, statusCode}, no code).
    expect(await raw(`/journeys/${'a'.repeat(500)}`)).toEqual({ status: 414, body: { statusCode: 414, code: 'URI_TOO_LONG', message: expect.any(String) } });
    expect(await raw('/journeys/%E0%A4%A/history')).toEqual({ status: 400, body: { statusCode: 400, code: 'BAD_URL', message: expect.any(String) } });
    expect(await raw('/journeys', { headers: { 'x-padding': 'x'.repeat(20_000) } })).toEqual({ status: 431, body: { statusCode: 431, code: 'HEADERS_TOO_LARGE', message: expect.any(String) } });
    expect(await events.headPosition()).toBe(head);
  });

  it('never answers 5xx, leaks internals, strays from the document, or appends on a 4xx, whatever is sent', async () => {
    const events = app.app.app.get<symbol, EventStore>(EVENT_STORE, { strict: false });
    const head = async () => (await events.headPosition()) ?? undefined;
    const fixtures = await journeyFixtures(app);
    const projections = await app.as({ role: 'admin' }).get('/projections');
    const context: FuzzContext = {
      document,
      ownJourneys: () => fixtures.own,
      otherJourney: fixtures.other,
      eventIds: (journeyId) => (journeyId ? fixtures.eventIds.get(journeyId) ?? {} : {}),
      projectionNames: projections.body.map((p: { name: string }) => p.name),
      hugeMax: 300_000,
    };
    const validators = new ResponseValidators(document);
    const errorSchema: Schema = document.components?.schemas?.ErrorResponseDto ? { $ref: '#/components/schemas/ErrorResponseDto' } : FALLBACK_ERROR_SCHEMA;
    const stats = new FuzzStats();
    const failures: string[] = [];

    for (const [index, operation] of operations.entries()) {
      for (const principal of PRINCIPALS) {
        const seed = BASE_SEED + index * PRINCIPALS.length + PRINCIPALS.indexOf(principal);
        const numRuns = lets(operation, principal) ? RUNS_ALLOWED : RUNS_REFUSED;
        let failed: string | undefined;
        const property = fc.asyncProperty(requestArb(context, operation), authorizationFor(principal, app.app.dataDir), async (request: FuzzRequest, authorization) => {
          const before = await head();
          const response = await send(app.app.url, request, authorization);
          const after = await head();
          stats.count(principal, response.status);
          if (response.status === 201 && operation.route === 'POST /journeys' && fixtures.own.length < 60 && principal === 'support_worker') {
            fixtures.own.push((response.json as { journeyId: string }).journeyId);
          }
          const problems = judge({ operation, request, response, headBefore: before, headAfter: after, validators, errorSchema, dataDir: app.app.dataDir });
          if (problems.length) {
            failed = `${describeRequest(request)}\n    answered ${response.status} ${response.text.slice(0, 300)}\n    problems: ${problems.join('; ')}`;
            if (after !== before && after !== undefined) failed += `\n    appended: ${await appendedSince(events, before)}`;
            throw new Error(problems.join('; '));
          }
        });
        try {
          await fc.assert(property, { seed, numRuns, endOnFailure: true });
        } catch (error) {
          const replay = String((error as Error).message).split('\n').find((line) => line.includes('seed')) ?? '';
          failures.push(`${operation.route} as ${principal} — FUZZ_SEED=${BASE_SEED}, ${replay.trim()}\n    ${failed ?? (error as Error).message}`);
        }
      }
    }
    stats.report();
    expect(stats.total).toBeGreaterThanOrEqual(operations.length * PRINCIPALS.length);
    expect(failures).toEqual([]);
  }, timeoutFor(60_000, 1_800_000));
});

/** Whether the route's documented policy lets this principal in (from the Allow decorator's 403 text). */
function lets(operation: Operation, principal: Principal): boolean {
  if (principal === 'no token' || principal === 'bad token') return operation.public;
  if (operation.public) return true;
  const roles = /Only ([\w, ]+) may call this/.exec(operation.refusal ?? '')?.[1];
  return roles === undefined || roles.split(', ').includes(principal);
}

/** Journeys in several states on the support worker's caseload, and one on another organisation's. */
async function journeyFixtures(app: ReturnType<typeof useRunningApp>) {
  const worker = app.as({ role: 'support_worker', organisationId: OWN_ORGANISATION, userId: 'worker-7' });
  const eventIds = new Map<string, { identification?: string; decision?: string }>();
  const make = async (steps: Array<[string, unknown]>, api = worker, over: Record<string, unknown> = {}) => {
    const created = await api.post('/journeys', identification(over));
    expect(created.status).toBe(201);
    const id = created.body.journeyId as string;
    for (const [step, body] of steps) expect([step, (await api.post(`/journeys/${id}/${step}`, body)).status]).toEqual([step, 201]);
    const history = await api.get(`/journeys/${id}/history`);
    eventIds.set(id, {
      identification: history.body.events[0].eventId,
      decision: history.body.events.find((e: { type: string }) => e.type === 'DecisionMade')?.eventId,
    });
    return id;
  };
  const referred: Array<[string, unknown]> = [['consents', consent()], ['referrals', referral()]];
  const positiveRg: Array<[string, unknown]> = [...referred, ['decisions', decision('reasonable_grounds', 'positive', '2024-01-16')]];
  const own = [
    await make([]),
    await make([], worker, { ageGroup: 'child' }),
    await make([['consents', consent()]]),
    await make(referred),
    await make(positiveRg),
    await make([...referred, ['decisions', decision('reasonable_grounds', 'negative', '2024-01-16')]]),
    await make([...positiveRg, ['exit', exit('2024-03-01', 'withdrew')]]),
  ];
  const other = await make(referred, app.as({ role: 'support_worker', organisationId: 'org-other', userId: 'worker-9' }));
  return { own, other, eventIds };
}

async function appendedSince(events: EventStore, after: bigint | undefined): Promise<string> {
  const out: string[] = [];
  for await (const event of events.readAll({ after, limit: 5 })) out.push(`${event.position} ${event.streamId} ${event.type}`);
  return out.join(', ');
}

class FuzzStats {
  total = 0;
  private readonly byStatus = new Map<number, number>();
  private readonly byPrincipal = new Map<string, number>();
  private readonly started = Date.now();

  count(principal: Principal, status: number) {
    this.total++;
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    this.byPrincipal.set(principal, (this.byPrincipal.get(principal) ?? 0) + 1);
  }

  report() {
    const statuses = [...this.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(', ');
    const principals = [...this.byPrincipal].map(([p, n]) => `${p}: ${n}`).join(', ');
    // eslint-disable-next-line no-console
    console.log(`HTTP fuzz: ${this.total} requests in ${((Date.now() - this.started) / 1000).toFixed(1)} s (seed ${BASE_SEED})\n  by status: ${statuses}\n  by principal: ${principals}`);
  }
}
