import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSigningSecret } from '../apps/api/src/auth/tokens/embedded-secret';
import { mintHs256Token } from '../apps/api/src/auth/tokens/hs256-minter';
import type { Role } from '../apps/api/src/auth/tokens/claims';

/**
 * The pieces every benchmark scenario shares: the built API and CLI run as child processes
 * (exactly what `npm start` runs), on a temporary data folder, so the load generator and the
 * measuring code never share a core's event loop with the server they measure.
 */

/** Compiled entry points, relative to dist/bench. */
const API_MAIN = join(__dirname, '../apps/api/src/main.js');
const CLI_MAIN = join(__dirname, '../apps/cli/src/main.js');
/** As `npm run cli` and `npm run seed` run it (package.json): a larger young generation for bulk projection. */
const CLI_NODE_FLAGS = ['--max-semi-space-size=64'];

/**
 * Environment for benchmark processes: limits raised so the load generator is never throttled
 * (the guide: every limit is configurable so load tests can run), no periodic audit heads.
 */
const BENCH_ENV: Record<string, string> = {
  LOG_LEVEL: 'error',
  AUDIT_HEAD_INTERVAL_MS: '0',
  RATE_LIMIT_PER_WINDOW: '10000000',
  RATE_LIMIT_PER_USER_PER_WINDOW: '10000000',
};

export function temporaryDataDir(prefix = 'vjt-bench-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Peak resident set size of a live process in MiB (Linux VmHWM), or undefined elsewhere. */
export function peakRssMiB(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface BenchUser {
  role: Role;
  organisationId: string;
  userId: string;
}
export const SUPPORT_WORKER: BenchUser = { role: 'support_worker', organisationId: 'met-police', userId: 'bench-worker' };
export const ANALYST: BenchUser = { role: 'analyst', organisationId: 'home-office', userId: 'bench-analyst' };
export const AUDITOR: BenchUser = { role: 'auditor', organisationId: 'audit-office', userId: 'bench-auditor' };

/** The API, serving the embedded default on `dataDir`, in a child process. */
export interface BenchApp {
  url: string;
  dataDir: string;
  pid: number;
  /** A bearer token for `user`, minted with the data folder's secret as the CLI's `token` does. */
  token(user: BenchUser): string;
  /** Peak RSS of the API process so far, MiB. */
  peakRssMiB(): number | undefined;
  stop(): Promise<void>;
}

/** `nodeArgs` go to node itself, e.g. ['--cpu-prof'] to profile the API under load. */
export async function startBenchApp(dataDir: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<BenchApp> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, API_MAIN], {
    env: { ...process.env, ...BENCH_ENV, DATA_DIR: dataDir, PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, () => stderr);
  const secret = loadOrCreateSigningSecret(dataDir);
  return {
    url,
    dataDir,
    pid: child.pid!,
    token: (user) => mintHs256Token(secret, { ...user, ttlSeconds: 24 * 3600 }),
    peakRssMiB: () => peakRssMiB(child.pid!),
    stop: () => stopChild(child),
  };
}

async function waitForHealth(url: string, child: ChildProcess, stderr: () => string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The API exited with code ${child.exitCode} before it was healthy:\n${stderr()}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`The API was not healthy within ${timeoutMs} ms:\n${stderr()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

export interface CliRun<T> {
  /** The command's --json report. */
  output: T;
  seconds: number;
  /** Peak RSS of the CLI process, MiB, sampled from /proc while it ran. */
  peakRssMiB: number | undefined;
}

/** Runs the built CLI (`node dist/apps/cli/src/main.js ...args --json`) on `dataDir`. */
export async function runCli<T = unknown>(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<CliRun<T>> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...CLI_NODE_FLAGS, CLI_MAIN, ...args, '--json'], {
    env: { ...process.env, ...BENCH_ENV, DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let peak: number | undefined;
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  // VmHWM only grows, so the last sample before exit is the peak to within one interval.
  const sampler = setInterval(() => (peak = peakRssMiB(child.pid!) ?? peak), 100);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(sampler);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`cli ${args.join(' ')} exited with ${code}:\n${stderr}`);
  // The report is the last top-level JSON object printed (pretty-printed over several lines).
  const report = stdout.slice(stdout.lastIndexOf('\n{') + 1);
  return { output: JSON.parse(report) as T, seconds, peakRssMiB: peak };
}
