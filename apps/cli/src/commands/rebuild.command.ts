import { Command, CommandRunner, Option } from 'nest-commander';
import { cliProjectorOptions } from '../../../api/src/config';
import { ALL_PROJECTIONS } from '../../../../projections';
import { Projector } from '../../../projector/src/projector';
import { rebuildAndCompare } from '../../../projector/src/shadow-rebuild';
import { CliStores, report } from '../cli-stores';
import { interruptible } from '../interruption';
import { Progress } from '../progress';

/**
 * `rebuild [--projection NAME]`: rebuilds read models from the whole log into new collections
 * and switches to them; the old ones serve until then. Ctrl-C abandons the unfinished
 * rebuild (the serving collection is untouched).
 *
 * `--compare` is a verified rebuild: it replays into a shadow collection up to where the live
 * one stands and reports every document that differs (none are expected), leaving the live
 * one serving; with `--swap` it then switches reads to the shadow. Exits 1 on a difference.
 */
@Command({ name: 'rebuild', description: 'Rebuild projections from the start of the log, then switch to them' })
export class RebuildCommand extends CommandRunner {
  constructor(private readonly stores: CliStores) {
    super();
  }

  async run(_args: string[], options: { projection?: string; json?: boolean; compare?: boolean; swap?: boolean }): Promise<void> {
    const chosen = options.projection ? ALL_PROJECTIONS.filter((p) => p.name === options.projection) : ALL_PROJECTIONS;
    if (chosen.length === 0) throw new Error(`There is no projection ${options.projection}; there are: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}`);
    if (options.compare || options.swap) return this.compare(chosen, !!options.swap, !!options.json);
    await this.stores.use(async ({ events, readStore }) => {
      const head = (await events.headPosition()) ?? -1n;
      const projector = new Projector(events, readStore, { ...cliProjectorOptions(this.stores.config), retireAfterMs: 0, projections: chosen });
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

  private async compare(chosen: typeof ALL_PROJECTIONS, swap: boolean, json: boolean): Promise<void> {
    await this.stores.use(async ({ events, readStore }) => {
      const { batchSize, catchUpBatchSize, retryMinMs, retryMaxMs } = cliProjectorOptions(this.stores.config);
      const results: Array<Awaited<ReturnType<typeof rebuildAndCompare>>> = [];
      for (const projection of chosen) results.push(await rebuildAndCompare(projection, events, readStore, { batchSize, catchUpBatchSize, retryMinMs, retryMaxMs, swap }));
      if (results.some((r) => !r.identical)) process.exitCode = 1;
      report(json, { compared: results }, () => results.map((r) =>
        `${r.projection}: ${r.identical ? 'identical' : 'DIFFERENT'}: live ${r.live.collection} (${r.live.documents} documents at ${r.live.position}) ` +
        `vs shadow (${r.shadow.documents} at ${r.shadow.position}); ${r.onlyInLive.length} only live, ${r.onlyInShadow.length} only shadow, ${r.differing.length} differ` +
        `${r.differing.length ? ` (${r.differing.slice(0, 5).map((d) => `${d._id}: ${d.fields.join(',')}`).join('; ')})` : ''}` +
        (r.swapped ? `; now served by ${r.shadow.collection}` : '; shadow dropped, live unchanged')));
    });
  }

  @Option({ flags: '--compare', description: 'Verified rebuild: replay into a shadow copy and report differences from the live read model' })
  parseCompare(): boolean {
    return true;
  }

  @Option({ flags: '--swap', description: 'With --compare: switch reads to the shadow copy afterwards' })
  parseSwap(): boolean {
    return true;
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
