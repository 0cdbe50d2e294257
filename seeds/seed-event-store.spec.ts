import { randomBytes } from 'node:crypto';
import { SqliteDataKeyStore } from '../libs/personal-data/src/embedded/sqlite-data-key-store';
import { KeyEncryptionKeys } from '../libs/personal-data/src/key-encryption-keys';
import { PersonalDataVault } from '../libs/personal-data/src/personal-data-vault';
import type { SealedPersonalDetails } from '../libs/personal-data/src/personal-details-shape';
import { CURRENT_SCHEMA_VERSION } from '../libs/domain/src/upcasting';
import type { JourneyEventType } from '../libs/domain/src/events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { journeyStreamId } from '../libs/domain/src/events';
import { SqliteEventStore } from '../libs/event-store/src/embedded/sqlite-event-store';
import type { EventStore, StoredEvent } from '../libs/event-store/src/event-store.port';
import { generateJourneys, seedCorrelationId, seedEventId, seedEventStore, type SeedOptions } from './index';

const OPTIONS: SeedOptions = { journeys: 60, seed: 11 };
const generated = [...generateJourneys(OPTIONS)];
const totalEvents = generated.reduce((sum, j) => sum + j.events.length, 0);

const dirs: string[] = [];
const stores: Array<{ close(): Promise<void> }> = [];
let vault: PersonalDataVault;
function openStore(): SqliteEventStore {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-event-store-'));
  dirs.push(directory);
  const store = SqliteEventStore.open({ directory });
  const keys = SqliteDataKeyStore.open({ dataDir: directory });
  vault = new PersonalDataVault({ store: keys, keks: KeyEncryptionKeys.from({ current: randomBytes(32) }) });
  stores.push(store, keys);
  return store;
}
afterAll(async () => {
  for (const store of stores) await store.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function readAll(store: EventStore): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

describe('seedEventStore on the embedded SQLite store', () => {
  it('appends every journey as one stream, with the metadata the API writes and deterministic ids', async () => {
    const store = openStore();
    const calls: Array<[number, number, number]> = [];
    const result = await seedEventStore(store, vault, OPTIONS, (done, total, events) => calls.push([done, total, events]));
    expect(result).toEqual({ journeys: 60, events: totalEvents, skipped: 0 });
    expect(await store.headPosition()).toBe(BigInt(totalEvents - 1));
    expect(calls).toHaveLength(60);
    expect(calls[59]).toEqual([60, 60, totalEvents]);
    // Appended in generation order, all in one durable commit (their window).
    expect([...new Set((await readAll(store)).map((e) => e.streamId))]).toEqual(generated.map((j) => journeyStreamId(j.journeyId)));
    expect(store.stats().commits).toBe(1);

    const journey = generated.slice(17).find((j) => j.events[0].data.personalDetails)!; // one with personal details
    const stored = await store.readStream(journeyStreamId(journey.journeyId));
    expect(stored.map((e) => e.id)).toEqual(journey.events.map((_, i) => seedEventId(OPTIONS.seed, journey.journeyId, i)));
    // Personal details are stored sealed, field by field, and open to what was generated.
    const unsealed = await Promise.all(stored.map(async (e) => {
      const sealed = e.data.personalDetails as SealedPersonalDetails | undefined;
      if (!sealed) return e.data;
      expect(JSON.stringify(sealed).match(/"[^"]*"(?=[,}])/g)?.every((value) => value.startsWith('"pd1:'))).toBe(true);
      const opened = await vault.open(journey.journeyId, sealed);
      return { ...e.data, personalDetails: opened.status === 'available' ? opened.details : 'erased' };
    }));
    expect(unsealed).toEqual(journey.events.map((e) => e.data));
    stored.forEach((event, i) => {
      expect(event.revision).toBe(BigInt(i));
      expect(event.type).toBe(journey.events[i].type);
      expect(event.metadata).toEqual({
        recordedAt: journey.events[i].recordedAt,
        recordedBy: journey.events[i].recordedBy,
        commandId: journey.events[i].commandId,
        correlationId: seedCorrelationId(OPTIONS.seed, journey.journeyId),
        schemaVersion: CURRENT_SCHEMA_VERSION[event.type as JourneyEventType],
      });
    });
  });

  it('is idempotent: a re-run with the same seed skips every journey and appends nothing', async () => {
    const store = openStore();
    await seedEventStore(store, vault, OPTIONS);
    const head = await store.headPosition();
    expect(await seedEventStore(store, vault, OPTIONS)).toEqual({ journeys: 0, events: 0, skipped: 60 });
    expect(await store.headPosition()).toBe(head);
  });

  it('stops between windows of journeys when aborted, leaving only whole journeys; a re-run completes the rest', async () => {
    const options: SeedOptions = { journeys: 150, seed: 12 };
    const all = [...generateJourneys(options)];
    const events = (journeys: typeof all) => journeys.reduce((sum, j) => sum + j.events.length, 0);
    const store = openStore();
    const controller = new AbortController();
    const result = await seedEventStore(store, vault, options, (done) => done === 10 && controller.abort(), controller.signal);
    const firstWindow = all.slice(0, 64); // the window under way when it was aborted
    expect(result).toEqual({ journeys: 64, events: events(firstWindow), skipped: 0 });

    const byStream = new Map<string, number>();
    for (const event of await readAll(store)) byStream.set(event.streamId, (byStream.get(event.streamId) ?? 0) + 1);
    expect(byStream).toEqual(new Map(firstWindow.map((j) => [journeyStreamId(j.journeyId), j.events.length])));

    expect(await seedEventStore(store, vault, options)).toEqual({ journeys: 86, events: events(all) - events(firstWindow), skipped: 64 });
    expect(await store.headPosition()).toBe(BigInt(events(all) - 1));
    // In generation order, whichever run appended them.
    const order = [...new Set((await readAll(store)).map((e) => e.streamId))];
    expect(order).toEqual(all.map((j) => journeyStreamId(j.journeyId)));
  });

  it('does nothing when already aborted', async () => {
    const store = openStore();
    const controller = new AbortController();
    controller.abort();
    expect(await seedEventStore(store, vault, OPTIONS, undefined, controller.signal)).toEqual({ journeys: 0, events: 0, skipped: 0 });
    expect(await store.headPosition()).toBeUndefined();
  });
});
