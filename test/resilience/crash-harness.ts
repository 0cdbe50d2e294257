/**
 * What the crash tests of issue 10 share: children that speak the line protocol of
 * children/crash-events.ts and can be SIGKILLed, seeds that are printed when a test fails, the
 * checks made on a data folder after a crash (SQLite's integrity check, the event log's
 * invariants against what was acknowledged), and a seeded log of synthetic journeys. The read
 * models' digest is in children/read-model-digest.ts: the projector child computes it.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { canonicalJson } from '../../libs/audit/src/canonical';
import { seededRandom } from '../../libs/audit/src/testing/audit-fixtures';
import type { StoredEvent } from '../../libs/event-store/src/event-store.port';
import { JOURNEY_STREAM_PREFIX } from '../../libs/domain/src/events';
import { SqliteEventStore } from '../../libs/event-store/src/embedded/sqlite-event-store';
import { SqliteDataKeyStore } from '../../libs/personal-data/src/embedded/sqlite-data-key-store';
import { KeyEncryptionKeys } from '../../libs/personal-data/src/key-encryption-keys';
import { PersonalDataVault } from '../../libs/personal-data/src/personal-data-vault';
import { seedEventStore, type SeedOptions } from '../../seeds';
import { spawnTs } from '../support/ts-child';
import { temporaryFolders } from '../support/temporary-folders';

export { temporaryFolders };
import { CRASH_EVENT_TYPE, CRASH_METADATA, crashEventData, crashEventId, type Ack } from './children/crash-events';

export const APPENDER = join(__dirname, 'children', 'appender.ts');
export const PROJECTOR = join(__dirname, 'children', 'projector.ts');

/** The seed of a test: RESILIENCE_SEED when set (to replay a failure), else a fresh one. */
export function testSeed(): number {
  return process.env.RESILIENCE_SEED ? Number(process.env.RESILIENCE_SEED) : randomInt(1, 2 ** 31 - 1);
}

/** Runs `body` with a seeded random; a failure names the seed, and how to run with it again. */
export async function withSeed<T>(seed: number, body: (random: () => number) => Promise<T>): Promise<T> {
  try {
    return await body(seededRandom(seed));
  } catch (error) {
    if (error instanceof Error) error.message = `[seed ${seed}: rerun with RESILIENCE_SEED=${seed}]\n${error.message}`;
    throw error;
  }
}


export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const live = new Set<LineChild>();

/** A child process speaking the line protocol: `lines` holds every complete line received so far. */
export class LineChild {
  readonly lines: Array<{ letter: string; value: any }> = [];
  stderr = '';
  readonly exited: Promise<Exit>;
  private exit: Exit | undefined;
  private partial = '';
  private readonly listeners = new Set<() => void>();

  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      const text = this.partial + chunk;
      const end = text.lastIndexOf('\n');
      // A line cut short by a kill never ends: only complete lines count.
      this.partial = text.slice(end + 1);
      if (end < 0) return;
      for (const line of text.slice(0, end).split('\n')) {
        const space = line.indexOf(' ');
        this.lines.push({ letter: line.slice(0, space), value: JSON.parse(line.slice(space + 1)) });
      }
      this.notify();
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        this.exit = { code, signal };
        this.notify();
        resolve(this.exit);
      });
    });
  }

  static spawn(file: string, args: unknown, env: Record<string, string> = {}): LineChild {
    const { VJT_CRASH_POINT: _, ...inherited } = process.env;
    const child = new LineChild(spawnTs(file, [JSON.stringify(args)], { env: { ...inherited, ...env } }));
    live.add(child);
    void child.exited.then(() => live.delete(child));
    return child;
  }

  /** Kills every child still running (a test that failed or timed out leaves none behind): call in afterAll. */
  static async killAll(): Promise<void> {
    await Promise.all([...live].map((child) => child.kill()));
  }

  of(letter: string): any[] {
    return this.lines.filter((l) => l.letter === letter).map((l) => l.value);
  }

  /**
   * Resolves when `condition` holds over the lines received, or the child has exited (then
   * false). Never times out on its own: the test's timeout does.
   */
  until(condition: () => boolean): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (condition()) {
          this.listeners.delete(check);
          resolve(true);
        } else if (this.exit) {
          this.listeners.delete(check);
          resolve(false);
        }
      };
      this.listeners.add(check);
      check();
    });
  }

  /** SIGKILL now; resolves with how it ended (it may have exited by itself first). */
  async kill(): Promise<Exit> {
    if (!this.exit) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** Waits for a clean exit; anything else fails with the child's stderr. */
  async succeeded(): Promise<void> {
    const exit = await this.exited;
    if (exit.code !== 0) throw new Error(`child ended with ${JSON.stringify(exit)}:\n${this.stderr}`);
  }

  describe(): string {
    return `exit ${JSON.stringify(this.exit)}, stderr:\n${this.stderr}`;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `PRAGMA integrity_check` of a database a dead process left, WAL and all, on a read-only
 * connection (which reads the WAL through a shared-memory index it builds: the stores, in
 * exclusive locking mode, never made one).
 */
export function integrityCheck(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

/** Copies a closed store's files (and a WAL if one was left) into `to`. */
export function copyStoreFiles(from: string, to: string, files: readonly string[]): void {
  for (const file of files) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    for (const suffix of ['', '-wal']) if (existsSync(join(from, file + suffix))) copyFileSync(join(from, file + suffix), join(to, file + suffix));
  }
}

export interface LogFigures {
  events: number;
  streams: number;
  acknowledgedAppends: number;
  acknowledgedEvents: number;
  /** Appends in the log that no child acknowledged: committed, then killed before the acknowledgement. */
  unacknowledgedAppends: number;
}

/**
 * The event log's invariants after crashes, against every acknowledged append of every run:
 * positions 0..n-1 with no gap, revisions 0..k-1 per stream, no id twice; every acknowledged
 * append present exactly as acknowledged (ids, revisions, position, data); every append in the
 * log, acknowledged or not, whole (all its events, consecutive) or absent.
 * Returns the figures; throws with every problem found (at most 20).
 */
export function checkLog(seed: number, log: readonly StoredEvent[], acks: readonly Ack[]): LogFigures {
  const problems: string[] = [];
  const problem = (text: string) => problems.length < 20 && problems.push(text);
  const ids = new Set<string>();
  const nextRevision = new Map<string, bigint>();
  const appends = new Map<string, StoredEvent[]>();
  log.forEach((event, i) => {
    if (event.position !== BigInt(i)) problem(`event ${i} of the log is at position ${event.position}`);
    if (ids.has(event.id)) problem(`id ${event.id} appears twice`);
    ids.add(event.id);
    const expected = nextRevision.get(event.streamId) ?? 0n;
    if (event.revision !== expected) problem(`${event.streamId}: revision ${event.revision} where ${expected} was next`);
    nextRevision.set(event.streamId, event.revision + 1n);
    const key = String(event.data.key);
    appends.set(key, [...(appends.get(key) ?? []), event]);
  });

  for (const [key, events] of appends) {
    const { stream, count } = events[0].data as { stream: string; count: number };
    if (events.length !== count) problem(`append ${key}: ${events.length} of its ${count} events are in the log`);
    events.forEach((event, i) => {
      if (event.streamId !== stream || event.data.index !== i) problem(`append ${key}: event ${i} is ${event.streamId}#${event.data.index}`);
      if (i > 0 && (event.position !== events[i - 1].position + 1n || event.revision !== events[i - 1].revision + 1n)) {
        problem(`append ${key}: its events are not consecutive (${events.map((e) => `${e.position}/${e.revision}`).join(', ')})`);
      }
      if (canonicalJson(event.data) !== canonicalJson(crashEventData(seed, key, stream, i, count))) problem(`append ${key}: event ${i}'s data differs`);
      if (event.id !== crashEventId(seed, key, i) || event.type !== CRASH_EVENT_TYPE || canonicalJson(event.metadata) !== canonicalJson(CRASH_METADATA)) {
        problem(`append ${key}: event ${i}'s id, type or metadata differs`);
      }
    });
  }

  let acknowledgedEvents = 0;
  for (const ack of acks) {
    const events = appends.get(ack.key);
    if (!events) {
      problem(`acknowledged append ${ack.key} (${ack.stream} ${ack.revisions.join('-')}, position ${ack.position}) is missing`);
      continue;
    }
    acknowledgedEvents += ack.ids.length;
    const stored = { stream: events[0].streamId, ids: events.map((e) => e.id), revisions: [String(events[0].revision), String(events.at(-1)!.revision)], position: String(events.at(-1)!.position) };
    const acknowledged = { stream: ack.stream, ids: ack.ids, revisions: ack.revisions, position: ack.position };
    if (canonicalJson(stored) !== canonicalJson(acknowledged)) problem(`append ${ack.key}: acknowledged ${canonicalJson(acknowledged)}, stored ${canonicalJson(stored)}`);
  }
  const acknowledgedKeys = new Set(acks.map((a) => a.key));
  if (acknowledgedKeys.size !== acks.length) problem('an append was acknowledged twice');
  if (problems.length > 0) throw new Error(`The log broke its invariants:\n  ${problems.join('\n  ')}`);
  return {
    events: log.length, streams: nextRevision.size, acknowledgedAppends: acks.length, acknowledgedEvents,
    unacknowledgedAppends: [...appends.keys()].filter((k) => !acknowledgedKeys.has(k)).length,
  };
}

/** Seeds `journeys` synthetic journeys (seeds/) into a new embedded event store in `dir`, with their data keys; closes both. */
export async function seedLog(dir: string, options: SeedOptions): Promise<{ events: number; head: bigint }> {
  const events = SqliteEventStore.open({ directory: dir });
  const keys = SqliteDataKeyStore.open({ dataDir: dir });
  try {
    const vault = new PersonalDataVault({ store: keys, keks: KeyEncryptionKeys.from({ current: randomBytes(32) }) });
    const result = await seedEventStore(events, vault, options);
    return { events: result.events, head: (await events.headPosition())! };
  } finally {
    await keys.close();
    await events.close();
  }
}

/** The files of a seeded folder that a copy of its log needs (the read models are rebuilt from them). */
export const LOG_FILES = ['events.sqlite', join('keys', 'data-keys.sqlite')] as const;

/** The log's journey events, by journey id. */
export function journeysIn(log: readonly StoredEvent[]): Map<string, StoredEvent[]> {
  const journeys = new Map<string, StoredEvent[]>();
  for (const event of log) {
    if (!event.streamId.startsWith(JOURNEY_STREAM_PREFIX)) continue;
    const id = event.streamId.slice(JOURNEY_STREAM_PREFIX.length);
    journeys.set(id, [...(journeys.get(id) ?? []), event]);
  }
  return journeys;
}
