import { join, resolve } from 'node:path';
import { defaultWebDir } from '../../web/web-dir';

/**
 * Configuration from environment variables, validated at start. Every limit is here so
 * load tests and benchmarks can move it; README's configuration table documents each one.
 */
export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  /** The built browser front end (dashboard, timeline): `npm run build` writes it to dist/web. */
  webDir: string;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** How long a read with minPosition waits for the projection before a 503. */
  readYourWritesTimeoutMs: number;
  /** Events the projector applies per read-store transaction once live, at most. */
  projectorBatchSize: number;
  /** Embedded read store: decoded documents kept per collection (the rest are held as text). */
  readStoreCachedDocuments: number;
  /** The same while a projection catches up or rebuilds: larger, so each document is written once for many events. */
  projectorCatchUpBatchSize: number;
  /** The same for the CLI's seed and rebuild, which serve nothing while they project. */
  cliCatchUpBatchSize: number;
  /** First and longest wait before a projection resubscribes after its subscription failed. */
  projectorRetryMinMs: number;
  projectorRetryMaxMs: number;
  /** Retries of an unconditional command whose stream moved between load and append. */
  commandConflictRetries: number;
  /** Largest caseload page. */
  maxPageSize: number;
  logLevel: 'error' | 'warn' | 'log' | 'debug';
  /** EventStoreDB connection string; absent means the embedded event store in dataDir. */
  eventStoreConnectionString?: string;
  /** MongoDB connection string; absent means the embedded read store in dataDir. */
  mongodbUri?: string;
  /** Run the projector inside the API process (the embedded default), or leave it to its own process. */
  projectorInProcess: boolean;
  /** How long a collection replaced by a rebuild stays readable for reads already under way. */
  projectionRetireAfterMs: number;
  /** How often the projector publishes status and looks for rebuild requests. */
  projectorHeartbeatMs: number;
  /** Requests one client address may make per window (429 beyond); /health is exempt. */
  rateLimitPerWindow: number;
  rateLimitWindowMs: number;
  /** Browser origins allowed by CORS; empty means no cross-origin access at all. */
  corsOrigins: string[];
  /** Trust X-Forwarded-For from this many proxy hops (0: none), so limits see the client's address. */
  trustProxyHops: number;
  /** Requests one authenticated user may make per window (429 beyond), whatever address they come from. */
  userRateLimitPerWindow: number;
  /**
   * Production sign-in: tokens from this OpenID Connect issuer, verified against its JWKS
   * (RS256/ES256). Absent: the embedded default, HS256 tokens minted by the CLI with the
   * secret in DATA_DIR/secrets.
   */
  oidc?: { issuer: string; audience: string; jwksUri?: string; roleClaim: string; organisationClaim: string };
  /** Clock skew allowed when checking a token's exp and nbf. */
  authClockToleranceSeconds: number;
  /**
   * The key-encryption key (32 bytes, base64 or hex) that wraps every journey's data key;
   * earlier ones still unwrap during a rotation. Absent: generated into DATA_DIR/secrets
   * (embedded default only; required with MONGODB_URI).
   */
  keyEncryptionKey?: string;
  keyEncryptionKeysPrevious: string[];
  /** Where journeys' data keys live in production: a MongoDB apart from the read models. */
  keyStoreMongodbUri?: string;
  /** The key (32+ bytes, base64 or hex) of analysts' pseudonymous ids; absent: generated into DATA_DIR/secrets. */
  pseudonymKey?: string;
  /** Unwrapped data keys kept in memory, so hot reads do not unwrap each time. */
  dataKeyCacheSize: number;
  /** Analytics: counts from 1 to this minus 1, and statistics over fewer people, are suppressed. */
  suppressionThreshold: number;
  /**
   * The Ed25519 key that signs audit heads and evidence statements: PKCS#8 PEM text, or the
   * path of a file holding it. Absent: generated into DATA_DIR/secrets (embedded default only;
   * required with MONGODB_URI, so that every process signs with the same key).
   */
  auditSigningKey?: string;
  /** How often the ledger keeper signs a head when something new was ledgered (0: only after catching up and on demand). */
  auditHeadIntervalMs: number;
  /** Most events one GET /audit/verify checks; past it the answer says where to resume. */
  auditVerifyMaxEvents: number;
  /**
   * Prometheus metrics. Unset: GET /metrics on the API's own port, for admin tokens only. Set:
   * served without a token on this operator port (0: any free port) of `metricsHost`, and not
   * on the API's port at all.
   */
  metricsPort?: number;
  metricsHost: string;
  /** Logs: one JSON object per line (the default, for log collectors), or readable lines for a terminal. */
  logFormat: 'json' | 'pretty';
  /** OpenTelemetry traces: off (the default; the hooks cost next to nothing), to an OTLP/HTTP collector, or printed. */
  tracing: 'off' | 'otlp' | 'console';
  /** On SIGTERM or SIGINT: how long in-flight commands and the projector's last batch may take before the process exits anyway. */
  shutdownTimeoutMs: number;
  /**
   * Embedded default: the Unix socket in the data folder through which the CLI asks the running
   * API for an online backup (only its owner may connect). Null with external stores.
   */
  operatorSocketPath: string | null;
}

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };
  const logLevels = ['error', 'warn', 'log', 'debug'] as const;
  const logLevel = (env.LOG_LEVEL ?? 'log') as AppConfig['logLevel'];
  if (!logLevels.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')} (got "${env.LOG_LEVEL}")`);
  const config: AppConfig = {
    port: int('PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir: resolve(env.DATA_DIR || './data'),
    webDir: resolve(env.WEB_DIR || defaultWebDir()),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 256 * 1024, 1024, 64 * 1024 * 1024),
    readYourWritesTimeoutMs: int('READ_YOUR_WRITES_TIMEOUT_MS', 5000, 0, 60_000),
    projectorBatchSize: int('PROJECTOR_BATCH_SIZE', 500, 1, 100_000),
    readStoreCachedDocuments: int('READ_STORE_CACHE_DOCUMENTS', 10_000, 0, 10_000_000),
    projectorCatchUpBatchSize: int('PROJECTOR_CATCH_UP_BATCH_SIZE', 5000, 1, 100_000),
    cliCatchUpBatchSize: int('CLI_CATCH_UP_BATCH_SIZE', 20_000, 1, 1_000_000),
    projectorRetryMinMs: int('PROJECTOR_RETRY_MIN_MS', 100, 1, 60_000),
    projectorRetryMaxMs: int('PROJECTOR_RETRY_MAX_MS', 5000, 1, 600_000),
    commandConflictRetries: int('COMMAND_CONFLICT_RETRIES', 10, 0, 100),
    maxPageSize: int('MAX_PAGE_SIZE', 200, 1, 10_000),
    logLevel,
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
    mongodbUri: env.MONGODB_URI || undefined,
    projectorInProcess: bool('PROJECTOR_IN_PROCESS', true),
    projectionRetireAfterMs: int('PROJECTION_RETIRE_AFTER_MS', 30_000, 0, 3_600_000),
    projectorHeartbeatMs: int('PROJECTOR_HEARTBEAT_MS', 2000, 0, 600_000),
    rateLimitPerWindow: int('RATE_LIMIT_PER_WINDOW', 6000, 1, 10_000_000),
    rateLimitWindowMs: int('RATE_LIMIT_WINDOW_MS', 60_000, 1000, 3_600_000),
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    trustProxyHops: int('TRUST_PROXY_HOPS', 0, 0, 10),
    userRateLimitPerWindow: int('RATE_LIMIT_PER_USER_PER_WINDOW', 3000, 1, 10_000_000),
    oidc: env.OIDC_ISSUER
      ? {
          issuer: env.OIDC_ISSUER,
          audience: env.OIDC_AUDIENCE ?? '',
          jwksUri: env.OIDC_JWKS_URI || undefined,
          roleClaim: env.OIDC_ROLE_CLAIM || 'role',
          organisationClaim: env.OIDC_ORGANISATION_CLAIM || 'organisationId',
        }
      : undefined,
    authClockToleranceSeconds: int('AUTH_CLOCK_TOLERANCE_SECONDS', 30, 0, 600),
    keyEncryptionKey: env.KEY_ENCRYPTION_KEY || undefined,
    keyEncryptionKeysPrevious: (env.KEY_ENCRYPTION_KEYS_PREVIOUS ?? '').split(',').map((k) => k.trim()).filter(Boolean),
    keyStoreMongodbUri: env.KEY_STORE_MONGODB_URI || undefined,
    pseudonymKey: env.PSEUDONYM_KEY || undefined,
    dataKeyCacheSize: int('DATA_KEY_CACHE_SIZE', 10_000, 0, 10_000_000),
    suppressionThreshold: int('ANALYTICS_SUPPRESSION_THRESHOLD', 10, 2, 1000),
    auditSigningKey: env.AUDIT_SIGNING_KEY || undefined,
    auditHeadIntervalMs: int('AUDIT_HEAD_INTERVAL_MS', 60_000, 0, 86_400_000),
    auditVerifyMaxEvents: int('AUDIT_VERIFY_MAX_EVENTS', 250_000, 1, 1_000_000_000),
    metricsPort: env.METRICS_PORT === undefined || env.METRICS_PORT === '' ? undefined : int('METRICS_PORT', 0, 0, 65535),
    metricsHost: env.METRICS_HOST || '127.0.0.1',
    logFormat: (env.LOG_FORMAT || 'json') as AppConfig['logFormat'],
    tracing: (env.TRACING || 'off') as AppConfig['tracing'],
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    operatorSocketPath: null,
  };
  if (!['json', 'pretty'].includes(config.logFormat)) problems.push(`LOG_FORMAT must be json or pretty (got "${env.LOG_FORMAT}")`);
  if (!['off', 'otlp', 'console'].includes(config.tracing)) problems.push(`TRACING must be off, otlp or console (got "${env.TRACING}")`);
  if (!config.mongodbUri && !config.eventStoreConnectionString) config.operatorSocketPath = resolve(env.OPERATOR_SOCKET || join(config.dataDir, 'operator.sock'));
  for (const origin of config.corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) problems.push(`CORS_ORIGINS must list origins like https://app.example.org (got "${origin}")`);
  }
  if (config.mongodbUri !== undefined && !/^mongodb(\+srv)?:\/\//.test(config.mongodbUri)) {
    problems.push('MONGODB_URI must start with mongodb:// or mongodb+srv:// (see docs/mongodb.md)');
  }
  if (!config.projectorInProcess && !config.mongodbUri) {
    problems.push('PROJECTOR_IN_PROCESS=false needs MONGODB_URI: the embedded read store belongs to one process');
  }
  const esdb = config.eventStoreConnectionString;
  if (esdb !== undefined && !/^esdb(\+discover)?:\/\//.test(esdb)) {
    problems.push('EVENTSTORE_CONNECTION_STRING must start with esdb:// or esdb+discover:// (see docs/eventstoredb.md)');
  }
  if (config.oidc && !config.oidc.audience) problems.push('OIDC_ISSUER needs OIDC_AUDIENCE: the audience our tokens are issued for');
  if (config.oidc && !/^https:\/\//.test(config.oidc.issuer) && !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(config.oidc.issuer)) {
    problems.push('OIDC_ISSUER must be an https:// URL (plain http only on localhost)');
  }
  const sharedKeyStore = config.keyStoreMongodbUri ?? config.mongodbUri;
  if (sharedKeyStore && !config.keyEncryptionKey) {
    problems.push('MONGODB_URI (or KEY_STORE_MONGODB_URI) needs KEY_ENCRYPTION_KEY: every process must wrap data keys with the same key-encryption key (see docs/security.md)');
  }
  if (config.mongodbUri && !config.pseudonymKey) {
    problems.push('MONGODB_URI needs PSEUDONYM_KEY: every process must give analysts the same pseudonymous ids (see docs/security.md)');
  }
  if (config.mongodbUri && !config.auditSigningKey) {
    problems.push('MONGODB_URI needs AUDIT_SIGNING_KEY: every process must sign audit heads and evidence with the same key (see docs/audit.md)');
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/**
 * The projector's options for the CLI (seed, rebuild): it serves no requests, so a catch-up
 * batch may hold the event loop for seconds, and larger ones write each shared roll-up cell
 * once for more events (a rebuild of 250k events: 41 -> 31 s from 5,000 to 20,000).
 */
export function cliProjectorOptions(config: AppConfig) {
  return { ...projectorOptions(config), catchUpBatchSize: config.cliCatchUpBatchSize, heartbeatMs: 0 };
}

/** The projector's part of the configuration. */
export function projectorOptions(config: AppConfig) {
  return {
    batchSize: config.projectorBatchSize,
    catchUpBatchSize: config.projectorCatchUpBatchSize,
    retryMinMs: config.projectorRetryMinMs,
    retryMaxMs: config.projectorRetryMaxMs,
    retireAfterMs: config.projectionRetireAfterMs,
    // Status is published for API processes only when they do not run the projector themselves.
    heartbeatMs: config.mongodbUri ? config.projectorHeartbeatMs : 0,
  };
}
