/**
 * The hash chain (docs/audit.md, "Chain"), as pure functions and a streaming verifier.
 *
 *   eventHash      = SHA-256(canonical bytes of the stored event)
 *   streamHash_n   = SHA-256(streamHash_{n-1} || eventHash_n)   over a stream's revisions
 *   globalHash_p   = SHA-256(globalHash_prev || eventHash_p)    over the global log order
 *
 * Both chains start from 32 zero bytes. Hashes travel as lowercase hex.
 */
import { createHash } from 'node:crypto';
import type { GlobalPosition, StoredEvent } from '../../event-store/src/event-store.port';
import { canonicalBytes } from './canonical';

export const GENESIS_HASH: Buffer = Buffer.alloc(32);
export const GENESIS_HEX = GENESIS_HASH.toString('hex');

export function eventHash(event: StoredEvent): Buffer {
  return createHash('sha256').update(canonicalBytes(event)).digest();
}

/** One link: SHA-256(previous || eventHash), for stream and global chains alike. */
export function chainHash(previous: Buffer, eventHashBytes: Buffer): Buffer {
  return createHash('sha256').update(previous).update(eventHashBytes).digest();
}

export function fromHex(hex: string): Buffer {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`Not a SHA-256 hash in lowercase hex: ${JSON.stringify(hex)}`);
  return Buffer.from(hex, 'hex');
}

/** An event's place in both chains, as recomputed. */
export interface ChainLink {
  position: GlobalPosition;
  streamId: string;
  revision: bigint;
  eventHash: string;
  /** Undefined when the stream's previous link was not known to the verifier (see ChainVerifier). */
  streamHash: string | undefined;
  globalHash: string;
}

/** A break the chain itself shows, before any comparison with the ledger. */
export interface ChainProblem {
  /** The first position affected: for a gap, the first missing one. */
  position: GlobalPosition;
  reason: string;
}

export interface ChainVerifierOptions {
  /** Positions count events (the embedded store): every position must follow the previous by one. */
  gapFree: boolean;
  /** The position just before the first event to come; undefined when starting at the log's start. */
  after?: GlobalPosition;
  /** The global hash at `after` (genesis at the log's start). */
  globalHash?: Buffer;
  /** Streams whose last link is kept in memory; further ones are evicted, oldest use first. @default 10_000 */
  streamCacheSize?: number;
}

interface StreamTip {
  revision: bigint;
  hash: Buffer;
}

/**
 * Recomputes both chains over events given in log order, with bounded memory: the global
 * hash, the last position, and the last link of at most `streamCacheSize` streams.
 *
 * A stream whose last link was evicted (or that began before the range verified) is not
 * known: the caller seeds its previous link (from the ledger, whose entries were verified
 * earlier in the same run) before passing its next event, or accepts an undefined streamHash.
 * So memory is O(cache size), not O(streams), and a run can start anywhere in the log.
 */
export class ChainVerifier {
  private last: GlobalPosition | undefined;
  private global: Buffer;
  private readonly tips = new Map<string, StreamTip>();
  private readonly capacity: number;

  constructor(private readonly options: ChainVerifierOptions) {
    this.last = options.after;
    this.global = options.globalHash ?? GENESIS_HASH;
    this.capacity = Math.max(1, options.streamCacheSize ?? 10_000);
  }

  get position(): GlobalPosition | undefined {
    return this.last;
  }

  get globalHash(): Buffer {
    return this.global;
  }

  /**
   * True when the event at `revision` needs its stream's previous link and the verifier has
   * none in memory. Counts as a use: a stream asked about is the last to be evicted, so asking
   * about a page's streams before seeding keeps them all in memory while the page is linked.
   */
  needsSeed(streamId: string, revision: bigint): boolean {
    const tip = this.tips.get(streamId);
    if (tip) this.remember(streamId, tip);
    return revision > 0n && !tip;
  }

  /** Gives the verifier a stream's link at `revision`, e.g. read from verified ledger entries. */
  seed(streamId: string, revision: bigint, streamHash: Buffer): void {
    this.remember(streamId, { revision, hash: streamHash });
  }

  /** Links the next event of the log; reports a problem the chain itself shows (a gap, a revision out of turn). */
  next(event: StoredEvent): { link: ChainLink; problem?: ChainProblem } {
    let problem: ChainProblem | undefined;
    const expected = this.last === undefined ? 0n : this.last + 1n;
    if (this.last !== undefined && event.position <= this.last) {
      problem = { position: event.position, reason: `position ${event.position} follows ${this.last}: the log is out of order` };
    } else if (this.options.gapFree && event.position !== expected) {
      problem = { position: expected, reason: `position ${expected} is missing: the log goes from ${this.last ?? 'its start'} to ${event.position}` };
    }
    const hash = eventHash(event);
    const tip = this.tips.get(event.streamId);
    if (tip && tip.revision !== event.revision - 1n && !problem) {
      problem = { position: event.position, reason: `${event.streamId} revision ${event.revision} follows revision ${tip.revision}` };
    }
    const previous = event.revision === 0n ? GENESIS_HASH : tip?.hash;
    const streamHash = previous && chainHash(previous, hash);
    this.global = chainHash(this.global, hash);
    this.last = event.position;
    if (streamHash) this.remember(event.streamId, { revision: event.revision, hash: streamHash });
    else this.tips.delete(event.streamId);
    const link: ChainLink = {
      position: event.position, streamId: event.streamId, revision: event.revision,
      eventHash: hash.toString('hex'), streamHash: streamHash?.toString('hex'), globalHash: this.global.toString('hex'),
    };
    return problem ? { link, problem } : { link };
  }

  /** Least recently used first out: a Map iterates in insertion order, so re-insert on use. */
  private remember(streamId: string, tip: StreamTip): void {
    this.tips.delete(streamId);
    this.tips.set(streamId, tip);
    if (this.tips.size > this.capacity) this.tips.delete(this.tips.keys().next().value!);
  }
}
