import type { EventStore } from '../../../libs/event-store/src/event-store.port';
import type { ReadStore } from '../../../libs/read-store/src/read-store.port';
import { Projector, type ProjectorOptions } from '../../projector/src/projector';

export interface CaughtUp {
  /** The log's head when the catch-up began, or null for an empty log. */
  position: string | null;
  seconds: number;
  /** Starting the projector, in which the embedded read store loads each projection's collection: a cost per start, not per event. */
  startSeconds: number;
  /** Each projection's serving collection once caught up (a version bump switched to a rebuilt one). */
  serving: Record<string, string>;
}

/**
 * Runs the projector until every projection has applied the whole log as it stood at the start,
 * and no rebuild (a projection whose version changed) is under way; then stops it. For the
 * CLI's seed and restore, which serve nothing while they project. `onProgress` gets the
 * slowest projection's next position and the log's length.
 */
export async function projectToHead(
  events: EventStore, readStore: ReadStore, options: ProjectorOptions, onProgress?: (done: number, total: number) => void,
): Promise<CaughtUp> {
  const head = await events.headPosition();
  const started = Date.now();
  const projector = new Projector(events, readStore, options);
  await projector.start();
  const startSeconds = (Date.now() - started) / 1000;
  try {
    for (;;) {
      const statuses = await projector.status();
      const failed = statuses.find((s) => s.lastError);
      if (failed) throw new Error(`Projection ${failed.name} failed at ${failed.lastError!.position}: ${failed.lastError!.message}`);
      const slowest = statuses.map((s) => (s.position === null ? -1n : BigInt(s.position))).reduce((a, b) => (a < b ? a : b), head ?? -1n);
      if (head !== undefined) onProgress?.(Number(slowest) + 1, Number(head) + 1);
      if (statuses.every((s) => s.rebuilding === null) && (head === undefined || slowest >= head)) {
        return { position: head === undefined ? null : head.toString(), seconds: (Date.now() - started) / 1000, startSeconds, serving: Object.fromEntries(statuses.map((s) => [s.name, s.serving])) };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await projector.stop();
  }
}
