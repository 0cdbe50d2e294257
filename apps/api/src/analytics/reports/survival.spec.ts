import { kaplanMeier, survivalCurve, type Observation } from './survival';

const event = (days: number, count = 1): Observation => ({ days, event: true, count });
const censored = (days: number, count = 1): Observation => ({ days, event: false, count });

describe('Kaplan-Meier survival', () => {
  it('steps down at each event time by the share of those at risk who had the event (hand-computed)', () => {
    // Times 2, 3+, 5, 5, 5+, 8+ (+ censored). At day 5 the one censored on day 5 is still at risk.
    const steps = kaplanMeier([event(2), censored(3), event(5, 2), censored(5), censored(8)]);
    expect(steps.map((s) => [s.days, s.atRisk, s.events])).toEqual([[2, 6, 1], [5, 4, 2]]);
    expect(steps[0].survival).toBeCloseTo(5 / 6, 10);
    expect(steps[1].survival).toBeCloseTo((5 / 6) * (2 / 4), 10);
  });

  it('gives nothing for no one', () => {
    expect(kaplanMeier([])).toEqual([]);
    expect(survivalCurve([], 10)).toEqual([]);
  });

  it('publishes the curve every 30 days with cumulative counts, withholding points whose figures could identify people', () => {
    // 100 people: 15 events on day 10, 5 on day 40, 10 on day 70; 20 censored on day 45, 50 on day 100.
    // S(10) = 85/100; S(40) = 0.85 * 80/85 = 0.8; S(70) = 0.8 * 50/60 = 0.6667.
    const curve = survivalCurve([event(10, 15), event(40, 5), censored(45, 20), event(70, 10), censored(100, 50)], 10);
    const withheld = { atRisk: null, events: null, censored: null, survival: null, suppressed: ['atRisk', 'censored', 'events', 'survival'] };
    expect(curve).toEqual([
      { days: 0, atRisk: 100, events: 0, censored: 0, survival: 1, suppressed: [] },
      { days: 30, atRisk: 85, events: 15, censored: 0, survival: 0.85, suppressed: [] },
      // 5 more events since day 30: withheld, or subtraction would reveal them.
      { days: 60, ...withheld },
      { days: 90, atRisk: 50, events: 30, censored: 20, survival: 0.6667, suppressed: [] },
      // No one left at risk.
      { days: 120, ...withheld },
    ]);
  });

  it('withholds points with fewer than the threshold at risk', () => {
    const curve = survivalCurve([event(5, 10), censored(40, 12), censored(70, 5)], 10);
    expect(curve.map((p) => [p.days, p.atRisk, p.survival])).toEqual([[0, 27, 1], [30, 17, 0.6296], [60, null, null], [90, null, null]]);
  });

  it('never publishes a count, or a difference between published points, from 1 to threshold-1', () => {
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n);
    for (let run = 0; run < 200; run++) {
      const observations = Array.from({ length: 1 + random(40) }, () => ({ days: random(400), event: random(2) === 0, count: 1 + random(6) }));
      const published = survivalCurve(observations, 10).filter((p) => p.suppressed.length === 0);
      let last = { atRisk: observations.reduce((s, o) => s + o.count, 0), events: 0, censored: 0 };
      for (const point of published) {
        expect(point.atRisk).toBeGreaterThanOrEqual(10);
        for (const name of ['atRisk', 'events', 'censored'] as const) {
          const growth = Math.abs(point[name]! - last[name]);
          expect(growth === 0 || growth >= 10).toBe(true);
        }
        last = { atRisk: point.atRisk!, events: point.events!, censored: point.censored! };
      }
    }
  });
});
