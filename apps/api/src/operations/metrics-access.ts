import { AuthenticationUnavailable, Forbidden, Unauthenticated } from '../errors';
import { InvalidToken, TokenVerificationUnavailable } from '../auth/tokens/claims';
import type { TokenVerifier } from '../auth/tokens/token-verifier';

/** Why a request for /metrics on the API's port is refused, as the API's error filter would answer it. */
export interface MetricsRefusal {
  statusCode: 401 | 403 | 503;
  headers: Record<string, string>;
  body: { statusCode: number; code: string; message: string };
}

/**
 * /metrics on the API's port is for admins, as `@Allow('admin')` routes are: a valid bearer
 * token with the admin role. It is a plain Fastify route (like the web pages), outside Nest's
 * guard and OpenAPI document, so the check is made here with the same token verifier and the
 * same error codes. Returns undefined when the caller may read the metrics.
 */
export async function metricsAccessRefusal(verifier: TokenVerifier, authorization: string | undefined): Promise<MetricsRefusal | undefined> {
  const match = authorization === undefined ? null : /^Bearer ([A-Za-z0-9_.~+/=-]+)$/.exec(authorization);
  if (!match) return unauthenticated(new Unauthenticated(authorization === undefined ? 'send an Authorization: Bearer token' : 'the Authorization header must be "Bearer <token>"'));
  try {
    const user = await verifier.verify(match[1]);
    if (user.role === 'admin') return undefined;
    const refusal = new Forbidden(`The ${user.role} role may not do this; it is for admin.`);
    return { statusCode: 403, headers: {}, body: { statusCode: 403, code: refusal.code, message: refusal.message } };
  } catch (error) {
    if (error instanceof InvalidToken) return unauthenticated(new Unauthenticated(`the token is not valid (${error.reason})`));
    if (error instanceof TokenVerificationUnavailable) {
      const unavailable = new AuthenticationUnavailable();
      return { statusCode: 503, headers: { 'Retry-After': '1' }, body: { statusCode: 503, code: unavailable.code, message: unavailable.message } };
    }
    throw error;
  }
}

function unauthenticated(error: Unauthenticated): MetricsRefusal {
  return { statusCode: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' }, body: { statusCode: 401, code: error.code, message: error.message } };
}
