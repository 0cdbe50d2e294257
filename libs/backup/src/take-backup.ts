/**
 * An online, consistent backup of the embedded default's data folder into a new folder: the
 * read store, the event store and the key store, each copied with SQLite's online backup API
 * on the connection that owns it (better-sqlite3's `db.backup`), plus DATA_DIR/secrets, a
 * manifest written last.
 *
 * Online: the copy runs a few thousand pages per turn of the event loop, so the process keeps
 * serving. Writes made meanwhile on the same connection are copied into the backup as they
 * happen (SQLite updates the destination's pages), so a busy store never restarts the backup,
 * and each copy is the store exactly as of its last step: whole transactions only.
 *
 * Consistent across the three files, by order:
 *  1. the read store first: its read models, checkpoints (stored atomically with the documents)
 *     and audit ledger are then at or before the event store's head. After a restore the
 *     projector catches up from those checkpoints; nothing is applied twice.
 *  2. the event store: its head is the backup's position.
 *  3. the key store last: every event in the backup had its data key stored before it was
 *     appended, so every key the backup's events need is there; keys of journeys begun later
 *     are harmless extras. A key erased after the event store was copied is gone from the copy
 *     too, and an erasure in the log that the key store had not yet applied is applied again by
 *     the restore (the erasure enforcer).
 *
 * Each copy is then switched from WAL to a rollback journal (so it is one self-contained file
 * that opens read-only without creating anything) and fsynced, as are the secrets and folders;
 * the manifest, with every file's size and SHA-256, is written last, atomically.
 */
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { checksumOf, copyFileDurably, fsyncPath, fsyncPathAsync, isMissingOrEmptyFolder, makePrivateFolder, under } from './files';
import { eventStoreFigures, keyStoreFigures, readStoreFigures } from './inspect';
import {
  BACKUP_FORMAT, BACKUP_FORMAT_VERSION, CONSISTENCY_NOTE, COPY_ORDER, MANIFEST_FILE, SECRETS_FOLDER, SECRETS_NOTE, STORE_FILES, STORE_ROLES,
  type BackupFile, type BackupManifest, type StoreName,
} from './manifest';

/** What a store offers a backup: SqliteEventStore, SqliteReadStore and SqliteDataKeyStore have it. */
export interface BackupCopier {
  backupTo(destination: string, progress?: (info: { totalPages: number; remainingPages: number }) => number | void): Promise<unknown>;
}

/** The open stores of one data folder. */
export interface BackupSources {
  dataDir: string;
  readStore: BackupCopier;
  eventStore: BackupCopier;
  keyStore: BackupCopier;
}

export type BackupStep = 'read store' | 'event store' | 'key store' | 'secrets' | 'checksums' | 'manifest';

/** Reported as the backup goes: pages copied of a store, and each step's end. */
export type BackupProgress =
  | { type: 'progress'; step: BackupStep; copiedPages: number; totalPages: number }
  | { type: 'step'; step: BackupStep; seconds: number };

export interface TakeBackupOptions {
  appVersion: string;
  takenBy: 'api' | 'cli';
  /** Secrets the deployment configures outside the data folder (their variables' names), for the manifest. */
  configuredElsewhere?: string[];
  onProgress?: (progress: BackupProgress) => void;
  /** Abandons the backup at the next step (its folder is emptied again). */
  signal?: AbortSignal;
  /**
   * Pages copied per turn of the event loop. @default 512: 2 MiB of 4 KiB pages, about 5 ms a
   * step, so requests wait at most that long behind the backup (measured on a 100 MB read store:
   * the whole copy took the same 0.45 s at 256 to 2048 pages a step; the longest step grew from
   * 9 ms at 512 to 27 ms at 2048).
   */
  pagesPerStep?: number;
  now?: () => Date;
}

/** The folder was not fit to receive a backup; nothing was written. */
export class BackupRefusedError extends Error {
  readonly type = 'backup_refused' as const;
  constructor(message: string) {
    super(message);
    this.name = 'BackupRefusedError';
  }
}

/**
 * Refuses an output folder that exists and is not empty (a backup never mixes with other
 * files, nor overwrites an older backup) or that is not an absolute path.
 * @throws BackupRefusedError
 */
export function checkBackupFolder(out: string): void {
  if (!path.isAbsolute(out)) throw new BackupRefusedError(`The backup folder must be an absolute path (got ${out})`);
  let empty: boolean;
  try {
    empty = isMissingOrEmptyFolder(out);
  } catch (error) {
    throw new BackupRefusedError(error instanceof Error ? error.message : String(error));
  }
  if (!empty) throw new BackupRefusedError(`${out} exists and is not empty: a backup goes into a new or empty folder`);
}

/**
 * Takes the backup into `out` (created owner-only; it must be missing or empty) and returns
 * its manifest. On failure or abort, whatever it had written into `out` is removed again.
 * @throws BackupRefusedError when `out` is not fit; the stores' or the file system's error otherwise.
 */
export async function takeBackup(sources: BackupSources, out: string, options: TakeBackupOptions): Promise<BackupManifest> {
  checkBackupFolder(out);
  const now = options.now ?? (() => new Date());
  const createdAt = now().toISOString();
  const existed = fs.existsSync(out);
  makePrivateFolder(out);
  try {
    return await copyAll(sources, out, options, createdAt, now);
  } catch (error) {
    // Only what this backup wrote is there: the folder was missing or empty when it began.
    for (const entry of fs.readdirSync(out)) fs.rmSync(path.join(out, entry), { recursive: true, force: true });
    if (!existed) fs.rmSync(out, { recursive: true, force: true });
    throw error;
  }
}

async function copyAll(sources: BackupSources, out: string, options: TakeBackupOptions, createdAt: string, now: () => Date): Promise<BackupManifest> {
  const steps: BackupManifest['steps'] = [];
  const timed = async <T>(step: BackupStep, work: () => Promise<T> | T): Promise<T> => {
    abortIfAsked(options.signal);
    const started = performance.now();
    const result = await work();
    const seconds = Math.round(performance.now() - started) / 1000;
    steps.push({ step, seconds });
    options.onProgress?.({ type: 'step', step, seconds });
    return result;
  };
  const pagesPerStep = options.pagesPerStep ?? 512;

  for (const store of COPY_ORDER) {
    const step = STORE_ROLES[store] as BackupStep;
    await timed(step, () => copyStore(sources[store], under(out, STORE_FILES[store]), (info) => {
      abortIfAsked(options.signal); // throwing here makes better-sqlite3 abandon the copy
      options.onProgress?.({ type: 'progress', step, copiedPages: info.totalPages - info.remainingPages, totalPages: info.totalPages });
      return pagesPerStep;
    }));
  }
  const secrets = await timed('secrets', () => copySecrets(sources.dataDir, out));

  const figures = {
    events: eventStoreFigures(under(out, STORE_FILES.eventStore)),
    reads: readStoreFigures(under(out, STORE_FILES.readStore)),
    keys: keyStoreFigures(under(out, STORE_FILES.keyStore)),
  };
  const head = figures.events.head;
  // Guaranteed by the copy order; checked, so that a backup breaking it is never called complete.
  for (const [name, position] of [...Object.entries(figures.reads.checkpoints), ['audit ledger', figures.reads.auditLedger] as const]) {
    if (position !== null && (head === null || BigInt(position) > head)) {
      throw new Error(`The read store's ${name} is at ${position}, past the event store's head ${head ?? '(empty)'}: the copies are not consistent`);
    }
  }

  const files = await timed('checksums', async () => {
    const listed: BackupFile[] = [];
    for (const store of COPY_ORDER) listed.push({ name: STORE_FILES[store], role: STORE_ROLES[store], ...(await checksumOf(under(out, STORE_FILES[store]))) });
    for (const secret of secrets) listed.push({ name: `${SECRETS_FOLDER}/${secret}`, role: 'secret', ...(await checksumOf(under(out, `${SECRETS_FOLDER}/${secret}`))) });
    return listed;
  });

  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    createdAt,
    completedAt: now().toISOString(),
    appVersion: options.appVersion,
    takenBy: options.takenBy,
    source: { dataDir: sources.dataDir, hostname: hostname() },
    eventStore: { ...figures.events, head: head === null ? null : head.toString() },
    readStore: figures.reads,
    keyStore: figures.keys,
    files,
    secrets: { included: secrets, configuredElsewhere: options.configuredElsewhere ?? [], note: SECRETS_NOTE },
    consistency: CONSISTENCY_NOTE,
    steps: [...steps], // the manifest's own writing is reported, but cannot be in it
  };
  await timed('manifest', () => writeManifest(out, manifest));
  return manifest;
}

function abortIfAsked(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error(`The backup was abandoned${signal.reason ? `: ${String(signal.reason)}` : ''}`);
}

/** One store's online copy, then switched to a rollback journal (one self-contained file) and fsynced. */
async function copyStore(store: BackupCopier, destination: string, progress: (info: { totalPages: number; remainingPages: number }) => number): Promise<void> {
  makePrivateFolder(path.dirname(destination));
  await store.backupTo(destination, progress);
  const db = new Database(destination, { fileMustExist: true });
  try {
    const mode = db.pragma('journal_mode = DELETE', { simple: true });
    if (mode !== 'delete') throw new Error(`Could not switch the copy ${destination} out of WAL (got ${String(mode)})`);
  } finally {
    db.close();
  }
  fs.chmodSync(destination, 0o600);
  await fsyncPathAsync(destination);
  await fsyncPathAsync(path.dirname(destination));
}

/**
 * Copies DATA_DIR/secrets' files (not the temporary ones a secret's creation may leave for an
 * instant). They are small and written once, so a plain copy is consistent.
 */
function copySecrets(dataDir: string, out: string): string[] {
  const from = path.join(dataDir, SECRETS_FOLDER);
  if (!fs.existsSync(from)) return [];
  const names = fs.readdirSync(from, { withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.tmp'))
    .map((entry) => entry.name)
    .sort();
  if (names.length === 0) return [];
  const to = path.join(out, SECRETS_FOLDER);
  makePrivateFolder(to);
  for (const name of names) copyFileDurably(path.join(from, name), path.join(to, name));
  fsyncPath(to);
  return names;
}

/** Written under a temporary name, fsynced, renamed into place, and the folder fsynced: the manifest appears whole or not at all. */
function writeManifest(out: string, manifest: BackupManifest): void {
  const temporary = path.join(out, `.${MANIFEST_FILE}.tmp`);
  fs.writeFileSync(temporary, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  fsyncPath(temporary);
  fs.renameSync(temporary, path.join(out, MANIFEST_FILE));
  fsyncPath(out);
}
