import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { tracer } from './tracing';

/**
 * A server span per HTTP request, named by method and route template (never the raw URL: it
 * holds journey ids), continuing the caller's trace when a `traceparent` header names one. The
 * request is handled inside it, so a command's span is its child. Only installed when tracing
 * is started; /metrics (scrapes) is left out.
 */
export function traceRequests(fastify: FastifyInstance, skipRoute: string): void {
  const spans = new WeakMap<FastifyRequest, Span>();
  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === skipRoute) return done();
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer().startSpan(`${request.method} ${route}`, {
      kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'http.route': route },
    }, parent);
    spans.set(request, span);
    const active = trace.setSpan(parent, span);
    // A body arrives in events of the raw request, outside this hook: its listeners must join the span too.
    context.bind(active, request.raw);
    context.with(active, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}
