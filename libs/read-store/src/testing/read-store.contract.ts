/// <reference types="jest" />
/**
 * The behaviour every ReadStore adapter must share: MongoDB's semantics for the subset of the
 * collection API in the port. Each test names the MongoDB manual page (and section) whose rule
 * it checks, so a failure against MongoDB itself means the test is wrong, and a failure against
 * an adapter means the adapter is.
 *
 * Usage, in an adapter's spec:
 *   describeReadStoreContract('SqliteReadStore', async () => ({ store, cleanup }));
 * The factory runs before every test; collection names are unique per test either way.
 */
import { describeAggregationContract } from './aggregation.contract';
import { describeBulkWriteContract } from './bulk-write.contract';
import { useFreshStore, type ReadStoreFactory } from './contract-context';
import { describeFilterContract } from './filters.contract';
import { describeFindOptionsContract } from './find-options.contract';
import { describeTransactionContract } from './transactions.contract';
import { describeUpdateContract } from './updates.contract';
import { describeUpsertContract } from './upserts.contract';
import { describeValueContract } from './values.contract';

export type { ReadStoreFactory } from './contract-context';

export function describeReadStoreContract(adapterName: string, factory: ReadStoreFactory): void {
  describe(`ReadStore contract: ${adapterName}`, () => {
    const ctx = useFreshStore(factory);
    describeFilterContract(ctx);
    describeFindOptionsContract(ctx);
    describeUpdateContract(ctx);
    describeUpsertContract(ctx);
    describeAggregationContract(ctx);
    describeValueContract(ctx);
    describeTransactionContract(ctx);
    describeBulkWriteContract(ctx);
  });
}
