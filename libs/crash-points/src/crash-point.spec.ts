import { CRASH_POINTS, crashPoint, parseCrashPointSetting } from './crash-point';

// The crashes themselves are tested in test/resilience/crash-points.spec.ts, in child processes.
describe('crash points', () => {
  it('reads VJT_CRASH_POINT as a point name, optionally @N (the Nth time it is reached)', () => {
    expect(parseCrashPointSetting(undefined)).toBeUndefined();
    expect(parseCrashPointSetting('  ')).toBeUndefined();
    expect(parseCrashPointSetting('event-store.after-commit')).toEqual({ name: 'event-store.after-commit', at: 1 });
    expect(parseCrashPointSetting('read-store.after-commit@12')).toEqual({ name: 'read-store.after-commit', at: 12 });
  });

  it('refuses a value that names no point, so a misspelt test cannot pass by never crashing', () => {
    for (const value of ['event-store.after-comit', 'read-store.after-commit@0', 'read-store.after-commit@x', 'read-store.after-commit@-1']) {
      expect(() => parseCrashPointSetting(value)).toThrow(/names no crash point/);
    }
  });

  it('does nothing when the variable is unset (as in this process)', () => {
    for (const point of CRASH_POINTS) crashPoint(point);
    expect(process.env.VJT_CRASH_POINT).toBeUndefined();
  });
});
