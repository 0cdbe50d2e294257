import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, projectorOptions } from '../../api/src/config';
import { closeStores, openStores } from '../../api/src/infrastructure/stores';
import { StoreLockedError } from '../../../libs/event-store/src/errors';
import { ReadStoreLockedError } from '../../../libs/read-store/src/embedded/sqlite-file';
import { Projector } from './projector';
import { auditKeeperOptions } from '../../api/src/audit/audit-keys';

/**
 * The projector as its own process, on the stores the configuration names. In production
 * (EventStoreDB, and MongoDB read models) it runs beside the API processes. On the embedded
 * default the API runs the projector itself, and this process can only open the data folder
 * while the API is stopped (one process per folder): use it to catch read models up offline.
 */
async function main(): Promise<void> {
  const logger = new Logger('Projector');
  const config = loadConfig();
  const stores = await openStores(config);
  const projector = new Projector(stores.events, stores.readStore, { ...projectorOptions(config), audit: auditKeeperOptions(config) });
  await projector.start();
  logger.log(`Projecting ${(await projector.status()).map((s) => s.name).join(', ')} into ${config.dataDir}`);
  const stop = async () => {
    await projector.stop();
    await closeStores(stores);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StoreLockedError || error instanceof ReadStoreLockedError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
