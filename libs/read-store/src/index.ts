export * from './read-store.port';
export { SqliteReadStore, type SqliteReadStoreOptions } from './embedded/sqlite-read-store';
export { ReadStoreLockedError } from './embedded/sqlite-file';
export { MongoReadStore, type MongoReadStoreOptions } from './mongodb/mongo-read-store';
