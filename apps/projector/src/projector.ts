import type { EventStore } from '../../../libs/event-store/src/event-store.port';
import type { ReadStore } from '../../../libs/read-store/src/read-store.port';
import { ALL_PROJECTIONS } from '../../../projections';
import { ProjectionRunner, ProjectionStatus, RunnerOptions } from './projection-runner';

/** Runs every projection, each with its own subscription and checkpoint. */
export class Projector {
  private readonly runners: Map<string, ProjectionRunner<any>>;

  constructor(events: EventStore, readStore: ReadStore, options: RunnerOptions) {
    this.runners = new Map(ALL_PROJECTIONS.map((p) => [p.name, new ProjectionRunner(p, events, readStore, options)]));
  }

  async start(): Promise<void> {
    for (const runner of this.runners.values()) await runner.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
  }

  status(): ProjectionStatus[] {
    return [...this.runners.values()].map((r) => r.status());
  }

  /** Waits until `projection` has applied `position` (read-your-writes); false on timeout. */
  waitFor(projection: string, position: bigint, timeoutMs: number): Promise<boolean> {
    const runner = this.runners.get(projection);
    if (!runner) throw new Error(`Unknown projection ${projection}`);
    return runner.waitFor(position, timeoutMs);
  }
}
