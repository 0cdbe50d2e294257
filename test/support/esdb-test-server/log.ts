/**
 * The test double's transaction log: every stored event, in $all order, plus a per-stream index.
 * Test-only, in memory. See index.ts for what this double is and is not.
 *
 * Positions are bigints. Each append is one transaction: every event gets its own prepare
 * position, and the transaction's commit position depends on the layout:
 *   - 'commit-record' (default): as if a commit record followed the prepares. All events of the
 *     append share ONE commit position C (>= every prepare of the append, < the next append's
 *     first prepare), so $all order (commit, prepare) is append order, then order in the append.
 *   - 'self-committed': what EventStoreDB 20+ writes for gRPC appends: every prepare commits
 *     itself, so commit === prepare and it differs for every event.
 */
import { checkAppend, type AppendDecision, type ExpectedRevision } from './append-rules';

export type { ExpectedRevision } from './append-rules';
export type LogLayout = 'commit-record' | 'self-committed';

export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface ProposedEvent {
  readonly id: string; // lower-case canonical UUID
  readonly type: string;
  readonly isJson: boolean;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export interface StoredEvent extends ProposedEvent, Position {
  readonly streamId: string;
  readonly revision: bigint;
  /** 100-ns ticks since the Unix epoch, as EventStoreDB's `created` metadata. */
  readonly created: bigint;
}

export type AppendResult =
  | { readonly kind: 'success'; readonly currentRevision: bigint | null; readonly position: Position }
  | { readonly kind: 'wrong_expected_version'; readonly currentRevision: bigint | null };

const PREPARE_HEADER = 88n; // fixed part of a prepare record (ids, flags, lengths, timestamp)
const COMMIT_RECORD_SIZE = 37n;

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export class EventLog {
  private readonly records: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly listeners = new Set<() => void>();
  private nextPosition: bigint;

  constructor(
    private readonly layout: LogLayout = 'commit-record',
    initialPosition = 1024n,
  ) {
    this.nextPosition = initialPosition;
  }

  /** Every event in $all order. Read-only view; grows as events are appended. */
  get all(): readonly StoredEvent[] {
    return this.records;
  }

  /** A stream's events by revision, or undefined when the stream has no events. */
  stream(streamId: string): readonly StoredEvent[] | undefined {
    return this.streams.get(streamId);
  }

  /** Calls `listener` after every append that stored events. Returns an unsubscribe function. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Index in `all` of the first event at or after (`inclusive`) / strictly after `position`. */
  indexFrom(position: Position, inclusive: boolean): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const cmp = comparePositions(this.records[mid], position);
      if (cmp < 0 || (cmp === 0 && !inclusive)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Atomic append with EventStoreDB's expected-revision and idempotency rules. */
  append(streamId: string, expected: ExpectedRevision, events: readonly ProposedEvent[]): AppendResult {
    const existing = this.streams.get(streamId) ?? [];
    const metaExists = (this.streams.get(`$$${streamId}`)?.length ?? 0) > 0;
    const decision: AppendDecision = checkAppend(existing, metaExists, expected, events);
    const current = existing.length > 0 ? BigInt(existing.length - 1) : null;
    switch (decision.kind) {
      case 'wrong_expected_version':
        return { kind: 'wrong_expected_version', currentRevision: current };
      case 'idempotent': {
        const last = existing[decision.lastIndex];
        return { kind: 'success', currentRevision: last.revision, position: { commit: last.commit, prepare: last.prepare } };
      }
      case 'write':
        break;
    }
    if (events.length === 0) {
      // EventStoreDB writes an empty prepare record and reports its position.
      const at = this.nextPosition;
      this.nextPosition += PREPARE_HEADER + utf8Length(streamId);
      return { kind: 'success', currentRevision: current, position: { commit: at, prepare: at } };
    }
    const stored = this.place(streamId, existing.length, events);
    if (!this.streams.has(streamId)) this.streams.set(streamId, existing);
    for (const event of stored) {
      existing.push(event);
      this.records.push(event);
    }
    for (const listener of [...this.listeners]) listener();
    const last = stored[stored.length - 1];
    return { kind: 'success', currentRevision: last.revision, position: { commit: last.commit, prepare: last.prepare } };
  }

  private place(streamId: string, firstRevision: number, events: readonly ProposedEvent[]): StoredEvent[] {
    const created = BigInt(Date.now()) * 10_000n;
    const prepares: bigint[] = [];
    for (const event of events) {
      prepares.push(this.nextPosition);
      this.nextPosition += recordSize(streamId, event);
    }
    const commitRecord = this.nextPosition;
    if (this.layout === 'commit-record') this.nextPosition += COMMIT_RECORD_SIZE;
    return events.map((event, i) => ({
      ...event,
      streamId,
      revision: BigInt(firstRevision + i),
      created,
      prepare: prepares[i],
      commit: this.layout === 'commit-record' ? commitRecord : prepares[i],
    }));
  }
}

function recordSize(streamId: string, event: ProposedEvent): bigint {
  return (
    PREPARE_HEADER + utf8Length(streamId) + utf8Length(event.type) + BigInt(event.data.length + event.metadata.length)
  );
}

function utf8Length(text: string): bigint {
  return BigInt(Buffer.byteLength(text, 'utf8'));
}
