import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig, ConfigError } from '../../api/src/config';
import { SqliteEventStore } from '../../../libs/event-store/src/embedded/sqlite-event-store';
import { StoreLockedError } from '../../../libs/event-store/src/errors';
import { SqliteReadStore } from '../../../libs/read-store/src/embedded/sqlite-read-store';
import { ReadStoreLockedError } from '../../../libs/read-store/src/embedded/sqlite-file';
import { Projector } from './projector';

/**
 * The projector as its own process. In production (EventStoreDB and MongoDB) it runs beside
 * the API processes. On the embedded default the API runs the projector itself, and this
 * process can only open the data folder while the API is stopped (one writer per folder):
 * use it to catch read models up offline.
 */
async function main(): Promise<void> {
  const logger = new Logger('Projector');
  const config = loadConfig();
  const events = SqliteEventStore.open({ directory: config.dataDir });
  const readStore = SqliteReadStore.open({ directory: config.dataDir });
  const projector = new Projector(events, readStore, config.projectorBatchSize);
  await projector.start();
  logger.log(`Projecting from ${config.dataDir}: ${projector.status().map((s) => s.name).join(', ')}`);
  const stop = async () => {
    await projector.stop();
    await readStore.close();
    await events.close();
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
