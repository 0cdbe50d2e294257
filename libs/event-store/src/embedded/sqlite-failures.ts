/**
 * What a failed SQLite write means for an embedded store, from better-sqlite3's SqliteError
 * `code` (the extended result code):
 *
 * - 'fsync': SQLITE_IOERR_FSYNC, SQLITE_IOERR_DIR_FSYNC (or any code naming fsync or
 *   fdatasync). Fatal, never retried: see StoreDurabilityLost.
 * - 'write': SQLITE_FULL (ENOSPC), any other SQLITE_IOERR_* (EIO and the like) and
 *   SQLITE_READONLY* (a file system remounted read-only). SQLite has rolled the transaction
 *   back, so nothing was recorded, and the connection works again once the disk does.
 * - undefined: anything else (constraint violations, the stores' own errors), left as it is.
 *
 * SQLite's own checkpoints (it copies the WAL into the database file after a commit) swallow
 * their errors; that is safe: a checkpoint that failed does not move the WAL's backfill mark,
 * so the next one writes the same pages again from the WAL, whose frames were fsynced when
 * they committed.
 */
import * as fs from 'node:fs';
import type { StoreDurabilityLost } from '../errors';

export type SqliteFailure = 'fsync' | 'write';

/** The SQLite result code of an error, or undefined when it is not one of SQLite's. */
export function sqliteCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

export function classifySqliteFailure(error: unknown): SqliteFailure | undefined {
  const code = sqliteCodeOf(error);
  if (code === undefined) return undefined;
  if (/FSYNC|FDATASYNC/.test(code)) return 'fsync';
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR_') || code.startsWith('SQLITE_READONLY')) return 'write';
  return undefined;
}

/** Called once when a store's fsync failed; by default it stops the process. */
export type DurabilityLostHandler = (error: StoreDurabilityLost) => void;

/** EX_SOFTWARE (sysexits.h): the process cannot go on. */
export const EXIT_CODE_DURABILITY_LOST = 70;

/**
 * The default DurabilityLostHandler: one line on stderr (written synchronously, so it is out
 * before the exit), then exit at once, in the same turn of the event loop, so that no response
 * to a write in flight can be sent.
 */
export function stopProcessOnDurabilityLost(
  error: StoreDurabilityLost,
  /** For tests: where the line goes and how the process ends. */
  io: { writeLine: (line: string) => void; exit: (code: number) => void } = { writeLine: (line) => fs.writeSync(2, line), exit: (code) => process.exit(code) },
): void {
  io.writeLine(`FATAL: ${error.message}\n`);
  io.exit(EXIT_CODE_DURABILITY_LOST);
}
