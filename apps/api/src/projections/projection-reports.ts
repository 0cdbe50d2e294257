import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import type { ProjectionReport } from '../../../projector/src/projector';

export type ProjectionLag = ProjectionReport & {
  /** The log has events this projection has not applied (null: the event store cannot be reached). */
  behind: boolean | null;
  /** How many: only where positions count events (the embedded store); else null. */
  lagEvents: number | null;
  /** How long the oldest unapplied event has waited (0 when caught up; null when unknown). */
  lagSeconds: number | null;
};

/** Adds to each projection's status how far behind the log it is, in events and seconds. */
export async function withLag(events: EventStore, reports: ProjectionReport[], now = Date.now()): Promise<ProjectionLag[]> {
  let head: bigint | undefined;
  try {
    head = await events.headPosition();
  } catch {
    // The event store is down: the projections' own status still says what they know.
    return reports.map((report) => ({ ...report, behind: null, lagEvents: null, lagSeconds: null }));
  }
  return Promise.all(
    reports.map(async (report) => {
      const position = report.position === null ? undefined : BigInt(report.position);
      const behind = head !== undefined && (position === undefined || head > position);
      const lagEvents = events.gapFreePositions ? (head === undefined ? 0 : Number(head - (position ?? -1n))) : null;
      return { ...report, behind, lagEvents, lagSeconds: behind ? await oldestWaitSeconds(events, position, now) : 0 };
    }),
  );
}

async function oldestWaitSeconds(events: EventStore, after: bigint | undefined, now: number): Promise<number> {
  for await (const event of events.readAll({ after, limit: 1 })) {
    return Math.max(0, Math.round((now - Date.parse(event.metadata.recordedAt)) / 1000));
  }
  return 0;
}
