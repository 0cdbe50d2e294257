/** Public surface of the personal-data library. The contract suite and emulations in ./testing are test-only and not exported. */
export * from './data-key-store.port';
export * from './errors';
export { ErasureEnforcer, erasedJourneyOf, PERSONAL_DATA_ERASED, type ErasureEnforcerOptions, type ErasureFollower } from './erasure-enforcer';
export { KEK_ENV, KeyEncryptionKeys, keyEncryptionKeyId, loadOrCreateEmbeddedKek, parseKeyEncryptionKey, type KeyEncryptionKeysConfig } from './key-encryption-keys';
export { PersonalDataVault, type OpenedPersonalDetails, type PersonalDataVaultOptions } from './personal-data-vault';
export type { Sealed, SealedPersonalDetails } from './personal-details-shape';
export { loadOrCreateEmbeddedPseudonymKey, Pseudonymiser } from './pseudonyms';
export { isSealedField, type SealedField } from './sealed-fields';
export { keysDirectory, SqliteDataKeyStore, type SqliteDataKeyStoreOptions, type SqliteDataKeyStoreSettings } from './embedded/sqlite-data-key-store';
export { DEFAULT_KEYS_DATABASE_NAME, MongoDataKeyStore, type MongoDataKeyStoreOptions } from './mongodb/mongo-data-key-store';
