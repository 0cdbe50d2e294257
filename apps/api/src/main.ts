import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config';
import { StoreLockedError } from '../../../libs/event-store/src/errors';
import { ReadStoreLockedError } from '../../../libs/read-store/src/embedded/sqlite-file';
import { KeyStoreLockedError } from '../../../libs/personal-data/src/errors';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  console.log(`Victim Journey Tracker listening on http://${config.host}:${config.port} (data in ${config.dataDir}); API docs at /docs, dashboard at /dashboard`);
}

main().catch((error: unknown) => {
  // Configuration and lock problems are the operator's to fix: say so plainly, no stack.
  const plain = error instanceof ConfigError || error instanceof StoreLockedError || error instanceof ReadStoreLockedError || error instanceof KeyStoreLockedError;
  console.error(plain ? error.message : error);
  process.exit(1);
});
