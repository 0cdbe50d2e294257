import { randomUUID } from 'node:crypto';
import { operatorMetricsUrl } from '../../apps/api/src/operations/metrics';
import { ALL_PROJECTIONS } from '../../projections';
import { consent, identification, referral } from '../../seeds/journey-requests';
import { caughtUp, startApp, temporaryDataDir, tokenFor, useRunningApp } from '../support/running-app';

/** One sample of the Prometheus text exposition: `name{label="value",...} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A small parser of the text exposition format (what Prometheus itself reads). */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1], type[2]);
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`Not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[name] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return { samples, types };
}

class Scrape {
  readonly samples: Sample[];
  readonly types: Map<string, string>;
  constructor(readonly text: string) {
    ({ samples: this.samples, types: this.types } = parseExposition(text));
  }

  /** Samples of `name` whose labels include `labels`. */
  all(name: string, labels: Record<string, string> = {}): Sample[] {
    return this.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  }

  /** The one sample of `name` with exactly these labels (0 when the series does not exist yet). */
  value(name: string, labels: Record<string, string> = {}): number {
    const found = this.all(name, labels).filter((s) => Object.keys(s.labels).length === Object.keys(labels).length);
    if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} is ambiguous`);
    return found[0]?.value ?? 0;
  }

  /** The sum over every sample of `name` matching `labels`. */
  sum(name: string, labels: Record<string, string> = {}): number {
    return this.all(name, labels).reduce((total, s) => total + s.value, 0);
  }
}

describe('metrics at /metrics on the API port (admins only) after a scripted workload', () => {
  const app = useRunningApp();
  const admin = () => app.as({ role: 'admin' });
  const scrape = async () => {
    const response = await fetch(`${app.app.url}/metrics`, { headers: { authorization: `Bearer ${adminToken()}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return new Scrape(await response.text());
  };
  const adminToken = () => tokenFor(app.app.dataDir, { role: 'admin' });
  let head: number;
  let metrics: Scrape;

  beforeAll(async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await app.api.post('/journeys', identification())).body.journeyId);
    const key = randomUUID();
    expect((await app.api.post('/journeys', identification(), { 'idempotency-key': key })).status).toBe(201);
    const replay = await app.api.post('/journeys', identification(), { 'idempotency-key': key });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const consented = await app.api.post(`/journeys/${ids[0]}/consents`, consent());
    expect(consented.status).toBe(201);
    expect((await app.api.post(`/journeys/${ids[1]}/referrals`, referral())).status).toBe(422); // no consent yet
    expect((await app.api.post(`/journeys/${ids[0]}/consents`, consent(), { 'if-match': '"0"' })).status).toBe(409);
    expect((await app.api.post('/journeys', { occurredAt: 'yesterday' })).status).toBe(400);
    expect((await app.api.get(`/journeys/${ids[0]}`, { 'x-min-position': consented.body.position })).status).toBe(200);
    expect((await app.api.get(`/journeys?minPosition=${consented.body.position}`)).status).toBe(200);
    expect((await app.anonymous().get(`/journeys/${ids[0]}`)).status).toBe(401);
    expect((await app.api.get('/no-such-route')).status).toBe(404);
    await caughtUp(app.app.url, app.app.dataDir);
    head = Number((await admin().get('/health')).body.eventStore.headPosition);
    await scrape(); // scrapes themselves are not counted as HTTP requests
    metrics = await scrape();
  });

  it('counts commands by domain command type and outcome, with a duration histogram of the same counts', () => {
    const expected: Array<[string, string, number]> = [
      ['IdentifyVictim', 'recorded', 4], ['IdentifyVictim', 'replayed', 1], ['RecordConsent', 'recorded', 1],
      ['RecordConsent', 'conflict', 1], ['ReferVictim', 'rejected', 1],
    ];
    expect(metrics.types.get('vjt_commands_total')).toBe('counter');
    expect(metrics.types.get('vjt_command_duration_seconds')).toBe('histogram');
    for (const [command, outcome, count] of expected) {
      expect({ command, outcome, count: metrics.value('vjt_commands_total', { command, outcome }) }).toEqual({ command, outcome, count });
      expect(metrics.value('vjt_command_duration_seconds_count', { command, outcome })).toBe(count);
      expect(metrics.value('vjt_command_duration_seconds_bucket', { command, outcome, le: '+Inf' })).toBe(count);
      expect(metrics.value('vjt_command_duration_seconds_sum', { command, outcome })).toBeGreaterThan(0);
    }
    expect(metrics.sum('vjt_commands_total')).toBe(8); // the 400 never became a command
    expect(metrics.all('vjt_commands_total', { outcome: 'failed' })).toEqual([]);
  });

  it('counts appends and the events they stored, which are every event of the log', () => {
    expect(metrics.value('vjt_appends_total')).toBe(5); // four identifications and a consent; refusals and replays append nothing
    expect(metrics.value('vjt_events_appended_total')).toBe(head + 1); // positions are 0-based and gap-free
    expect(metrics.value('vjt_append_duration_seconds_count')).toBe(5);
    expect(metrics.value('vjt_append_duration_seconds_sum')).toBeGreaterThan(0);
  });

  it('reports each projection at the head of the log, with no lag and no errors', () => {
    for (const { name: projection } of ALL_PROJECTIONS) {
      expect({ projection, position: metrics.value('vjt_projection_position', { projection }) }).toEqual({ projection, position: head });
      expect(metrics.value('vjt_projection_lag_events', { projection })).toBe(0);
      expect(metrics.value('vjt_projection_lag_seconds', { projection })).toBe(0);
      expect(metrics.value('vjt_projection_running', { projection })).toBe(1);
      expect(metrics.value('vjt_projection_events_applied_total', { projection })).toBe(head + 1);
      expect(metrics.value('vjt_projection_batches_total', { projection })).toBeGreaterThanOrEqual(1);
      expect(metrics.all('vjt_projection_errors_total', { projection })).toEqual([expect.objectContaining({ value: 0 })]);
    }
    expect(metrics.types.get('vjt_projection_errors_total')).toBe('counter');
    expect(metrics.types.get('vjt_projection_lag_seconds')).toBe('gauge');
  });

  it('times read-your-writes waits, with no timeouts', () => {
    expect(metrics.value('vjt_read_your_writes_wait_seconds_count')).toBe(2);
    expect(metrics.value('vjt_read_your_writes_timeouts_total')).toBe(0);
  });

  it('counts HTTP requests by method, route template and status, never by raw URL', () => {
    const expected: Array<[string, string, string, number]> = [
      ['POST', '/journeys', '201', 5], ['POST', '/journeys', '400', 1], ['POST', '/journeys/:id/consents', '201', 1],
      ['POST', '/journeys/:id/consents', '409', 1], ['POST', '/journeys/:id/referrals', '422', 1],
      ['GET', '/journeys/:id', '200', 1], ['GET', '/journeys/:id', '401', 1], ['GET', '/journeys', '200', 1], ['GET', 'unmatched', '404', 1],
    ];
    for (const [method, route, status, count] of expected) {
      expect({ method, route, status, count: metrics.value('vjt_http_requests_total', { method, route, status }) }).toEqual({ method, route, status, count });
    }
    expect(metrics.value('vjt_http_request_duration_seconds_count', { method: 'POST', route: '/journeys' })).toBe(6);
    expect(metrics.value('vjt_http_request_duration_seconds_count', { method: 'GET', route: '/journeys/:id' })).toBe(2);
    expect(metrics.sum('vjt_http_requests_total', { route: '/projections' })).toBeGreaterThanOrEqual(1);
    expect(metrics.all('vjt_http_requests_total', { route: '/metrics' })).toEqual([]);
    // Only route templates: no journey id (nor any other id) ever appears in the exposition.
    expect(metrics.text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    expect(metrics.text).not.toMatch(/met-police|worker-7/);
  });

  it('exposes process metrics under the vjt_ prefix', () => {
    expect(metrics.value('vjt_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(metrics.value('vjt_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(metrics.sum('vjt_nodejs_heap_size_total_bytes')).toBeGreaterThan(0);
    expect(metrics.all('vjt_nodejs_eventloop_lag_seconds')).toHaveLength(1);
  });

  it('is for admins only: 401 without a token, 403 for every other role', async () => {
    const anonymous = await fetch(`${app.app.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    expect((await fetch(`${app.app.url}/metrics`, { headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);
    for (const role of ['support_worker', 'auditor', 'analyst'] as const) {
      const refused = await app.as({ role }).get('/metrics');
      expect({ role, status: refused.status, code: refused.body.code }).toEqual({ role, status: 403, code: 'FORBIDDEN' });
    }
    expect(operatorMetricsUrl(app.app.app)).toBeUndefined();
  });
});

describe('metrics on the operator port (METRICS_PORT)', () => {
  const app = useRunningApp({ METRICS_PORT: '0', READ_YOUR_WRITES_TIMEOUT_MS: '200' });

  it('serves /metrics there without a token, and not on the API port at all', async () => {
    const url = operatorMetricsUrl(app.app.app)!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toBe(app.app.url);
    const scraped = await fetch(`${url}/metrics`);
    expect(scraped.status).toBe(200);
    expect(new Scrape(await scraped.text()).value('vjt_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${url}/journeys`)).status).toBe(404);
    expect((await app.as({ role: 'admin' }).get('/metrics')).status).toBe(404);
  });

  it('counts a read-your-writes wait that ran out (503) as a timeout', async () => {
    const { body } = await app.api.post('/journeys', identification());
    const late = await app.api.get(`/journeys/${body.journeyId}?minPosition=1000000`);
    expect(late.status).toBe(503);
    const metrics = new Scrape(await (await fetch(`${operatorMetricsUrl(app.app.app)}/metrics`)).text());
    expect(metrics.value('vjt_read_your_writes_timeouts_total')).toBe(1);
    expect(metrics.value('vjt_read_your_writes_wait_seconds_count')).toBe(1);
    expect(metrics.value('vjt_read_your_writes_wait_seconds_sum')).toBeGreaterThanOrEqual(0.19);
    expect(metrics.value('vjt_http_requests_total', { method: 'GET', route: '/journeys/:id', status: '503' })).toBe(1);
  });

  it('closes the operator port with the application', async () => {
    const data = temporaryDataDir();
    try {
      const other = await startApp(data.dir, { METRICS_PORT: '0' });
      const url = operatorMetricsUrl(other.app)!;
      expect((await fetch(`${url}/metrics`)).status).toBe(200);
      await other.stop();
      await expect(fetch(`${url}/metrics`)).rejects.toThrow();
    } finally {
      data.remove();
    }
  });
});
