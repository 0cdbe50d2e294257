import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { storeAppends, type StoreAppendResult } from './scenarios/store-appends';

/**
 * `npm run bench`: runs each scenario of issue 9 on the embedded default in temporary folders
 * and writes bench/results/latest.json and latest.md with the machine they ran on. Scenarios
 * so far: store appends (2). Timings are never asserted in `npm test`.
 */
interface BenchResults {
  ranAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  store: StoreAppendResult[];
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const calls = quick ? 300 : 2_000;
  const runs = quick ? 1 : 3;
  const results: BenchResults = {
    ranAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
    store: [await storeAppends(1, calls, runs), await storeAppends(10, calls, runs)],
  };
  const directory = join(__dirname, '../../bench/results');
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(directory, 'latest.md'), markdown(results));
  process.stdout.write(markdown(results));
}

function markdown(results: BenchResults): string {
  const { machine } = results;
  return [
    '# Benchmark results',
    '',
    `Ran ${results.ranAt} on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node} (${machine.platform}).`,
    '',
    '## Store: appends through the event-store port (embedded, durable: synchronous=FULL)',
    '',
    '| Events per call | Calls per run | Runs | Calls/s (median run) | Events/s | p50 ms | p99 ms | p99.9 ms |',
    '|---|---|---|---|---|---|---|---|',
    ...results.store.map((r) => `| ${r.eventsPerCall} | ${r.calls} | ${r.runs} | ${r.callsPerSecond} | ${r.eventsPerSecond} | ${r.latencyMs.p50} | ${r.latencyMs.p99} | ${r.latencyMs.p999} |`),
    '',
  ].join('\n');
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
