/**
 * The audit ledger: one entry per event of the log, in the read store, written by the
 * LedgerKeeper (ledger-keeper.ts) as it follows the event store. An entry is what the keeper
 * computed when it first saw the event, and is never overwritten: verification later compares
 * the log with it (verify.ts). docs/audit.md, "Ledger".
 */
import type { GlobalPosition } from '../../event-store/src/event-store.port';
import type { ReadStore } from '../../read-store/src/read-store.port';

/**
 * One document per event, `_id` its 40-digit position. Every read of it is by `_id` (a
 * stream's entries are walked back along `previous` from its tip), so it declares no other
 * index: MongoDB would maintain one on every insert, and the embedded store would decode every
 * entry to build it each time the ledger is opened (5 s and half a gigabyte at 600k events).
 */
export const AUDIT_LEDGER = 'audit_ledger';
/** The keeper's state (`_id: 'ledger'`): the last position ledgered and the global hash there. */
export const AUDIT_STATE = 'audit_state';
/** Each stream's last link (`_id`: the stream id), so the keeper never holds every stream in memory. */
export const AUDIT_STREAMS = 'audit_streams';
/** What the keeper saw that contradicts the ledger: tampering, or a store that broke its promises. */
export const AUDIT_ALARMS = 'audit_alarms';

export const LEDGER_STATE_ID = 'ledger';


/** A position as a 40-digit zero-padded string: lossless for any backend, and string order is numeric order. */
export function ledgerId(position: GlobalPosition): string {
  return position.toString().padStart(40, '0');
}

export interface LedgerEntry {
  /** The event's position, 40 digits. */
  _id: string;
  streamId: string;
  /** Decimal. */
  revision: string;
  /** SHA-256 of the stored event's canonical bytes, hex. */
  eventHash: string;
  streamHash: string;
  globalHash: string;
  /** `_id` of the stream's previous event (absent at revision 0): lets a verifier link a stream without keeping it in memory. */
  previous?: string;
}

export interface LedgerState {
  _id: typeof LEDGER_STATE_ID;
  /** Decimal position of the last event ledgered. */
  position: string;
  globalHash: string;
  updatedAt: string;
}

export interface StreamTip {
  _id: string;
  revision: string;
  position: string;
  streamHash: string;
}

export type LedgerAlarmKind = 'event_differs' | 'entry_differs' | 'event_inserted' | 'position_gap' | 'revision_gap';

export interface LedgerAlarm {
  /** `<40-digit position>:<kind>`: one alarm per place and kind, counted each time it is seen again. */
  _id: string;
  kind: LedgerAlarmKind;
  position: string;
  streamId: string;
  detail: string;
  firstSeenAt: string;
  lastSeenAt: string;
  seen: number;
}

export function positionOf(entry: Pick<LedgerEntry, '_id'>): GlobalPosition {
  return BigInt(entry._id);
}

/** The keeper's state, or null before it has ledgered anything. */
export function readLedgerState(readStore: ReadStore): Promise<LedgerState | null> {
  return readStore.collection<LedgerState>(AUDIT_STATE).findOne({ _id: LEDGER_STATE_ID });
}

/**
 * The ledger entries of these positions, keyed by the position in decimal
 * (`map.get(event.position.toString())`). Positions not ledgered yet are absent.
 * One query whatever the number of positions.
 */
export async function readLedgerEntries(readStore: ReadStore, positions: readonly GlobalPosition[]): Promise<Map<string, LedgerEntry>> {
  if (positions.length === 0) return new Map();
  const entries = await readStore.collection<LedgerEntry>(AUDIT_LEDGER).find({ _id: { $in: positions.map(ledgerId) } });
  return new Map(entries.map((entry) => [positionOf(entry).toString(), entry]));
}

/**
 * A stream's ledger entries in revision order, as far as the keeper has got. Walks back from
 * the stream's last link along `previous`: one `_id` lookup per event on any backend, never a
 * scan of the ledger. (When you hold the stream's events, `readLedgerEntries` with their
 * positions is one query.)
 */
export async function ledgerEntriesOfStream(readStore: ReadStore, streamId: string): Promise<LedgerEntry[]> {
  const tip = await readStore.collection<StreamTip>(AUDIT_STREAMS).findOne({ _id: streamId });
  const ledger = readStore.collection<LedgerEntry>(AUDIT_LEDGER);
  const entries: LedgerEntry[] = [];
  let next: string | undefined = tip ? ledgerId(BigInt(tip.position)) : undefined;
  while (next !== undefined) {
    const entry: LedgerEntry | null = await ledger.findOne({ _id: next });
    if (!entry || entry.streamId !== streamId) break;
    entries.push(entry);
    next = entry.previous;
  }
  return entries.reverse();
}

/** The entry just before `position` in the log (the ledger's order), or null at the log's start. */
export async function ledgerEntryBefore(readStore: ReadStore, position: GlobalPosition, gapFree: boolean): Promise<LedgerEntry | null> {
  if (position <= 0n) return null;
  const ledger = readStore.collection<LedgerEntry>(AUDIT_LEDGER);
  if (gapFree) return ledger.findOne({ _id: ledgerId(position - 1n) });
  const [entry] = await ledger.find({ _id: { $lt: ledgerId(position) } }, { sort: { _id: -1 }, limit: 1 });
  return entry ?? null;
}
