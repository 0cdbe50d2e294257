import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Level, Logger } from 'pino';
import { correlationIdOf } from '../http/command-request';

/**
 * One line per HTTP request, logged when the response has gone:
 *
 *   {"level":"info","time":"…","service":"api","pid":1,"msg":"request completed",
 *    "reqId":"…","correlationId":"…","method":"POST","route":"/journeys/:id/consents",
 *    "journeyId":"…","statusCode":201,"responseTime":3.2,"userId":"worker-7",
 *    "role":"support_worker","organisationId":"met-police","commandType":"RecordConsent",
 *    "commandId":"…","revision":1}
 *
 * The route is the template (never the URL: its query string may hold dates or search terms),
 * the journey id is the path's `:id` when it is a UUID (pseudonymous), no header is logged
 * but the correlation id, and no body ever. Who asked, which command, with which outcome,
 * comes from the code that knows it, through `annotateRequestLog`: the access guard (the user),
 * the command handler (the command id), the error filter (the error code).
 */

/** What the code that handles a request adds to its line. Codes and ids only: never a value the client sent. */
export interface RequestLogFields {
  userId?: string;
  role?: string;
  organisationId?: string;
  journeyId?: string;
  commandType?: string;
  commandId?: string;
  revision?: number;
  replayed?: boolean;
  /** The error's stable code (VALIDATION_FAILED, JOURNEY_NOT_FOUND…), for a refused request. */
  code?: string;
}

const FIELDS = Symbol('request log fields');
type Annotated = { [FIELDS]?: RequestLogFields };

/** Adds fields to the request's log line (later calls add to or replace earlier ones). */
export function annotateRequestLog(request: FastifyRequest | undefined, fields: RequestLogFields): void {
  if (!request) return;
  const annotated = request as FastifyRequest & Annotated;
  const held = annotated[FIELDS];
  if (held) Object.assign(held, fields);
  else annotated[FIELDS] = { ...fields };
}

/** What the request's line holds so far. */
export function requestLogFieldsOf(request: FastifyRequest): Readonly<RequestLogFields> {
  return (request as FastifyRequest & Annotated)[FIELDS] ?? {};
}

/** Request ids: random, so that they stay unique across restarts and processes. */
export const newRequestId = (): string => randomUUID();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Routes platforms poll all the time: their successes are logged at debug only. */
const POLLED = new Set(['/health', '/metrics']);

/** The fields that place a line in its request: for the request line, and for the error filter's. */
export function requestContext(request: FastifyRequest): { reqId: string; correlationId: string; method: string; route: string | null; journeyId?: string } {
  const id = (request.params as { id?: unknown } | undefined)?.id;
  return {
    reqId: request.id,
    correlationId: correlationIdOf(request),
    method: request.method,
    route: request.routeOptions?.url ?? null, // null: no route matched (the raw URL is not logged)
    ...(typeof id === 'string' && UUID.test(id) ? { journeyId: id } : {}),
  };
}

function levelOf(route: string | undefined, statusCode: number): Level {
  if (statusCode >= 500) return 'warn'; // the error filter logs a failure's error at `error`; a 503 is the client's to retry
  return statusCode < 400 && route !== undefined && POLLED.has(route) ? 'debug' : 'info';
}

/** Logs every request of `fastify` through `logger`; costs next to nothing when the level is off. */
export function logRequests(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const level = levelOf(request.routeOptions?.url, reply.statusCode);
    if (logger.isLevelEnabled(level)) {
      logger[level](
        { ...requestContext(request), statusCode: reply.statusCode, responseTime: Math.round(reply.elapsedTime * 10) / 10, ...requestLogFieldsOf(request) },
        'request completed',
      );
    }
    done();
  });
  fastify.addHook('onRequestAbort', (request: FastifyRequest, done: () => void) => {
    if (logger.isLevelEnabled('info')) logger.info({ ...requestContext(request), ...requestLogFieldsOf(request) }, 'request aborted by the client');
    done();
  });
}
