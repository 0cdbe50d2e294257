// First: replaces the global Date before the application's modules load (see server-clock.ts).
import { restoreRealDate, serverClock } from './server-clock';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSigningSecret } from '../../apps/api/src/auth/tokens/embedded-secret';
import { mintHs256Token } from '../../apps/api/src/auth/tokens/hs256-minter';
import { uuidFrom } from '../../apps/api/src/journeys/recording/journey-stream';
import { EVENT_STORE, PROJECTOR, READ_STORE } from '../../apps/api/src/infrastructure/tokens';
import { StoredProjectionMonitor } from '../../apps/api/src/projections/projection-monitor';
import { UserRateLimiter } from '../../apps/api/src/auth/user-rate-limiter';
import { readCatalogEntry } from '../../apps/projector/src/projection-catalog';
import { Projector } from '../../apps/projector/src/projector';
import { journeyStreamId } from '../../libs/domain/src/events';
import { consented, identified, referred } from '../../libs/domain/test-support/journey-fixtures';
import { SqliteEventStore } from '../../libs/event-store/src/embedded/sqlite-event-store';
import type { EventStore, StoredEvent } from '../../libs/event-store/src/event-store.port';
import { SqliteReadStore } from '../../libs/read-store/src/embedded/sqlite-read-store';
import type { ReadStore } from '../../libs/read-store/src/read-store.port';
import { ALL_PROJECTIONS } from '../../projections';
import { journeyProjection } from '../../projections/journeys/journey.projection';
import { consent, decision, exit, identification, referral } from '../../seeds/journey-requests';
import { client, startApp, SUPPORT_WORKER, tokenFor, type HttpResult, type RunningApp, type TestUser } from '../support/running-app';
import { sized, timeoutFor } from './long-run';
import { canonicalJson, expectSameReadModel, readModelOf } from './read-models';

/**
 * Issue 10, clock independence: the server's wall clock is set back (by a day, then by a
 * year) part-way through recording journeys over HTTP, once in the middle of a race of
 * conditional commands. Nothing may depend on it but the timestamps it writes: positions and
 * revisions still increase in append order, If-Match races still have exactly one winner,
 * and the read models (journeys, caseloads, every analytics figure; over HTTP and as stored)
 * equal those of the same commands under a clock that runs normally, as does a rebuild from
 * the log. recordedAt is whatever the clock said, even when that goes backwards.
 */
const DAY = 86_400_000;
const YEAR = 365 * DAY;
/** Reads of both runs are made with the clock stopped here, so that "today" (waits, overdue flags, analytics' asOf) is the same. */
const READ_AT = '2026-06-15T12:00:00.000Z';
/** Journeys recorded, interleaved; a race of six on each, twice. */
const JOURNEYS = sized(4, 24);
const ENV = {
  // The same pseudonyms in both runs (analysts' journey ids), and figures shown from a count of 2.
  PSEUDONYM_KEY: 'a1'.repeat(32),
  ANALYTICS_SUPPRESSION_THRESHOLD: '2',
  READ_YOUR_WRITES_TIMEOUT_MS: '300',
  RATE_LIMIT_PER_WINDOW: '1000000',
  RATE_LIMIT_PER_USER_PER_WINDOW: '1000000',
};
const ANALYST: TestUser = { role: 'analyst', organisationId: 'home-office-analysis' };
const ADMIN: TestUser = { role: 'admin', organisationId: 'nrm-admin' };
const RANGE = 'from=2023-01-01&to=2025-12-31&period=month';
/** Every analytics report, each once. */
const ANALYTICS = [
  'journeys', `referrals?${RANGE}&by=ageGroup`, `decision-times?${RANGE}&stage=reasonable_grounds`, `decision-times?${RANGE}&stage=conclusive_grounds&basis=cohort`,
  `backlog?${RANGE}`, `reconsiderations?${RANGE}`, `care?${RANGE}`, `exits?${RANGE}`, `after-exit?${RANGE}&survival=true`, `data-quality?${RANGE}`, `regions?${RANGE}`,
];
/** Fields that hold the clock's own word, allowed to differ between the runs (and checked against the log instead). */
const CLOCK_FIELDS = ['lastRecordedAt'];

/** A command that was recorded: what it answered, and what the clock said around it (min and max of the readings). */
interface Recorded {
  what: string;
  journeyId: string;
  revision: number;
  position: bigint;
  clockFrom: number;
  clockTo: number;
}

interface Outcome {
  recorded: Recorded[];
  races: Array<{ what: string; statuses: number[]; codes: string[] }>;
  log: StoredEvent[];
  /** Over HTTP, with the clock stopped at READ_AT: each journey, the caseload, every analytics report. */
  reads: Record<string, unknown>;
  /** As stored: each projection's serving collection. */
  stored: Record<string, Map<string, string>>;
  rebuiltReads: Record<string, unknown>;
  rebuiltStored: Record<string, Map<string, string>>;
  /** GET /journeys/:id/state (as at today) and GET /journeys/:id, after the clock went back, per journey. */
  stateAsAtToday: Array<{ state: HttpResult; journey: HttpResult }>;
  /** A read-your-writes wait during which the clock went back a year. */
  waitAcrossJump?: HttpResult;
}

const journeyIds = Array.from({ length: JOURNEYS }, (_, i) => uuidFrom(`clock-spec/journey/${i}`));
const referralOf = (i: number) => `NRM-2024-${String(i + 1).padStart(4, '0')}`;

afterAll(() => restoreRealDate());

describe('the server clock set back', () => {
  let normal: Outcome;
  let setBack: Outcome;

  beforeAll(async () => {
    normal = await scenario({ backAfterReferral: 0, backMidRace: 0 });
    setBack = await scenario({ backAfterReferral: DAY, backMidRace: YEAR });
  }, timeoutFor(60_000, 300_000));

  it('records what the clock said, even as it goes backwards', () => {
    for (const outcome of [normal, setBack]) {
      const byPosition = new Map(outcome.log.map((e) => [e.position, e]));
      for (const r of outcome.recorded) {
        const event = byPosition.get(r.position)!;
        const at = Date.parse(event.metadata.recordedAt);
        expect({ what: r.what, at: at >= r.clockFrom && at <= r.clockTo }).toEqual({ what: r.what, at: true });
      }
    }
    // The test itself: the set-back run's timestamps do go backwards along the log, by about a day and a year.
    const steps = setBack.log.slice(1).map((e, i) => Date.parse(e.metadata.recordedAt) - Date.parse(setBack.log[i].metadata.recordedAt));
    expect(steps.some((s) => s < -DAY / 2 && s > -2 * DAY)).toBe(true);
    expect(steps.some((s) => s < -YEAR / 2)).toBe(true);
    expect(normal.log.slice(1).every((e, i) => e.metadata.recordedAt >= normal.log[i].metadata.recordedAt)).toBe(true);
  });

  it('keeps global positions and stream revisions increasing in append order', () => {
    for (const outcome of [normal, setBack]) {
      // The log: positions 0, 1, 2 ... with no gap; each stream's revisions 0, 1, 2 ... in log order.
      expect(outcome.log.map((e) => e.position)).toEqual(outcome.log.map((_, i) => BigInt(i)));
      const revisions = new Map<string, bigint[]>();
      for (const e of outcome.log) revisions.set(e.streamId, [...(revisions.get(e.streamId) ?? []), e.revision]);
      for (const [streamId, list] of revisions) expect({ streamId, list }).toEqual({ streamId, list: list.map((_, i) => BigInt(i)) });
      // Commands answered one after another: each answer's position above the one before, each journey's revision above its last.
      const positions = outcome.recorded.map((r) => r.position);
      expect(positions.slice(1).every((p, i) => p > positions[i])).toBe(true);
      for (const id of journeyIds) {
        const mine = outcome.recorded.filter((r) => r.journeyId === id).map((r) => r.revision);
        expect({ id, mine }).toEqual({ id, mine: mine.map((_, i) => i) });
      }
      // And what each answer said is where the event is.
      const byPosition = new Map(outcome.log.map((e) => [e.position, e]));
      for (const r of outcome.recorded) {
        const event = byPosition.get(r.position)!;
        expect([r.what, event.streamId, Number(event.revision)]).toEqual([r.what, journeyStreamId(r.journeyId), r.revision]);
      }
    }
    expect(setBack.log.map((e) => [e.streamId, e.revision, e.type])).toEqual(normal.log.map((e) => [e.streamId, e.revision, e.type]));
  });

  it('still lets exactly one conditional command of a race through, the others 409, while the clock goes back', () => {
    for (const outcome of [normal, setBack]) {
      expect(outcome.races.length).toBe(2 * JOURNEYS);
      for (const race of outcome.races) {
        expect({ race: race.what, statuses: [...race.statuses].sort() }).toEqual({ race: race.what, statuses: [201, 409, 409, 409, 409, 409] });
        expect(race.codes.filter((c) => c === 'CONCURRENCY_CONFLICT')).toHaveLength(5);
      }
    }
  });

  it('projects the same read models as under a normal clock, over HTTP and as stored', () => {
    expect(Object.keys(setBack.reads)).toHaveLength(JOURNEYS + 1 + ANALYTICS.length);
    for (const [what, body] of Object.entries(setBack.reads)) {
      expect({ what, body: JSON.parse(canonicalJson(body, CLOCK_FIELDS)) }).toEqual({ what, body: JSON.parse(canonicalJson(normal.reads[what], CLOCK_FIELDS)) });
    }
    // Not vacuous: the journeys went through decisions, care, exit and a correction, and the analysts see figures.
    expect(setBack.reads[`journey ${journeyIds[0]}`]).toMatchObject({ status: 'exited', lastRevision: expect.any(Number) });
    expect(JSON.stringify(setBack.reads[`analytics ${ANALYTICS[1]}`])).toMatch(/"referrals":[1-9]/);
    for (const projection of ALL_PROJECTIONS) {
      expectSameReadModel(projection.name, withoutClock(setBack.stored[projection.name]), withoutClock(normal.stored[projection.name]));
    }
    // The timestamps a read model does keep are the log's, as the clock wrote them.
    for (const outcome of [normal, setBack]) {
      const byPosition = new Map(outcome.log.map((e) => [e.position, e]));
      for (const json of outcome.stored.journeys.values()) {
        const doc = JSON.parse(json);
        expect(doc.lastRecordedAt).toBe(byPosition.get(BigInt(doc.lastPosition))!.metadata.recordedAt);
      }
    }
  });

  it('rebuilds from the log the same read models as the live projection', () => {
    for (const outcome of [normal, setBack]) {
      expect(outcome.rebuiltReads).toEqual(outcome.reads);
      for (const projection of ALL_PROJECTIONS) expectSameReadModel(`rebuilt ${projection.name}`, outcome.rebuiltStored[projection.name], outcome.stored[projection.name]);
    }
  });

  it('shows a journey as at today as it is now, though some of it was recorded "after" today', () => {
    for (const { state, journey } of setBack.stateAsAtToday) {
      expect(state.status).toBe(200);
      const { basis, atPosition, corrections, ...view } = state.body;
      expect({ basis, atPosition, corrections }).toEqual({ basis: 'recorded', atPosition: null, corrections: [] });
      expect(view).toEqual(journey.body);
    }
  });

  it('ends a read-your-writes wait on time when the clock goes back during it', () => {
    expect(setBack.waitAcrossJump).toMatchObject({ status: 503, body: { code: 'NOT_YET_PROJECTED' } });
  });
});

describe('the clock set back, elsewhere', () => {
  afterEach(() => serverClock.reset());

  it('lets a user over their rate limit in again after the window, though the clock went back', async () => {
    const limiter = new UserRateLimiter(2, 100);
    expect([limiter.take('u').allowed, limiter.take('u').allowed, limiter.take('u').allowed]).toEqual([true, true, false]);
    serverClock.setBack(DAY);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(limiter.take('u').allowed).toBe(true);
  });

  it('ends a read-your-writes wait of an API process without the projector on time, though the clock went back during it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vjt-clock-monitor-'));
    const readStore = SqliteReadStore.open({ directory: dir });
    let timer: NodeJS.Timeout | undefined;
    try {
      const waiting = new StoredProjectionMonitor(readStore, [journeyProjection]).waitFor('journeys', 99n, 200); // has taken its deadline
      serverClock.setBack(YEAR);
      const stretched = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('no answer within 10 s'), 10_000)));
      expect(await Promise.race([waiting, stretched])).toBe(false);
    } finally {
      clearTimeout(timer);
      await readStore.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('carries out a rebuild asked for by an API process whose clock is behind the projector’s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vjt-clock-rebuild-'));
    const events = SqliteEventStore.open({ directory: dir });
    const readStore = SqliteReadStore.open({ directory: dir });
    const metadata = { recordedAt: '2024-06-01T10:00:00Z', recordedBy: { userId: 'u', role: 'support_worker', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 };
    const projector = new Projector(events, readStore, { batchSize: 10, retryMinMs: 10, retryMaxMs: 50, heartbeatMs: 10, retireAfterMs: 50, projections: [journeyProjection] });
    try {
      for (const j of ['a', 'b']) {
        const steps = [identified({ journeyId: j }), consented(), referred('2024-01-09', `ref-${j}`)];
        await events.append(journeyStreamId(j), steps.map((e, i) => ({ id: uuidFrom(`${j}/${i}`), type: e.type, data: e.data as any, metadata })), 'no_stream');
      }
      await projector.start();
      const serving = async () => (await readCatalogEntry(readStore, 'journeys'))!.collection;
      const before = await serving();
      serverClock.setBack(DAY); // the API process's clock: a day behind the projector's start
      await new StoredProjectionMonitor(readStore, [journeyProjection]).rebuild('journeys');
      let after = before;
      for (let i = 0; i < 500 && after === before; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        after = await serving();
      }
      expect(after).not.toBe(before);
      expect(await readStore.collection(after).countDocuments({})).toBe(2);
    } finally {
      await projector.stop();
      await readStore.close();
      await events.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function withoutClock(model: Map<string, string>): Map<string, string> {
  return new Map([...model].map(([id, json]) => [id, canonicalJson(JSON.parse(json), CLOCK_FIELDS)]));
}

/**
 * Records JOURNEYS journeys over HTTP, interleaved, in three phases, the clock set back by
 * `backAfterReferral` after the first and by `backMidRace` in the middle of the first race of
 * the third; then reads everything with the clock stopped at READ_AT, rebuilds, reads again.
 */
async function scenario(options: { backAfterReferral: number; backMidRace: number }): Promise<Outcome> {
  serverClock.reset();
  const dataDir = mkdtempSync(join(tmpdir(), 'vjt-clock-'));
  let running: RunningApp | undefined;
  try {
    running = await startApp(dataDir, ENV);
    const app = running;
    // Tokens are minted by the clock of the moment (one minted before the clock went back is "issued in the future").
    const as = (user: TestUser) => client(app.url, tokenFor(dataDir, user));
    const outcome: Outcome = { recorded: [], races: [], log: [], reads: {}, stored: {}, rebuiltReads: {}, rebuiltStored: {}, stateAsAtToday: [] };
    const revision = new Map<string, number>();
    let head = -1n;

    const step = async (journeyId: string, route: string, body: Record<string, unknown>, key: string) => {
      const what = `${journeyId.slice(0, 8)} ${route} ${key}`;
      const clockFrom = serverClock.now();
      const response = await as(SUPPORT_WORKER).post(route === '' ? '/journeys' : `/journeys/${journeyId}/${route}`, body, { 'idempotency-key': uuidFrom(`clock-spec/${journeyId}/${key}`) });
      const clockTo = serverClock.now();
      if (response.status !== 201) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
      note({ what, journeyId, revision: response.body.revision, position: BigInt(response.body.position), clockFrom, clockTo });
    };
    const note = (r: Recorded) => {
      outcome.recorded.push(r);
      revision.set(r.journeyId, r.revision);
      if (r.position > head) head = r.position;
    };
    /** Six identical conditional care records at once, on the revision last read; the clock may be set back once half are sent. */
    const race = async (journeyId: string, what: string, backMidway = 0) => {
      const etag = `"${revision.get(journeyId)}"`;
      const body = { service: 'counselling', providerId: 'counsellor-2', startedOn: '2024-01-17' };
      const readings = [serverClock.now()];
      // One token for all six, issued before the clock will be set back: it authenticates on either side of that.
      const worker = client(app.url, mintHs256Token(loadOrCreateSigningSecret(dataDir), {
        role: 'support_worker', organisationId: SUPPORT_WORKER.organisationId!, userId: SUPPORT_WORKER.userId!,
        now: new Date(serverClock.now() - backMidway - 60_000), ttlSeconds: Math.ceil(backMidway / 1000) + 3600,
      }));
      const send = () => worker.post(`/journeys/${journeyId}/care`, body, { 'if-match': etag });
      const first = [send(), send(), send()];
      if (backMidway) {
        await new Promise((resolve) => setImmediate(resolve));
        readings.push(serverClock.now());
        serverClock.setBack(backMidway);
        readings.push(serverClock.now());
      }
      const results = await Promise.all([...first, send(), send(), send()]);
      readings.push(serverClock.now());
      outcome.races.push({ what: `${journeyId.slice(0, 8)} ${what}`, statuses: results.map((r) => r.status), codes: results.map((r) => r.body?.code) });
      const winner = results.find((r) => r.status === 201);
      if (winner) note({ what: `${journeyId.slice(0, 8)} ${what}`, journeyId, revision: winner.body.revision, position: BigInt(winner.body.position), clockFrom: Math.min(...readings), clockTo: Math.max(...readings) });
    };
    const read = async (user: TestUser, path: string): Promise<HttpResult> => {
      for (let attempt = 0; ; attempt++) {
        const response = await as(user).get(path, { 'x-min-position': head.toString() });
        if (response.status !== 503 || attempt === 20) return response;
      }
    };

    // 1. Clock as it is: identification, consent, referral.
    for (const [i, id] of journeyIds.entries()) await step(id, '', identification({ journeyId: id, gender: i % 2 ? 'male' : 'female' }), 'identify');
    for (const id of journeyIds) await step(id, 'consents', consent(), 'consent');
    for (const [i, id] of journeyIds.entries()) await step(id, 'referrals', referral('2024-01-09', referralOf(i)), 'refer');

    // 2. A day back: Reasonable Grounds decisions (every fourth negative, then reconsidered and overturned), then a race each.
    serverClock.setBack(options.backAfterReferral);
    for (const [i, id] of journeyIds.entries()) {
      await step(id, 'decisions', decision('reasonable_grounds', i % 4 === 1 ? 'negative' : 'positive', '2024-01-16', referralOf(i)), 'rg');
    }
    for (const id of journeyIds) await race(id, 'care race 1');
    for (const [i, id] of journeyIds.entries()) {
      if (i % 4 !== 1) continue;
      const negative = (await read(SUPPORT_WORKER, `/journeys/${id}`)).body.episodes[0].decisions[0];
      await step(id, 'reconsiderations', { referralId: referralOf(i), decisionEventId: negative.eventId, requestedOn: '2024-01-20' }, 'reconsider');
      await step(id, 'decisions', decision('reasonable_grounds', 'positive', '2024-01-26', referralOf(i)), 'rg-overturned');
    }

    // 3. A year further back, in the middle of the first race: more races, Conclusive Grounds, exits, corrections.
    for (const [i, id] of journeyIds.entries()) await race(id, 'care race 2', i === 0 ? options.backMidRace : 0);
    for (const [i, id] of journeyIds.entries()) {
      await step(id, 'needs-assessments', { occurredAt: '2024-01-22', domains: ['health', 'housing'], riskLevel: i % 2 ? 'medium' : 'high', dependants: i % 3 }, 'needs');
    }
    for (const [i, id] of journeyIds.entries()) {
      if (i % 4 === 3) continue; // still awaiting its Conclusive Grounds decision
      await step(id, 'decisions', decision('conclusive_grounds', i % 4 === 2 ? 'negative' : 'positive', '2024-03-01', referralOf(i)), 'cg');
    }
    for (const [i, id] of journeyIds.entries()) if (i % 4 < 2) await step(id, 'exit', exit('2024-04-02'), 'exit');
    for (const [i, id] of journeyIds.entries()) {
      if (i % 4 !== 0) continue;
      const rg = (await read(SUPPORT_WORKER, `/journeys/${id}`)).body.episodes[0].decisions[0];
      await step(id, 'corrections', { occurredAt: '2024-05-01', correctedEventId: rg.eventId, changes: [{ field: 'decidedAt', value: '2024-01-15' }], reason: 'Decision letter received' }, 'correct-rg');
      await step(id, 'follow-ups', { occurredAt: '2024-05-02', monthsSinceExit: 1, contactMade: true, housing: 'stable', occupation: 'employed', immigrationStatus: 'leave_to_remain', destitute: false, safeguardingConcern: false, reExploitationReported: false }, 'follow-up');
    }

    // The journey as at today: everything recorded is known, whichever way the clock moved meanwhile.
    for (const id of journeyIds) {
      outcome.stateAsAtToday.push({ state: await read(SUPPORT_WORKER, `/journeys/${id}/state`), journey: await read(SUPPORT_WORKER, `/journeys/${id}`) });
    }
    if (options.backMidRace) outcome.waitAcrossJump = await waitWhileClockGoesBack(app, as, head);

    // Reads, with the clock stopped at the same instant in both runs.
    serverClock.pin(READ_AT);
    const projector = app.app.get<Projector>(PROJECTOR);
    const readStore = app.app.get<ReadStore>(READ_STORE);
    const readAll = async () => {
      // Analytics reads take no minPosition: wait for every projection to have applied the whole log.
      for (const projection of ALL_PROJECTIONS) {
        if (!(await projector.waitFor(projection.name, head, 30_000))) throw new Error(`${projection.name} did not reach ${head}`);
      }
      const reads: Record<string, unknown> = {};
      for (const id of journeyIds) reads[`journey ${id}`] = (await read(SUPPORT_WORKER, `/journeys/${id}`)).body;
      reads.caseload = (await read(SUPPORT_WORKER, '/journeys?organisation=met-police')).body;
      for (const report of ANALYTICS) {
        const response = await read(ANALYST, `/analytics/${report}`);
        if (response.status !== 200) throw new Error(`/analytics/${report}: ${response.status} ${JSON.stringify(response.body)}`);
        reads[`analytics ${report}`] = response.body;
      }
      const stored: Record<string, Map<string, string>> = {};
      for (const projection of ALL_PROJECTIONS) stored[projection.name] = await readModelOf(readStore, (await readCatalogEntry(readStore, projection.name))!.collection);
      return { reads, stored };
    };
    ({ reads: outcome.reads, stored: outcome.stored } = await readAll());
    for (const projection of ALL_PROJECTIONS) await projector.rebuild(projection.name);
    const rebuilt = await readAll();
    outcome.rebuiltReads = rebuilt.reads;
    outcome.rebuiltStored = rebuilt.stored;
    for await (const event of app.app.get<EventStore>(EVENT_STORE).readAll()) outcome.log.push(event);
    return outcome;
  } finally {
    await running?.stop();
    serverClock.reset();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * A read that waits for a position not yet recorded, and the clock set back a year just after
 * the wait began: it must still end after READ_YOUR_WRITES_TIMEOUT_MS with 503, not a year later.
 */
async function waitWhileClockGoesBack(app: RunningApp, as: (user: TestUser) => ReturnType<typeof client>, head: bigint): Promise<HttpResult> {
  const projector = app.app.get<Projector>(PROJECTOR);
  const waitFor = projector.waitFor.bind(projector);
  const worker = as(SUPPORT_WORKER);
  const spy = jest.spyOn(projector, 'waitFor').mockImplementation((...args) => {
    const waiting = waitFor(...args); // has taken its deadline
    serverClock.setBack(YEAR);
    return waiting;
  });
  let timer: NodeJS.Timeout | undefined;
  const noAnswer = new Promise<HttpResult>((resolve) => {
    timer = setTimeout(() => resolve({ status: 0, body: 'no answer within 10 s: the wait was stretched by the clock', headers: new Headers() }), 10_000);
  });
  try {
    return await Promise.race([worker.get(`/journeys/${journeyIds[0]}`, { 'x-min-position': (head + 1000n).toString() }), noAnswer]);
  } finally {
    clearTimeout(timer);
    spy.mockRestore();
  }
}
