/// <reference types="jest" />
/**
 * The contract every EventStore adapter must pass, written only against the port.
 *
 * Use it from an adapter's spec file:
 *
 *     describeEventStoreContract('SqliteEventStore', async () => { ... return { store, cleanup }; });
 *
 * What it assumes of the store, so that a shared server (EventStoreDB) can run it too:
 * - it may already hold events from earlier runs: every test uses fresh stream ids and keys and
 *   looks at the global log only after the head position it saw when it started;
 * - nothing else writes to it while a test runs (the `limit` and head checks rely on that);
 * - positions strictly increase, but need not start at 0 nor be gap-free.
 * Adapter-specific promises (gap-free positions, locking, durability) belong in the adapter's spec.
 *
 * Test-only: not exported from the library's index.
 */
import type { EventStore } from '../event-store.port';
import { describeAppendContract } from './contract-appends';
import { describeIdempotencyContract } from './contract-idempotency';
import { describeReadContract } from './contract-reads';
import { describeSubscriptionContract } from './contract-subscriptions';

/** Makes a store for one test, and a way to close it and drop whatever it left behind. */
export type EventStoreFactory = () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>;

/**
 * Defines the contract's jest blocks for one adapter. `factory` runs before every test and its
 * `cleanup` after it, so each test gets its own store (or its own connection to a shared one).
 */
export function describeEventStoreContract(adapterName: string, factory: EventStoreFactory): void {
  describe(`${adapterName} honours the EventStore contract`, () => {
    let current: { store: EventStore; cleanup: () => Promise<void> } | undefined;

    beforeEach(async () => {
      current = await factory();
    });

    afterEach(async () => {
      const finished = current;
      current = undefined;
      await finished?.cleanup();
    });

    const store = (): EventStore => {
      if (!current) throw new Error('The contract store is only available inside a test');
      return current.store;
    };

    describeAppendContract(store);
    describeIdempotencyContract(store);
    describeReadContract(store);
    describeSubscriptionContract(store);
  });
}
