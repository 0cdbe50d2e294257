/**
 * verifyLog: recomputes the chains over the log (or a range of it) and checks them against
 * the ledger and every signed head, streaming: memory stays flat however long the log.
 * docs/audit.md, "Verify".
 *
 * Per page of the log: one query for the page's ledger entries, one for the previous links of
 * streams the verifier no longer holds in memory (ChainVerifier's bounded cache), and one per
 * head the page carries. Signed heads kept in the read store are then read in pages too.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { EventStore, GlobalPosition, StoredEvent } from '../../event-store/src/event-store.port';
import type { ReadStore } from '../../read-store/src/read-store.port';
import { ChainVerifier, fromHex, GENESIS_HASH, type ChainLink } from './hash-chain';
import { AUDIT_ALARMS, AUDIT_LEDGER, ledgerEntryBefore, ledgerId, readLedgerState, type LedgerEntry } from './ledger';
import { AUDIT_HEADS, AUDIT_HEADS_STREAM, checkHeadSignature, headOfEvent, type SignedHead, type StoredHead } from './signed-heads';
import type { TrustedKeys } from './signing-key';

export interface VerifyLogOptions {
  /** First position to verify (inclusive); the chains before it are taken from the ledger. */
  from?: GlobalPosition;
  /** Last position to verify (inclusive). Without it the run goes to the log's end and checks for truncation. */
  to?: GlobalPosition;
  /** Keys whose heads are accepted, by key id. */
  trustedKeys: TrustedKeys;
  /** Stop after this many events (the report then says where to resume). @default unbounded */
  maxEvents?: number;
  /** Events read per page. @default 1000 */
  pageSize?: number;
  /** Streams whose last link stays in memory (at least twice the page size). @default 10_000 */
  streamCacheSize?: number;
  onProgress?: (eventsVerified: number, position: GlobalPosition) => void;
  signal?: AbortSignal;
}

export interface BrokenLink {
  /** Decimal position of the first event (or missing position) found broken. */
  position: string;
  reason: string;
}

export interface VerifyReport {
  ok: boolean;
  /** False when maxEvents (or an abort) stopped the run before `to` or the log's end: resume from `resumeFrom`. */
  complete: boolean;
  from: string | null;
  to: string | null;
  eventsVerified: number;
  /** Signed heads in the read store whose signature and global hash were checked. */
  headsVerified: number;
  /** Signed heads met in the log itself (stream `audit-heads`) and checked the same way. */
  headsInLogVerified: number;
  /** Events past the ledger's end: their chains were recomputed, but the keeper has not recorded them yet. */
  eventsNotYetLedgered: number;
  /** The last event verified. */
  lastPosition: string | null;
  /** The recomputed global hash at `lastPosition` (null when something broke). */
  globalHash: string | null;
  resumeFrom?: string;
  /** Alarms the keeper has ever raised (audit_alarms): see docs/audit.md. */
  alarms: number;
  firstBroken?: BrokenLink;
}

/** `from` lies past what the ledger holds (the keeper has not got there yet): nothing to start from. */
export class VerifyRangeNotLedgered extends Error {
  readonly code = 'VERIFY_RANGE_NOT_LEDGERED';
  constructor(readonly from: GlobalPosition, readonly ledgerEnd: GlobalPosition | undefined) {
    super(`Cannot verify from ${from}: the ledger ends at ${ledgerEnd ?? 'nothing yet'}, so there is no recorded chain to start from`);
    this.name = 'VerifyRangeNotLedgered';
  }
}

class Broken extends Error {
  constructor(readonly position: GlobalPosition, readonly reason: string) {
    super(reason);
  }
}

export async function verifyLog(events: EventStore, readStore: ReadStore, options: VerifyLogOptions): Promise<VerifyReport> {
  return new LogVerification(events, readStore, options).run();
}

class LogVerification {
  private readonly pageSize: number;
  private readonly ledger;
  private verifier!: ChainVerifier;
  private eventsVerified = 0;
  private lastVerified: GlobalPosition | undefined;
  private headsInLog = 0;
  private unledgered = 0;
  private ledgerEnd: GlobalPosition | undefined;
  private broken: Broken | undefined;
  private complete = true;
  private reachedEnd = false;

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly options: VerifyLogOptions,
  ) {
    this.pageSize = options.pageSize ?? 1000;
    this.ledger = readStore.collection<LedgerEntry>(AUDIT_LEDGER);
  }

  async run(): Promise<VerifyReport> {
    const { from, to } = this.options;
    const state = await readLedgerState(this.readStore);
    this.ledgerEnd = state ? BigInt(state.position) : undefined;
    try {
      await this.startVerifier();
      await this.eventPass();
    } catch (error) {
      if (!(error instanceof Broken)) throw error;
      this.broken = error;
    }
    const logEnd = this.verifier?.position;
    if (!this.broken && this.reachedEnd) await this.checkTruncationByLedger();
    const headsVerified = await this.checkStoredHeads(logEnd);
    const alarms = await this.readStore.collection(AUDIT_ALARMS).countDocuments({});
    const verifiedUpTo = this.lastVerified;
    return {
      ok: !this.broken,
      complete: this.complete,
      from: from?.toString() ?? null,
      to: to?.toString() ?? null,
      eventsVerified: this.eventsVerified,
      headsVerified,
      headsInLogVerified: this.headsInLog,
      eventsNotYetLedgered: this.unledgered,
      lastPosition: verifiedUpTo?.toString() ?? null,
      globalHash: verifiedUpTo !== undefined && !this.broken ? this.verifier.globalHash.toString('hex') : null,
      ...(!this.complete && !this.broken && verifiedUpTo !== undefined ? { resumeFrom: (verifiedUpTo + 1n).toString() } : {}),
      alarms,
      ...(this.broken ? { firstBroken: { position: this.broken.position.toString(), reason: this.broken.reason } } : {}),
    };
  }

  /** The chains just before `from`, from the ledger (verified by an earlier run, or trusted as the starting point). */
  private async startVerifier(): Promise<void> {
    const { from, streamCacheSize, pageSize } = { ...this.options, pageSize: this.pageSize };
    const gapFree = this.events.gapFreePositions;
    const cache = Math.max(streamCacheSize ?? 10_000, 2 * pageSize);
    if (from === undefined || from <= 0n) {
      this.verifier = new ChainVerifier({ gapFree, streamCacheSize: cache });
      return;
    }
    if (this.ledgerEnd === undefined || from - 1n > this.ledgerEnd) throw new VerifyRangeNotLedgered(from, this.ledgerEnd);
    const before = await ledgerEntryBefore(this.readStore, from, gapFree);
    if (!before && gapFree) {
      this.verifier = new ChainVerifier({ gapFree, streamCacheSize: cache });
      throw new Broken(from - 1n, `the ledger has no entry at position ${from - 1n} to start from: verify from the start, or from a position the ledger holds`);
    }
    this.verifier = before
      ? new ChainVerifier({ gapFree, after: BigInt(before._id), globalHash: fromHex(before.globalHash), streamCacheSize: cache })
      : new ChainVerifier({ gapFree, globalHash: GENESIS_HASH, streamCacheSize: cache });
  }

  private async eventPass(): Promise<void> {
    const { to, maxEvents, signal } = this.options;
    let budget = maxEvents ?? Number.POSITIVE_INFINITY;
    let cursor = this.options.from !== undefined && this.options.from > 0n ? this.options.from - 1n : undefined;
    for (;;) {
      if (budget <= 0 || signal?.aborted) {
        this.complete = false;
        return;
      }
      const limit = Math.min(this.pageSize, budget);
      let page = await this.readPage(cursor, limit);
      const full = page.length === limit;
      if (to !== undefined && page.some((e) => e.position > to)) {
        page = page.filter((e) => e.position <= to);
        await this.verifyPage(page);
        return;
      }
      await this.verifyPage(page);
      budget -= page.length;
      if (!full) {
        this.reachedEnd = true;
        return;
      }
      cursor = page[page.length - 1].position;
      this.options.onProgress?.(this.eventsVerified, cursor);
      await yieldToEventLoop();
    }
  }

  /**
   * A page of the log. An event the store cannot read (say a byte changed in its JSON) fails
   * the whole page, so the page is then read one event at a time up to the unreadable one.
   */
  private async readPage(after: GlobalPosition | undefined, limit: number): Promise<StoredEvent[]> {
    try {
      return await collect(this.events.readAll({ after, limit }));
    } catch (error) {
      const page: StoredEvent[] = [];
      let cursor = after;
      for (let i = 0; i < limit; i++) {
        let next: StoredEvent[];
        try {
          next = await collect(this.events.readAll({ after: cursor, limit: 1 }));
        } catch (cause) {
          if (!(cause instanceof SyntaxError)) throw cause; // an outage, not a damaged event
          await this.verifyPage(page);
          const position = cursor === undefined ? 0n : cursor + 1n;
          throw new Broken(position, `the event after position ${cursor ?? 'the start'} cannot be read: ${cause instanceof Error ? cause.message : cause}`);
        }
        if (next.length === 0) break;
        page.push(next[0]);
        cursor = next[0].position;
      }
      if (page.length > 0) return page;
      throw error;
    }
  }

  private async verifyPage(page: StoredEvent[]): Promise<void> {
    if (page.length === 0) return;
    const entries = await this.entries(page.map((e) => ledgerId(e.position)));
    await this.seedStreams(page, entries);
    for (const event of page) {
      const { link, problem } = this.verifier.next(event);
      if (problem) throw new Broken(problem.position, problem.reason);
      this.compare(link, entries.get(ledgerId(event.position)));
      if (event.streamId === AUDIT_HEADS_STREAM) await this.checkHeadInLog(event);
      this.eventsVerified++;
      this.lastVerified = event.position;
    }
  }

  /** Streams the page continues whose previous link the verifier no longer holds: link them through the ledger. */
  private async seedStreams(page: StoredEvent[], entries: Map<string, LedgerEntry>): Promise<void> {
    const seen = new Set<string>();
    const pointers = new Map<string, StoredEvent>();
    for (const event of page) {
      if (seen.has(event.streamId)) continue;
      seen.add(event.streamId);
      if (!this.verifier.needsSeed(event.streamId, event.revision)) continue;
      const previous = entries.get(ledgerId(event.position))?.previous;
      if (previous) pointers.set(previous, event);
    }
    if (pointers.size === 0) return;
    for (const previous of (await this.entries([...pointers.keys()])).values()) {
      const event = pointers.get(previous._id)!;
      // The pointer is only followed to the same stream's previous revision, which this run (or
      // the run that verified up to \`from\`) has already compared with the log.
      if (previous.streamId === event.streamId && BigInt(previous.revision) === event.revision - 1n) {
        this.verifier.seed(event.streamId, event.revision - 1n, fromHex(previous.streamHash));
      }
    }
  }

  private compare(link: ChainLink, entry: LedgerEntry | undefined): void {
    const at = link.position;
    if (!entry) {
      if (this.ledgerEnd !== undefined && at <= this.ledgerEnd) throw new Broken(at, `the ledger has no entry for position ${at}, inside the part of the log it recorded: an event was inserted, or the ledger altered`);
      this.unledgered++;
      return;
    }
    if (entry.streamId !== link.streamId || entry.revision !== link.revision.toString()) {
      throw new Broken(at, `the ledger recorded ${entry.streamId} revision ${entry.revision} at position ${at}; the log holds ${link.streamId} revision ${link.revision}`);
    }
    if (entry.eventHash !== link.eventHash) throw new Broken(at, `the event at position ${at} is not the one recorded: its hash is ${link.eventHash}, the ledger's ${entry.eventHash}`);
    if (link.streamHash === undefined) throw new Broken(at, `the ledger cannot link ${link.streamId} revision ${link.revision} to its previous revision`);
    if (entry.streamHash !== link.streamHash) throw new Broken(at, `the chain of ${link.streamId} breaks at revision ${link.revision}: an earlier event of the stream changed, or the ledger did`);
    if (entry.globalHash !== link.globalHash) throw new Broken(at, `the global chain breaks at position ${at}: an event before it was removed, inserted or changed, or the ledger was`);
  }

  /** A head in the log: its signature, and the global hash at the position it covers (verified before it). */
  private async checkHeadInLog(event: StoredEvent): Promise<void> {
    const head = headOfEvent(event);
    if (!head) throw new Broken(event.position, `the event at position ${event.position} in ${AUDIT_HEADS_STREAM} is not a well-formed signed head`);
    this.checkSignature(head, event.position);
    const entry = (await this.entries([ledgerId(BigInt(head.position))])).get(ledgerId(BigInt(head.position)));
    this.checkHeadHash(head, entry);
    this.headsInLog++;
  }

  private checkSignature(head: SignedHead, at: GlobalPosition): void {
    const check = checkHeadSignature(head, this.options.trustedKeys);
    if (check === 'unknown_key') throw new Broken(at, `the head signed at ${head.time} for position ${head.position} is signed by key ${head.keyId}, which is not trusted`);
    if (check === 'invalid') throw new Broken(at, `the signature of the head signed at ${head.time} for position ${head.position} is not valid: the head was altered`);
  }

  private checkHeadHash(head: SignedHead, entry: LedgerEntry | undefined): void {
    const at = BigInt(head.position);
    if (!entry) throw new Broken(at, `a head signed at ${head.time} covers position ${at}, which the ledger does not hold`);
    if (entry.globalHash !== head.globalHash) {
      throw new Broken(at, `the head signed at ${head.time} says the global hash at ${at} was ${head.globalHash}; recomputed it is ${entry.globalHash}: the log up to there was rewritten`);
    }
  }

  /**
   * The ledger going past the log's end means the log lost its tail. Read the ledger's end
   * first and the log's head after: the keeper only ledgers what the log already holds, so
   * events appended meanwhile never look like a truncation.
   */
  private async checkTruncationByLedger(): Promise<void> {
    const state = await readLedgerState(this.readStore);
    const head = await this.events.headPosition();
    if (!state || (head !== undefined && BigInt(state.position) <= head)) return;
    const [beyond] = await this.ledger.find(head === undefined ? {} : { _id: { $gt: ledgerId(head) } }, { sort: { _id: 1 }, limit: 1 });
    const missing = this.events.gapFreePositions ? (head ?? -1n) + 1n : beyond ? BigInt(beyond._id) : BigInt(state.position);
    this.broken = new Broken(missing, `the log ends at ${head ?? 'nothing'} but the ledger recorded events up to ${state.position}: the log was truncated`);
  }

  /**
   * Every head in the read store within the range: signed by a trusted key, and equal to the
   * recomputed global hash at its position (the ledger's, which this run found equal to the
   * recomputation). A head past the log's end proves truncation even when the ledger was cut too.
   */
  private async checkStoredHeads(logEnd: GlobalPosition | undefined): Promise<number> {
    const { from, to } = this.options;
    const heads = this.readStore.collection<StoredHead>(AUDIT_HEADS);
    let verified = 0;
    let filter: Record<string, unknown> = from !== undefined ? { _id: { $gte: ledgerId(from) } } : {};
    for (;;) {
      const page = await heads.find(filter, { sort: { _id: 1 }, limit: this.pageSize });
      if (page.length === 0) return verified;
      // Read after the page: every head in it was signed over a log at least this long.
      const head = await this.events.headPosition();
      const entries = await this.entries(page.map((h) => ledgerId(BigInt(h.position))));
      for (const stored of page) {
        const at = BigInt(stored.position);
        if ((to !== undefined && at > to) || (this.broken && at >= this.broken.position)) return verified;
        try {
          this.checkSignature(stored, at);
          if (logEnd === undefined || at > logEnd) {
            if (!this.reachedEnd || this.broken || (head !== undefined && at <= head)) return verified; // past what this run read
            const missing = this.events.gapFreePositions ? (head ?? -1n) + 1n : at;
            throw new Broken(missing, `a head signed at ${stored.time} covers position ${at}, but the log ends at ${head ?? 'nothing'}: the log was truncated`);
          }
          this.checkHeadHash(stored, entries.get(ledgerId(at)));
        } catch (error) {
          if (!(error instanceof Broken)) throw error;
          if (!this.broken || error.position < this.broken.position) this.broken = error;
          return verified;
        }
        verified++;
      }
      filter = { _id: { $gt: page[page.length - 1]._id } };
    }
  }

  private async entries(ids: string[]): Promise<Map<string, LedgerEntry>> {
    if (ids.length === 0) return new Map();
    return new Map((await this.ledger.find({ _id: { $in: ids } })).map((e) => [e._id, e]));
  }
}

async function collect(events: AsyncIterable<StoredEvent>): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}
