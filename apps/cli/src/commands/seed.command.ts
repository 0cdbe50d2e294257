import { Command, CommandRunner, Option } from 'nest-commander';
import { cliProjectorOptions, type AppConfig } from '../../../api/src/config';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import type { ReadStore } from '../../../../libs/read-store/src/read-store.port';
import { DEMO_SEED, generateJourneys, seedEventStore, SeedOptions } from '../../../../seeds';
import { projectToHead } from '../catch-up';
import { CliStores, report } from '../cli-stores';
import { interruptible } from '../interruption';
import { Progress } from '../progress';

/**
 * `seed [--journeys N] [--seed N] [--demo]`: appends synthetic journeys (seeds/) through the
 * event-store port, one atomic append per journey, then brings the read models up to date.
 * Re-running with the same seed skips journeys already there. Ctrl-C stops between journeys.
 */
@Command({ name: 'seed', description: 'Append synthetic journeys with realistic NRM distributions, then project them' })
export class SeedCommand extends CommandRunner {
  constructor(private readonly stores: CliStores) {
    super();
  }

  async run(_args: string[], options: { journeys?: number; seed?: number; today?: string; demo?: boolean; project?: boolean; json?: boolean }): Promise<void> {
    const seed: SeedOptions = options.demo ? DEMO_SEED : { journeys: options.journeys ?? 1000, seed: options.seed ?? 1, ...(options.today ? { today: options.today } : {}) };
    await this.stores.use(async ({ events, readStore, vault }) => {
      const { signal, dispose } = interruptible();
      const progress = new Progress('seed', seed.journeys, 'journeys', { json: !!options.json });
      const started = Date.now();
      let result;
      try {
        result = await seedEventStore(events, vault, seed, (done, total) => progress.update(done, total), signal);
      } finally {
        dispose();
      }
      const seconds = (Date.now() - started) / 1000;
      progress.finish(options.json ? undefined : `Seeded ${result.journeys} journeys (${result.events} events, ${result.skipped} already there) in ${seconds.toFixed(1)} s: ${Math.round(result.events / Math.max(seconds, 0.001))} events/s`);
      const projected = options.project === false || signal.aborted ? null : await this.project(events, readStore, !!options.json);
      report(!!options.json, { ...result, seconds, eventsPerSecond: Math.round(result.events / Math.max(seconds, 0.001)), projected, interrupted: signal.aborted }, () =>
        projected ? [`Read models up to date at position ${projected.position} in ${projected.seconds.toFixed(1)} s`] : []);
      if (options.demo && !options.json) process.stdout.write(demoNextSteps(this.stores.config));
    });
  }

  /** Brings every projection up to the head, with a progress bar where positions are gap-free. */
  private async project(events: EventStore, readStore: ReadStore, json: boolean): Promise<{ position: string; seconds: number; startSeconds: number } | null> {
    const head = await events.headPosition();
    if (head === undefined) return null;
    const progress = new Progress('project', events.gapFreePositions ? Number(head) + 1 : undefined, 'events', { json });
    const caughtUp = await projectToHead(events, readStore, cliProjectorOptions(this.stores.config), events.gapFreePositions ? (done) => progress.update(done) : undefined);
    progress.finish();
    return { position: head.toString(), seconds: caughtUp.seconds, startSeconds: caughtUp.startSeconds };
  }

  @Option({ flags: '-j, --journeys <n>', description: 'How many journeys (default 1000)' })
  parseJourneys(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 10_000_000) throw new Error('--journeys must be a whole number from 1 to 10,000,000');
    return n;
  }

  @Option({ flags: '-s, --seed <n>', description: 'Random seed: the same seed gives the same journeys (default 1)' })
  parseSeed(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n)) throw new Error('--seed must be a whole number');
    return n;
  }

  @Option({ flags: '--today <date>', description: 'The simulation’s today, YYYY-MM-DD: nothing is dated after it' })
  parseToday(value: string): string {
    return value;
  }

  @Option({ flags: '--demo', description: 'The fixed demo set (2,000 journeys, seed 2024)' })
  parseDemo(): boolean {
    return true;
  }

  @Option({ flags: '--no-project', description: 'Do not bring the read models up to date afterwards' })
  parseProject(value: boolean): boolean {
    return value;
  }

  @Option({ flags: '--json', description: 'Machine-readable output' })
  parseJson(): boolean {
    return true;
  }
}

/**
 * What to open once the demo's API is up: the dashboard, and the timeline of a demo journey
 * with decisions, each with the command that mints a token for its role.
 */
function demoNextSteps(config: AppConfig): string {
  const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  let journey: { journeyId: string; organisationId: string } | undefined;
  for (const generated of generateJourneys(DEMO_SEED)) {
    if (generated.events.filter((e) => e.type === 'DecisionMade').length >= 2) {
      journey = { journeyId: generated.journeyId, organisationId: String(generated.events[0].data.caseloadOrganisationId) };
      break;
    }
  }
  const mint = (role: string, user: string, organisation: string) => `DATA_DIR=${process.env.DATA_DIR ?? './data'} npm run -s cli -- token --role ${role} --user ${user} --organisation ${organisation}`;
  return [
    '',
    'Once the API is listening, open in a browser and sign in with a token:',
    `  Analyst dashboard:  ${base}/dashboard`,
    `    token:            ${mint('analyst', 'analyst-1', 'home-office-analysis')}`,
    ...(journey ? [
      `  Journey timeline:   ${base}/journeys/${journey.journeyId}/timeline`,
      `    token:            ${mint('auditor', 'auditor-1', 'audit-office')}`,
      `  Support workers:    ${base}/app (the caseload of ${journey.organisationId}, one of the demo set's organisations)`,
      `    token:            ${mint('support_worker', 'worker-1', journey.organisationId)}`,
    ] : []),
    '',
  ].join('\n');
}
