import { Command, CommandRunner, Option } from 'nest-commander';
import { projectorOptions } from '../../../api/src/config';
import { ALL_PROJECTIONS } from '../../../../projections';
import { Projector } from '../../../projector/src/projector';
import { CliStores, report } from '../cli-stores';
import { interruptible } from '../interruption';
import { Progress } from '../progress';

/**
 * `rebuild [--projection NAME]`: rebuilds read models from the whole log into new collections
 * and switches to them; the old ones serve until then. Ctrl-C abandons the unfinished
 * rebuild (the serving collection is untouched).
 */
@Command({ name: 'rebuild', description: 'Rebuild projections from the start of the log, then switch to them' })
export class RebuildCommand extends CommandRunner {
  constructor(private readonly stores: CliStores) {
    super();
  }

  async run(_args: string[], options: { projection?: string; json?: boolean }): Promise<void> {
    const chosen = options.projection ? ALL_PROJECTIONS.filter((p) => p.name === options.projection) : ALL_PROJECTIONS;
    if (chosen.length === 0) throw new Error(`There is no projection ${options.projection}; there are: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}`);
    await this.stores.use(async ({ events, readStore }) => {
      const head = (await events.headPosition()) ?? -1n;
      const projector = new Projector(events, readStore, { ...projectorOptions(this.stores.config), heartbeatMs: 0, retireAfterMs: 0, projections: chosen });
      const { signal, dispose } = interruptible();
      const results: Array<{ name: string; serving: string; seconds: number }> = [];
      try {
        for (const projection of chosen) {
          const started = Date.now();
          const progress = new Progress(`rebuild ${projection.name}`, Number(head) + 1, 'events', { json: !!options.json });
          const done = projector.rebuild(projection.name);
          let finished = false;
          void done.finally(() => (finished = true)).catch(() => undefined);
          while (!finished && !signal.aborted) {
            await new Promise((r) => setTimeout(r, 200));
            const position = (await projector.status()).find((p) => p.name === projection.name)?.rebuilding?.position;
            // Embedded positions count events; on EventStoreDB this shows progress through the log less exactly.
            if (position && events.gapFreePositions) progress.update(Number(position) + 1);
          }
          if (signal.aborted) break;
          await done;
          progress.update(Number(head) + 1);
          const serving = (await projector.status()).find((p) => p.name === projection.name)!.serving;
          progress.finish();
          results.push({ name: projection.name, serving, seconds: (Date.now() - started) / 1000 });
        }
      } finally {
        await projector.stop();
        dispose();
      }
      report(!!options.json, { rebuilt: results, interrupted: signal.aborted }, () => [
        ...results.map((r) => `${r.name}: rebuilt into ${r.serving} in ${r.seconds.toFixed(1)} s`),
        ...(signal.aborted ? ['Interrupted: the unfinished rebuild was abandoned; the serving collection is unchanged.'] : []),
      ]);
    });
  }

  @Option({ flags: '-p, --projection <name>', description: 'Only this projection (default: all)' })
  parseProjection(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'Machine-readable output' })
  parseJson(): boolean {
    return true;
  }
}
