import { Counter, Gauge } from 'prom-client';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import type { ProjectionActivity } from '../../../projector/src/projection-runner';
import type { ProjectionMonitor } from '../projections/projection-monitor';
import { withLag, type ProjectionLag } from '../projections/projection-reports';
import type { Metrics } from './metrics-registry';

/**
 * Per-projection series, read from the projector when Prometheus scrapes (nothing is done per
 * event): position, lag in events and seconds, whether it runs, and, where the projector runs
 * in this process, the events, batches and errors it counted. An API process whose projector
 * runs elsewhere reports the positions and lag its readers see (from the checkpoints), which
 * keeps growing if that projector dies; the counters come from the projector process's own
 * /metrics.
 */
export function collectProjections(metrics: Metrics, monitor: ProjectionMonitor, events: EventStore): void {
  const registers = [metrics.registry];
  const labelNames = ['projection'] as const;
  // One reading of the projector per scrape, however many series ask for it.
  let reading: Promise<ProjectionLag[]> | undefined;
  const read = () => (reading ??= lagOf(monitor, events).finally(() => { reading = undefined; }));

  const gauge = (name: string, help: string, value: (report: ProjectionLag) => number | null) =>
    new Gauge({
      name, help, labelNames, registers,
      async collect() {
        this.reset();
        for (const report of await read()) {
          const v = value(report);
          if (v !== null) this.set({ projection: report.name }, v);
        }
      },
    });
  gauge('vjt_projection_position', 'Last log position the projection applied (-1: none yet)', (r) => (r.position === null ? -1 : Number(r.position)));
  gauge('vjt_projection_lag_events', 'Events in the log the projection has not applied (only where positions count events: the embedded store)', (r) => r.lagEvents);
  gauge('vjt_projection_lag_seconds', 'How long the oldest event the projection has not applied has waited (0 when caught up)', (r) => r.lagSeconds);
  gauge('vjt_projection_running', '1 while the projection runs (or is being rebuilt), 0 once it stopped on an error', (r) => (r.running || r.rebuilding !== null ? 1 : 0));

  const activity = monitor.activity?.bind(monitor);
  if (!activity) return;
  const counter = (name: string, help: string, value: (counts: ProjectionActivity) => number) =>
    new Counter({
      name, help, labelNames, registers,
      collect() {
        this.reset();
        for (const counts of activity()) this.inc({ projection: counts.name }, value(counts));
      },
    });
  counter('vjt_projection_events_applied_total', 'Events the projection applied (or passed over as not its own) and checkpointed, rebuilds included', (c) => c.eventsApplied);
  counter('vjt_projection_batches_total', 'Batches the projection committed (documents and checkpoint in one transaction)', (c) => c.batches);
  counter('vjt_projection_errors_total', 'Failures of the projection: lost subscriptions and failed writes (retried), and errors of its own (it stops)', (c) => c.errors);
}

async function lagOf(monitor: ProjectionMonitor, events: EventStore): Promise<ProjectionLag[]> {
  try {
    return await withLag(events, await monitor.status());
  } catch {
    return []; // the read store is down: no projection series rather than a failed scrape
  }
}
