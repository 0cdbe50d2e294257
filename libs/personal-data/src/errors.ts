/**
 * The personal-data library's errors: one class per failure, each with a literal `type` to
 * switch on. No message ever holds personal data, key material or a ciphertext: they name the
 * journey, the field path or the key id, which are safe to log.
 */

/** A configured key-encryption key is not 32 bytes of base64 or hex. Never echoes the value. */
export class InvalidKeyEncryptionKeyError extends Error {
  readonly type = 'invalid_key_encryption_key' as const;
  constructor(
    /** The environment variable (or other source) the text came from. */
    readonly source: string,
    reason: string,
  ) {
    super(`${source} must be a 32-byte key written as 64 hex digits or as base64 (44 characters): ${reason}`);
    this.name = 'InvalidKeyEncryptionKeyError';
  }
}

/** A data key is wrapped under a key-encryption key this process was not given. */
export class UnknownKeyEncryptionKeyError extends Error {
  readonly type = 'unknown_key_encryption_key' as const;
  constructor(
    readonly kekId: string,
    readonly journeyId: string,
  ) {
    super(
      `The data key of journey ${journeyId} is wrapped under key-encryption key ${kekId}, which is not configured. ` +
        'Add that key to KEY_ENCRYPTION_KEYS_PREVIOUS (or make it KEY_ENCRYPTION_KEY) and restart.',
    );
    this.name = 'UnknownKeyEncryptionKeyError';
  }
}

/** A wrapped data key does not verify: it was altered, or it was wrapped for another journey. */
export class DataKeyIntegrityError extends Error {
  readonly type = 'data_key_integrity' as const;
  constructor(
    readonly journeyId: string,
    readonly kekId: string,
  ) {
    super(`The wrapped data key stored for journey ${journeyId} (key-encryption key ${kekId}) does not verify: it was altered or belongs to another journey`);
    this.name = 'DataKeyIntegrityError';
  }
}

/** Sealed fields exist but the key store has no key, nor a tombstone, for the journey. */
export class DataKeyMissingError extends Error {
  readonly type = 'data_key_missing' as const;
  constructor(readonly journeyId: string) {
    super(
      `No data key is stored for journey ${journeyId}, yet it has sealed personal data. ` +
        'The key store is not the one these events were sealed with, or it was restored from a backup older than the journey.',
    );
    this.name = 'DataKeyMissingError';
  }
}

/** The journey's personal data was erased: its data key is destroyed, nothing can be sealed or opened. */
export class PersonalDataErasedError extends Error {
  readonly type = 'personal_data_erased' as const;
  constructor(
    readonly journeyId: string,
    readonly erasedAt: string,
  ) {
    super(`The personal data of journey ${journeyId} was erased at ${erasedAt}; no new personal data can be recorded for it`);
    this.name = 'PersonalDataErasedError';
  }
}

/** A sealed field is malformed or does not verify (altered, or moved from another field or journey). */
export class PersonalDataIntegrityError extends Error {
  readonly type = 'personal_data_integrity' as const;
  constructor(
    readonly journeyId: string,
    readonly fieldPath: string,
    reason: string,
  ) {
    super(`The sealed field ${fieldPath} of journey ${journeyId} ${reason}`);
    this.name = 'PersonalDataIntegrityError';
  }
}

/** Personal details hold something other than strings and nested objects of strings. */
export class PersonalDataShapeError extends Error {
  readonly type = 'personal_data_shape' as const;
  constructor(
    readonly fieldPath: string,
    /** `typeof` the offending value: the value itself may be personal data. */
    readonly found: string,
  ) {
    super(`Personal details may hold only strings and objects of strings; ${fieldPath} is a ${found}`);
    this.name = 'PersonalDataShapeError';
  }
}

/** Rotation met the same keys twice without rewrapping them: another writer keeps changing them. */
export class KeyRotationStalledError extends Error {
  readonly type = 'key_rotation_stalled' as const;
  constructor(readonly journeyIds: readonly string[]) {
    super(`Key rotation could not rewrap the data keys of ${journeyIds.length} journey(s) (first: ${journeyIds[0]}): another process rewraps them under another key`);
    this.name = 'KeyRotationStalledError';
  }
}

/** The embedded key store's file is held by another process. */
export class KeyStoreLockedError extends Error {
  readonly type = 'key_store_locked' as const;
  constructor(readonly path: string) {
    super(`The key store at ${path} is in use by another process. Only one process may open a data folder: stop the other one or choose another DATA_DIR.`);
    this.name = 'KeyStoreLockedError';
  }
}

/**
 * The embedded key store could not write (disk full, I/O error). SQLite rolled the write back:
 * a key offered was not stored (the command that needed it appends nothing), a destroy did not
 * happen (the erasure enforcer destroys the key again from the recorded erasure).
 */
export class KeyStoreWriteFailed extends Error {
  readonly type = 'key_store_write_failed' as const;
  constructor(
    readonly path: string,
    /** SQLite's extended result code, e.g. SQLITE_FULL or SQLITE_IOERR_WRITE. */
    readonly sqliteCode: string,
    options?: { cause?: unknown },
  ) {
    super(`The key store at ${path} could not write (${sqliteCode})`, options);
    this.name = 'KeyStoreWriteFailed';
  }
}
