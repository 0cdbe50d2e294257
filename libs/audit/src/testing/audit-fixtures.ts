import type { EventMetadata, EventStore, EventToAppend, StoredEvent } from '../../../event-store/src/event-store.port';

export const metadata: EventMetadata = {
  recordedAt: '2024-06-01T10:00:00.000Z', recordedBy: { userId: 'worker-1', role: 'support_worker', organisationId: 'org-1' },
  commandId: 'c', correlationId: 'c', schemaVersion: 1,
};

let counter = 0;

/** An event with unique data, so that no two events hash alike and a swap always shows. */
export function anEvent(type = 'NoteRecorded', data: Record<string, unknown> = {}): EventToAppend {
  counter++;
  return { id: `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`, type, data: { n: counter, note: `note ${counter}`, ...data }, metadata };
}

export function stored(streamId: string, revision: number, position: number, data: Record<string, unknown> = {}): StoredEvent {
  return { id: `e-${position}`, streamId, revision: BigInt(revision), position: BigInt(position), type: 'T', data: { position, ...data }, metadata };
}

/** Appends `events` events over `streams` streams, interleaved at random (deterministic for a seed). */
export async function appendInterleaved(store: EventStore, events: number, streams: number, random: () => number = seededRandom(1), prefix = 'journey-'): Promise<void> {
  for (let i = 0; i < events; i++) {
    const stream = `${prefix}${Math.floor(random() * streams)}`;
    await store.append(stream, [anEvent()], 'any');
  }
}

/** mulberry32: small, fast, deterministic. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Waits until the keeper has ledgered the whole log and nothing more arrives (a head it signs is ledgered too). */
export async function settled(keeper: { status(): { position: string | null } }, store: EventStore, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let stableSince: number | undefined;
  for (;;) {
    const head = await store.headPosition();
    const at = keeper.status().position;
    const done = head === undefined ? at === null : at === head.toString();
    if (done) stableSince ??= Date.now();
    else stableSince = undefined;
    if (stableSince !== undefined && Date.now() - stableSince >= 60) return;
    if (Date.now() > deadline) throw new Error(`keeper at ${at}, log at ${head}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
