import { context, propagation, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor, ConsoleSpanExporter, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter, type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import type { AppConfig } from '../config';

const TRACER_NAME = 'victim-journey-tracker';
let current = trace.getTracer(TRACER_NAME);

/**
 * The API's tracer: OpenTelemetry's no-op one until startTracing registers a provider. Taken
 * again when tracing starts or stops, since a tracer stays with the provider it first used.
 */
export function tracer(): Tracer {
  return current;
}

/** Stops tracing after flushing what is buffered. */
export type StopTracing = () => Promise<void>;

export interface TracingOptions {
  /** The service name traces carry (OTEL_SERVICE_NAME overrides it). */
  serviceName?: string;
  /** Tests: export here, span by span, instead of what TRACING names (and even when it is off). */
  exporter?: SpanExporter;
}

let provider: NodeTracerProvider | undefined;

/**
 * Starts OpenTelemetry tracing as TRACING says: `off` (the default) registers nothing, so every
 * span the code starts is a non-recording one that costs next to nothing; `console` prints each
 * span; `otlp` sends them in batches to the collector OTEL_EXPORTER_OTLP_ENDPOINT names (the
 * exporter's own variables apply). The provider also registers an AsyncLocalStorage context
 * manager, so spans nest across awaits. Call it before the application is built.
 */
export function startTracing(config: Pick<AppConfig, 'tracing'>, options: TracingOptions = {}): StopTracing {
  const processor = spanProcessor(config.tracing, options.exporter);
  if (!processor) return async () => undefined;
  if (provider) throw new Error('Tracing is already started in this process');
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the name given here.
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': options.serviceName ?? 'victim-journey-tracker-api' }))
    .merge(detectResources({ detectors: [envDetector] }));
  const started = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  started.register();
  provider = started;
  current = trace.getTracer(TRACER_NAME);
  return async () => {
    if (provider !== started) return;
    provider = undefined;
    await started.shutdown(); // flushes first
    trace.disable();
    context.disable();
    propagation.disable();
    current = trace.getTracer(TRACER_NAME);
  };
}

function spanProcessor(mode: AppConfig['tracing'], exporter: SpanExporter | undefined): SpanProcessor | undefined {
  if (exporter) return new SimpleSpanProcessor(exporter);
  if (mode === 'console') return new SimpleSpanProcessor(new ConsoleSpanExporter());
  if (mode === 'otlp') return new BatchSpanProcessor(new OTLPTraceExporter());
  return undefined;
}

/** Whether startTracing registered a provider in this process (request spans are only worth starting then). */
export function tracingStarted(): boolean {
  return provider !== undefined;
}

/** Exports the spans still buffered (at shutdown); nothing when tracing is off. */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

/**
 * Runs `work` in a child span of the active one, ending it when the work settles and marking
 * it failed if the work throws. Attributes must never carry personal data: ids of commands,
 * types, counts and positions only.
 */
export function inSpan<T>(name: string, work: (span: Span) => Promise<T>, attributes?: Attributes): Promise<T> {
  return current.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks a span failed with the error's kind only (its stable code, else its class): messages can quote what the user sent. */
export function failed(span: Span, error: unknown): void {
  const code = (error as { code?: unknown } | null)?.code;
  const kind = typeof code === 'string' ? code : error instanceof Error ? error.name : 'Error';
  span.setStatus({ code: SpanStatusCode.ERROR, message: kind });
  span.setAttribute('error.type', kind);
}
