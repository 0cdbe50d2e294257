import type { AppendResult, ExpectedRevision } from './event-store.port';

/** The stream was not where the append expected it; nothing was appended. */
export class WrongExpectedRevisionError extends Error {
  readonly type = 'wrong_expected_revision' as const;
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, or 'no_stream'. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${streamId} is at ${String(actual)}, expected ${String(expected)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An Idempotency-Key was reused for a different request; nothing was appended. */
export class IdempotencyKeyReusedError extends Error {
  readonly type = 'idempotency_key_reused' as const;
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used for a different request`);
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** An Idempotency-Key was already used for this same request; the original result stands. */
export class IdempotencyKeyAlreadyUsedError extends Error {
  readonly type = 'idempotency_key_already_used' as const;
  constructor(
    readonly key: string,
    readonly original: AppendResult,
  ) {
    super(`Idempotency-Key ${key} was already used for this request`);
    this.name = 'IdempotencyKeyAlreadyUsedError';
  }
}

/** The data folder is held by another process: only one writer may open it. */
export class StoreLockedError extends Error {
  readonly type = 'store_locked' as const;
  constructor(readonly path: string) {
    super(
      `The event store at ${path} is in use by another process. ` +
        'Only one process may write to a data folder: stop the other one or choose another DATA_DIR.',
    );
    this.name = 'StoreLockedError';
  }
}
