import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config';
import { AuthenticationUnavailable, Forbidden, Unauthenticated, UserRateLimited } from '../errors';
import { APP_CONFIG, TOKEN_VERIFIER } from '../infrastructure/tokens';
import { ACCESS_POLICY, AccessPolicy } from './access-policy';
import { AuthenticatedUser, InvalidToken, TokenVerificationUnavailable } from './tokens/claims';
import type { TokenVerifier } from './tokens/token-verifier';
import { UserRateLimiter } from './user-rate-limiter';
import { annotateRequestLog } from '../operations/logging-requests';

const USER = Symbol('authenticated user');
type RequestWithUser = FastifyRequest & { [USER]?: AuthenticatedUser };

/**
 * Every route passes here before anything else of ours runs: no policy, no entry (deny by
 * default); a public route passes; any other needs a valid bearer token, a role the policy
 * names, and the user's rate limit not spent. The user then travels with the request.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('Access');
  private readonly limiter: UserRateLimiter;

  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.limiter = new UserRateLimiter(config.userRateLimitPerWindow, config.rateLimitWindowMs);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [context.getHandler(), context.getClass()]);
    if (!policy) throw new Forbidden('This route has no access policy, so no one may call it.');
    if ('public' in policy) return true;
    const request = context.switchToHttp().getRequest<RequestWithUser>();
    const user = await this.authenticate(request);
    annotateRequestLog(request, { userId: user.userId, role: user.role, organisationId: user.organisationId });
    const spent = this.limiter.take(user.userId);
    if (!spent.allowed) throw new UserRateLimited(spent.retryAfterSeconds);
    if (!policy.roles.includes(user.role)) {
      throw new Forbidden(`The ${user.role} role may not do this; it is for ${policy.roles.join(', ')}.`);
    }
    request[USER] = user;
    return true;
  }

  private async authenticate(request: FastifyRequest): Promise<AuthenticatedUser> {
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer ([A-Za-z0-9_.~+/=-]+)$/.exec(header);
    if (!match) throw new Unauthenticated(header === undefined ? 'send an Authorization: Bearer token' : 'the Authorization header must be "Bearer <token>"');
    try {
      return await this.verifier.verify(match[1]);
    } catch (error) {
      if (error instanceof InvalidToken) throw new Unauthenticated(`the token is not valid (${error.reason})`);
      if (error instanceof TokenVerificationUnavailable) {
        this.logger.warn(error.detail);
        throw new AuthenticationUnavailable();
      }
      throw error;
    }
  }
}

/** The user the guard authenticated. Only routes with a role policy have one. */
export function userOf(request: FastifyRequest): AuthenticatedUser {
  const user = (request as RequestWithUser)[USER];
  if (!user) throw new Error('No authenticated user on this request: is the route public?');
  return user;
}

/** Who acts, as recorded on events and access records: the user's id, role and organisation, nothing more. */
export function actorOf(request: FastifyRequest): { userId: string; role: string; organisationId: string } {
  const { userId, role, organisationId } = userOf(request);
  return { userId, role, organisationId };
}
