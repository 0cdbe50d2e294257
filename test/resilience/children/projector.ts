/**
 * Crash-test child: runs the Projector (every projection, optionally the audit ledger keeper)
 * over the embedded stores in a data folder until every projection, and the ledger, has applied
 * the whole log; then stops cleanly and says so (`D`). Meanwhile it reports how far the slowest
 * of them has got (`P`), so a test can kill it part way. Optionally it then inspects what it
 * built (the read models' digest, the ledger verified) before closing the stores.
 *
 *   node -r test/support/swc-register.js projector.ts '<json ProjectorArgs>'
 */
import { Logger } from '@nestjs/common';
import { readLedgerState } from '../../../libs/audit/src/ledger';
import { SqliteEventStore } from '../../../libs/event-store/src/embedded/sqlite-event-store';
import { SqliteReadStore } from '../../../libs/read-store/src/embedded/sqlite-read-store';
import { Projector } from '../../../apps/projector/src/projector';
import { LINE, writeLine } from './crash-events';
import { inspectStores } from './read-model-digest';

export interface ProjectorArgs {
  dir: string;
  /** Events per read-store transaction while catching up. */
  catchUpBatchSize: number;
  /** Keep the audit ledger too (the projector's `audit` option, without a signing key). */
  ledger?: boolean;
  ledgerBatchSize?: number;
  /** Once caught up, report the read models' digest and verify the ledger (read-model-digest.ts) in the `D` line. */
  inspect?: boolean;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]) as ProjectorArgs;
  Logger.overrideLogger(['error']);
  const events = SqliteEventStore.open({ directory: args.dir });
  const readStore = SqliteReadStore.open({ directory: args.dir });
  const head = await events.headPosition();
  const projector = new Projector(events, readStore, {
    batchSize: args.catchUpBatchSize, catchUpBatchSize: args.catchUpBatchSize, retryMinMs: 10, retryMaxMs: 100,
    ...(args.ledger ? { audit: { batchSize: args.ledgerBatchSize ?? args.catchUpBatchSize, headIntervalMs: 0 } } : {}),
  });
  await projector.start();
  writeLine(LINE.ready, { head });

  let reported: bigint | undefined;
  for (;;) {
    const statuses = await projector.status();
    const failed = statuses.find((s) => s.lastError);
    if (failed) throw new Error(`Projection ${failed.name} failed at ${failed.lastError!.position}: ${failed.lastError!.message}`);
    const positions = statuses.map((s) => (s.position === null ? -1n : BigInt(s.position)));
    if (args.ledger) {
      const ledger = await readLedgerState(readStore);
      positions.push(ledger ? BigInt(ledger.position) : -1n);
    }
    const slowest = positions.reduce((a, b) => (a < b ? a : b));
    if (slowest !== reported) writeLine(LINE.progress, { at: (reported = slowest) });
    if (slowest >= (head ?? -1n)) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  await projector.stop();
  const inspection = args.inspect ? await inspectStores(events, readStore) : undefined;
  await readStore.close();
  await events.close();
  writeLine(LINE.done, { head, inspection });
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
