/**
 * Requests per user per fixed window, in memory. The address-based limit runs before
 * authentication (it protects the token check itself); this one runs after it, so a user
 * cannot escape their limit by changing address, nor spend another user's by naming them.
 * Each API process counts its own share: with N processes behind a balancer a user gets at
 * most N times the limit, which docs/security.md states. Windows are measured on the monotonic
 * clock: a wall clock set back would otherwise hold a window open (and a user over their
 * limit refused) until it caught up again.
 */
export class UserRateLimiter {
  private readonly counts = new Map<string, number>();
  private windowStartedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts one request; returns the seconds to wait when the user is over the limit. */
  take(userId: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.now();
    if (now - this.windowStartedAt >= this.windowMs) {
      this.counts.clear();
      this.windowStartedAt = now;
    }
    const count = (this.counts.get(userId) ?? 0) + 1;
    this.counts.set(userId, count);
    if (count <= this.limit) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((this.windowStartedAt + this.windowMs - now) / 1000)) };
  }
}
