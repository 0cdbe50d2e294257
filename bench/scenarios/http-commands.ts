import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { consent, decision, exit, identification, referral } from '../../seeds/journey-requests';
import { SUPPORT_WORKER, startBenchApp, temporaryDataDir, type BenchApp } from '../app';
import { round } from '../stats';

/**
 * Scenario 1 of issue 9: commands over HTTP, as support workers record them. Each autocannon
 * connection walks its own journeys through the whole NRM life-cycle, one journey after
 * another, so the mix is what a caseload produces: identify, consent, refer, reasonable
 * grounds, a needs assessment and care, conclusive grounds, exit, follow-ups. Every response
 * is checked. Target, reported and never asserted: 3,000 commands/s at 64 connections, p99 < 25 ms.
 */
export interface CommandMixResult {
  connections: number;
  /** As autocannon measured it, to 10 ms. */
  durationSeconds: number;
  /** Successful commands: 201 with the recorded step's journey id, revision and position. */
  commands: number;
  commandsPerSecond: number;
  /**
   * autocannon 9's latency histogram (hdr-histogram, 1 ms lowest discernible value) keeps
   * whole milliseconds, truncated: a reported 2 means 2 to 2.999 ms. It covers every response,
   * failed ones too.
   */
  latencyMs: { p50: number; p99: number; p999: number };
  /** Unexpected statuses or bodies, plus autocannon's connection errors and timeouts. */
  errors: number;
  /** Successful commands by command type. */
  byCommand: Record<string, number>;
}

/** One step of a journey: the command, its route under /journeys/:id and its body. */
interface Step {
  command: string;
  route: string;
  body: string;
}

const step = (command: string, route: string, body: object): Step => ({ command, route, body: JSON.stringify(body) });

const REFERRAL_ID = 'NRM-2024-BENCH';

/**
 * An adult's journey in 2024, dated so that every rule holds: consent before the referral,
 * reasonable grounds after it, conclusive grounds after the 30-day recovery period, exit after
 * a positive conclusive grounds decision (and 45 days' move-on support), follow-ups after exit.
 * Twelve commands; the identification carries personal data, as a real one does, so sealing
 * it under a new person's key is part of the cost.
 */
const JOURNEY: Step[] = [
  step('IdentifyVictim', '', identification({ occurredAt: '2024-03-04' })),
  step('RecordConsent', '/consents', consent(true, '2024-03-04')),
  step('ReferVictim', '/referrals', referral('2024-03-05', REFERRAL_ID)),
  step('RecordDecision', '/decisions', decision('reasonable_grounds', 'positive', '2024-03-08', REFERRAL_ID)),
  step('AssessNeeds', '/needs-assessments', { occurredAt: '2024-03-11', domains: ['housing', 'health'], riskLevel: 'medium', dependants: 0 }),
  step('RecordCare', '/care', { service: 'accommodation', providerId: 'provider-7', startedOn: '2024-03-11', costPence: 450_000 }),
  step('RecordCare', '/care', { service: 'counselling', providerId: 'provider-12', startedOn: '2024-03-18', endedOn: '2024-04-29', costPence: 90_000 }),
  step('RecordCare', '/care', { service: 'legal', providerId: 'provider-3', startedOn: '2024-04-02', endedOn: '2024-04-02', costPence: 25_000 }),
  step('RecordDecision', '/decisions', decision('conclusive_grounds', 'positive', '2024-04-15', REFERRAL_ID)),
  step('RecordExit', '/exit', exit('2024-06-03')),
  step('RecordFollowUp', '/follow-ups', {
    occurredAt: '2024-07-03', monthsSinceExit: 1, contactMade: true, housing: 'stable', occupation: 'education',
    immigrationStatus: 'leave_to_remain', destitute: false, safeguardingConcern: false, reExploitationReported: false,
  }),
  step('RecordFollowUp', '/follow-ups', { occurredAt: '2024-09-03', monthsSinceExit: 3, contactMade: false }),
];

/** What a connection knows of the journey it is walking; autocannon resets it when the sequence starts over. */
interface JourneyProgress {
  journeyId?: string;
  revision?: number;
  abandoned?: boolean;
}

/** What every step answers (the controller's stepRecorded). */
interface StepRecorded {
  journeyId: string;
  revision: number;
  position: string;
}

/** Tallies of one measurement, shared by all its connections. */
interface Tally {
  byCommand: Record<string, number>;
  errors: number;
  firstError?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** autocannon starts the sequence over when setupRequest returns a falsy request (its typings leave this out). */
const START_A_NEW_JOURNEY = undefined as unknown as autocannon.Request;

const WARM_UP_SECONDS = 2;

/** Drives the mix against a running app for durationSeconds with `connections` concurrent connections. */
export async function measureCommandMix(app: BenchApp, options: { connections: number; durationSeconds: number }): Promise<CommandMixResult> {
  const tally: Tally = { byCommand: {}, errors: 0 };
  const result = await autocannon({
    url: app.url,
    connections: options.connections,
    duration: options.durationSeconds,
    method: 'POST',
    headers: { authorization: `Bearer ${app.token(SUPPORT_WORKER)}`, 'content-type': 'application/json' },
    requests: JOURNEY.map((s, index) => ({ setupRequest: requestFor(s, index), onResponse: checkResponse(s, index, tally) })),
  });
  if (tally.firstError) process.stderr.write(`http-commands, ${options.connections} connections: first unexpected response: ${tally.firstError}\n`);
  const commands = Object.values(tally.byCommand).reduce((sum, n) => sum + n, 0);
  return {
    connections: options.connections,
    durationSeconds: result.duration,
    commands,
    commandsPerSecond: round(commands / result.duration, 0),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, p999: result.latency.p99_9 },
    // Timeouts are among autocannon's errors already.
    errors: tally.errors + result.errors,
    byCommand: tally.byCommand,
  };
}

/**
 * A step's request, with the headers a careful client sends: a new Idempotency-Key, so that
 * a retry could never record the step twice, and the ETag of the journey's last step in
 * If-Match, so that the step is recorded only on the journey the client knows.
 */
function requestFor(s: Step, index: number): autocannon.Request['setupRequest'] {
  return (request, context) => {
    const progress = context as JourneyProgress;
    if (index === 0) return { ...request, path: '/journeys', body: s.body, headers: { ...request.headers, 'idempotency-key': randomUUID() } };
    if (progress.abandoned) return START_A_NEW_JOURNEY;
    const headers = { ...request.headers, 'idempotency-key': randomUUID(), 'if-match': `"${progress.revision}"` };
    return { ...request, path: `/journeys/${progress.journeyId}${s.route}`, body: s.body, headers };
  };
}

/**
 * Counts the response as a command only if it is 201 with the next revision of this
 * connection's journey (revision 0 and a new UUID for an identification), that revision as
 * the ETag, and no idempotent replay. Anything else is an error, and the journey is
 * abandoned: its next steps would only fail in turn.
 */
function checkResponse(s: Step, index: number, tally: Tally): autocannon.Request['onResponse'] {
  return (status, body, context, headers) => {
    const progress = context as JourneyProgress;
    const expected = index === 0 ? { revision: 0 } : { journeyId: progress.journeyId, revision: progress.revision! + 1 };
    const recorded = status === 201 ? parseStepRecorded(body) : undefined;
    const ok =
      recorded !== undefined &&
      (expected.journeyId ?? recorded.journeyId) === recorded.journeyId &&
      recorded.revision === expected.revision &&
      header(headers, 'etag') === `"${expected.revision}"` &&
      header(headers, 'idempotent-replayed') === undefined;
    if (ok) {
      progress.journeyId = recorded.journeyId;
      progress.revision = recorded.revision;
      tally.byCommand[s.command] = (tally.byCommand[s.command] ?? 0) + 1;
    } else {
      progress.abandoned = true;
      tally.errors++;
      tally.firstError ??= `${s.command} ${progress.journeyId ?? ''} → ${status} ${body.slice(0, 500)}`;
    }
  };
}

function parseStepRecorded(body: string): StepRecorded | undefined {
  try {
    const value = JSON.parse(body) as Partial<StepRecorded>;
    const wellFormed = typeof value.journeyId === 'string' && UUID.test(value.journeyId) && Number.isInteger(value.revision) && /^\d+$/.test(String(value.position));
    return wellFormed ? (value as StepRecorded) : undefined;
  } catch {
    return undefined;
  }
}

/** autocannon hands response headers over with the server's spelling of their names. */
function header(headers: autocannon.Request['headers'], name: string): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry ? String(entry[1]) : undefined;
}

/** Scenario 1: for each concurrency, a fresh API (startBenchApp on a temporaryDataDir, from bench/app.ts), a short warm-up, then `runs` measured runs; reports the median run by throughput (its latencies), plus all runs' rates. Stops the app and removes the folder. */
export async function httpCommands(options: { concurrencies: number[]; durationSeconds: number; runs: number }): Promise<Array<CommandMixResult & { runs: number; ratesPerRun: number[] }>> {
  const results: Array<CommandMixResult & { runs: number; ratesPerRun: number[] }> = [];
  for (const connections of options.concurrencies) results.push(await atConcurrency(connections, options.durationSeconds, options.runs));
  return results;
}

/**
 * The median run by throughput (the lower middle one for an even number of runs). Its
 * `errors` are those of the warm-up and every run, so that choosing one run hides none.
 */
async function atConcurrency(connections: number, durationSeconds: number, runs: number): Promise<CommandMixResult & { runs: number; ratesPerRun: number[] }> {
  const folder = temporaryDataDir('vjt-bench-http-');
  try {
    const app = await startBenchApp(folder.dir);
    try {
      const warmUp = await measureCommandMix(app, { connections, durationSeconds: WARM_UP_SECONDS });
      const measured: CommandMixResult[] = [];
      for (let run = 0; run < runs; run++) measured.push(await measureCommandMix(app, { connections, durationSeconds }));
      const byRate = [...measured].sort((a, b) => a.commandsPerSecond - b.commandsPerSecond);
      const errors = [warmUp, ...measured].reduce((sum, r) => sum + r.errors, 0);
      return { ...byRate[Math.floor((byRate.length - 1) / 2)], errors, runs, ratesPerRun: measured.map((r) => r.commandsPerSecond) };
    } finally {
      await app.stop();
    }
  } finally {
    folder.remove();
  }
}
