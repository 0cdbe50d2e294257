/**
 * The audit signing key: Ed25519, kept outside the event store, so that whoever can rewrite
 * the log cannot also re-sign it (unless they hold this key too; docs/audit.md, "Limits").
 *
 * Production passes it as AUDIT_SIGNING_KEY (a PKCS#8 PEM, or the path of a file holding
 * one). The embedded default generates it once into DATA_DIR/secrets/audit-heads-ed25519.pem,
 * created atomically like the other embedded secrets (libs/personal-data/src/embedded-secrets.ts).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { secretsDirectory } from '../../personal-data/src/embedded-secrets';
import { canonicalJson } from './canonical';

export const EMBEDDED_AUDIT_KEY_FILE = 'audit-heads-ed25519.pem';

/** A public key as bundles and the API publish it. */
export interface AuditPublicKey {
  /** RFC 7638 JWK thumbprint (SHA-256, base64url). */
  keyId: string;
  /** SPKI PEM. */
  pem: string;
  jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string };
}

export class AuditSigningKey {
  readonly publicKey: KeyObject;
  readonly keyId: string;

  private constructor(private readonly privateKey: KeyObject) {
    this.publicKey = createPublicKey(privateKey);
    this.keyId = keyIdOf(this.publicKey);
  }

  /** @throws Error when `pem` is not an unencrypted Ed25519 private key. */
  static fromPem(pem: string, origin = 'the audit signing key'): AuditSigningKey {
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch (error) {
      throw new Error(`${origin} is not a PEM private key: ${error instanceof Error ? error.message : error}`);
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${origin} must be an Ed25519 key (got ${key.asymmetricKeyType})`);
    return new AuditSigningKey(key);
  }

  static generate(): AuditSigningKey {
    return new AuditSigningKey(generateKeyPairSync('ed25519').privateKey);
  }

  /** Signs the canonical JSON of `payload`; base64 signature. */
  signCanonical(payload: Record<string, unknown>): string {
    return sign(null, Buffer.from(canonicalJson(payload), 'utf8'), this.privateKey).toString('base64');
  }

  describe(): AuditPublicKey {
    return describePublicKey(this.publicKey);
  }
}

export function describePublicKey(publicKey: KeyObject): AuditPublicKey {
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: 'OKP'; crv: 'Ed25519'; x: string };
  return { keyId: keyIdOf(publicKey), pem: String(publicKey.export({ type: 'spki', format: 'pem' })), jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x } };
}

/** RFC 7638 thumbprint of the key's JWK: the same id for the same key, whatever its encoding. */
export function keyIdOf(publicKey: KeyObject): string {
  const { crv, kty, x } = publicKey.export({ format: 'jwk' }) as { crv: string; kty: string; x: string };
  return createHash('sha256').update(canonicalJson({ crv, kty, x })).digest('base64url');
}

/**
 * An Ed25519 public key from an SPKI PEM, a private key PEM (its public half), or a JWK as JSON.
 * @throws Error for anything else.
 */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  if (trimmed.startsWith('{')) key = createPublicKey({ key: JSON.parse(trimmed), format: 'jwk' });
  else if (trimmed.includes('PRIVATE KEY')) key = createPublicKey(createPrivateKey(trimmed));
  else key = createPublicKey(trimmed);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`Not an Ed25519 public key (got ${key.asymmetricKeyType})`);
  return key;
}

/** True when `signature` (base64) is `publicKey`'s signature of the canonical JSON of `payload`. */
export function verifyCanonical(publicKey: KeyObject, payload: Record<string, unknown>, signature: string): boolean {
  if (typeof signature !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return verify(null, Buffer.from(canonicalJson(payload), 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Public keys a verifier accepts signatures from, by key id. */
export type TrustedKeys = ReadonlyMap<string, KeyObject>;

export function trustedKeys(...keys: KeyObject[]): TrustedKeys {
  return new Map(keys.map((key) => [keyIdOf(key), key]));
}

/**
 * The configured key (`configured`: PEM text, or the path of a PEM file), else the embedded
 * default's, generated on first use.
 */
export function loadOrCreateAuditSigningKey(options: { dataDir: string; configured?: string }): AuditSigningKey {
  const configured = options.configured?.trim();
  if (configured) {
    if (configured.startsWith('-----BEGIN')) return AuditSigningKey.fromPem(configured, 'AUDIT_SIGNING_KEY');
    return AuditSigningKey.fromPem(fs.readFileSync(configured, 'utf8'), `AUDIT_SIGNING_KEY file ${configured}`);
  }
  const directory = secretsDirectory(options.dataDir);
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  fs.chmodSync(directory, 0o700);
  const file = path.join(directory, EMBEDDED_AUDIT_KEY_FILE);
  if (!fs.existsSync(file)) createOnce(file, String(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' })));
  fs.chmodSync(file, 0o600);
  return AuditSigningKey.fromPem(fs.readFileSync(file, 'utf8'), file);
}

/**
 * Writes `content` under a temporary name, fsyncs it, and hard-links it into place unless a
 * file is already there (then the other process's key wins), as embedded-secrets.ts does.
 */
function createOnce(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, content, { mode: 0o600, flag: 'wx' });
  try {
    fsyncPath(temporary);
    fs.linkSync(temporary, file);
    fsyncPath(path.dirname(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

function fsyncPath(target: string): void {
  const fd = fs.openSync(target, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
