import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, projectorOptions } from '../../api/src/config';
import { openStores } from '../../api/src/infrastructure/stores';
import { StoreLockedError } from '../../../libs/event-store/src/errors';
import { ReadStoreLockedError } from '../../../libs/read-store/src/embedded/sqlite-file';
import { Projector } from './projector';
import { auditKeeperOptions } from '../../api/src/audit/audit-keys';
import { observeProjector } from '../../api/src/operations/metrics-projector';
import { ShutdownCoordinator } from '../../api/src/operations/shutdown';
import { projectorShutdownPhases } from '../../api/src/operations/shutdown-phases';
import { useStructuredLogs } from '../../api/src/operations/logging';

/**
 * The projector as its own process, on the stores the configuration names. In production
 * (EventStoreDB, and MongoDB read models) it runs beside the API processes. On the embedded
 * default the API runs the projector itself, and this process can only open the data folder
 * while the API is stopped (one process per folder): use it to catch read models up offline.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  useStructuredLogs(config, 'projector'); // JSON lines (LOG_FORMAT), like the API's
  const logger = new Logger('Projector');
  const stores = await openStores(config);
  const projector = new Projector(stores.events, stores.readStore, { ...projectorOptions(config), audit: auditKeeperOptions(config) });
  const observation = await observeProjector(projector, stores.events, config); // TRACING: a span per batch; METRICS_PORT: /metrics on that port
  // With either, the shutdown ends by flushing spans and closing the metrics port.
  const observed = config.metricsPort !== undefined || config.tracing !== 'off';
  await projector.start();
  logger.log(`Projecting ${(await projector.status()).map((s) => s.name).join(', ')} into ${config.dataDir}`);
  // SIGTERM/SIGINT: each projection and the audit ledger finish their batch, the stores close, exit 0 (a second signal forces).
  new ShutdownCoordinator({ phases: projectorShutdownPhases(projector, stores, observed ? observation : undefined), timeoutMs: config.shutdownTimeoutMs }).listen();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StoreLockedError || error instanceof ReadStoreLockedError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
