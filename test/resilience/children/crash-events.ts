/**
 * What the appender child (appender.ts) appends, shared with the tests that check it: every
 * event's id and data are a pure function of its append's key and its index in the append, so a
 * test can recompute exactly what each stored event must hold. And the line protocol the
 * children speak on stdout: one line per message, a letter then JSON.
 */
import { createHash } from 'node:crypto';
import type { EventMetadata, EventToAppend } from '../../../libs/event-store/src/event-store.port';

export const CRASH_EVENT_TYPE = 'CrashTestEventAppended';

export const CRASH_METADATA: EventMetadata = {
  recordedAt: '2024-06-01T10:00:00.000Z',
  recordedBy: { userId: 'crash-tester', role: 'support_worker', organisationId: 'org-crash' },
  commandId: 'crash-test',
  correlationId: 'crash-test',
  schemaVersion: 1,
};

/** An append's key: which run of the child, which writer, which of its appends. Unique over a test. */
export function appendKey(run: number, writer: number, sequence: number): string {
  return `${run}.${writer}.${sequence}`;
}

/** A name-based UUID (v5 layout) of the append's key and the event's index in it. */
export function crashEventId(seed: number, key: string, index: number): string {
  const hex = createHash('sha256').update(`${seed}/${key}/${index}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The data of event `index` of `count` in the append `key` to `stream`: a few hundred bytes, varying in size. */
export function crashEventData(seed: number, key: string, stream: string, index: number, count: number): Record<string, unknown> {
  const digest = createHash('sha256').update(`${seed}|${key}|${index}`).digest('hex');
  return { key, stream, index, count, body: digest.repeat(1 + (parseInt(digest.slice(0, 2), 16) % 8)) };
}

export function crashEvents(seed: number, key: string, stream: string, count: number): EventToAppend[] {
  return Array.from({ length: count }, (_, index) => ({
    id: crashEventId(seed, key, index),
    type: CRASH_EVENT_TYPE,
    data: crashEventData(seed, key, stream, index, count),
    metadata: CRASH_METADATA,
  }));
}

/** An acknowledged append, as the child reports it the moment its promise resolved. */
export interface Ack {
  key: string;
  stream: string;
  /** Revisions of its first and last event. */
  revisions: [string, string];
  ids: string[];
  /** Position of its last event. */
  position: string;
  /** The store's commit count when it was acknowledged: acks sharing one were group-committed together. */
  commit: number;
}

/** Messages on a child's stdout: `<letter> <json>\n`. */
export const LINE = {
  ready: 'R',
  ack: 'A',
  progress: 'P',
  done: 'D',
} as const;

export function writeLine(letter: string, value: unknown): void {
  process.stdout.write(`${letter} ${JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
}
