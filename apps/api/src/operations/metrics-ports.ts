import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import type { ProjectionProgress } from '../journeys/reading/read-your-writes';
import type { ApiMetrics, Metrics } from './metrics-registry';

/**
 * Counts every append to the event store (commands, access records, signed audit heads) and
 * times it. The store is wrapped in place, not replaced, so everything already holding it is
 * counted and the adapter keeps its type and its other methods.
 */
export function countAppends(events: EventStore, metrics: Metrics): void {
  const append = events.append.bind(events);
  events.append = async (streamId, toAppend, expected, claim) => {
    const started = performance.now();
    metrics.appends.inc();
    try {
      const result = await append(streamId, toAppend, expected, claim);
      metrics.eventsAppended.inc(toAppend.length);
      return result;
    } finally {
      metrics.appendDuration.observe((performance.now() - started) / 1000);
    }
  };
}

/**
 * Times the waits of reads with minPosition (read-your-writes) and counts those that ran out
 * (answered 503). Wrapped in place, as appends are: every query handler holds the same monitor.
 */
export function timeReadYourWrites(progress: ProjectionProgress, metrics: ApiMetrics): void {
  const waitFor = progress.waitFor.bind(progress);
  progress.waitFor = async (projection, position, timeoutMs) => {
    const started = performance.now();
    const reached = await waitFor(projection, position, timeoutMs);
    metrics.readYourWritesWait.observe((performance.now() - started) / 1000);
    if (!reached) metrics.readYourWritesTimeouts.inc();
    return reached;
  };
}
