/**
 * Secrets the embedded default keeps in `<dataDir>/secrets`, created on first use.
 *
 * Production passes its keys from configuration or a secret manager instead; this exists so
 * that a developer's or a small office's single machine works with nothing configured.
 *
 * Creation is atomic: the key is written and fsynced under a temporary name, then hard-linked
 * to its final name, which fails if the name exists. So two processes starting at once agree
 * on one key, and nobody ever reads a half-written file. Losing this file loses every piece of
 * personal data sealed under it, so the file and its folder are fsynced before it is used.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where the embedded default's secrets live. */
export function secretsDirectory(dataDir: string): string {
  return path.join(dataDir, 'secrets');
}

function fsyncPath(target: string, flags: string): void {
  const fd = fs.openSync(target, flags);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes a fresh key under a temporary name and links it into place unless one is there. */
function createOnce(file: string, bytes: number): void {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, `${randomBytes(bytes).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    fsyncPath(temporary, 'r');
    fs.linkSync(temporary, file);
    fsyncPath(path.dirname(file), 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process won: use its key
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/**
 * The base64 secret in `<dataDir>/secrets/<fileName>`, created (random, `bytes` long) if
 * missing. The folder is made owner-only (0o700) and the file owner-read-only (0o600).
 * @throws Error when the file exists but does not hold `bytes` bytes of base64.
 */
export function loadOrCreateEmbeddedSecret(dataDir: string, fileName: string, bytes = 32): Buffer {
  const directory = secretsDirectory(dataDir);
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  fs.chmodSync(directory, 0o700); // it may predate us, created by another tool with a looser umask
  const file = path.join(directory, fileName);
  if (!fs.existsSync(file)) createOnce(file, bytes);
  fs.chmodSync(file, 0o600);
  const text = fs.readFileSync(file, 'utf8').trim();
  const secret = Buffer.from(text, 'base64');
  if (secret.length !== bytes || secret.toString('base64') !== text) {
    throw new Error(`${file} must hold ${bytes} bytes written as base64; it does not (was it edited?)`);
  }
  return secret;
}
