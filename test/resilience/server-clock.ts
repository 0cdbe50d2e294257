/**
 * The server's wall clock, under the test's control: importing this module replaces the
 * global `Date` of the test's context (which the application's modules share when they run
 * in-process) with one whose "now" (`new Date()`, `Date()`, `Date.now()`) is the real time
 * plus an offset, or a pinned instant. Every other use of Date (parsing, `new Date(ms)`,
 * arithmetic, instanceof) is the real one. Timers and the monotonic clock
 * (`performance.now()`) are untouched: setting the wall clock back is what an operator or
 * NTP does to a server, and it does not make time run backwards.
 *
 * Import it before the application's modules, so that none of them holds the real `Date.now`.
 */
const RealDate = Date;

class ServerClock {
  private offsetMs = 0;
  private pinnedAt: number | undefined;

  /** What the server's clock says now (ms since the epoch). */
  now(): number {
    return this.pinnedAt ?? RealDate.now() + this.offsetMs;
  }

  /** Sets the clock back by `ms` from where it is (it keeps running from there). */
  setBack(ms: number): void {
    this.offsetMs -= ms;
  }

  /** Stops the clock at `instant` until unpin(). */
  pin(instant: string): void {
    this.pinnedAt = RealDate.parse(instant);
  }

  unpin(): void {
    this.pinnedAt = undefined;
  }

  /** Back to the real time. */
  reset(): void {
    this.offsetMs = 0;
    this.pinnedAt = undefined;
  }

  get offset(): number {
    return this.offsetMs;
  }
}

export const serverClock = new ServerClock();

const ShiftedDate = new Proxy(RealDate, {
  construct(target, args, newTarget) {
    return Reflect.construct(target, args.length === 0 ? [serverClock.now()] : args, newTarget);
  },
  apply() {
    return new RealDate(serverClock.now()).toString();
  },
  get(target, key, receiver) {
    return key === 'now' ? () => serverClock.now() : Reflect.get(target, key, receiver);
  },
});

globalThis.Date = ShiftedDate as DateConstructor;

/** Puts the real Date back (afterAll). */
export function restoreRealDate(): void {
  serverClock.reset();
  globalThis.Date = RealDate;
}
