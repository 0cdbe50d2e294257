import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { startTracing } from './operations/tracing';
import { ConfigError, loadConfig } from './config';
import { StoreLockedError } from '../../../libs/event-store/src/errors';
import { ReadStoreLockedError } from '../../../libs/read-store/src/embedded/sqlite-file';
import { KeyStoreLockedError } from '../../../libs/personal-data/src/errors';
import { ShutdownCoordinator } from './operations/shutdown';
import { HttpDrain } from './operations/shutdown-http';
import { apiShutdownPhases } from './operations/shutdown-phases';

async function main(): Promise<void> {
  const config = loadConfig();
  startTracing(config); // before the app is built: TRACING=otlp|console; flushed when the app closes
  const app = await createApp(config);
  // SIGTERM/SIGINT: stop accepting, finish in-flight requests, stop projections, close stores, exit 0 (operations/shutdown.ts).
  const http = HttpDrain.install(app);
  new ShutdownCoordinator({ phases: apiShutdownPhases(app, http), timeoutMs: config.shutdownTimeoutMs }).listen();
  await app.listen(config.port, config.host);
  const { port } = app.getHttpServer().address() as { port: number }; // PORT=0: the one the system picked
  new Logger('Main').log(`Victim Journey Tracker listening on http://${config.host}:${port} (data in ${config.dataDir}); API docs at /docs, dashboard at /dashboard`);
}

main().catch((error: unknown) => {
  // Configuration and lock problems are the operator's to fix: say so plainly, no stack.
  const plain = error instanceof ConfigError || error instanceof StoreLockedError || error instanceof ReadStoreLockedError || error instanceof KeyStoreLockedError;
  console.error(plain ? error.message : error);
  process.exit(1);
});
