import { loadOrCreateSigningSecret } from '../auth/tokens/embedded-secret';
import { Hs256TokenVerifier } from '../auth/tokens/hs256-verifier';
import { OidcTokenVerifier } from '../auth/tokens/oidc-verifier';
import type { TokenVerifier } from '../auth/tokens/token-verifier';
import type { DataKeyStore } from '../../../../libs/personal-data/src/data-key-store.port';
import { KeyEncryptionKeys, loadOrCreateEmbeddedKek, parseKeyEncryptionKey } from '../../../../libs/personal-data/src/key-encryption-keys';
import { PersonalDataVault } from '../../../../libs/personal-data/src/personal-data-vault';
import { loadOrCreateEmbeddedPseudonymKey, Pseudonymiser } from '../../../../libs/personal-data/src/pseudonyms';
import type { AppConfig } from '../config';
import { RequestHasher } from '../http/request-hasher';

/**
 * The secrets the configuration names, or for the embedded default the ones generated into
 * DATA_DIR/secrets on first start. Production takes them from its secret manager
 * (docs/security.md); config.ts refuses a shared deployment without them.
 */
export function tokenVerifier(config: AppConfig): TokenVerifier {
  const clockToleranceSeconds = config.authClockToleranceSeconds;
  if (config.oidc) return new OidcTokenVerifier({ ...config.oidc, clockToleranceSeconds });
  return new Hs256TokenVerifier(loadOrCreateSigningSecret(config.dataDir), { clockToleranceSeconds });
}

export function personalDataVault(config: AppConfig, dataKeys: DataKeyStore): PersonalDataVault {
  const keks = KeyEncryptionKeys.from({
    current: config.keyEncryptionKey ? parseKeyEncryptionKey(config.keyEncryptionKey, 'KEY_ENCRYPTION_KEY') : loadOrCreateEmbeddedKek(config.dataDir),
    previous: config.keyEncryptionKeysPrevious.map((key) => parseKeyEncryptionKey(key, 'KEY_ENCRYPTION_KEYS_PREVIOUS')),
  });
  return new PersonalDataVault({ store: dataKeys, keks, cacheSize: config.dataKeyCacheSize });
}

export function pseudonymiser(config: AppConfig): Pseudonymiser {
  return new Pseudonymiser(pseudonymKey(config));
}

/** Idempotency records' request hashes are keyed by a key derived from the pseudonym key. */
export function requestHasher(config: AppConfig): RequestHasher {
  return new RequestHasher(pseudonymKey(config));
}

function pseudonymKey(config: AppConfig): Buffer {
  return config.pseudonymKey ? secretBytes(config.pseudonymKey, 'PSEUDONYM_KEY') : loadOrCreateEmbeddedPseudonymKey(config.dataDir);
}

/** A secret given as hex or base64, at least 32 bytes. */
function secretBytes(text: string, name: string): Buffer {
  const bytes = /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (bytes.length < 32) throw new Error(`${name} must be at least 32 bytes, as hex or base64 (got ${bytes.length} bytes)`);
  return bytes;
}
