import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Seconds, from a millisecond to ten: commands, appends and reads answer in this range. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** How a command ended: the outcome label of the command series. */
export type CommandOutcome = 'recorded' | 'replayed' | 'rejected' | 'conflict' | 'failed';

/**
 * One process's metrics (one application's: tests run several in one process), in a registry
 * of their own rather than prom-client's global one: the process's own (CPU, memory, event
 * loop, GC) and the event store's appends. The projector process has these; the API adds its
 * own (ApiMetrics). Labels are command types, outcomes, route templates, status codes and
 * projection names only: never a journey, user or organisation id (personal data, and
 * unbounded series).
 */
export class Metrics {
  readonly registry = new Registry();

  readonly appends = new Counter({ name: 'vjt_appends_total', help: 'Appends to the event store (calls, including refused ones)', registers: [this.registry] });
  readonly eventsAppended = new Counter({ name: 'vjt_events_appended_total', help: 'Events appended to the event store', registers: [this.registry] });
  readonly appendDuration = new Histogram({
    name: 'vjt_append_duration_seconds', help: 'Time an append to the event store takes (durable on return)', buckets: LATENCY_BUCKETS, registers: [this.registry],
  });

  constructor() {
    // CPU, memory, heap, event-loop delay, GC, handles: vjt_process_* and vjt_nodejs_*.
    collectDefaultMetrics({ register: this.registry, prefix: 'vjt_' });
  }

  /** The Prometheus text exposition of every metric, with the content type to answer it with. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}

/** The API's metrics: besides the process's, commands, read-your-writes waits and HTTP requests. */
export class ApiMetrics extends Metrics {
  readonly commands = new Counter({
    name: 'vjt_commands_total', help: 'Journey commands handled, by command type and outcome (recorded, replayed, rejected, conflict, failed)',
    labelNames: ['command', 'outcome'] as const, registers: [this.registry],
  });
  readonly commandDuration = new Histogram({
    name: 'vjt_command_duration_seconds', help: 'Time to handle a journey command, from load to append, by command type and outcome',
    labelNames: ['command', 'outcome'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry],
  });

  readonly readYourWritesWait = new Histogram({
    name: 'vjt_read_your_writes_wait_seconds', help: 'Time reads with minPosition waited for the read model (timeouts included)',
    buckets: LATENCY_BUCKETS, registers: [this.registry],
  });
  readonly readYourWritesTimeouts = new Counter({
    name: 'vjt_read_your_writes_timeouts_total', help: 'Reads with minPosition answered 503 because the read model had not caught up in time', registers: [this.registry],
  });

  readonly httpRequests = new Counter({
    name: 'vjt_http_requests_total', help: 'HTTP requests answered, by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const, registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'vjt_http_request_duration_seconds', help: 'Time to answer an HTTP request, by method and route template',
    labelNames: ['method', 'route'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry],
  });

  /** A command finished: `started` is performance.now() when it began. */
  commandFinished(command: string, outcome: CommandOutcome, started: number): void {
    const labels = { command, outcome };
    this.commands.inc(labels);
    this.commandDuration.observe(labels, (performance.now() - started) / 1000);
  }
}

const byOwner = new WeakMap<object, ApiMetrics>();

/**
 * The metrics of the application an object belongs to (its configuration, its projection
 * monitor), when the application keeps metrics: code that runs without (the CLI, unit tests
 * of a handler) skips recording them.
 */
export function metricsOf(owner: object): ApiMetrics | undefined {
  return byOwner.get(owner);
}

/** Makes `metrics` those of the application `owners` belong to. */
export function attachMetrics(metrics: ApiMetrics, ...owners: object[]): void {
  for (const owner of owners) byOwner.set(owner, metrics);
}
