import { UserRateLimiter } from './user-rate-limiter';

describe('UserRateLimiter', () => {
  it('allows a user their limit per window, then says how long to wait, per user', () => {
    let now = 1_000_000;
    const limiter = new UserRateLimiter(2, 60_000, () => now);
    expect(limiter.take('u1').allowed).toBe(true);
    expect(limiter.take('u1').allowed).toBe(true);
    now += 15_000;
    expect(limiter.take('u1')).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(limiter.take('u2').allowed).toBe(true);
    now += 45_000;
    expect(limiter.take('u1').allowed).toBe(true);
  });
});
