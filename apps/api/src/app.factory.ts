import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import type { AppConfig } from './config';
import { ErrorFilter } from './http/error.filter';
import { harden } from './http/hardening';
import { observeApp } from './operations/metrics';
import { closeStores, openStores } from './infrastructure/stores';
import { StrictValidationPipe } from './http/validation.pipe';
import { clientErrorHandler, frameworkErrors } from './http/framework-errors';
import { serveWebPages } from './web/web-pages';
import { serveOperatorSocket } from './operations/operator-socket';
import { createLogger, nestLoggerFor, type LogDestination } from './operations/logging';
import { logRequests, newRequestId } from './operations/logging-requests';

/** What the end-to-end tests may give besides the configuration. */
export interface AppOptions {
  /** Where log lines go: standard output unless given (a test capturing them). */
  logDestination?: LogDestination;
}

/** Builds the whole application (used by main.ts and by the end-to-end tests). */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<NestFastifyApplication> {
  // One JSON line per entry (operations/logging.ts): Nest's own lines, the code's, one per request.
  const logger = createLogger(config, { service: 'api', destination: options.logDestination });
  const stores = await openStores(config);
  const hops = config.trustProxyHops;
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: hops > 0 ? (_address: string, hop: number) => hop < hops : false,
    // Errors answered before Nest sees the request, in the API's error shape too.
    frameworkErrors,
    clientErrorHandler,
    genReqId: newRequestId,
  });
  let app: NestFastifyApplication;
  try {
    app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, stores), adapter, {
      logger: nestLoggerFor(logger),
      abortOnError: false,
    });
  } catch (error) {
    await closeStores(stores);
    throw error;
  }
  logRequests(app.getHttpAdapter().getInstance(), logger);
  await harden(app, config);
  await observeApp(app, config);
  await serveWebPages(app, config);
  app.useGlobalPipes(new StrictValidationPipe());
  app.useGlobalFilters(new ErrorFilter(logger));
  // No app.enableShutdownHooks(): each entry point decides how a signal ends the process
  // (main.ts: operations/shutdown.ts drains, then closes the app with its stores, and exits 0).
  const openApi = new DocumentBuilder()
    .setTitle('Victim Journey Tracker')
    .setDescription('Record each step of a potential victim’s journey through the National Referral Mechanism as immutable events.')
    .setVersion('1')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'docs/openapi.json' });
  await serveOperatorSocket(app, config, stores); // the CLI's online backups; closed with the HTTP server, before the stores
  return app;
}
