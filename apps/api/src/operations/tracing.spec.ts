import { ProxyTracerProvider, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { JourneyRuleBroken } from '../../../../libs/domain/src/rules';
import { inSpan, startTracing, tracer, tracingStarted } from './tracing';

const delegate = () => (trace.getTracerProvider() as ProxyTracerProvider).getDelegate();

describe('startTracing', () => {
  it('registers nothing when TRACING is off: every span is a non-recording one', async () => {
    const stop = startTracing({ tracing: 'off' });
    expect(tracingStarted()).toBe(false);
    expect(delegate()).not.toBeInstanceOf(NodeTracerProvider);
    const span = tracer().startSpan('anything');
    expect(span.isRecording()).toBe(false);
    span.end();
    await stop();
  });

  it.each(['console', 'otlp'] as const)('registers a Node tracer provider for %s, and unregisters it when stopped', async (mode) => {
    const stop = startTracing({ tracing: mode });
    expect(tracingStarted()).toBe(true);
    expect(delegate()).toBeInstanceOf(NodeTracerProvider);
    expect(() => startTracing({ tracing: mode })).toThrow(/already started/);
    await stop();
    expect(tracingStarted()).toBe(false);
    expect(tracer().startSpan('after').isRecording()).toBe(false);
  });

  it('nests spans across awaits (AsyncLocalStorage) and exports them to the given exporter', async () => {
    const exporter = new InMemorySpanExporter();
    const stop = startTracing({ tracing: 'off' }, { exporter }); // a test exporter records even with TRACING off
    try {
      await inSpan('outer', () => Promise.all([
        inSpan('first', async () => new Promise((r) => setTimeout(r, 5))),
        inSpan('second', async () => {
          await new Promise((r) => setImmediate(r));
          await inSpan('inner', async () => undefined);
        }),
      ]));
      const spans = new Map(exporter.getFinishedSpans().map((s) => [s.name, s]));
      const parentOf = (name: string) => [...spans.values()].find((s) => s.spanContext().spanId === spans.get(name)!.parentSpanContext?.spanId)?.name;
      expect({ first: parentOf('first'), second: parentOf('second'), inner: parentOf('inner'), outer: parentOf('outer') })
        .toEqual({ first: 'outer', second: 'outer', inner: 'second', outer: undefined });
    } finally {
      await stop();
    }
  });

  it('names the service, unless OTEL_SERVICE_NAME names it', async () => {
    const serviceOf = async () => {
      const exporter = new InMemorySpanExporter();
      const stop = startTracing({ tracing: 'off' }, { exporter, serviceName: 'victim-journey-tracker-projector' });
      tracer().startSpan('one').end();
      const [span] = exporter.getFinishedSpans(); // stopping shuts the exporter down, which forgets them
      await stop();
      return span.resource.attributes['service.name'];
    };
    expect(await serviceOf()).toBe('victim-journey-tracker-projector');
    process.env.OTEL_SERVICE_NAME = 'vjt-staging-projector';
    try {
      expect(await serviceOf()).toBe('vjt-staging-projector');
    } finally {
      delete process.env.OTEL_SERVICE_NAME;
    }
  });

  it('marks a failed span with the error’s stable code only, never its message', async () => {
    const exporter = new InMemorySpanExporter();
    const stop = startTracing({ tracing: 'off' }, { exporter });
    try {
      const refusal = new JourneyRuleBroken('REFERRAL_NOT_FOUND', 'No referral for journey 0b7c... of Jane Doe');
      await expect(inSpan('decide', async () => { throw refusal; })).rejects.toBe(refusal);
      const [span] = exporter.getFinishedSpans();
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'REFERRAL_NOT_FOUND' });
      expect(span.attributes).toEqual({ 'error.type': 'REFERRAL_NOT_FOUND' });
      expect(span.events).toEqual([]);
    } finally {
      await stop();
    }
  });
});
