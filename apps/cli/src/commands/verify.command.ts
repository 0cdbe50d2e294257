import { Command, CommandRunner, Option } from 'nest-commander';
import { isJourneyEventType, JOURNEY_STREAM_PREFIX } from '../../../../libs/domain/src/events';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import type { ReadStore } from '../../../../libs/read-store/src/read-store.port';
import { canonicalJson } from '../../../api/src/http/command-request';
import { addCounters, flattenCounters } from '../../../../projections/analytics/aggregate';
import { cellId, type StoredCell } from '../../../../projections/analytics/cells';
import { ALL_PROJECTIONS } from '../../../../projections';
import { readCheckpoint } from '../../../projector/src/checkpoints';
import { servingCollection } from '../../../projector/src/projection-catalog';
import { historyOf, toProjectedEvent } from '../../../projector/src/projected-events';
import { trustedKeys } from '../../../../libs/audit/src/signing-key';
import { verifyLog, VerifyRangeNotLedgered, type VerifyReport } from '../../../../libs/audit/src/verify';
import { auditSigningKey } from '../../../api/src/audit/audit-keys';
import { CliStores, report } from '../cli-stores';
import { interruptible } from '../interruption';
import { Progress } from '../progress';

interface Finding { check: string; ok: boolean; detail: string; report?: VerifyReport }

/**
 * `verify`: reads the whole log and checks it is well formed (positions strictly increasing,
 * and gap-free where the store promises it; each stream's revisions contiguous from 0; every
 * journey event readable in its schema version; every journey begins with its
 * identification), then recomputes each read model from scratch and compares it, document
 * by document, with the one serving reads; and recomputes the hash chains, comparing them with
 * the audit ledger and every signed head (`--from`/`--to` narrow this last check to a range;
 * docs/audit.md). Exits 1 when anything fails.
 */
@Command({ name: 'verify', description: 'Check the log is well formed, its hash chains match the audit ledger and signed heads, and every read model equals a fresh recomputation' })
export class VerifyCommand extends CommandRunner {
  constructor(private readonly stores: CliStores) {
    super();
  }

  async run(_args: string[], options: { json?: boolean; from?: bigint; to?: bigint }): Promise<void> {
    await this.stores.use(async ({ events, readStore }) => {
      const findings = [await this.checkLog(events, !!options.json), await this.checkChain(events, readStore, options)];
      for (const projection of ALL_PROJECTIONS) findings.push(await this.checkProjection(projection, events, readStore));
      const ok = findings.every((f) => f.ok);
      if (!ok) process.exitCode = 1;
      report(!!options.json, { ok, findings }, () => [...findings.map((f) => `${f.ok ? 'OK  ' : 'FAIL'} ${f.check}: ${f.detail}`), ok ? 'Verified.' : 'Verification FAILED.']);
    });
  }

  private async checkLog(events: EventStore, json: boolean): Promise<Finding> {
    const progress = new Progress('verify log', undefined, 'events', { json });
    const nextRevision = new Map<string, bigint>();
    let previous: bigint | undefined;
    let count = 0;
    const problems: string[] = [];
    for await (const e of events.readAll()) {
      if (previous !== undefined && (e.position <= previous || (events.gapFreePositions && e.position !== previous + 1n))) problems.push(`position ${e.position} follows ${previous}`);
      const expected = nextRevision.get(e.streamId) ?? 0n;
      if (e.revision !== expected) problems.push(`${e.streamId} revision ${e.revision} where ${expected} was due`);
      if (e.streamId.startsWith(JOURNEY_STREAM_PREFIX)) {
        if (expected === 0n && e.type !== 'VictimIdentified') problems.push(`${e.streamId} begins with ${e.type}`);
        if (!isJourneyEventType(e.type)) problems.push(`${e.streamId} holds unknown event type ${e.type}`);
        else {
          try {
            toProjectedEvent(e);
          } catch (error) {
            problems.push(`${e.streamId}@${e.revision}: ${error instanceof Error ? error.message : error}`);
          }
        }
      }
      nextRevision.set(e.streamId, e.revision + 1n);
      previous = e.position;
      progress.update(++count);
      if (problems.length > 20) break;
    }
    progress.finish();
    return { check: 'event log', ok: problems.length === 0, detail: problems.length ? problems.slice(0, 20).join('; ') : `${count} events in ${nextRevision.size} streams, well formed` };
  }

  private async checkProjection(projection: (typeof ALL_PROJECTIONS)[number], events: EventStore, readStore: ReadStore): Promise<Finding> {
    const check = `read model ${projection.name}`;
    const serving = await servingCollection(readStore, projection.name, projection.collection);
    const checkpoint = await readCheckpoint(readStore, serving);
    const expected = new Map<string, unknown>();
    for await (const stored of events.readAll()) {
      if (checkpoint === undefined || stored.position > checkpoint) break;
      const event = toProjectedEvent(stored);
      const id = event && projection.documentId(event);
      if (!event || id === undefined) continue;
      const history = projection.needsHistory?.(event) ? await historyOf(events, event) : undefined;
      const next = projection.evolve((expected.get(id) as any) ?? null, event, history);
      if (next) expected.set(id, next);
      else expected.delete(id);
    }
    const stored = await readStore.collection(serving).find({});
    const actual = stored.filter((doc) => doc.kind !== 'cell' && doc.kind !== 'rollup');
    if (projection.cellsOf) {
      for (const [id, cell] of expectedCells(projection, expected.values())) expected.set(id, cell);
      const cells = stored.filter((doc): doc is StoredCell => doc.kind === 'cell' || doc.kind === 'rollup').map(withoutZeroCounters);
      actual.push(...cells.filter((cell) => Object.keys(cell.counters).length > 0));
    }
    const actualIds = new Set(actual.map((d) => d._id));
    const differing = actual.filter((doc) => !expected.has(doc._id) || canonicalJson(doc) !== canonicalJson(asStored(expected.get(doc._id)))).map((d) => d._id);
    const missing = [...expected.keys()].filter((id) => !actualIds.has(id));
    const ok = differing.length === 0 && missing.length === 0;
    const upTo = checkpoint === undefined ? 'nothing applied yet' : `up to position ${checkpoint}`;
    return { check, ok, detail: ok ? `${actual.length} documents in ${serving} equal a fresh recomputation (${upTo})` : `${differing.length} differ, ${missing.length} missing in ${serving}: ${[...differing, ...missing].slice(0, 10).join(', ')}` };
  }

  /** The tamper evidence: chains recomputed against the ledger and the signed heads (libs/audit/src/verify.ts). */
  private async checkChain(events: EventStore, readStore: ReadStore, options: { json?: boolean; from?: bigint; to?: bigint }): Promise<Finding> {
    const check = 'hash chain, audit ledger and signed heads';
    const key = auditSigningKey(this.stores.config);
    const head = await events.headPosition();
    const span = events.gapFreePositions && head !== undefined ? Number((options.to ?? head) - (options.from ?? 0n)) + 1 : undefined;
    const progress = new Progress('verify chain', span, 'events', { json: !!options.json });
    const { signal, dispose } = interruptible();
    let result: VerifyReport;
    try {
      result = await verifyLog(events, readStore, { from: options.from, to: options.to, trustedKeys: trustedKeys(key.publicKey), signal, onProgress: (done) => progress.update(done) });
    } catch (error) {
      if (error instanceof VerifyRangeNotLedgered) return { check, ok: false, detail: error.message };
      throw error;
    } finally {
      dispose();
    }
    progress.update(result.eventsVerified);
    progress.finish();
    if (result.firstBroken) return { check, ok: false, detail: `first broken link at position ${result.firstBroken.position}: ${result.firstBroken.reason}`, report: result };
    const range = result.lastPosition === null ? 'no events' : `positions ${result.from ?? 'start'} to ${result.lastPosition}`;
    const notes = [
      result.complete ? '' : ` INTERRUPTED: resume with --from ${result.resumeFrom}.`,
      result.eventsNotYetLedgered ? ` ${result.eventsNotYetLedgered} events are not ledgered yet (only the running API or projector ledgers them): their chains were recomputed but not compared.` : '',
      result.alarms ? ` ${result.alarms} alarm(s) are on record in audit_alarms: see docs/audit.md.` : '',
    ].join('');
    return {
      check, ok: result.complete,
      detail: `${result.eventsVerified} events (${range}) equal the ledger; ${result.headsVerified} signed heads (and ${result.headsInLogVerified} in the log) valid, signed by ${key.keyId}.${notes}`,
      report: result,
    };
  }

  @Option({ flags: '--from <position>', description: 'Check the hash chain from this global position (the chain before it is taken from the ledger)' })
  parseFrom(value: string): bigint {
    return position('--from', value);
  }

  @Option({ flags: '--to <position>', description: 'Check the hash chain up to this global position (no truncation check then)' })
  parseTo(value: string): bigint {
    return position('--to', value);
  }

  @Option({ flags: '--json', description: 'Machine-readable output' })
  parseJson(): boolean {
    return true;
  }
}

function position(flag: string, value: string): bigint {
  if (!/^\d{1,40}$/.test(value)) throw new Error(`${flag} must be a global position (digits), got "${value}"`);
  return BigInt(value);
}

/** The cube an aggregating projection should hold: every document's cells, summed, as stored. */
function expectedCells(projection: (typeof ALL_PROJECTIONS)[number], documents: Iterable<unknown>): Map<string, StoredCell> {
  const cells = new Map<string, StoredCell>();
  for (const doc of documents) {
    for (const cell of projection.cellsOf!(doc)) {
      const id = cellId(cell);
      const stored = cells.get(id) ?? { _id: id, kind: cell.level ?? ('cell' as const), family: cell.family, date: cell.date, dims: cell.dims, extra: cell.extra ?? {}, counters: {} };
      stored.counters = addCounters(flattenCounters(stored.counters), cell.counters);
      cells.set(id, stored);
    }
  }
  for (const cell of cells.values()) cell.counters = nest(withoutZeroCounters(cell).counters as Record<string, number>);
  return cells;
}

/** Counters as stored: `name.value` histogram keys nested, as MongoDB's $inc with dotted paths leaves them. */
function nest(flat: Record<string, number>): Record<string, unknown> {
  const nested: Record<string, any> = {};
  for (const [key, value] of Object.entries(flat)) {
    const path = key.split('.');
    let at = nested;
    for (const part of path.slice(0, -1)) at = at[part] ??= {};
    at[path[path.length - 1]] = value;
  }
  return nested;
}

function withoutZeroCounters<T extends { counters: unknown }>(cell: T): T {
  const flat = flattenCounters(cell.counters as Record<string, unknown>);
  return { ...cell, counters: nest(Object.fromEntries(Object.entries(flat).filter(([, v]) => v !== 0))) };
}

/** A document as read stores keep it: undefined fields become null (MongoDB's driver does the same). */
function asStored(document: unknown): unknown {
  return JSON.parse(JSON.stringify(document, (_key, value) => (value === undefined ? null : value)));
}
