/**
 * The application's error kinds, each with a stable `code`. The domain's JourneyRuleBroken
 * and the stores' errors are the others; http/error.filter.ts maps all of them to HTTP.
 */
export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

export class ValidationFailed extends Error {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly problems: FieldProblem[]) {
    super(`The request is not valid: ${problems.map((p) => p.message).join('; ')}`);
    this.name = 'ValidationFailed';
  }
}

export class JourneyNotFound extends Error {
  readonly code = 'JOURNEY_NOT_FOUND';
  constructor(readonly journeyId: string) {
    super(`There is no journey ${journeyId}.`);
    this.name = 'JourneyNotFound';
  }
}

/** The journey changed since the client read it (If-Match), or kept changing under retries. */
export class ConcurrencyConflict extends Error {
  readonly code = 'CONCURRENCY_CONFLICT';
  constructor(
    readonly journeyId: string,
    readonly expectedRevision: bigint | undefined,
    readonly currentRevision: bigint | undefined,
  ) {
    super(
      expectedRevision === undefined
        ? `Journey ${journeyId} kept changing while this was recorded; nothing was recorded. Try again.`
        : `Journey ${journeyId} has changed since revision ${expectedRevision} (it is now at ${currentRevision ?? 'nothing'}); ` +
            'nothing was recorded. Read it again and resubmit if still right.',
    );
    this.name = 'ConcurrencyConflict';
  }
}

export class IdempotencyKeyReused extends Error {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor(readonly key: string) {
    super('This Idempotency-Key was already used for a different request; nothing was recorded. Use a new key for a new request.');
    this.name = 'IdempotencyKeyReused';
  }
}

/** A read asked for a position the read model has not reached within the wait allowed. */
export class NotYetProjected extends Error {
  readonly code = 'NOT_YET_PROJECTED';
  constructor(
    readonly minPosition: bigint,
    readonly retryAfterSeconds: number,
  ) {
    super(`The read model has not yet reached position ${minPosition}; retry shortly.`);
    this.name = 'NotYetProjected';
  }
}

/** No bearer token, or one that does not verify: 401. The reason never repeats the token. */
export class Unauthenticated extends Error {
  readonly code = 'UNAUTHENTICATED';
  constructor(readonly reason: string) {
    super(`Sign in first: ${reason}.`);
    this.name = 'Unauthenticated';
  }
}

/** The caller's role may not do this: 403. (Another organisation's journey is a 404 instead.) */
export class Forbidden extends Error {
  readonly code = 'FORBIDDEN';
  constructor(message: string) {
    super(message);
    this.name = 'Forbidden';
  }
}

/** Tokens cannot be checked now (the identity provider is unreachable): 503, retry. */
export class AuthenticationUnavailable extends Error {
  readonly code = 'AUTHENTICATION_UNAVAILABLE';
  constructor() {
    super('Sign-in cannot be checked right now; retry shortly.');
    this.name = 'AuthenticationUnavailable';
  }
}

/** One user sent more requests than their window allows: 429. */
export class UserRateLimited extends Error {
  readonly code = 'RATE_LIMITED';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests from this user; retry in ${retryAfterSeconds} s.`);
    this.name = 'UserRateLimited';
  }
}

/** Personal data is shown only once its access is on record; the record could not be written: 503. */
export class AccessAuditUnavailable extends Error {
  readonly code = 'ACCESS_AUDIT_UNAVAILABLE';
  constructor() {
    super('The access to this personal data could not be recorded, so it is not shown; retry shortly.');
    this.name = 'AccessAuditUnavailable';
  }
}
