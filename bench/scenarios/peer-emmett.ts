import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Event, ProjectionDefinition, ReadEvent, ReadEventMetadataWithGlobalPosition } from '@event-driven-io/emmett';
import {
  appendToStream,
  createEventStoreSchema,
  getSQLiteEventStore,
  messagesTable,
  sqliteConnection,
  SQLiteEventStoreDefaultStreamVersion,
  streamsTable,
  type SQLiteConnection,
  type SQLiteEventStore,
} from '@event-driven-io/emmett-sqlite';
import { toProjectedEvent } from '../../apps/projector/src/projected-events';
import { JOURNEY_EVENT_TYPES } from '../../libs/domain/src/events';
import { SqliteEventStore } from '../../libs/event-store/src/embedded/sqlite-event-store';
import type { EventMetadata, EventToAppend, StoredEvent } from '../../libs/event-store/src/event-store.port';
import { journeyProjection } from '../../projections/journeys/journey.projection';
import { sortablePosition } from '../../projections/projection';
import { runCli, temporaryDataDir } from '../app';
import { elapsedMs, median, percentiles, round, type LatencySummary } from '../stats';
import { careProvided, type StoreAppendResult } from './store-appends';

/**
 * Scenario 6 of issue 9: the peer, @event-driven-io/emmett-sqlite 0.38.5 (driver: sqlite3
 * 5.1.7, which bundles SQLite 3.44.2), run side by side with ours in the same process and run,
 * so the report can give ratios (ours / peer).
 *
 * Durability, the same on both sides: one file database, WAL, synchronous=FULL (every commit
 * fsyncs the WAL). Emmett 0.38.5 has no option for pragmas, and for a file it opens a new
 * connection for every appendToStream / readStream and closes it afterwards, so a pragma set on
 * one connection would not reach the next. Its defaults already match ours: every connection
 * runs `PRAGMA journal_mode = WAL` (persistent in the file), and the bundled SQLite is compiled
 * with DEFAULT_SYNCHRONOUS=2 and DEFAULT_WAL_SYNCHRONOUS=2, so synchronous is FULL (better-sqlite3
 * defaults to NORMAL under WAL, which is why our store sets FULL itself). locking_mode stays
 * NORMAL. assertDurable() reads the pragmas back from a connection made by Emmett's own factory
 * after each peer run, so a change of default would fail the run rather than skew it.
 *
 * Appends (peerStoreAppends, the twin of storeAppends): getSQLiteEventStore on a new file per
 * run, one untimed read first (Emmett creates its schema on the first operation; ours does at
 * open), then one appendToStream per call to a new stream `journey-<uuid>`, the same
 * CareProvided events. "No stream" is expected with version 0n (Emmett's version of a stream
 * that does not exist): 0.38.5 accepts STREAM_DOES_NOT_EXIST but does not enforce it (it
 * appends to an existing stream anyway), while 0n is checked (a second create is rejected).
 * Each call's cost includes Emmett opening and closing its connection (and, when that was the
 * file's last connection, SQLite checkpointing the WAL into the database on close): that is how
 * its store works on a file, not something this benchmark adds. An append Emmett fails with
 * SQLITE_BUSY is retried within the call's latency and counted (appendRetryingBusy); the file
 * is then checked to hold exactly the streams and events appended.
 *
 * Stream reads: N streams of 10 events are written untimed into each store, then each is read
 * once, in the same order, and folded with a count: ours SqliteEventStore.readStream, the
 * peer's SQLiteEventStore.readStream (again a connection per call).
 *
 * Projection replay of the journeys read model from the whole log:
 *  - ours: `rebuild --projection journeys` by the built CLI on the seeded folder: our projector
 *    reads the log in batches and writes documents and checkpoint per batch into the embedded
 *    read store (synchronous=NORMAL), keeping the projection's declared indexes in memory.
 *    Timed as the CLI reports it (from the start of the rebuild to the switch), so process
 *    start and opening the stores are excluded, as the peer's setup is; the CLI polls for the
 *    end every 200 ms, so this may read up to 0.2 s long.
 *  - peer: the same events, in the same order and the same streams, are first copied untimed
 *    into an Emmett file (its exported appendToStream, many streams per transaction, so the
 *    copy is quick; the format is the one its store writes). Then Emmett's own async machinery
 *    replays them: store.consumer() with one projection processor from 'BEGINNING', which
 *    0.38.5 supports (the puller reads after global position 0, i.e. from the first event).
 *    The projection's handler applies our pure journeyProjection.evolve to one JSON document per
 *    journey in a `journeys` table (primary key only) of the same file, through the connection
 *    Emmett hands it, so documents and Emmett's checkpoint commit in its batch transaction
 *    (synchronous=FULL). Emmett's positions are 1-based; the handler maps them to ours (minus
 *    one) so the documents are identical to ours. Emmett's processor calls the handler with one
 *    event at a time and writes its checkpoint after each event, so the handler loads and
 *    writes a journey's document per event, where our projector does so once per batch: that
 *    difference is the machinery's, not the handler's. Timed from consumer.start() until the
 *    processor's stopAfter sees the last event; assertReplayed then proves it applied them all.
 * Both sides use the same batch size (BATCH_SIZE). Emmett's puller sleeps between batches
 * (pullingFrequencyInMs: 50 ms by default, which with its default batch of 100 alone caps it
 * at 2,000 events/s); it is set to 0 here, leaving its fixed 100 ms pause after the first batch.
 */

/** Events per batch for both projectors: our PROJECTOR_BATCH_SIZE default. */
const BATCH_SIZE = 500;
const EVENTS_PER_STREAM = 10;
/** Streams per transaction when copying into the peer's file (untimed). */
const STREAMS_PER_COPY_TRANSACTION = 1000;
/** Retries of one append failed with SQLITE_BUSY before the run gives up. */
const MAX_BUSY_RETRIES = 10;

/** Our event as Emmett stores it: its id as Emmett's messageId, the rest of the metadata alongside. */
const toEmmett = (event: EventToAppend) => ({ type: event.type, data: event.data, metadata: { ...event.metadata, messageId: event.id } });

type EmmettEvent = ReadEvent<Event, ReadEventMetadataWithGlobalPosition>;

/** Emmett's event as our projections see it; Emmett counts stream and global positions from 1, we from 0. */
function fromEmmett(event: EmmettEvent): StoredEvent {
  const { messageId, streamName, streamPosition, globalPosition, ...metadata } = event.metadata;
  return {
    id: messageId,
    streamId: streamName,
    revision: streamPosition - 1n,
    position: globalPosition - 1n,
    type: event.type,
    data: event.data,
    metadata: metadata as unknown as EventMetadata,
  };
}

/** The peer's store on `fileName`, with its schema created (untimed, as opening ours creates ours). */
async function openPeer(fileName: string): Promise<SQLiteEventStore> {
  const store = getSQLiteEventStore({ fileName });
  await store.readStream('warm-up');
  return store;
}

/** Fails unless a connection made by Emmett's own factory is WAL with synchronous=FULL. */
async function assertDurable(fileName: string): Promise<void> {
  const connection = sqliteConnection({ fileName });
  try {
    const journal = await connection.querySingle<{ journal_mode: string }>('PRAGMA journal_mode');
    const synchronous = await connection.querySingle<{ synchronous: number }>('PRAGMA synchronous');
    if (journal?.journal_mode !== 'wal' || synchronous?.synchronous !== 2) {
      throw new Error(`The peer's ${fileName} is journal_mode=${journal?.journal_mode}, synchronous=${synchronous?.synchronous}; the benchmark needs wal and 2 (FULL)`);
    }
  } finally {
    connection.close();
  }
}

/** A StoreAppendResult, and how many appends Emmett failed with SQLITE_BUSY and were retried (see appendRetryingBusy). */
export interface PeerStoreAppendResult extends StoreAppendResult {
  retried: number;
}

/** Same workload and result shape as storeAppends() in ./store-appends, on Emmett's SQLite store. */
export async function peerStoreAppends(eventsPerCall: number, calls: number, runs: number): Promise<PeerStoreAppendResult> {
  const rates: number[] = [];
  const latencies: number[] = [];
  let retried = 0;
  for (let run = 0; run < runs; run++) {
    const { dir, remove } = temporaryDataDir('vjt-bench-emmett-');
    try {
      const fileName = join(dir, 'events.sqlite');
      const store = await openPeer(fileName);
      const started = process.hrtime.bigint();
      for (let call = 0; call < calls; call++) {
        const batch = Array.from({ length: eventsPerCall }, (_, i) => toEmmett(careProvided(call * eventsPerCall + i)));
        const t = process.hrtime.bigint();
        retried += await appendRetryingBusy(store, `journey-${randomUUID()}`, batch);
        latencies.push(elapsedMs(t));
      }
      rates.push(calls / (elapsedMs(started) / 1000));
      await assertDurable(fileName);
      await assertStored(fileName, calls, calls * eventsPerCall);
    } finally {
      remove();
    }
  }
  const callsPerSecond = round(median(rates), 0);
  return { eventsPerCall, calls, runs, callsPerSecond, eventsPerSecond: callsPerSecond * eventsPerCall, latencyMs: percentiles(latencies), retried };
}

/**
 * Appends, retrying while Emmett fails with SQLITE_BUSY "cannot commit transaction - SQL
 * statements in progress": with 0.38.5 on sqlite3 5.1.7 roughly 1 append in 100-300 does (its
 * `INSERT ... RETURNING` into the streams table goes through db.get, whose statement may not be
 * finalized yet when COMMIT runs). The append is rolled back, so a caller would retry; the
 * retries count in the call's latency. Returns how many retries it took.
 */
async function appendRetryingBusy(store: SQLiteEventStore, streamName: string, events: ReturnType<typeof toEmmett>[]): Promise<number> {
  for (let retries = 0; ; retries++) {
    try {
      await store.appendToStream(streamName, events, { expectedStreamVersion: SQLiteEventStoreDefaultStreamVersion });
      return retries;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || retries >= MAX_BUSY_RETRIES) throw error;
    }
  }
}

/** Proves the retries appended nothing twice: exactly the streams and events the run wrote. */
async function assertStored(fileName: string, streams: number, events: number): Promise<void> {
  const connection = sqliteConnection({ fileName });
  try {
    const stored = await connection.querySingle<{ streams: number; events: number }>(
      `SELECT (SELECT count(*) FROM ${streamsTable.name}) AS streams, (SELECT count(*) FROM ${messagesTable.name}) AS events`,
    );
    if (stored?.streams !== streams || stored.events !== events) {
      throw new Error(`The peer stored ${stored?.streams} streams and ${stored?.events} events; the run appended ${streams} and ${events}`);
    }
  } finally {
    connection.close();
  }
}

export interface StreamReadResult {
  streams: number;
  eventsPerStream: number;
  streamsPerSecond: number;
  latencyMs: LatencySummary;
}

interface StreamToCopy {
  streamId: string;
  events: EventToAppend[];
}

/** Read (and fold, with a trivial count) N 10-event streams, ours (SqliteEventStore.readStream) and the peer's. */
export async function streamReads(streams: number): Promise<{ ours: StreamReadResult; peer: StreamReadResult }> {
  const written: StreamToCopy[] = Array.from({ length: streams }, (_, s) => ({
    streamId: `journey-${randomUUID()}`,
    events: Array.from({ length: EVENTS_PER_STREAM }, (_, i) => careProvided(s * EVENTS_PER_STREAM + i)),
  }));
  const ids = written.map((s) => s.streamId);
  return { ours: await ourStreamReads(written, ids), peer: await peerStreamReads(written, ids) };
}

async function ourStreamReads(written: StreamToCopy[], ids: string[]): Promise<StreamReadResult> {
  const { dir, remove } = temporaryDataDir('vjt-bench-reads-');
  const store = SqliteEventStore.open({ directory: dir });
  try {
    for (const { streamId, events } of written) await store.append(streamId, events, 'no_stream');
    return await timeReads(ids, async (id) => (await store.readStream(id)).reduce((count) => count + 1, 0));
  } finally {
    await store.close();
    remove();
  }
}

async function peerStreamReads(written: StreamToCopy[], ids: string[]): Promise<StreamReadResult> {
  const { dir, remove } = temporaryDataDir('vjt-bench-emmett-');
  try {
    const fileName = join(dir, 'events.sqlite');
    await copyIntoPeer(fileName, written);
    const store = await openPeer(fileName);
    const result = await timeReads(ids, async (id) => (await store.readStream(id)).events.reduce((count) => count + 1, 0));
    await assertDurable(fileName);
    return result;
  } finally {
    remove();
  }
}

/** Reads each stream once, in order; `read` returns how many events it folded. */
async function timeReads(ids: string[], read: (id: string) => Promise<number>): Promise<StreamReadResult> {
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  for (const id of ids) {
    const t = process.hrtime.bigint();
    const count = await read(id);
    latencies.push(elapsedMs(t));
    if (count !== EVENTS_PER_STREAM) throw new Error(`Read ${count} events of ${id}, expected ${EVENTS_PER_STREAM}`);
  }
  const streamsPerSecond = round(ids.length / (elapsedMs(started) / 1000), 0);
  return { streams: ids.length, eventsPerStream: EVENTS_PER_STREAM, streamsPerSecond, latencyMs: percentiles(latencies) };
}

/**
 * Appends the streams to the peer's file in the order given, many streams per transaction,
 * with Emmett's own appendToStream (the store's, minus its connection per call). Returns the
 * last global position.
 */
async function copyIntoPeer(fileName: string, streams: Iterable<StreamToCopy> | AsyncIterable<StreamToCopy>): Promise<bigint> {
  const connection = sqliteConnection({ fileName });
  try {
    await createEventStoreSchema(connection);
    let last = 0n;
    let chunk: StreamToCopy[] = [];
    for await (const stream of streams) {
      chunk.push(stream);
      if (chunk.length < STREAMS_PER_COPY_TRANSACTION) continue;
      last = await appendChunk(connection, chunk);
      chunk = [];
    }
    return chunk.length > 0 ? await appendChunk(connection, chunk) : last;
  } finally {
    connection.close();
  }
}

async function appendChunk(connection: SQLiteConnection, chunk: StreamToCopy[]): Promise<bigint> {
  return connection.withTransaction(async () => {
    let last = 0n;
    for (const { streamId, events } of chunk) {
      // The stream type Emmett's store derives from `journey-<id>`.
      const result = await appendToStream(connection, streamId, streamId.split('-')[0], events.map(toEmmett));
      if (!result.success) throw new Error(`Could not copy ${streamId} into the peer's store`);
      last = result.lastGlobalPosition;
    }
    return last;
  });
}

export interface ReplayResult {
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * One read model replayed from the same events: ours = `rebuild --projection journeys` via runCli
 * on dataDir; peer = the same events copied (untimed) into an Emmett SQLite store, then replayed
 * by Emmett's projection machinery into the same journeys read model.
 */
export async function projectionReplay(seededDataDir: string): Promise<{ ours: ReplayResult; peer: ReplayResult }> {
  const { dir, remove } = temporaryDataDir('vjt-bench-emmett-');
  try {
    const fileName = join(dir, 'events.sqlite');
    const last = await copyLogIntoPeer(seededDataDir, fileName);
    // A new file's global positions run 1, 2, 3 ... so the last one is the number of events.
    const events = Number(last);
    return { ours: await ourReplay(seededDataDir, events), peer: await peerReplay(fileName, last) };
  } finally {
    remove();
  }
}

/** Copies our whole log into the peer's file, with a table for its read model; returns the last global position. */
async function copyLogIntoPeer(dataDir: string, fileName: string): Promise<bigint> {
  const ours = SqliteEventStore.open({ directory: dataDir });
  try {
    const last = await copyIntoPeer(fileName, streamRuns(ours.readAll()));
    const connection = sqliteConnection({ fileName });
    try {
      await connection.command('CREATE TABLE journeys (id TEXT PRIMARY KEY, doc TEXT NOT NULL)');
    } finally {
      connection.close();
    }
    return last;
  } finally {
    await ours.close();
  }
}

/** The log as runs of consecutive events of one stream, so the copy keeps global order. */
async function* streamRuns(log: AsyncIterable<StoredEvent>): AsyncGenerator<StreamToCopy> {
  let run: StreamToCopy | undefined;
  for await (const event of log) {
    if (run && run.streamId !== event.streamId) {
      yield run;
      run = undefined;
    }
    run ??= { streamId: event.streamId, events: [] };
    run.events.push(event);
  }
  if (run) yield run;
}

async function ourReplay(dataDir: string, events: number): Promise<ReplayResult> {
  const { output } = await runCli<{ rebuilt: Array<{ name: string; seconds: number }> }>(
    dataDir,
    ['rebuild', '--projection', journeyProjection.name],
    { PROJECTOR_BATCH_SIZE: String(BATCH_SIZE) },
  );
  return replayResult(events, output.rebuilt[0].seconds);
}

/** How far the peer's replay got: what its handler applied, and whether every event reached stopAfter. */
interface ReplayProgress {
  lastApplied?: bigint;
  reachedLast: boolean;
}

/** Emmett's projection: our journeys evolve, one document per journey, in the peer's own file. */
function journeysOnEmmett(progress: ReplayProgress): ProjectionDefinition<Event, ReadEventMetadataWithGlobalPosition, { connection: SQLiteConnection }> {
  return {
    name: journeyProjection.name,
    canHandle: [...JOURNEY_EVENT_TYPES],
    handle: async (events, { connection }) => {
      for (const event of events) {
        if (await applyToDocument(connection, event)) progress.lastApplied = event.metadata.globalPosition;
      }
    },
  };
}

/** Loads the event's document, evolves it and writes it back; false when the projection ignores the event. */
async function applyToDocument(connection: SQLiteConnection, emmettEvent: EmmettEvent): Promise<boolean> {
  const event = toProjectedEvent(fromEmmett(emmettEvent));
  const id = event && journeyProjection.documentId(event);
  if (!event || id === undefined) return false;
  const row = await connection.querySingle<{ doc: string }>('SELECT doc FROM journeys WHERE id = ?', [id]);
  const next = journeyProjection.evolve(row ? JSON.parse(row.doc) : null, event);
  if (next) await connection.command('INSERT INTO journeys (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc', [id, JSON.stringify(next)]);
  else await connection.command('DELETE FROM journeys WHERE id = ?', [id]);
  return true;
}

async function peerReplay(fileName: string, last: bigint): Promise<ReplayResult> {
  const progress: ReplayProgress = { reachedLast: false };
  const consumer = getSQLiteEventStore({ fileName }).consumer({ pulling: { batchSize: BATCH_SIZE, pullingFrequencyInMs: 0 } });
  consumer.processor({
    processorId: `projection:${journeyProjection.name}`,
    projection: journeysOnEmmett(progress),
    startFrom: 'BEGINNING',
    stopAfter: (event) => (progress.reachedLast = event.metadata.globalPosition === last),
  });
  try {
    const started = process.hrtime.bigint();
    await consumer.start();
    const seconds = elapsedMs(started) / 1000;
    await assertReplayed(fileName, progress);
    await assertDurable(fileName);
    return replayResult(Number(last), seconds);
  } finally {
    await consumer.close();
  }
}

/**
 * Emmett stops quietly when a handler or a commit fails, and 0.38.5's checkpoint cannot show how
 * far it got (it stays at the end of the first batch: each batch writes it as if it were the
 * first). So: every event must have reached stopAfter (a throw ends the batch before it), and
 * the newest document must be at the last event applied (its batch committed).
 */
async function assertReplayed(fileName: string, progress: ReplayProgress): Promise<void> {
  const connection = sqliteConnection({ fileName });
  try {
    const newest = await connection.querySingle<{ position: string | null }>("SELECT max(json_extract(doc, '$.lastPosition')) AS position FROM journeys");
    const expected = progress.lastApplied === undefined ? undefined : sortablePosition(progress.lastApplied - 1n);
    if (!progress.reachedLast || newest?.position !== expected) {
      throw new Error(`The peer's replay did not finish: last event reached ${progress.reachedLast}, newest document at ${newest?.position}, last applied ${expected}`);
    }
  } finally {
    connection.close();
  }
}

const replayResult = (events: number, seconds: number): ReplayResult => ({
  events,
  seconds: round(seconds),
  eventsPerSecond: round(events / seconds, 0),
});
