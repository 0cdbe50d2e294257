import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as RootLogger } from 'pino';
import { JourneyRuleBroken } from '../../../../libs/domain/src/rules';
import {
  AccessAuditUnavailable, AuthenticationUnavailable, ConcurrencyConflict, Forbidden, IdempotencyKeyReused, JourneyNotFound,
  NotYetProjected, Unauthenticated, UserRateLimited, ValidationFailed,
} from '../errors';
import { UnknownProjection } from '../../../projector/src/projector';
import { etag } from './revision-headers';
import { AuditConflict } from '../audit/audit-errors';
import { DataKeyMissingError, KeyStoreWriteFailed, UnknownKeyEncryptionKeyError } from '../../../../libs/personal-data/src/errors';
import { EventStoreWriteFailed, StoreDurabilityLost } from '../../../../libs/event-store/src/errors';
import { ReadStoreWriteFailed } from '../../../../libs/read-store/src/read-store.port';
import { errorForLog } from '../operations/logging';
import { annotateRequestLog, requestContext } from '../operations/logging-requests';

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  [extra: string]: unknown;
}

/**
 * Every error leaves as JSON with a stable `code`; no stack trace ever does. The log gets a
 * failure (5xx) with its error, and a refusal (4xx) at debug as its code and the fields at
 * fault: never a value of the request, nor the answer's messages.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /** `log`: the application's root logger, so error lines carry their request's ids; else Nest's Logger, plain lines. */
  constructor(private readonly log?: RootLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toBody(error, reply);
    this.logError(error, body, reply.request as FastifyRequest | undefined);
    void reply.status(body.statusCode).send(body);
  }

  private logError(error: unknown, body: ErrorBody, request: FastifyRequest | undefined): void {
    annotateRequestLog(request, { code: body.code });
    // A disk failure is the operator's to fix (a full or failing disk): the file and SQLite's code, no stack.
    const failure = body.statusCode >= 500 && body.statusCode !== 503 ? 'with stack' : isDiskFailure(error) ? 'without stack' : undefined;
    if (!this.log) {
      if (failure === 'with stack') this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      else if (failure) this.logger.error((error as Error).message);
      return;
    }
    const context = request ? requestContext(request) : {};
    if (failure) {
      const logged = errorForLog(error) as { stack?: string };
      if (failure === 'without stack' && logged && typeof logged === 'object') delete logged.stack;
      this.log.error({ context: 'Errors', ...context, statusCode: body.statusCode, code: body.code, err: logged }, 'request failed');
    } else if (body.statusCode < 500 && this.log.isLevelEnabled('debug')) {
      this.log.debug({ context: 'Errors', ...context, statusCode: body.statusCode, code: body.code, ...problemsOf(error) }, 'request refused');
    }
  }

  private toBody(error: unknown, reply: FastifyReply): ErrorBody {
    if (error instanceof Unauthenticated) {
      reply.header('WWW-Authenticate', `Bearer error="invalid_token"`);
      return { statusCode: 401, code: error.code, message: error.message };
    }
    if (error instanceof Forbidden) return { statusCode: 403, code: error.code, message: error.message };
    if (error instanceof UserRateLimited) {
      reply.header('Retry-After', String(error.retryAfterSeconds));
      return { statusCode: 429, code: error.code, message: error.message };
    }
    if (error instanceof AuthenticationUnavailable || error instanceof AccessAuditUnavailable) {
      reply.header('Retry-After', '1');
      return { statusCode: 503, code: error.code, message: error.message };
    }
    if (error instanceof DataKeyMissingError || error instanceof UnknownKeyEncryptionKeyError) {
      return { statusCode: 500, code: 'PERSONAL_DATA_KEY_UNAVAILABLE', message: 'The key to this person’s data is not available to this server; an operator must restore the key store or the key-encryption key.' };
    }
    if (error instanceof AuditConflict) return { statusCode: 409, code: error.code, message: error.message };
    if (error instanceof ValidationFailed) return { statusCode: 400, code: error.code, message: error.message, errors: error.problems };
    if (error instanceof JourneyNotFound || error instanceof UnknownProjection) return { statusCode: 404, code: error.code, message: error.message };
    if (error instanceof JourneyRuleBroken) {
      if (error.code === 'JOURNEY_NOT_IDENTIFIED') return { statusCode: 404, code: 'JOURNEY_NOT_FOUND', message: 'There is no such journey.' };
      return { statusCode: 422, code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) };
    }
    if (error instanceof ConcurrencyConflict) {
      if (error.currentRevision !== undefined) reply.header('ETag', etag(error.currentRevision));
      return {
        statusCode: 409, code: error.code, message: error.message,
        currentRevision: error.currentRevision === undefined ? null : Number(error.currentRevision),
      };
    }
    if (error instanceof IdempotencyKeyReused) return { statusCode: 422, code: error.code, message: error.message };
    if (error instanceof NotYetProjected) {
      reply.header('Retry-After', String(error.retryAfterSeconds));
      return { statusCode: 503, code: error.code, message: error.message };
    }
    if (isDiskFailure(error)) return this.fromDiskFailure(error, reply);
    if (isPluginErrorBody(error)) return error;
    if (isStoreUnavailable(error)) {
      reply.header('Retry-After', '1');
      return { statusCode: 503, code: 'EVENT_STORE_UNAVAILABLE', message: 'The event store cannot be reached; nothing was recorded. Retry shortly.' };
    }
    const parsing = this.fromBodyParsing(error);
    if (parsing) return parsing;
    if (error instanceof HttpException) return this.fromHttpException(error);
    return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Something went wrong; nothing was recorded unless a response said so.' };
  }

  /** The embedded stores' disk failures; the body names no file (the log line does). */
  private fromDiskFailure(error: DiskFailure, reply: FastifyReply): ErrorBody {
    if (error instanceof StoreDurabilityLost) {
      // Normally never sent: the process stops in the same turn (sqlite-failures.ts).
      return {
        statusCode: 503, code: 'STORE_DURABILITY_LOST',
        message: 'The server could not make this write durable and is stopping; whether it was recorded is unknown. Retry once the service is back, with the same Idempotency-Key.',
      };
    }
    reply.header('Retry-After', String(DISK_FAILURE_RETRY_AFTER_SECONDS));
    if (error instanceof EventStoreWriteFailed) {
      return { statusCode: 503, code: 'EVENT_STORE_WRITE_FAILED', message: 'The event store could not write (its disk is full or failing); nothing was recorded. Retry later.' };
    }
    if (error instanceof KeyStoreWriteFailed) {
      return { statusCode: 503, code: 'KEY_STORE_WRITE_FAILED', message: 'The key store could not write (its disk is full or failing); the request did not complete. Retry later, with the same Idempotency-Key.' };
    }
    return { statusCode: 503, code: 'READ_STORE_WRITE_FAILED', message: 'The read store could not write (its disk is full or failing); the request did not complete. Retry later.' };
  }

  /** Fastify's body parsing errors (Nest wraps them in an HttpException whose cause keeps the code). */
  private fromBodyParsing(error: unknown): ErrorBody | undefined {
    const source = error instanceof HttpException && error.cause ? error.cause : error;
    const code = (source as { code?: unknown })?.code;
    if (typeof code !== 'string' || !code.startsWith('FST_ERR_CTP_')) return undefined;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { statusCode: 413, code: 'BODY_TOO_LARGE', message: 'The request body is larger than allowed.' };
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the request body as application/json.' };
    return { statusCode: 400, code: 'MALFORMED_BODY', message: 'The request body is not valid JSON.' };
  }

  private fromHttpException(error: HttpException): ErrorBody {
    const status = error.getStatus();
    const codes: Record<number, string> = { 400: 'BAD_REQUEST', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 413: 'BODY_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };
    return { statusCode: status, code: codes[status] ?? `HTTP_${status}`, message: error.message };
  }
}

/**
 * Which fields a refused request got wrong, and by which rule: the field names are ours (a
 * field the request should not have sent is not named, the name being the client's), the
 * values are never in a problem.
 */
function problemsOf(error: unknown): { problems?: Array<{ field: string; rule: string }> } {
  if (!(error instanceof ValidationFailed)) return {};
  return { problems: error.problems.slice(0, 20).map(({ field, rule }) => ({ field: rule === 'unknownField' ? '(unknown field)' : field, rule })) };
}

/** A full disk rarely frees itself within a second. */
const DISK_FAILURE_RETRY_AFTER_SECONDS = 5;

type DiskFailure = EventStoreWriteFailed | KeyStoreWriteFailed | ReadStoreWriteFailed | StoreDurabilityLost;

function isDiskFailure(error: unknown): error is DiskFailure {
  return error instanceof EventStoreWriteFailed || error instanceof KeyStoreWriteFailed || error instanceof ReadStoreWriteFailed || error instanceof StoreDurabilityLost;
}

const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

/**
 * The event store could not be reached or did not answer in time: the EventStoreDB client's
 * error types, or the raw gRPC status it rejects an append with while the server is down.
 */
function isStoreUnavailable(error: unknown): boolean {
  const { type, code, metadata } = (error ?? {}) as { type?: unknown; code?: unknown; metadata?: unknown };
  if (type === 'unavailable' || type === 'deadline-exceeded') return true;
  return metadata !== undefined && (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED);
}

/** A 4xx body one of our HTTP plugins built and threw as it is (the rate limit's 429). */
function isPluginErrorBody(error: unknown): error is ErrorBody {
  if (!error || typeof error !== 'object' || error instanceof Error) return false;
  const { statusCode, code, message } = error as Record<string, unknown>;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 && typeof code === 'string' && typeof message === 'string';
}
