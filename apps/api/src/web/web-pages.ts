import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppConfig } from '../config';

/** The pages of the browser front end, each a shell that loads its bundle from /assets. */
const PAGES = {
  dashboard: 'dashboard.html',
  timeline: 'timeline.html',
  app: 'app.html',
} as const;

/**
 * The pages' own Content-Security-Policy, stricter than the API's default (which lets the
 * OpenAPI page run inline script): scripts only from /assets, no inline script at all, data
 * only from this origin. Inline styles stay allowed because the charts set style attributes.
 */
export const PAGE_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
  "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/** A journey id in a page's path: the same UUID form the API's routes take. */
const JOURNEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Serves the browser front end built into `config.webDir` (apps/web/build.ts): the analyst
 * dashboard at /dashboard, the auditor's timeline at /journeys/:id/timeline, the support
 * workers' app at /app (caseload) and /app/journeys/:id, and their bundles under /assets. The pages themselves hold no data and need no token: each asks for one when
 * it opens, and every figure it shows comes from the API under that token's role.
 */
export async function serveWebPages(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const assets = join(config.webDir, 'assets');
  if (existsSync(assets)) {
    await app.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      decorateReply: false,
      // The build writes .br and .gz copies; a browser that accepts them gets one (Vary: Accept-Encoding).
      preCompressed: true,
      // Revalidate with the ETag each time: a rebuilt bundle is picked up without a stale cache.
      cacheControl: false,
      setHeaders: (reply) => { reply.header('Cache-Control', 'no-cache'); },
    });
  }
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/dashboard', (_request, reply) => sendPage(reply, config, PAGES.dashboard));
  // The support workers' app: the caseload, and each journey's page (its id in the path, never personal data).
  fastify.get('/app', (_request, reply) => sendPage(reply, config, PAGES.app));
  fastify.get<{ Params: { id: string } }>('/app/journeys/:id', (request, reply) => {
    if (!JOURNEY_ID.test(request.params.id)) {
      return reply.code(404).send({ statusCode: 404, code: 'NOT_FOUND', message: 'No such page: a journey is at /app/journeys/<journey id, a UUID>' });
    }
    return sendPage(reply, config, PAGES.app);
  });
  fastify.get<{ Params: { id: string } }>('/journeys/:id/timeline', (request, reply) => {
    if (!JOURNEY_ID.test(request.params.id)) {
      return reply.code(404).send({ statusCode: 404, code: 'NOT_FOUND', message: 'No such page: a timeline is at /journeys/<journey id, a UUID>/timeline' });
    }
    return sendPage(reply, config, PAGES.timeline);
  });
}

async function sendPage(reply: FastifyReply, config: AppConfig, file: string): Promise<FastifyReply> {
  let html: string;
  try {
    html = await readFile(join(config.webDir, file), 'utf8');
  } catch {
    return reply.code(503).send({
      statusCode: 503,
      code: 'WEB_NOT_BUILT',
      message: `The web front end is not built in ${config.webDir}: run npm run build (or set WEB_DIR to where it was built)`,
    });
  }
  return reply.header('Cache-Control', 'no-cache').header('Content-Security-Policy', PAGE_CSP).type('text/html; charset=utf-8').send(html);
}
