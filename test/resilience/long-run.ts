/**
 * Issue 10's tests run bounded in `npm test` and long under `npm run test:long`
 * (LONG_TESTS=1): each picks its size with `sized(bounded, long)`.
 */
export const LONG = process.env.LONG_TESTS === '1';

export function sized<T>(bounded: T, long: T): T {
  return LONG ? long : bounded;
}

/** A timeout for a test whose long version runs for minutes. */
export function timeoutFor(boundedMs: number, longMs: number): number {
  return LONG ? longMs : boundedMs;
}
