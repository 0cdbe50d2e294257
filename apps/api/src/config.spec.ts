import { ConfigError, loadConfig } from './config';

describe('configuration from the environment', () => {
  it('has working defaults: port 3000 and ./data', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(`${process.cwd()}/data`);
    expect(config.readYourWritesTimeoutMs).toBe(5000);
  });

  it('takes every limit from its variable', () => {
    const config = loadConfig({ PORT: '8080', DATA_DIR: '/srv/vjt', BODY_LIMIT_BYTES: '2048', READ_YOUR_WRITES_TIMEOUT_MS: '0', PROJECTOR_BATCH_SIZE: '10', READ_STORE_CACHE_DOCUMENTS: '0', COMMAND_CONFLICT_RETRIES: '0', MAX_PAGE_SIZE: '20', LOG_LEVEL: 'debug' });
    expect(config).toMatchObject({ port: 8080, dataDir: '/srv/vjt', bodyLimitBytes: 2048, readYourWritesTimeoutMs: 0, projectorBatchSize: 10, readStoreCachedDocuments: 0, commandConflictRetries: 0, maxPageSize: 20, logLevel: 'debug' });
  });

  it('refuses bad values, naming each variable and its rule', () => {
    expect(() => loadConfig({ PORT: 'eighty', PROJECTOR_BATCH_SIZE: '0', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', PROJECTOR_BATCH_SIZE: '0', LOG_LEVEL: 'loud' });
    } catch (error) {
      expect((error as Error).message).toContain('PORT must be an integer from 0 to 65535 (got "eighty")');
      expect((error as Error).message).toContain('PROJECTOR_BATCH_SIZE must be an integer from 1 to 100000 (got "0")');
      expect((error as Error).message).toContain('LOG_LEVEL must be one of error, warn, log, debug');
    }
  });
});
