import type { LedgerKeeperOptions } from '../../../../libs/audit/src/ledger-keeper';
import { AuditSigningKey, loadOrCreateAuditSigningKey } from '../../../../libs/audit/src/signing-key';
import type { AppConfig } from '../config';

const loaded = new Map<string, AuditSigningKey>();

/**
 * The audit signing key the configuration names (AUDIT_SIGNING_KEY), or the embedded default's
 * in DATA_DIR/secrets, loaded once per process.
 */
export function auditSigningKey(config: AppConfig): AuditSigningKey {
  const source = `${config.dataDir}\0${config.auditSigningKey ?? ''}`;
  let key = loaded.get(source);
  if (!key) loaded.set(source, (key = loadOrCreateAuditSigningKey({ dataDir: config.dataDir, configured: config.auditSigningKey })));
  return key;
}

/** The ledger keeper's part of the configuration, for `new Projector(..., { ...projectorOptions(config), audit: auditKeeperOptions(config) })`. */
export function auditKeeperOptions(config: AppConfig): LedgerKeeperOptions {
  return {
    batchSize: config.projectorBatchSize,
    retryMinMs: config.projectorRetryMinMs,
    retryMaxMs: config.projectorRetryMaxMs,
    headIntervalMs: config.auditHeadIntervalMs,
    signingKey: auditSigningKey(config),
  };
}
