import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import type { AppConfig } from '../config';
import { EVENT_STORE, PROJECTOR } from '../infrastructure/tokens';
import type { ProjectionMonitor } from '../projections/projection-monitor';
import { collectProjections } from './metrics-projections';
import { ApiMetrics, attachMetrics } from './metrics-registry';
import { serveOperatorMetrics } from './metrics-server';
import { countAppends, timeReadYourWrites } from './metrics-ports';
import { flushTracing, tracingStarted } from './tracing';
import { traceRequests } from './tracing-http';

const METRICS_PATH = '/metrics';
const operatorUrls = new WeakMap<NestFastifyApplication, string>();

/**
 * Makes the application observable: its own metrics registry (commands, appends, projections,
 * read-your-writes waits, HTTP, process), served at /metrics, and a span per request when
 * tracing is started. Without METRICS_PORT, /metrics is on the API's port for admin tokens;
 * with it, on the operator port without a token, and not on the API's port at all. Call it
 * before the application listens (Fastify takes hooks until then).
 */
export async function observeApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const metrics = new ApiMetrics();
  const events = app.get<EventStore>(EVENT_STORE);
  const monitor = app.get<ProjectionMonitor>(PROJECTOR);
  attachMetrics(metrics, config); // the command handler finds them through its configuration
  countAppends(events, metrics);
  timeReadYourWrites(monitor, metrics);
  collectProjections(metrics, monitor, events);

  const fastify = app.getHttpAdapter().getInstance();
  countRequests(fastify, metrics);
  if (tracingStarted()) traceRequests(fastify, METRICS_PATH);
  if (config.metricsPort === undefined) {
    // GET /metrics is then MetricsController's, behind the access guard (admin).
    fastify.addHook('onClose', async () => flushTracing());
    return;
  }
  let operator;
  try {
    operator = await serveOperatorMetrics(metrics, config.metricsHost, config.metricsPort);
  } catch (error) {
    await app.close(); // the port is taken: nothing of this application may stay open
    throw error;
  }
  operatorUrls.set(app, operator.url);
  new Logger('Metrics').log(`Metrics at ${operator.url}${METRICS_PATH}`);
  fastify.addHook('onClose', async () => {
    await operator.close();
    await flushTracing();
  });
}

/** Where the operator port serves /metrics (METRICS_PORT set), e.g. http://127.0.0.1:9464. */
export function operatorMetricsUrl(app: NestFastifyApplication): string | undefined {
  return operatorUrls.get(app);
}

/**
 * Every answered request by method, route template (Fastify's, never the raw URL, which
 * holds journey ids) and status; 'unmatched' for requests no route matched. Scrapes are left out.
 */
function countRequests(fastify: FastifyInstance, metrics: ApiMetrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route !== METRICS_PATH) {
      const method = request.method;
      metrics.httpRequests.inc({ method, route, status: reply.statusCode });
      metrics.httpDuration.observe({ method, route }, reply.elapsedTime / 1000);
    }
    done();
  });
}
