/**
 * The data-key store on MongoDB, through the official driver: collection `data_keys`
 * (`_id` = journey id) and `key_store_state` (the erasure checkpoint).
 *
 * Every write is acknowledged by a majority with the journal written, and reads use majority
 * read concern, so a key handed out can never be rolled back by a failover and replaced by
 * another (which would make the fields sealed under it unreadable), and a destroy, once
 * acknowledged, survives one.
 *
 * Unlike the embedded store, MongoDB keeps old document versions for a while: in the oplog
 * (its window), in WiredTiger's free space, and in backups. A destroyed wrapped key stays
 * useless only while its KEK is secret, so retire and destroy old KEKs (rotate) on a schedule
 * longer than the oplog window and the backup retention. Use a database of its own (default
 * 'victim-journeys-keys'), so read-model backups and restores never carry keys.
 */
import { Binary, MongoClient, MongoServerError, WriteConcern, type Collection, type Db, type MongoClientOptions } from 'mongodb';
import { databaseNameFromUri } from '../../../read-store/src/mongodb/deployment';
import type { DataKeyRecord, DataKeyStore, WrappedDataKey } from '../data-key-store.port';

/** Used when neither the options nor the URI name a database. */
export const DEFAULT_KEYS_DATABASE_NAME = 'victim-journeys-keys';
const DUPLICATE_KEY = 11000;
const CHECKPOINT_ID = 'erasure';
/** An upsert that loses a race for the same `_id` may fail with E11000 (server 4.0-); trying again sees the winner. */
const UPSERT_ATTEMPTS = 3;

export interface MongoDataKeyStoreOptions {
  /** e.g. `mongodb://db1,db2,db3/?replicaSet=rs0`. */
  uri: string;
  /** @default the URI's database, else 'victim-journeys-keys' */
  databaseName?: string;
  /** Further driver options (timeouts, TLS, pool size), merged over the URI's. */
  clientOptions?: MongoClientOptions;
}

/** A key (kekId, wrapped, createdAt) or a tombstone (erasedAt only). */
interface DataKeyDocument {
  _id: string;
  kekId?: string;
  wrapped?: Binary;
  createdAt?: string;
  erasedAt?: string;
}

interface StateDocument {
  _id: string;
  position: string;
}

function toRecord(doc: DataKeyDocument): DataKeyRecord {
  if (doc.erasedAt !== undefined) return { journeyId: doc._id, erasedAt: doc.erasedAt };
  return { journeyId: doc._id, kekId: doc.kekId!, wrapped: doc.wrapped!.toString('base64'), createdAt: doc.createdAt! };
}

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

export class MongoDataKeyStore implements DataKeyStore {
  private closing: Promise<void> | undefined;
  private readonly keys: Collection<DataKeyDocument>;
  private readonly state: Collection<StateDocument>;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {
    const options = { writeConcern: new WriteConcern('majority', undefined, true), readConcern: { level: 'majority' as const } };
    this.keys = db.collection<DataKeyDocument>('data_keys', options);
    this.state = db.collection<StateDocument>('key_store_state', options);
  }

  /** Connects and ensures the index rotation pages through. */
  static async connect(options: MongoDataKeyStoreOptions): Promise<MongoDataKeyStore> {
    if (options.databaseName !== undefined && options.databaseName.trim() === '') throw new Error('databaseName must not be empty');
    const databaseName = options.databaseName ?? databaseNameFromUri(options.uri) ?? DEFAULT_KEYS_DATABASE_NAME;
    const client = new MongoClient(options.uri, options.clientOptions);
    try {
      await client.connect();
      const store = new MongoDataKeyStore(client, client.db(databaseName));
      await store.keys.createIndex({ kekId: 1, _id: 1 }, { name: 'kekId_1__id_1', partialFilterExpression: { kekId: { $exists: true } } });
      return store;
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  /** The database this store uses. */
  get databaseName(): string {
    return this.db.databaseName;
  }

  /** One upsert that inserts only when absent ($setOnInsert), returning the document as stored. */
  async putIfAbsent(key: WrappedDataKey): Promise<DataKeyRecord> {
    this.assertOpen();
    const fields = { kekId: key.kekId, wrapped: new Binary(Buffer.from(key.wrapped, 'base64')), createdAt: key.createdAt };
    for (let attempt = 1; ; attempt++) {
      try {
        const stored = await this.keys.findOneAndUpdate({ _id: key.journeyId }, { $setOnInsert: fields }, { upsert: true, returnDocument: 'after' });
        return toRecord(stored!);
      } catch (error) {
        if (!isDuplicateKey(error) || attempt === UPSERT_ATTEMPTS) throw error;
      }
    }
  }

  async get(journeyId: string): Promise<DataKeyRecord | undefined> {
    this.assertOpen();
    const doc = await this.keys.findOne({ _id: journeyId });
    return doc ? toRecord(doc) : undefined;
  }

  /** Matches only a live key (or none): on a tombstone the upsert meets E11000, which means "already erased". */
  async destroy(journeyId: string, erasedAt: string): Promise<void> {
    this.assertOpen();
    for (let attempt = 1; ; attempt++) {
      try {
        await this.keys.updateOne(
          { _id: journeyId, erasedAt: { $exists: false } },
          { $set: { erasedAt }, $unset: { kekId: '', wrapped: '', createdAt: '' } },
          { upsert: true },
        );
        return;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const current = await this.keys.findOne({ _id: journeyId });
        if (current?.erasedAt !== undefined) return;
        if (attempt === UPSERT_ATTEMPTS) throw error;
      }
    }
  }

  async wrappedUnder(kekIdNot: string, limit: number): Promise<WrappedDataKey[]> {
    this.assertOpen();
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
    const docs = await this.keys.find({ kekId: { $exists: true, $ne: kekIdNot } }).sort({ _id: 1 }).limit(limit).toArray();
    return docs.map((doc) => toRecord(doc) as WrappedDataKey);
  }

  async rewrap(journeyId: string, fromKekId: string, next: WrappedDataKey): Promise<boolean> {
    this.assertOpen();
    if (next.journeyId !== journeyId) throw new RangeError(`rewrap of journey ${journeyId} was given the key of journey ${next.journeyId}`);
    const wrapped = new Binary(Buffer.from(next.wrapped, 'base64'));
    const result = await this.keys.updateOne({ _id: journeyId, kekId: fromKekId }, { $set: { kekId: next.kekId, wrapped } });
    return result.matchedCount === 1;
  }

  async erasureCheckpoint(): Promise<string | null> {
    this.assertOpen();
    return (await this.state.findOne({ _id: CHECKPOINT_ID }))?.position ?? null;
  }

  async saveErasureCheckpoint(position: string): Promise<void> {
    this.assertOpen();
    await this.state.replaceOne({ _id: CHECKPOINT_ID }, { position }, { upsert: true });
  }

  /** Closes the client. Idempotent; later calls fail. */
  close(): Promise<void> {
    this.closing ??= this.client.close();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('The key store is closed');
  }
}
