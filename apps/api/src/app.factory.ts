import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import type { AppConfig } from './config';
import { ErrorFilter } from './http/error.filter';
import { harden } from './http/hardening';
import { closeStores, openStores } from './infrastructure/stores';
import { StrictValidationPipe } from './http/validation.pipe';
import { clientErrorHandler, frameworkErrors } from './http/framework-errors';
import { serveWebPages } from './web/web-pages';

/** Builds the whole application (used by main.ts and by the end-to-end tests). */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const stores = await openStores(config);
  const hops = config.trustProxyHops;
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: hops > 0 ? (_address: string, hop: number) => hop < hops : false,
    // Errors answered before Nest sees the request, in the API's error shape too.
    frameworkErrors,
    clientErrorHandler,
  });
  let app: NestFastifyApplication;
  try {
    app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, stores), adapter, {
      logger: loggerLevels(config.logLevel),
      abortOnError: false,
    });
  } catch (error) {
    await closeStores(stores);
    throw error;
  }
  await harden(app, config);
  await serveWebPages(app, config);
  app.useGlobalPipes(new StrictValidationPipe());
  app.useGlobalFilters(new ErrorFilter());
  app.enableShutdownHooks();
  const openApi = new DocumentBuilder()
    .setTitle('Victim Journey Tracker')
    .setDescription('Record each step of a potential victim’s journey through the National Referral Mechanism as immutable events.')
    .setVersion('1')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

function loggerLevels(level: AppConfig['logLevel']) {
  const all = ['error', 'warn', 'log', 'debug'] as const;
  return all.slice(0, all.indexOf(level) + 1) as Array<(typeof all)[number]>;
}
