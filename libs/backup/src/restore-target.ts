/**
 * The file side of a restore: the target data folder made ready (refused when in use or, unless
 * forced, not empty; an old folder is moved aside, never deleted), the backup's files copied
 * into a staging folder inside it and checked against the manifest, and, once the restore's
 * other steps are done there, moved into place.
 *
 * Staging inside the target keeps every rename on one file system (a data folder is often a
 * mount point, e.g. a container volume), and means a restore cut short leaves the target's own
 * top level empty rather than half restored: an API started on it finds no stores at all.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { checksumOf, copyFileDurably, fsyncPath, isMissingOrEmptyFolder, makePrivateFolder, under } from './files';
import { STORE_FILES, type BackupManifest } from './manifest';

/** The target was not fit for a restore; nothing was changed. */
export class RestoreRefusedError extends Error {
  readonly type = 'restore_refused' as const;
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefusedError';
  }
}

export interface PreparedTarget {
  target: string;
  /** Where the folder's earlier contents went (--force), or null. */
  movedAside: string | null;
  /** The staging folder inside the target. */
  staging: string;
}

const STAGING_PREFIX = '.restore-staging-';

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Refuses when any store file in `dataDir` is held by a process (an API, the projector, a CLI
 * command): the same exclusive lock the stores take, tried for a moment and given back.
 * @throws RestoreRefusedError
 */
export function assertNotInUse(dataDir: string): void {
  for (const name of Object.values(STORE_FILES)) {
    const file = under(dataDir, name);
    if (!fs.existsSync(file)) continue;
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { fileMustExist: true, timeout: 200 });
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE; COMMIT');
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
        throw new RestoreRefusedError(`${dataDir} is in use by another process (${name} is locked): stop the API (and any CLI command) using it first`);
      }
      throw error;
    } finally {
      db?.close();
    }
  }
}

/**
 * Makes `target` an empty, owner-only folder with a staging folder inside. A non-empty target
 * is refused unless `force`; then it is renamed aside to `<target>.before-restore-<time>` or,
 * where it cannot be renamed (a mount point), its entries are moved into
 * `<target>/before-restore-<time>/`. Never deletes anything.
 * @throws RestoreRefusedError
 */
export function prepareTarget(target: string, options: { force: boolean; backupDir: string; now?: Date }): PreparedTarget {
  const now = options.now ?? new Date();
  const backup = path.resolve(options.backupDir);
  if (backup === target || backup.startsWith(target + path.sep)) throw new RestoreRefusedError(`The backup ${backup} is inside the target ${target}: copy it elsewhere first`);
  let movedAside: string | null = null;
  let empty: boolean;
  try {
    empty = isMissingOrEmptyFolder(target);
  } catch (error) {
    throw new RestoreRefusedError(error instanceof Error ? error.message : String(error));
  }
  if (!empty) {
    if (!options.force) throw new RestoreRefusedError(`${target} is not empty: restore into an empty folder, or add --force to move its contents aside (they are kept, never deleted)`);
    assertNotInUse(target);
    movedAside = `${target}.before-restore-${stamp(now)}`;
    try {
      fs.renameSync(target, movedAside);
      fsyncPath(path.dirname(target));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!['EBUSY', 'EXDEV', 'EPERM', 'EACCES', 'EINVAL'].includes(code)) throw error;
      movedAside = path.join(target, `before-restore-${stamp(now)}`);
      const entries = fs.readdirSync(target);
      fs.mkdirSync(movedAside, { mode: 0o700 });
      for (const entry of entries) fs.renameSync(path.join(target, entry), path.join(movedAside, entry));
      fsyncPath(target);
    }
  }
  makePrivateFolder(target);
  const staging = path.join(target, `${STAGING_PREFIX}${stamp(now)}`);
  makePrivateFolder(staging);
  return { target, movedAside, staging };
}

/**
 * Copies every file the manifest lists from the backup into `staging` (owner-only), fsyncs
 * them, and checks each copy's SHA-256 against the manifest again (the backup was verified;
 * this proves the copy). Returns the bytes copied.
 */
export async function copyBackupFiles(backupDir: string, manifest: BackupManifest, staging: string): Promise<number> {
  let bytes = 0;
  for (const file of manifest.files) {
    const to = under(staging, file.name);
    makePrivateFolder(path.dirname(to));
    copyFileDurably(under(backupDir, file.name), to);
    const copied = await checksumOf(to);
    if (copied.sha256 !== file.sha256) throw new Error(`The copy of ${file.name} does not match the manifest: the disk under ${staging} may be failing`);
    bytes += copied.bytes;
  }
  for (const folder of new Set(manifest.files.map((f) => path.dirname(under(staging, f.name))))) fsyncPath(folder);
  return bytes;
}

/** Moves the staging folder's entries into the target, fsyncs, and removes the (now empty) staging folder. */
export function moveIntoPlace(prepared: PreparedTarget): void {
  for (const entry of fs.readdirSync(prepared.staging)) fs.renameSync(path.join(prepared.staging, entry), path.join(prepared.target, entry));
  fs.rmdirSync(prepared.staging);
  fsyncPath(prepared.target);
}

/** Removes a staging folder a failed restore left (only ever the restore's own copies). */
export function discardStaging(prepared: PreparedTarget): void {
  fs.rmSync(prepared.staging, { recursive: true, force: true });
}
