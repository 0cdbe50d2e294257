/**
 * Erasures after a restore. A backup holds the data keys as they were when it was taken, so a
 * restore could bring back a person's key that has been destroyed since. Two things stop that:
 *
 * 1. `reapplyLoggedErasures`: the erasure enforcer over the restored log, from the restored key
 *    store's own checkpoint, destroys every key whose PersonalDataErased is in the restored log
 *    but was not yet applied to the copied key store. The key store is copied after the event
 *    store, so its checkpoint may name a position past the restored head; it is first brought
 *    back to the head, or erasures appended after the restore at those positions would be
 *    skipped by the enforcer.
 * 2. `applyNewerErasures`: PersonalDataErased events recorded after the backup, read from a newer
 *    copy of the log (a stopped data folder, or an NDJSON export), destroy those journeys' keys
 *    in the restored key store. The events are not appended: that would rewrite the log's
 *    history. They come back, with the rest of the newer log, when it is imported or replayed.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { EventStore, StoredEvent } from '../../event-store/src/event-store.port';
import { SqliteEventStore } from '../../event-store/src/embedded/sqlite-event-store';
import { fromStoredEventJson, type StoredEventJson } from '../../event-store/src/stored-event-json';
import { isErasedDataKey, type DataKeyStore } from '../../personal-data/src/data-key-store.port';
import { ErasureEnforcer, erasedJourneyOf } from '../../personal-data/src/erasure-enforcer';
import { KeyEncryptionKeys } from '../../personal-data/src/key-encryption-keys';
import { PersonalDataVault } from '../../personal-data/src/personal-data-vault';
import { MANIFEST_FILE, STORE_FILES } from './manifest';

/**
 * A vault that only erases: destroying a key needs no key-encryption key, so a restore never
 * loads (or, worse, generates) the real one. It seals and opens nothing.
 */
function erasingVault(store: DataKeyStore): PersonalDataVault {
  return new PersonalDataVault({ store, keks: KeyEncryptionKeys.from({ current: randomBytes(32) }), cacheSize: 0 });
}

export interface LoggedErasures {
  /** Erasures in the restored log that the copied key store had not applied. */
  applied: number;
  /** The copied key store's checkpoint, and what it was brought back to (null: left as it was). */
  checkpointWas: string | null;
  checkpointSetTo: string | null;
}

/** Step 1 above, on the restored stores. */
export async function reapplyLoggedErasures(events: EventStore, keys: DataKeyStore): Promise<LoggedErasures> {
  const head = await events.headPosition();
  const was = await keys.erasureCheckpoint();
  let setTo: string | null = null;
  if (was !== null && (head === undefined || BigInt(was) > head)) {
    // Every erasure up to `was` is applied in this key store, so every one up to the head is too.
    setTo = head === undefined ? null : head.toString();
    if (setTo !== null) await keys.saveErasureCheckpoint(setTo);
  }
  const { applied } = await new ErasureEnforcer({ events, vault: erasingVault(keys), store: keys }).catchUp();
  return { applied, checkpointWas: was, checkpointSetTo: setTo };
}

/** A PersonalDataErased event found in a newer copy of the log. */
export interface NewerErasure {
  journeyId: string;
  position: string;
  eventId: string;
  /** When the erasure was recorded (its metadata), if known. */
  recordedAt: string | null;
}

export interface NewerLog {
  /** What was read: a data folder's event store or an NDJSON export. */
  kind: 'data folder' | 'export';
  path: string;
  erasures: NewerErasure[];
  /** The event at the backup's head position in the newer log, when it holds that position. */
  eventIdAtHead: string | null;
  events: number;
}

/**
 * Reads every PersonalDataErased of journey streams from `from`: a data folder (its event store
 * is opened, so the process that owned it must be stopped) or an NDJSON file from `export`.
 * Also notes the newer log's event at `head`, so the caller can check it continues the backup.
 */
export async function readNewerErasures(from: string, head: bigint | null): Promise<NewerLog> {
  if (!fs.existsSync(from)) throw new Error(`--erasures-from ${from} does not exist`);
  const erasures: NewerErasure[] = [];
  let eventIdAtHead: string | null = null;
  let events = 0;
  const take = (event: StoredEvent) => {
    events++;
    if (head !== null && event.position === head) eventIdAtHead = event.id;
    const journeyId = erasedJourneyOf(event);
    if (journeyId !== undefined) erasures.push({ journeyId, position: event.position.toString(), eventId: event.id, recordedAt: event.metadata?.recordedAt ?? null });
  };
  if (fs.statSync(from).isDirectory()) {
    if (!fs.existsSync(path.join(from, STORE_FILES.eventStore))) throw new Error(`--erasures-from ${from} is a folder without an event store (${STORE_FILES.eventStore})`);
    // Opening a store there would change its files: a backup's checksums would no longer hold.
    if (fs.existsSync(path.join(from, MANIFEST_FILE))) throw new Error(`--erasures-from ${from} is a backup, not a data folder: give a newer data folder or an export`);
    const store = SqliteEventStore.open({ directory: from });
    try {
      for await (const event of store.readAll()) take(event);
    } finally {
      await store.close();
    }
    return { kind: 'data folder', path: from, erasures, eventIdAtHead, events };
  }
  let line = 0;
  for await (const text of createInterface({ input: fs.createReadStream(from), crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    let event: StoredEvent;
    try {
      event = fromStoredEventJson(JSON.parse(text) as StoredEventJson);
    } catch (error) {
      throw new Error(`--erasures-from ${from}, line ${line}: not an exported event (${error instanceof Error ? error.message : String(error)})`);
    }
    take(event);
  }
  return { kind: 'export', path: from, erasures, eventIdAtHead, events };
}

export interface AppliedNewerErasures {
  /** Keys destroyed (or tombstones written, for a journey the backup has no key of). */
  applied: NewerErasure[];
  /** Already erased in the restored key store (erased before the backup, or by step 1). */
  alreadyErased: number;
}

/** Step 2 above: destroys the key of each journey erased in the newer log, unless already gone. */
export async function applyNewerErasures(keys: DataKeyStore, erasures: readonly NewerErasure[], now: () => Date = () => new Date()): Promise<AppliedNewerErasures> {
  const applied: NewerErasure[] = [];
  let alreadyErased = 0;
  const seen = new Set<string>();
  for (const erasure of erasures) {
    if (seen.has(erasure.journeyId)) continue;
    seen.add(erasure.journeyId);
    const record = await keys.get(erasure.journeyId);
    if (record && isErasedDataKey(record)) {
      alreadyErased++;
      continue;
    }
    // The tombstone keeps when the person's data was erased, not when the restore ran.
    await keys.destroy(erasure.journeyId, erasure.recordedAt ?? now().toISOString());
    applied.push(erasure);
  }
  return { applied, alreadyErased };
}
