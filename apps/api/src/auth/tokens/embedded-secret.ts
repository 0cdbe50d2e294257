import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The embedded default's HS256 signing secret, kept in the data folder so the API and the CLI
 * (which mints tokens) share it without configuration.
 *
 * File format, unchanged from the first CLI release so existing data folders keep working:
 * `<dataDir>/secrets/jwt-hs256.key` holds the secret as base64 text (no newline is written;
 * surrounding whitespace is tolerated when read).
 */

const SECRET_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Returns the data folder's HS256 secret, creating it on first call: 32 random bytes, in a
 * `secrets` directory only its owner may enter (0o700), in a file only its owner may read
 * (0o600).
 *
 * Creation is atomic and never overwrites: the secret is written in full to a temporary file,
 * which is then hard-linked to the final name. link() fails with EEXIST if another process got
 * there first, and then we read theirs, so an API and a CLI starting together agree on one
 * secret, and nobody can read a half-written file.
 *
 * @throws Error when the existing file does not hold a base64 secret of at least 32 bytes
 *   (refusing to start beats silently signing with a weak key).
 */
export function loadOrCreateSigningSecret(dataDir: string): Buffer {
  const dir = join(dataDir, 'secrets');
  const file = join(dir, 'jwt-hs256.key');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir, 0o700);
  if (!existsSync(file)) create(file);
  tighten(file, 0o600);
  return parseSecret(readFileSync(file, 'utf8'), file);
}

function create(file: string): void {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, randomBytes(SECRET_BYTES).toString('base64'), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, file);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return; // another process won the race: use its secret
    if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EXDEV'].includes(errorCode(error) ?? '')) throw error;
    // A file system without hard links: exclusive create still guarantees a single winner,
    // with a brief window in which a reader could see the file empty (parseSecret then fails
    // loudly rather than using a weak key).
    try {
      writeFileSync(file, readFileSync(temp), { mode: 0o600, flag: 'wx' });
    } catch (fallbackError) {
      if (errorCode(fallbackError) !== 'EEXIST') throw fallbackError;
    }
  } finally {
    unlinkSync(temp);
  }
}

function parseSecret(text: string, file: string): Buffer {
  const trimmed = text.trim();
  const secret = BASE64.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (secret.length < SECRET_BYTES) {
    throw new Error(`${file} does not hold a base64 secret of at least ${SECRET_BYTES} bytes; delete it to have a new one generated (every token issued so far stops working).`);
  }
  return secret;
}

/** Removes group/other permissions a copy or a lax umask may have left; never widens. */
function tighten(path: string, mode: number): void {
  if (process.platform === 'win32') return;
  if ((statSync(path).mode & 0o777 & ~mode) !== 0) chmodSync(path, mode);
}

/** Not `instanceof Error`: errors from node: modules come from another realm under Jest. */
function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
