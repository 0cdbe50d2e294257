import { randomBytes } from 'node:crypto';
import { SqliteDataKeyStore } from '../libs/personal-data/src/embedded/sqlite-data-key-store';
import { KeyEncryptionKeys } from '../libs/personal-data/src/key-encryption-keys';
import { PersonalDataVault } from '../libs/personal-data/src/personal-data-vault';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore } from '../libs/event-store/src/embedded/sqlite-event-store';
import { generateJourneys, seedEventStore, type SeedOptions } from './index';

/**
 * Measures the seeder: generation alone, then generation + append to the embedded SQLite
 * store in a temporary folder (deleted afterwards). Run after `npm run build`:
 *   node dist/seeds/benchmark.js [journeys=10000] [seed=1]
 * Under Jest the same code runs several times slower (its VM sandbox), so measure here.
 */
export interface BenchmarkResult {
  journeys: number;
  events: number;
  generation: { seconds: number; eventsPerSecond: number; journeysPerSecond: number };
  seeding: { seconds: number; eventsPerSecond: number; journeysPerSecond: number; fileBytes: number };
}

export async function benchmark(options: SeedOptions): Promise<BenchmarkResult> {
  let started = process.hrtime.bigint();
  let events = 0;
  for (const journey of generateJourneys(options)) events += journey.events.length;
  const generationSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-benchmark-'));
  try {
    const store = SqliteEventStore.open({ directory });
    const keys = SqliteDataKeyStore.open({ dataDir: directory });
    const vault = new PersonalDataVault({ store: keys, keks: KeyEncryptionKeys.from({ current: randomBytes(32) }) });
    started = process.hrtime.bigint();
    const result = await seedEventStore(store, vault, options);
    const seedingSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    await store.close();
    await keys.close();
    const fileBytes = fs.readdirSync(directory).filter((f) => fs.statSync(path.join(directory, f)).isFile()).reduce((sum, f) => sum + fs.statSync(path.join(directory, f)).size, 0);
    return {
      journeys: options.journeys,
      events,
      generation: rates(generationSeconds, events, options.journeys),
      seeding: { ...rates(seedingSeconds, result.events, result.journeys), fileBytes },
    };
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

function rates(seconds: number, events: number, journeys: number) {
  return { seconds: Math.round(seconds * 1000) / 1000, eventsPerSecond: Math.round(events / seconds), journeysPerSecond: Math.round(journeys / seconds) };
}

if (require.main === module) {
  const journeys = Number(process.argv[2] ?? 10_000);
  const seed = Number(process.argv[3] ?? 1);
  benchmark({ journeys, seed }).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
