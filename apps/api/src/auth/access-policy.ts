import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../http/error-response.dto';
import type { Role } from './tokens/claims';

export const ACCESS_POLICY = 'vjt:access-policy';

/**
 * Who may call a route. Deny by default: the guard refuses a route that declares no policy,
 * and the access matrix test fails on it, so a new route cannot ship open by accident.
 * Caseload scoping (a support worker sees only their organisation's journeys) is applied by
 * the handlers, which know the journey; the policy says which roles may ask at all.
 */
export type AccessPolicy = { public: true } | { roles: readonly Role[] };

/** Only these roles may call the route (with a valid bearer token). */
export const Allow = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ACCESS_POLICY, { roles } satisfies AccessPolicy),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No valid bearer token (code UNAUTHENTICATED)', type: ErrorResponseDto }),
    ApiForbiddenResponse({ description: `Only ${roles.join(', ')} may call this (code FORBIDDEN)`, type: ErrorResponseDto }),
    ApiTooManyRequestsResponse({ description: 'Too many requests from this client or user (code RATE_LIMITED, with Retry-After)', type: ErrorResponseDto }),
  );

/** Anyone may call the route, without a token (health checks only). */
export const Public = () => SetMetadata(ACCESS_POLICY, { public: true } satisfies AccessPolicy);
