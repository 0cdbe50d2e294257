import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

/** Seconds a client is told to wait before retrying a request refused during a shutdown (a restart, or another instance). */
export const SHUTTING_DOWN_RETRY_AFTER_SECONDS = 5;

/** How long connections accepted just before the listener closed may still deliver a request (answered 503). */
export const DRAIN_LINGER_MS = 100;

export const SHUTTING_DOWN_MESSAGE = 'The server is shutting down; the request was not handled and nothing was recorded. Retry shortly, with the same Idempotency-Key.';

/**
 * The HTTP side of a graceful shutdown: which requests are being handled, and refusing new ones.
 *
 * Installed on the Fastify instance before the app listens. Every request is counted from its
 * first hook (onRequest) until its response has been sent, or, if its client went away first,
 * until its handler has answered anyway (a command still appending is still in flight). Once
 * draining (`stopAccepting()`):
 * - a new request is answered at once, 503 `SHUTTING_DOWN` with `Retry-After`, in the API's
 *   error shape; GET /health is answered the same way with `shuttingDown: true`, so that a load
 *   balancer stops routing here. The listener stays open for the drain, so a client is told
 *   rather than refused, and nothing reaches a handler;
 * - every response, those of the requests in flight too, carries `Connection: close`, so a
 *   keep-alive connection ends after the request it is serving.
 * `requestsFinished()` resolves once every request counted has been answered; `closeListener()`
 * then stops accepting connections at all (a client is refused at the socket) and closes the idle ones.
 */
export class HttpDrain {
  private handling = 0;
  private refusedCount = 0;
  private drainingNow = false;
  private readonly idle = new Set<() => void>();
  private readonly requests = new WeakMap<object, { closed: boolean; sent: boolean; settled: boolean }>();

  private constructor(private readonly server: Server) {}

  static install(app: NestFastifyApplication): HttpDrain {
    const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
    const drain = new HttpDrain(app.getHttpServer() as Server);
    fastify.addHook('onRequest', (request, reply, done) => {
      if (drain.draining) {
        drain.refusedCount++;
        const health = request.method === 'GET' && (request.url === '/health' || request.url.startsWith('/health?'));
        void reply
          .code(503)
          .header('Retry-After', String(SHUTTING_DOWN_RETRY_AFTER_SECONDS))
          .header('Connection', 'close')
          .send({ statusCode: 503, code: 'SHUTTING_DOWN', message: SHUTTING_DOWN_MESSAGE, ...(health ? { status: 'shutting_down', shuttingDown: true } : {}) });
        return;
      }
      drain.handling++;
      const state = { closed: false, sent: false, settled: false };
      drain.requests.set(reply.raw, state);
      // 'close' follows 'finish' when the response was sent. Alone, the client went away while the
      // handler still runs (a command may be appending): the request counts until its handler
      // answers (onSend), so the stores are not closed under it.
      reply.raw.once('close', () => {
        state.closed = true;
        if (reply.raw.writableFinished || state.sent) drain.settle(state);
      });
      done();
    });
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      if (drain.draining) reply.header('Connection', 'close');
      const state = drain.requests.get(reply.raw);
      if (state) {
        state.sent = true;
        if (state.closed) drain.settle(state);
      }
      done(null, payload);
    });
    return drain;
  }

  get draining(): boolean {
    return this.drainingNow;
  }

  /** Requests being handled (refused ones are not counted: they are answered on the spot). */
  get inFlight(): number {
    return this.handling;
  }

  /** Requests answered 503 SHUTTING_DOWN so far. */
  get refused(): number {
    return this.refusedCount;
  }

  /** Phase 1: from now on new requests are refused. Returns what was in flight. */
  stopAccepting(): string {
    this.drainingNow = true;
    return `new requests are answered 503 SHUTTING_DOWN; ${this.handling} request(s) in flight`;
  }

  /** Phase 2: resolves once every request counted has been answered (one whose client went away: once its handler has). */
  async requestsFinished(): Promise<string> {
    const waitedFor = this.handling;
    if (this.handling > 0) await new Promise<void>((resolve) => this.idle.add(resolve));
    return `${waitedFor} in-flight request(s) answered; ${this.refusedCount} refused during the drain`;
  }

  /**
   * Stops accepting connections, lets those already accepted deliver their request (and get
   * their 503) for `lingerMs`, then closes the idle ones. (http.Server.close() would close the
   * idle connections at once, among them connections just accepted whose request has not been
   * read yet: their clients would see a reset, not knowing whether the request was handled,
   * where a refused connection, or a 503, says plainly that it was not.) Connections still busy
   * are left to the application's close, in the next phase.
   */
  async closeListener(lingerMs = DRAIN_LINGER_MS): Promise<void> {
    if (!this.server.listening) return;
    NetServer.prototype.close.call(this.server);
    await new Promise((resolve) => setTimeout(resolve, lingerMs));
    this.server.closeIdleConnections();
  }

  /** For the timeout's log line. */
  describeWaiting(): string {
    return `${this.handling} request(s) still in flight`;
  }

  private settle(state: { settled: boolean }): void {
    if (state.settled) return;
    state.settled = true;
    this.handling--;
    if (this.handling === 0) {
      for (const resolve of this.idle) resolve();
      this.idle.clear();
    }
  }
}
