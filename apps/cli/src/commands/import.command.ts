import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Command, CommandRunner, Option } from 'nest-commander';
import type { EventStore, EventToAppend, EventMetadata } from '../../../../libs/event-store/src/event-store.port';
import { CliStores, report } from '../cli-stores';
import { interruptible } from '../interruption';
import { Progress } from '../progress';
import type { ExportedEvent } from './export.command';

/**
 * `import --in FILE`: appends exported events back, in file order, keeping their ids, stream
 * revisions and metadata. Idempotent: an event already stored at its revision (same id) is
 * skipped, so an interrupted import can simply be run again. Consecutive events of one
 * stream are appended together, atomically, with the expected revision they were stored at.
 */
@Command({ name: 'import', description: 'Append events from an NDJSON export, keeping ids; skips events already present' })
export class ImportCommand extends CommandRunner {
  constructor(private readonly stores: CliStores) {
    super();
  }

  async run(_args: string[], options: { in: string; json?: boolean }): Promise<void> {
    if (!options.in) throw new Error('Name the export to import with --in FILE');
    await this.stores.use(async ({ events }) => {
      const progress = new Progress('import', undefined, 'events', { json: !!options.json });
      const { signal, dispose } = interruptible();
      const totals = { appended: 0, skipped: 0 };
      let run: ExportedEvent[] = [];
      const flush = async () => {
        const outcome = await appendRun(events, run);
        totals.appended += outcome.appended;
        totals.skipped += outcome.skipped;
        run = [];
        progress.update(totals.appended + totals.skipped);
      };
      try {
        for await (const line of createInterface({ input: createReadStream(options.in), crlfDelay: Infinity })) {
          if (line.trim() === '') continue;
          const event = JSON.parse(line) as ExportedEvent;
          if (run.length > 0 && (run[0].streamId !== event.streamId || run.length >= 500)) {
            await flush();
            if (signal.aborted) break;
          }
          run.push(event);
        }
        if (!signal.aborted && run.length > 0) await flush();
      } finally {
        dispose();
      }
      progress.finish();
      report(!!options.json, { ...totals, interrupted: signal.aborted }, () => [
        `Imported ${totals.appended} events, skipped ${totals.skipped} already present${signal.aborted ? ' (interrupted between whole appends: run it again to finish)' : ''}`,
      ]);
    });
  }

  @Option({ flags: '-i, --in <file>', description: 'The NDJSON export to read', required: true })
  parseIn(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'Machine-readable summary' })
  parseJson(): boolean {
    return true;
  }
}

/** Appends consecutive events of one stream, skipping those already stored with the same id. */
async function appendRun(events: EventStore, run: ExportedEvent[]): Promise<{ appended: number; skipped: number }> {
  const stored = await events.readStream(run[0].streamId);
  const fresh = run.filter((e) => {
    const existing = stored[Number(e.revision)];
    if (!existing) return true;
    if (existing.id !== e.id) throw new Error(`Stream ${e.streamId} already holds another event (${existing.id}) at revision ${e.revision}; refusing to import ${e.id}`);
    return false;
  });
  if (fresh.length === 0) return { appended: 0, skipped: run.length };
  const first = BigInt(fresh[0].revision);
  if (first !== BigInt(stored.length)) throw new Error(`Stream ${run[0].streamId} is at revision ${stored.length - 1}; the export continues at ${first}: import earlier events first`);
  const toAppend: EventToAppend[] = fresh.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata as unknown as EventMetadata }));
  await events.append(run[0].streamId, toAppend, first === 0n ? 'no_stream' : first - 1n);
  return { appended: fresh.length, skipped: run.length - fresh.length };
}
