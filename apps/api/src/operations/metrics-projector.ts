import { Logger } from '@nestjs/common';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import type { AppConfig } from '../config';
import type { ProjectionMonitor } from '../projections/projection-monitor';
import { collectProjections } from './metrics-projections';
import { countAppends } from './metrics-ports';
import { Metrics } from './metrics-registry';
import { serveOperatorMetrics } from './metrics-server';
import { startTracing } from './tracing';

/** The projector process's observation: where its metrics are served, and how to end it. */
export interface ProjectorObservation {
  /** The operator port's address, when METRICS_PORT is set. */
  metricsUrl?: string;
  /** Closes the metrics server, then flushes and stops tracing. */
  stop(): Promise<void>;
}

/**
 * Observes the projector as its own process: traces each projection batch when TRACING says
 * so (service victim-journey-tracker-projector), and with METRICS_PORT serves its /metrics on
 * the operator port (it has no API port): each projection's position, lag, events applied,
 * batches and errors, the appends it makes (signed audit heads), and the process's own.
 * Call it before the projector starts, so that its catch-up is traced too.
 */
export async function observeProjector(projector: ProjectionMonitor, events: EventStore, config: AppConfig): Promise<ProjectorObservation> {
  const stopTracing = startTracing(config, { serviceName: 'victim-journey-tracker-projector' });
  if (config.metricsPort === undefined) return { stop: stopTracing };
  const metrics = new Metrics();
  countAppends(events, metrics);
  collectProjections(metrics, projector, events);
  let server;
  try {
    server = await serveOperatorMetrics(metrics, config.metricsHost, config.metricsPort);
  } catch (error) {
    await stopTracing();
    throw error; // the port is taken: the process should not run unobserved
  }
  new Logger('Projector').log(`Metrics at ${server.url}/metrics`);
  return {
    metricsUrl: server.url,
    stop: async () => {
      await server.close();
      await stopTracing();
    },
  };
}
