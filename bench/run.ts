import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { startBenchApp, temporaryDataDir, type BenchApp } from './app';
import { httpCommands, measureCommandMix, type CommandMixResult } from './scenarios/http-commands';
import { peerStoreAppends, projectionReplay, streamReads, type PeerStoreAppendResult, type ReplayResult, type StreamReadResult } from './scenarios/peer-emmett';
import { analytics, caughtUp, growAndProject, reads, rebuildAll, seedJourneys, type EndpointLatency, type GrowthStep, type RebuildResult } from './scenarios/seeded';
import { storeAppends, type StoreAppendResult } from './scenarios/store-appends';
import { markdown } from './report';

/**
 * `npm run bench` (issue 9): every scenario on the embedded default, each in temporary data
 * folders, one after another (two cores: nothing else may run while a figure is taken); then
 * bench/results/latest.json and latest.md. `--quick` runs the same code on small sizes, to
 * check the harness, not to quote. Timings are never asserted in `npm test`.
 */
export interface BenchResults {
  ranAt: string;
  quick: boolean;
  totalSeconds: number;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  store: Array<{ ours: StoreAppendResult; peer: PeerStoreAppendResult }>;
  streamReads: { ours: StreamReadResult; peer: StreamReadResult };
  commands: Array<CommandMixResult & { runs: number; ratesPerRun: number[] }>;
  growth: Array<GrowthStep & { commands: CommandMixResult }>;
  rebuild: RebuildResult;
  reads: EndpointLatency[];
  analytics: EndpointLatency[];
  replay: { journeys: number; ours: ReplayResult; peer: ReplayResult };
}

/**
 * Sizes: the logs of 250k, 500k and 1M events. With seed 1 the first 16,500 journeys
 * average 15 events (the oldest have run their whole course) and later ones about 11.7.
 * The last step adds `growthIncrement` journeys (about 36,000 events) on top of the rebuilt 1M.
 */
const FULL = { appendCalls: 2_000, peerAppendCalls: 500, runs: 3, streams: 2_000, commandSeconds: 5, growthJourneys: [16_500, 38_000, 81_000], growthIncrement: 3_000, replayJourneys: 2_000, readJourneys: 20, readRequests: 500, analyticsRequests: 40 };
const QUICK = { appendCalls: 300, peerAppendCalls: 100, runs: 1, streams: 300, commandSeconds: 3, growthJourneys: [500, 1_000, 2_000], growthIncrement: 100, replayJourneys: 300, readJourneys: 3, readRequests: 100, analyticsRequests: 10 };

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const size = quick ? QUICK : FULL;
  const started = Date.now();
  const step = (name: string) => process.stderr.write(`[bench ${Math.round((Date.now() - started) / 1000)} s] ${name}\n`);

  step('store appends, ours and the peer');
  const store = [];
  for (const eventsPerCall of [1, 10]) {
    store.push({ ours: await storeAppends(eventsPerCall, size.appendCalls, size.runs), peer: await peerStoreAppends(eventsPerCall, size.peerAppendCalls, size.runs) });
  }
  step('stream reads, ours and the peer');
  const streams = await streamReads(size.streams);
  step('commands over HTTP at concurrency 1, 16, 64');
  const commands = await httpCommands({ concurrencies: [1, 16, 64], durationSeconds: size.commandSeconds, runs: size.runs });

  const log = temporaryDataDir('vjt-bench-log-');
  try {
    const growth = [];
    const sizes = size.growthJourneys;
    for (const journeys of sizes.slice(0, -1)) {
      step(`growth: log of ${journeys} journeys, projected, then commands at concurrency 64`);
      const grown = await growAndProject(log.dir, journeys);
      const app = await startBenchApp(log.dir);
      try {
        growth.push({ ...grown, commands: await commandsOnGrownLog(app, size.commandSeconds) });
      } finally {
        await app.stop();
      }
    }
    // The largest log is seeded without projecting: the rebuild (scenario 3) brings its read
    // models up to date, rather than projecting the same events twice. The growth step's
    // projection figure there is taken on an increment projected on top of the rebuilt models.
    const largest = sizes[sizes.length - 1];
    step(`largest log: ${largest} journeys seeded, then every projection rebuilt from the whole log`);
    await seedJourneys(log.dir, largest);
    const rebuild = await rebuildAll(log.dir);
    step(`growth: ${size.growthIncrement} more journeys projected on the rebuilt models, then commands, reads and analytics`);
    // Another seed's sequence: only the added journeys are generated (the first seed's would be generated again to be skipped).
    const grown = await growAndProject(log.dir, size.growthIncrement, { seed: 2, totalJourneys: largest + size.growthIncrement });
    const app = await startBenchApp(log.dir);
    let readLatencies: EndpointLatency[];
    let analyticsLatencies: EndpointLatency[];
    try {
      growth.push({ ...grown, commands: await commandsOnGrownLog(app, size.commandSeconds) });
      readLatencies = await reads(app, { journeys: size.readJourneys, requests: size.readRequests });
      analyticsLatencies = await analytics(app, { requests: size.analyticsRequests });
    } finally {
      await app.stop();
    }
    log.remove();

    step('projection replay of one read model, ours and the peer');
    const replayLog = temporaryDataDir('vjt-bench-replay-');
    let replay;
    try {
      await seedJourneys(replayLog.dir, size.replayJourneys);
      replay = { journeys: size.replayJourneys, ...(await projectionReplay(replayLog.dir)) };
    } finally {
      replayLog.remove();
    }

    const results: BenchResults = {
      ranAt: new Date().toISOString(),
      quick,
      totalSeconds: Math.round((Date.now() - started) / 1000),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
      store,
      streamReads: streams,
      commands,
      growth,
      rebuild,
      reads: readLatencies,
      analytics: analyticsLatencies,
      replay,
    };
    write(results);
    step('done');
  } finally {
    log.remove();
  }
}

/** Quick runs check the harness: they never overwrite the committed figures. */
function write(results: BenchResults): void {
  const directory = join(__dirname, '../../bench/results');
  const name = results.quick ? 'quick' : 'latest';
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(directory, `${name}.md`), markdown(results));
  process.stdout.write(markdown(results));
}

/**
 * The command mix at concurrency 64 on a grown log, once the API has caught up. The first
 * commands after a start wait while the read store loads the collections they touch: a short
 * warm-up run takes that, and is not what is measured.
 */
async function commandsOnGrownLog(app: BenchApp, durationSeconds: number): Promise<CommandMixResult> {
  await caughtUp(app);
  await measureCommandMix(app, { connections: 64, durationSeconds: 2 });
  await caughtUp(app);
  return measureCommandMix(app, { connections: 64, durationSeconds });
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
