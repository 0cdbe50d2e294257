/**
 * The API (or the CLI) in a child process, for the disk-fault and single-writer tests: start it
 * on a data folder with an environment of the test's choosing (LD_PRELOAD among them), wait for
 * its port, talk JSON to it, and stop or kill it. Every child started here is remembered, so
 * that `killAllChildren()` in afterAll leaves none running whatever a test did.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { loadOrCreateSigningSecret } from '../../apps/api/src/auth/tokens/embedded-secret';
import { mintHs256Token } from '../../apps/api/src/auth/tokens/hs256-minter';
import { spawnTs } from '../support/ts-child';
import { temporaryFolders } from '../support/temporary-folders';

export { temporaryFolders };

const ROOT = join(__dirname, '..', '..');
export const API_SERVER = join(__dirname, 'children', 'api-server.ts');
/** The real entry points, as an operator runs them. */
export const API_MAIN = join(ROOT, 'apps', 'api', 'src', 'main.ts');
export const CLI_MAIN = join(ROOT, 'apps', 'cli', 'src', 'main.ts');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const children = new Set<Child>();

/** A child process whose output is kept and whose end can be awaited. */
export class Child {
  stdout = '';
  stderr = '';
  exit: Exit | undefined;
  readonly exited: Promise<Exit>;
  private readonly changed = new Set<() => void>();

  constructor(readonly process: ChildProcess) {
    children.add(this);
    process.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.notify();
    });
    process.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    this.exited = new Promise((resolve) => {
      process.on('close', (code, signal) => {
        this.exit = { code, signal };
        children.delete(this);
        this.notify();
        resolve(this.exit);
      });
    });
  }

  /**
   * Runs a TypeScript entry with `env` over this process's environment, minus anything of the
   * fault shim or the crash points that the test process itself might carry.
   */
  static spawn(file: string, args: readonly string[], env: Record<string, string>): Child {
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^(LD_PRELOAD|DISK_FAULT_|VJT_CRASH_POINT)/.test(name)),
    ) as Record<string, string>;
    return new Child(spawnTs(file, args, { env: { ...inherited, ...env } }));
  }

  /** Resolves with the first match of `pattern` in stdout, or rejects with the output if the child ends first. */
  waitForOutput(pattern: RegExp): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = this.stdout.match(pattern);
        if (match || this.exit) this.changed.delete(check);
        if (match) resolve(match);
        else if (this.exit) reject(new Error(`the child ended (${JSON.stringify(this.exit)}) before printing ${pattern}:\n${this.output()}`));
      };
      this.changed.add(check);
      check();
    });
  }

  /** SIGTERM, so the app closes its stores; SIGKILL if it has not ended after `graceMs`. */
  async stop(graceMs = 10_000): Promise<Exit> {
    if (this.exit) return this.exit;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL: a crash, no cleanup. */
  async kill(): Promise<Exit> {
    if (!this.exit) this.process.kill('SIGKILL');
    return this.exited;
  }

  output(): string {
    return `stdout:\n${this.stdout}\nstderr:\n${this.stderr}`;
  }

  private notify(): void {
    for (const listener of [...this.changed]) listener();
  }
}

/** `promise`'s value, or `late` if it has not settled within `ms` (the timer is cleared either way). */
export async function within<T, L>(promise: Promise<T>, ms: number, late: L): Promise<T | L> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<L>((resolve) => (timer = setTimeout(resolve, ms, late)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Kills every child still running (call it in afterAll). */
export async function killAllChildren(): Promise<void> {
  await Promise.all([...children].map((child) => child.kill()));
}

/** The API in a child, listening. */
export interface ApiChild {
  child: Child;
  url: string;
}

/** Starts children/api-server.ts on `dataDir`; resolves once it listens, rejects with its output if it ends first. */
export async function startApiChild(dataDir: string, env: Record<string, string> = {}): Promise<ApiChild> {
  const child = Child.spawn(API_SERVER, [], { DATA_DIR: dataDir, ...env });
  const [, port] = await child.waitForOutput(/^listening (\d+)$/m);
  return { child, url: `http://127.0.0.1:${port}` };
}

/** A support worker's token for the folder's embedded secret (which the API creates at its first start). */
export function workerToken(dataDir: string): string {
  return mintHs256Token(loadOrCreateSigningSecret(dataDir), { role: 'support_worker', organisationId: 'met-police', userId: 'worker-7', ttlSeconds: 3600 });
}

export interface Answer {
  status: number;
  /** The body as sent, to check it holds no stack trace. */
  text: string;
  body: any;
  headers: Headers;
}

/** A JSON client with a bearer token. A request the server never answers (it died) rejects. */
export function jsonClient(url: string, token: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
  return {
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
  };
}

