import { addDays, addMonths } from '../../libs/domain/src/calendar/calendar-date';
import { identification } from '../../seeds/journey-requests';
import { ANALYST, runCli, SUPPORT_WORKER, type BenchApp, type BenchUser } from '../app';
import { elapsedMs, percentile, percentiles, round } from '../stats';

/**
 * Scenarios 3-5 of issue 9, on data folders seeded with synthetic journeys: rebuilding every
 * projection from the log (3), reading one journey (4) and the analytics reports (5).
 * Latencies are measured in this process, around each request and its whole body, against
 * the API in its own child process (bench/app.ts).
 */

export interface SeedResult {
  journeys: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

/** The CLI's `seed --json` report. */
interface CliSeed {
  journeys: number;
  events: number;
  skipped: number;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * Seeds (without projecting) up to `journeys` synthetic journeys with the CLI; re-running with
 * more journeys and the same seed only adds the new ones (the CLI skips those already there).
 * The figures are this run's appends, timed by the CLI (not counting its start-up).
 */
export async function seedJourneys(dataDir: string, journeys: number): Promise<SeedResult> {
  const { output } = await runCli<CliSeed>(dataDir, ['seed', '--journeys', String(journeys), '--no-project']);
  return { journeys: output.journeys, events: output.events, seconds: round(output.seconds), eventsPerSecond: output.eventsPerSecond };
}

export interface GrowthStep extends SeedResult {
  /** Events in the log after this step. */
  logEvents: number;
  /** Seeded journeys in the log after this step. */
  totalJourneys: number;
  /**
   * Catching the read models up with the events this step added, on top of those already
   * projected: `startSeconds` opens them (the embedded store loads each collection), once per
   * start whatever is added; events/s is over the rest, the per-event cost.
   */
  projection: { events: number; seconds: number; startSeconds: number; eventsPerSecond: number };
  /** Peak RSS of the CLI process that seeded and projected this step. */
  peakRssMiB: number | undefined;
}

/**
 * Grows the log by seeding journeys up to `journeys` of `seed`'s sequence and projects only
 * what was added (the CLI's `seed` catches every projection up from its checkpoint): the
 * per-event projection cost at this size of log and read models. `totalJourneys` counts the
 * journeys of every seed in the log.
 */
export async function growAndProject(dataDir: string, journeys: number, options: { seed?: number; totalJourneys?: number } = {}): Promise<GrowthStep> {
  const args = ['seed', '--journeys', String(journeys), ...(options.seed ? ['--seed', String(options.seed)] : [])];
  const { output, peakRssMiB } = await runCli<CliSeed & { projected: { position: string; seconds: number; startSeconds: number } | null }>(dataDir, args);
  if (!output.projected) throw new Error('seed did not project');
  const { seconds, startSeconds } = output.projected;
  return {
    journeys: output.journeys, events: output.events, seconds: round(output.seconds), eventsPerSecond: output.eventsPerSecond,
    logEvents: Number(output.projected.position) + 1,
    totalJourneys: options.totalJourneys ?? journeys,
    projection: {
      events: output.events, seconds: round(seconds), startSeconds: round(startSeconds),
      eventsPerSecond: Math.round(output.events / Math.max(seconds - startSeconds, 0.001)),
    },
    peakRssMiB,
  };
}

export interface RebuildResult {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  peakRssMiB: number | undefined;
  projections: Array<{ name: string; seconds: number }>;
}

/**
 * Rebuilds every projection from the whole log with the CLI (`rebuild --json`) in a child
 * process; events = log length; eventsPerSecond = events / total seconds; peak RSS of that
 * process. Total seconds are the sum of the projections' rebuild times as the CLI measures them
 * (one after another), so process start-up, which does not grow with the log, is left out.
 */
export async function rebuildAll(dataDir: string): Promise<RebuildResult> {
  const events = await logLength(dataDir);
  const run = await runCli<{ rebuilt: Array<{ name: string; seconds: number }>; interrupted: boolean }>(dataDir, ['rebuild']);
  if (run.output.interrupted) throw new Error('The rebuild was interrupted');
  const seconds = run.output.rebuilt.reduce((sum, p) => sum + p.seconds, 0);
  return {
    events,
    seconds: round(seconds),
    eventsPerSecond: Math.round(events / Math.max(seconds, 0.001)),
    peakRssMiB: run.peakRssMiB,
    projections: run.output.rebuilt.map(({ name, seconds }) => ({ name, seconds })),
  };
}

/** Events in the log: embedded positions are 0-based and gap-free, so the head position + 1. */
async function logLength(dataDir: string): Promise<number> {
  const { output } = await runCli<{ headPosition: string | null }>(dataDir, ['status']);
  return output.headPosition === null ? 0 : Number(output.headPosition) + 1;
}

export interface EndpointLatency {
  endpoint: string;
  requests: number;
  firstMs: number;
  latencyMs: { p50: number; p95: number; p99: number; p999: number };
}

/** One measured endpoint: the paths asked in turn, and what each 200 answer must hold. */
interface Endpoint {
  name: string;
  paths: string[];
  check?: (body: any) => string | undefined;
}

/** Events in each journey scenario 4 reads, and the one whose date the as-at state asks about. */
const JOURNEY_EVENTS = 100;
const MIDDLE_REVISION = 50;
/** Journeys recorded at once: enough to keep the API busy, few enough not to starve two cores. */
const RECORDING_CONCURRENCY = 4;

/**
 * Scenario 4: creates `journeys` journeys of exactly 100 events each over HTTP (a realistic
 * sequence: identify, consent, referral, decisions, many care records / needs assessments...),
 * then measures GET /journeys/:id, GET /journeys/:id/history and the as-at state endpoint (a
 * date in the middle of the journey) with `requests` sequential requests each, round-robin over
 * the journeys, every response checked (status 200 and e.g. history length 100).
 */
export async function reads(app: BenchApp, options: { journeys: number; requests: number }): Promise<EndpointLatency[]> {
  const token = app.token(SUPPORT_WORKER);
  const journeyIds = await recordJourneys(app, token, options.journeys);
  await caughtUp(app);
  const middle = journeySteps('NRM-BENCH-0')[MIDDLE_REVISION][1].occurredAt as string;
  const endpoints: Endpoint[] = [
    { name: 'GET /journeys/:id', paths: journeyIds.map((id) => `/journeys/${id}`), check: (body) => mismatch('lastRevision', body.lastRevision, JOURNEY_EVENTS - 1) },
    { name: 'GET /journeys/:id/history', paths: journeyIds.map((id) => `/journeys/${id}/history`), check: (body) => mismatch('events', body.events?.length, JOURNEY_EVENTS) ?? (body.events.every((e: any) => e.hash) ? undefined : 'an event has no ledger hash') },
    {
      // basis=occurred: the journey as now known about a date in its middle. (The default
      // basis, recorded, would ask what had been recorded by then: nothing, as it was recorded today.)
      name: 'GET /journeys/:id/state?asOf&basis=occurred',
      paths: journeyIds.map((id) => `/journeys/${id}/state?asOf=${middle}&basis=occurred`),
      check: (body) => mismatch('lastRevision', body.lastRevision, MIDDLE_REVISION),
    },
  ];
  return measure(app, token, endpoints, options.requests);
}

const mismatch = (field: string, actual: unknown, expected: unknown) => (actual === expected ? undefined : `${field} is ${String(actual)}, not ${String(expected)}`);

/** Records the journeys, a few at a time, each step after the last; returns their ids. */
async function recordJourneys(app: BenchApp, token: string, count: number): Promise<string[]> {
  const journeyIds: string[] = [];
  let next = 0;
  const recorder = async () => {
    while (next < count) journeyIds.push(await recordJourney(app, token, next++));
  };
  await Promise.all(Array.from({ length: Math.min(RECORDING_CONCURRENCY, count) }, recorder));
  return journeyIds;
}

async function recordJourney(app: BenchApp, token: string, index: number): Promise<string> {
  const [[, identify], ...steps] = journeySteps(`NRM-BENCH-${index}`);
  const { journeyId } = await post(app, token, '/journeys', identify);
  for (const [route, body] of steps) await post(app, token, `/journeys/${journeyId}/${route}`, body);
  return journeyId;
}

/**
 * A 100-event journey of an adult who consents: identification, consent, circumstances,
 * referral, then support every three days (care, with a needs assessment every 13th time)
 * through a positive Reasonable Grounds decision, a positive Conclusive Grounds decision
 * about six months later and move-on support, then an exit and the five follow-ups at 1, 3,
 * 6, 12 and 24 months. Dated from March 2023, so the last follow-up is in the past.
 */
function journeySteps(referralId: string): Array<[route: string, body: Record<string, unknown>]> {
  const referredOn = '2023-03-07';
  // 88 support records and the 12 other steps make the 100 events.
  const support = Array.from({ length: 88 }, (_, k) => supportStep(k, addDays(referredOn, 1 + 3 * k)));
  const exitOn = addDays(referredOn, 268);
  const decision = (stage: string, decidedAt: string) => ({ referralId, stage, outcome: 'positive', decidedAt, occurredAt: decidedAt });
  return [
    ['', identification({ occurredAt: '2023-03-06', gender: 'male', nationality: 'VN', exploitationTypes: ['labour'] })],
    ['consents', { occurredAt: '2023-03-06', scope: 'nrm_referral', given: true, interpreterUsed: true, language: 'vi' }],
    ['circumstances', { occurredAt: referredOn, recruitmentMethod: 'false_job_offer', controlMethods: ['debt_bondage', 'threats'], perpetratorRoles: ['recruiter', 'controller'], relationshipToPerpetrator: 'stranger', organisedCrimeGroup: true, durationBand: 'months_6_to_12', debtBand: 'gbp_5000_plus' }],
    ['referrals', { occurredAt: referredOn, referralId, competentAuthority: 'SCA', supportRequested: true }],
    ...support.slice(0, 2),
    ['decisions', decision('reasonable_grounds', '2023-03-14')],
    ...support.slice(2, 66),
    ['decisions', decision('conclusive_grounds', addDays(referredOn, 198))],
    ...support.slice(66),
    ['exit', { occurredAt: exitOn, reason: 'move_on_complete', housing: 'stable', immigrationStatus: 'leave_to_remain' }],
    ...[1, 3, 6, 12, 24].map((months): [string, Record<string, unknown>] => ['follow-ups', followUp(addMonths(exitOn, months), months)]),
  ];
}

const CARE = ['accommodation', 'outreach', 'counselling', 'medical', 'legal', 'interpreting', 'transport', 'financial'];

function supportStep(k: number, on: string): [string, Record<string, unknown>] {
  if (k % 13 === 0) return ['needs-assessments', { occurredAt: on, domains: ['health', 'housing', 'legal'], riskLevel: k < 40 ? 'high' : 'medium', dependants: 0 }];
  return ['care', { occurredAt: on, service: CARE[k % CARE.length], providerId: `provider-${k % 5}`, startedOn: on, endedOn: addDays(on, 2), costPence: 4_500 + 100 * (k % 7) }];
}

function followUp(occurredAt: string, monthsSinceExit: number): Record<string, unknown> {
  // The last one finds no contact, as many do two years on.
  if (monthsSinceExit === 24) return { occurredAt, monthsSinceExit, contactMade: false };
  return { occurredAt, monthsSinceExit, contactMade: true, housing: 'stable', occupation: 'employed', immigrationStatus: 'leave_to_remain', destitute: false, safeguardingConcern: false, reExploitationReported: false };
}

async function post(app: BenchApp, token: string, path: string, body: unknown): Promise<{ journeyId: string; position: string }> {
  const response = await fetch(`${app.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

/**
 * Waits until the read models and the audit ledger have caught up with the log, so that
 * nothing but the requests measured runs in the API. On a freshly seeded folder that is long:
 * the API's ledger keeper chains every event not yet ledgered (seeding and rebuilds do not).
 */
export async function caughtUp(app: BenchApp, timeoutMs = 3_600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await projectionsCaughtUp(app)) || !(await ledgerCaughtUp(app))) {
    if (Date.now() > deadline) throw new Error(`The projections or the audit ledger were still behind the log after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

async function projectionsCaughtUp(app: BenchApp): Promise<boolean> {
  const projections = await adminRequest<Array<{ name: string; behind: boolean | null; rebuilding: unknown; lastError: unknown }>>(app, 'GET', '/projections');
  const failed = projections.find((p) => p.lastError);
  if (failed) throw new Error(`Projection ${failed.name} failed: ${JSON.stringify(failed.lastError)}`);
  return projections.every((p) => p.behind === false && !p.rebuilding);
}

/**
 * Signing a head on demand is the one answer over HTTP that says where the ledger's end is.
 * Each adds one AuditHeadSigned event to the log, as the API's periodic heads do.
 */
async function ledgerCaughtUp(app: BenchApp): Promise<boolean> {
  const { eventStore } = await adminRequest<{ eventStore: { headPosition: string | null } }>(app, 'GET', '/health');
  if (eventStore.headPosition === null) return true;
  const head = await adminRequest<{ position: string } | null>(app, 'POST', '/audit/heads');
  return head !== null && BigInt(head.position) >= BigInt(eventStore.headPosition);
}

const ADMIN: BenchUser = { role: 'admin', organisationId: 'bench-ops', userId: 'bench-admin' };

/** An administrator's request; null for 409 (nothing ledgered yet to sign). */
async function adminRequest<T>(app: BenchApp, method: 'GET' | 'POST', path: string): Promise<T> {
  const response = await fetch(`${app.url}${path}`, { method, headers: { authorization: `Bearer ${app.token(ADMIN)}` } });
  const text = await response.text();
  if (method === 'POST' && response.status === 409) return null as T;
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/**
 * Every GET /analytics/* route the API documents (its OpenAPI document, generated from the
 * controllers), each with the queries an analyst would ask. A route missing here fails the
 * run, so a new one cannot go unmeasured. The seeded journeys run from 2014 to November 2026:
 * reports ask for the last full year, 2025, by quarter; exits of 2024 are followed up as at
 * today, so their 12- and 24-month outcomes are known.
 */
const ANALYTICS_QUERIES: Record<string, string[]> = {
  '/analytics/journeys': ['page=1&pageSize=100'],
  '/analytics/referrals': ['from=2025-01-01&to=2025-12-31&period=quarter&by=nationality'],
  '/analytics/data-quality': ['from=2025-01-01&to=2025-12-31&period=quarter'],
  '/analytics/regions': ['from=2025-01-01&to=2025-12-31&period=year'],
  '/analytics/decision-times': [
    'stage=reasonable_grounds&from=2025-01-01&to=2025-12-31&period=quarter&by=ageGroup',
    'stage=conclusive_grounds&from=2025-01-01&to=2025-12-31&period=quarter&by=ageGroup',
  ],
  // A stock at one date: from and to do not apply.
  '/analytics/backlog': ['asOf=2025-12-31&by=competentAuthority'],
  '/analytics/reconsiderations': ['from=2025-01-01&to=2025-12-31&period=year'],
  '/analytics/care': ['from=2025-01-01&to=2025-12-31&period=quarter'],
  '/analytics/exits': ['from=2025-01-01&to=2025-12-31&period=quarter'],
  '/analytics/after-exit': ['from=2024-01-01&to=2024-12-31&period=quarter&survival=true'],
};

/**
 * Scenario 5: every GET /analytics/* endpoint as an analyst (ANALYST in bench/app.ts), with
 * realistic query parameters; first (cold) request time, then `requests` sequential requests;
 * every response checked 200.
 */
export async function analytics(app: BenchApp, options: { requests: number }): Promise<EndpointLatency[]> {
  await caughtUp(app);
  const endpoints = (await analyticsRoutes(app)).flatMap((route) => {
    const queries = ANALYTICS_QUERIES[route];
    if (!queries) throw new Error(`No realistic query for ${route}: add one to ANALYTICS_QUERIES`);
    return queries.map((query): Endpoint => ({ name: `GET ${route}?${query}`, paths: [`${route}?${query}`] }));
  });
  return measure(app, app.token(ANALYST), endpoints, options.requests);
}

async function analyticsRoutes(app: BenchApp): Promise<string[]> {
  const response = await fetch(`${app.url}/docs/openapi.json`);
  if (response.status !== 200) throw new Error(`GET /docs/openapi.json answered ${response.status}`);
  const { paths } = (await response.json()) as { paths: Record<string, { get?: unknown }> };
  return Object.keys(paths).filter((path) => path.startsWith('/analytics/') && paths[path].get);
}

/**
 * Each endpoint's first request, before any endpoint is asked twice, so that firstMs is its
 * cold cost (on the embedded read store, a collection's first read loads it into memory);
 * then `requests` sequential requests per endpoint, cycling through its paths.
 */
async function measure(app: BenchApp, token: string, endpoints: Endpoint[], requests: number): Promise<EndpointLatency[]> {
  const firsts: number[] = [];
  for (const endpoint of endpoints) firsts.push(await timedGet(app, token, endpoint, 0));
  const results: EndpointLatency[] = [];
  for (const [i, endpoint] of endpoints.entries()) {
    const samples: number[] = [];
    for (let n = 1; n <= requests; n++) samples.push(await timedGet(app, token, endpoint, n));
    const { p50, p99, p999 } = percentiles(samples);
    results.push({ endpoint: endpoint.name, requests, firstMs: round(firsts[i]), latencyMs: { p50, p95: percentile(samples, 95), p99, p999 } });
  }
  return results;
}

/** Milliseconds from sending the nth request to having its whole body; the answer is checked after the clock stops. */
async function timedGet(app: BenchApp, token: string, endpoint: Endpoint, n: number): Promise<number> {
  const path = endpoint.paths[n % endpoint.paths.length];
  const started = process.hrtime.bigint();
  const response = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.text();
  const ms = elapsedMs(started);
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${body.slice(0, 500)}`);
  const problem = endpoint.check?.(JSON.parse(body));
  if (problem) throw new Error(`GET ${path}: ${problem}`);
  return ms;
}
