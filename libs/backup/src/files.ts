/**
 * File-system steps a backup and a restore share: durable copies (fsynced, file and folder),
 * checksums, and the "missing or empty" test every output folder must pass.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Flushes a file's (or a folder's) contents and metadata to the disk. */
export function fsyncPath(target: string): void {
  const fd = fs.openSync(target, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** fsyncPath without blocking the event loop (the API keeps serving while a backup syncs its copies). */
export async function fsyncPathAsync(target: string): Promise<void> {
  const handle = await fs.promises.open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Hex SHA-256 and size of a file, streamed (store files can be gigabytes). */
export async function checksumOf(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** True when `dir` does not exist or is an empty folder; false for a non-empty folder; throws for anything else there. */
export function isMissingOrEmptyFolder(dir: string): boolean {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return true;
    if (code === 'ENOTDIR') throw new Error(`${dir} exists and is not a folder`);
    throw error;
  }
  return entries.length === 0;
}

/** Creates `dir` (and its parents) if missing, owner-only: it will hold the stores and their secrets. */
export function makePrivateFolder(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

/** Copies a file and fsyncs the copy; `mode` is set on it (secrets are 0600). */
export function copyFileDurably(from: string, to: string, mode = 0o600): void {
  fs.copyFileSync(from, to, fs.constants.COPYFILE_EXCL);
  fs.chmodSync(to, mode);
  fsyncPath(to);
}

/** `name` as stored in a manifest ('keys/data-keys.sqlite') under `dir`, in this platform's form. */
export function under(dir: string, name: string): string {
  return path.join(dir, ...name.split('/'));
}
