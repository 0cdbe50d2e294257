/**
 * Named crash points, for the crash tests of test/resilience (issue 10, "Prove nothing is lost").
 *
 * A crash point is a one-line call, `crashPoint('event-store.after-commit')`, at a place where a
 * crash is interesting: between two effects that must survive or vanish together, or between a
 * durable effect and its acknowledgement. It does nothing unless the environment variable
 * `VJT_CRASH_POINT` names it when this module is loaded (read once: the cost of a disabled point
 * is one boolean check). Then the process kills itself with SIGKILL when it reaches the point (or
 * the Nth time it does, with `name@N`): a real crash, with no cleanup, no finally blocks, no
 * flush of anything. A test then restarts the process without the variable and checks that
 * nothing acknowledged was lost and nothing half-done is visible.
 *
 * Never set `VJT_CRASH_POINT` outside tests. A value naming no point stops the process at load,
 * so that a misspelt test cannot pass by never crashing.
 */
import { writeSync } from 'node:fs';

/** Every crash point, in the order data flows through them. */
export const CRASH_POINTS = [
  /** Event store: a group of appends is committed (and fsynced) in SQLite; no append is acknowledged yet. */
  'event-store.after-commit',
  /** Projector: a batch's documents (and cells) are written in its read-store transaction; the checkpoint is not, nothing is committed. */
  'projector.before-checkpoint',
  /** Embedded read store: a transaction is committed in SQLite; the in-memory collections are not updated yet. */
  'read-store.after-commit',
  /** Audit ledger keeper: a batch of ledger entries is committed; the keeper has not moved its position on. */
  'ledger-keeper.after-commit',
] as const;

export type CrashPointName = (typeof CRASH_POINTS)[number];

export const CRASH_POINT_VARIABLE = 'VJT_CRASH_POINT';

export interface CrashPointSetting {
  name: CrashPointName;
  /** Crash the `at`-th time the point is reached (1: the first time). */
  at: number;
}

/** Parses `name` or `name@N`; undefined when unset or empty. @throws Error for anything else. */
export function parseCrashPointSetting(value: string | undefined): CrashPointSetting | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const match = /^([a-z.-]+)(?:@([1-9][0-9]*))?$/.exec(value.trim());
  const name = match?.[1] as CrashPointName | undefined;
  if (!match || !CRASH_POINTS.includes(name!)) {
    throw new Error(`${CRASH_POINT_VARIABLE}=${value} names no crash point: expected one of ${CRASH_POINTS.join(', ')}, optionally followed by @N`);
  }
  return { name: name!, at: match[2] ? Number(match[2]) : 1 };
}

const setting = parseCrashPointSetting(process.env[CRASH_POINT_VARIABLE]);
const enabled = setting !== undefined;
let reached = 0;

/** Kills this process with SIGKILL if `VJT_CRASH_POINT` names this point (and this is its Nth time); otherwise nothing. */
export function crashPoint(name: CrashPointName): void {
  if (!enabled) return;
  if (name !== setting!.name || ++reached < setting!.at) return;
  // One synchronous line, so a test can tell this crash from any other; then the crash itself.
  writeSync(2, `${CRASH_POINT_VARIABLE}: crashing at ${name} (reached ${reached} times)\n`);
  process.kill(process.pid, 'SIGKILL');
}
