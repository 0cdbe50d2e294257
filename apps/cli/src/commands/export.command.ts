import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Command, CommandRunner, Option } from 'nest-commander';
import { CliStores, report } from '../cli-stores';
import { interruptible } from '../interruption';
import { Progress } from '../progress';
import { toStoredEventJson, type StoredEventJson } from '../../../../libs/event-store/src/stored-event-json';

/** One line of an export: an event exactly as stored. */
export type ExportedEvent = StoredEventJson;

/** `export [--after P] [--to P] [--out FILE]`: events as NDJSON, in log order. */
@Command({ name: 'export', description: 'Write events as NDJSON (one event a line, in log order), optionally a range' })
export class ExportCommand extends CommandRunner {
  constructor(private readonly stores: CliStores) {
    super();
  }

  async run(_args: string[], options: { after?: bigint; to?: bigint; out?: string; json?: boolean }): Promise<void> {
    await this.stores.use(async ({ events }) => {
      const out = options.out ? createWriteStream(options.out) : process.stdout;
      const head = await events.headPosition();
      const progress = new Progress('export', events.gapFreePositions && head !== undefined ? Number(head) + 1 : undefined, 'events', { json: !!options.json || !options.out });
      const { signal, dispose } = interruptible();
      let count = 0;
      let last: string | null = null;
      try {
        for await (const e of events.readAll({ after: options.after })) {
          if (signal.aborted || (options.to !== undefined && e.position > options.to)) break;
          const line: ExportedEvent = toStoredEventJson(e);
          if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
          last = line.position;
          progress.update(++count);
        }
      } finally {
        dispose();
        if (out !== process.stdout) await new Promise<void>((resolve) => (out as NodeJS.WritableStream).end(resolve));
      }
      progress.finish();
      if (options.out) {
        report(!!options.json, { events: count, lastPosition: last, out: options.out, interrupted: signal.aborted }, () => [
          `Exported ${count} events${last ? ` (to position ${last})` : ''} to ${options.out}${signal.aborted ? ' (interrupted: the file ends at a whole event)' : ''}`,
        ]);
      }
    });
  }

  @Option({ flags: '--after <position>', description: 'Only events after this position' })
  parseAfter(value: string): bigint {
    return BigInt(value);
  }

  @Option({ flags: '--to <position>', description: 'Only events up to and including this position' })
  parseTo(value: string): bigint {
    return BigInt(value);
  }

  @Option({ flags: '-o, --out <file>', description: 'Write to this file (default: standard output)' })
  parseOut(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'Machine-readable summary' })
  parseJson(): boolean {
    return true;
  }
}
