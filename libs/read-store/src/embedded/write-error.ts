/**
 * A write MongoDB would reject, with the server's error code so callers can treat both stores
 * alike (e.g. 28 PathNotViable, 14 TypeMismatch, 66 ImmutableField, 40 ConflictingUpdateOperators).
 */
export class ReadStoreWriteError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ReadStoreWriteError';
  }
}

export const ErrorCode = {
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  ImmutableField: 66,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
} as const;
