import { Command, CommandRunner, Option } from 'nest-commander';
import { StoredProjectionMonitor } from '../../../api/src/projections/projection-monitor';
import { withLag } from '../../../api/src/projections/projection-reports';
import { CliStores, report } from '../cli-stores';

/** `status`: the store's head and, per projection, the serving collection, position and lag. */
@Command({ name: 'status', description: 'Event store head position; per projection: serving collection, position, lag' })
export class StatusCommand extends CommandRunner {
  constructor(private readonly stores: CliStores) {
    super();
  }

  async run(_args: string[], options: { json?: boolean }): Promise<void> {
    await this.stores.use(async ({ events, readStore }) => {
      const head = await events.headPosition();
      const projections = await withLag(events, await new StoredProjectionMonitor(readStore).status());
      report(!!options.json, { headPosition: head?.toString() ?? null, projections }, () => [
        `Event store head position: ${head ?? 'empty'}`,
        ...projections.map((p) => `${p.name} v${p.version} (${p.serving}): position ${p.position ?? 'none'}, ` +
          `${p.behind ? `behind by ${p.lagEvents ?? '?'} events, oldest waiting ${p.lagSeconds ?? '?'} s` : 'up to date'}` +
          `${p.lastError ? `, FAILED at ${p.lastError.position}: ${p.lastError.message}` : ''}`),
      ]);
    });
  }

  @Option({ flags: '--json', description: 'Machine-readable output' })
  parseJson(): boolean {
    return true;
  }
}
