import { createHash } from 'node:crypto';
import { DEMO_SEED, generateJourneys, journeysPerYear, type SeedOptions } from './index';
import { figuresFor } from './nrm-statistics';

const digest = (options: SeedOptions) => {
  const hash = createHash('sha256');
  for (const journey of generateJourneys(options)) hash.update(JSON.stringify(journey));
  return hash.digest('hex');
};

describe('generateJourneys: determinism', () => {
  it('gives byte-identical output for the same seed and options', () => {
    const options = { journeys: 300, seed: 42 };
    expect(digest(options)).toBe(digest({ ...options }));
  });

  it('gives different output for a different seed, or a different today', () => {
    const base = digest({ journeys: 300, seed: 42 });
    expect(digest({ journeys: 300, seed: 43 })).not.toBe(base);
    expect(digest({ journeys: 300, seed: 42, today: '2025-06-30' })).not.toBe(base);
  });

  it('gives each journey a v4-shaped id from the PRNG, the same for the same seed and index', () => {
    const ids = [...generateJourneys({ journeys: 50, seed: 9 })].map((j) => j.journeyId);
    expect(new Set(ids).size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...generateJourneys({ journeys: 50, seed: 9 })].map((j) => j.journeyId)).toEqual(ids);
  });
});

describe('generateJourneys: options', () => {
  it('is lazy: the first journeys of ten million come at once', () => {
    const started = Date.now();
    const journeys = generateJourneys({ journeys: 10_000_000, seed: 1 });
    const first = [journeys.next().value, journeys.next().value];
    expect(first.every((j) => j && j.events.length > 0)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('dates nothing after today and nothing before fromYear', () => {
    for (const journey of generateJourneys({ journeys: 200, seed: 3, today: '2024-03-31', fromYear: 2020 })) {
      const identified = journey.events[0].data.occurredAt as string;
      expect(identified >= '2020-01-01').toBe(true);
      for (const event of journey.events) {
        expect((event.data.occurredAt as string) <= '2024-03-31').toBe(true);
        expect(event.recordedAt <= '2024-03-31T23').toBe(true);
      }
    }
  });

  it('refuses bad options at once', () => {
    expect(() => generateJourneys({ journeys: -1, seed: 1 })).toThrow(/journeys/);
    expect(() => generateJourneys({ journeys: 1.5, seed: 1 })).toThrow(/journeys/);
    expect(() => generateJourneys({ journeys: 1, seed: Number.NaN })).toThrow(/seed/);
    expect(() => generateJourneys({ journeys: 1, seed: 1, today: '2024-02-30' })).toThrow(/today/);
    expect(() => generateJourneys({ journeys: 1, seed: 1, today: '2031-01-01' })).toThrow(/today/);
    expect(() => generateJourneys({ journeys: 1, seed: 1, fromYear: 2008 })).toThrow(/fromYear/);
    expect(() => generateJourneys({ journeys: 1, seed: 1, today: '2020-01-01', fromYear: 2021 })).toThrow(/fromYear/);
  });

  it('generates nothing for zero journeys', () => {
    expect([...generateJourneys({ journeys: 0, seed: 1 })]).toEqual([]);
  });

  it('the demo set is 2,000 journeys from seed 2024', () => {
    expect(DEMO_SEED).toEqual({ journeys: 2000, seed: 2024 });
    expect([...generateJourneys(DEMO_SEED)]).toHaveLength(2000);
  });
});

describe('journeysPerYear', () => {
  it('apportions exactly, following referrals plus Duty to Notify reports per year', () => {
    const counts = journeysPerYear(100_000, 2014, '2026-11-01');
    expect(counts.reduce((sum, [, n]) => sum + n, 0)).toBe(100_000);
    const byYear = new Map(counts);
    const volume = (y: number) => figuresFor(y).referrals + figuresFor(y).dutyToNotify;
    expect(byYear.get(2023)! / byYear.get(2014)!).toBeCloseTo(volume(2023) / volume(2014), 1);
    expect(byYear.get(2019)! > byYear.get(2018)!).toBe(true);
    // 2026 pro rata to 1 November: 305 of 365 days.
    expect(byYear.get(2026)! / byYear.get(2025)!).toBeCloseTo(305 / 365, 2);
  });
});
