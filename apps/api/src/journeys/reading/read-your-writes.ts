import { NotYetProjected } from '../../errors';

/** The projector as reads need it: "has this projection applied that position yet?" */
export interface ProjectionProgress {
  waitFor(projection: string, position: bigint, timeoutMs: number): Promise<boolean>;
}

/**
 * Read-your-writes: a command's response position can be passed back on a read, which then
 * waits (bounded) until the projection has applied it, and answers 503 with a retry hint if not.
 */
export async function awaitProjection(progress: ProjectionProgress, projection: string, minPosition: bigint | undefined, timeoutMs: number): Promise<void> {
  if (minPosition === undefined) return;
  if (!(await progress.waitFor(projection, minPosition, timeoutMs))) throw new NotYetProjected(minPosition, 1);
}
