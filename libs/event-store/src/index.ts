/** Public surface of the event-store library. The contract suite in ./testing is test-only and not exported. */
export * from './event-store.port';
export * from './errors';
export {
  DuplicateEventIdError,
  SqliteEventStore,
  type SqliteEventStoreOptions,
  type SqliteEventStoreSettings,
} from './embedded/sqlite-event-store';
