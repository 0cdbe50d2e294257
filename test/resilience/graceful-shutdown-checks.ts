/**
 * What the graceful-shutdown tests share: the real entry points in a child process, a request
 * that says how it ended (answered, connection failed, or hung), and the checks made on a data
 * folder after a shutdown (stores closed cleanly, the log, checkpoints against documents, and
 * the read models continued against a clean build, as the projector crash test compares them).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { JOURNEY_STREAM_PREFIX } from '../../libs/domain/src/events';
import { logOf } from '../support/event-log';
import { SqliteReadStore } from '../../libs/read-store/src/embedded/sqlite-read-store';
import { sortablePosition } from '../../projections/projection';
import { servingCollection } from '../../apps/projector/src/projection-catalog';
import { API_MAIN, Child, workerToken } from './api-child';
import { copyStoreFiles, integrityCheck, LineChild, LOG_FILES, PROJECTOR } from './crash-harness';
import { LINE } from './children/crash-events';
import type { ProjectorArgs } from './children/projector';
import { readModelDigest, type FolderInspection } from './children/read-model-digest';

export const PROJECTOR_MAIN = join(__dirname, '..', '..', 'apps', 'projector', 'src', 'main.ts');

/** The main.ts API in a child, listening. */
export interface Api {
  child: Child;
  url: string;
  token: string;
}

/** Starts apps/api/src/main.ts on `dataDir` (on 127.0.0.1, a port the system picks); resolves once it listens. */
export async function startMain(dataDir: string, env: Record<string, string>): Promise<Api> {
  const child = Child.spawn(API_MAIN, [], { DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'log', AUDIT_HEAD_INTERVAL_MS: '0', ...env });
  const [, port] = await child.waitForOutput(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
  return { child, url: `http://127.0.0.1:${port}`, token: workerToken(dataDir) };
}

/** How one request ended: answered (any status), its connection failed, or no answer in time. */
export type Result =
  | { kind: 'answered'; status: number; body: any; headers: Headers }
  | { kind: 'connection'; error: string }
  | { kind: 'hang' };

export async function request(api: Api, method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; hangMs: number }): Promise<Result> {
  const { body, headers = {}, hangMs } = options;
  try {
    const response = await fetch(api.url + path, {
      method,
      headers: { authorization: `Bearer ${api.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(hangMs),
    });
    const text = await response.text();
    return { kind: 'answered', status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') return { kind: 'hang' };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { kind: 'connection', error: cause?.code ?? cause?.message ?? String(error) };
  }
}



/** The stores of a folder were closed cleanly: no WAL beside them (SQLite checkpoints and removes it at the last close), and intact. */
export function expectClosedCleanly(dataDir: string): void {
  const files = ['events.sqlite', 'read-models.sqlite', join('keys', 'data-keys.sqlite')];
  expect(files.filter((file) => existsSync(join(dataDir, `${file}-wal`)))).toEqual([]);
  expect(files.map((file) => integrityCheck(join(dataDir, file)))).toEqual(['ok', 'ok', 'ok']);
}

/**
 * No projection half-applied, read straight from the folder: each checkpoint is within the log,
 * and the journey documents are exactly those the log implies up to the journeys projection's
 * checkpoint, each at its journey's last event by then (none missing, none ahead of it).
 * Returns the checkpoints and the head.
 */
export async function expectCheckpointsConsistent(dataDir: string): Promise<{ checkpoints: Record<string, string | null>; head: string }> {
  const log = await logOf(dataDir);
  const readStore = SqliteReadStore.open({ directory: dataDir });
  try {
    const { checkpoints } = await readModelDigest(readStore);
    for (const position of Object.values(checkpoints)) if (position !== null) expect(BigInt(position)).toBeLessThan(BigInt(log.length));
    const upTo = checkpoints.journeys === null ? -1n : BigInt(checkpoints.journeys);
    const expected = new Map<string, string>();
    for (const event of log) {
      if (event.position <= upTo && event.streamId.startsWith(JOURNEY_STREAM_PREFIX)) expected.set(event.streamId.slice(JOURNEY_STREAM_PREFIX.length), sortablePosition(event.position));
    }
    const collection = await servingCollection(readStore, 'journeys', 'journeys');
    const docs = await readStore.collection<{ _id: string; lastPosition: string }>(collection).find({});
    expect(new Map(docs.map((doc) => [doc._id, doc.lastPosition]))).toEqual(expected);
    return { checkpoints, head: String(log.length - 1) };
  } finally {
    await readStore.close();
  }
}

/**
 * The read models a shutdown left in `dataDir`, continued to the head of the log by a projector
 * child (children/projector.ts, with the audit ledger), must equal those of a clean build from
 * the log alone: a batch half-applied, or a checkpoint apart from its documents, would show as
 * a difference (analytics cells counted twice or not at all). Copies the folder; `dataDir` is
 * not changed. Returns the clean build's inspection.
 */
export async function expectContinuedEqualsClean(dataDir: string, makeFolder: () => string): Promise<FolderInspection> {
  const continued = makeFolder();
  const clean = makeFolder();
  copyStoreFiles(dataDir, continued, [...LOG_FILES, 'read-models.sqlite']);
  copyStoreFiles(dataDir, clean, LOG_FILES);
  const [continuedModels, cleanModels] = await Promise.all([projectedModels(continued), projectedModels(clean)]);
  expect(cleanModels.ledger).toMatchObject({ ok: true, eventsNotYetLedgered: 0, alarms: 0 });
  expect(continuedModels).toEqual(cleanModels);
  return cleanModels;
}

async function projectedModels(dir: string): Promise<FolderInspection> {
  const child = LineChild.spawn(PROJECTOR, { dir, catchUpBatchSize: 500, ledger: true, inspect: true } satisfies ProjectorArgs);
  await child.succeeded();
  return child.of(LINE.done)[0].inspection;
}

/**
 * Checks that `patterns` occur in the child's output in this order, and returns each one's
 * first capture as a number (a duration logged), by index.
 */
export function expectLinesInOrder(child: Child, patterns: readonly RegExp[]): number[] {
  const output = child.stdout + child.stderr;
  const at = patterns.map((pattern) => output.search(pattern));
  expect(at.map((index, i) => [String(patterns[i]), index >= 0])).toEqual(patterns.map((pattern) => [String(pattern), true]));
  expect([...at].sort((a, b) => a - b)).toEqual(at);
  return patterns.map((pattern) => Number(output.match(pattern)![1]));
}
