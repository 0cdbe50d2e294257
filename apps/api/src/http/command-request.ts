import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { IdempotencyClaim } from '../../../../libs/event-store/src/event-store.port';
import { ValidationFailed } from '../errors';
import type { RequestHasher } from './request-hasher';
import type { Actor } from '../journeys/recording/record-journey-step.command';

const CORRELATION_ID = Symbol('correlation id');

/**
 * The request's correlation id: its X-Correlation-Id when well formed, else one made up for
 * it, the same however often asked (so the request's log line and its command's events agree).
 */
export function correlationIdOf(request: FastifyRequest): string {
  const held = request as FastifyRequest & { [CORRELATION_ID]?: string };
  if (held[CORRELATION_ID] === undefined) {
    const given = header(request, 'x-correlation-id');
    held[CORRELATION_ID] = given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
  }
  return held[CORRELATION_ID];
}

/**
 * The Idempotency-Key claim: the key, scoped to the user who sent it (one user's key can
 * never replay another user's result, which would disclose it), and a hash of what it is
 * used for (the command, the journey named in the path, the canonical body), so that the
 * same key with another request is told apart from a retry.
 */
export function idempotencyClaimOf(request: FastifyRequest, hasher: RequestHasher, actor: Actor, commandType: string, pathJourneyId: string | null): IdempotencyClaim | undefined {
  const key = header(request, 'idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ValidationFailed([{ field: 'Idempotency-Key', rule: 'format', message: 'Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is best)' }]);
  }
  const requestHash = hasher.hash({ commandType, journeyId: pathJourneyId, body: request.body });
  return { key: `${actor.organisationId}/${actor.userId}/${key}`, requestHash };
}

/** JSON with object keys sorted, so equal bodies hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
