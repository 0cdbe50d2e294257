import { Random } from './random';

describe('Random (seeded xoshiro128**)', () => {
  it('gives the same sequence for the same name and another for another name', () => {
    const draw = (name: string) => { const r = Random.from(name); return Array.from({ length: 8 }, () => r.nextUint32()); };
    expect(draw('seed/1')).toEqual(draw('seed/1'));
    expect(draw('seed/1')).not.toEqual(draw('seed/2'));
  });

  it('stays in range: floats in [0, 1), integers inclusive, picks from the list', () => {
    const r = Random.from('ranges');
    const ints = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      ints.add(r.int(3, 6));
    }
    expect([...ints].sort()).toEqual([3, 4, 5, 6]);
    expect(['a', 'b']).toContain(r.pick(['a', 'b']));
    expect(() => r.pick([])).toThrow(RangeError);
  });

  it('draws by weight, chance, normal and lognormal close to their parameters', () => {
    const r = Random.from('distributions');
    const n = 20_000;
    const counts = { a: 0, b: 0, c: 0 };
    let hits = 0, sum = 0;
    const logs: number[] = [];
    for (let i = 0; i < n; i++) {
      counts[r.weighted({ a: 1, b: 3, c: 0 })]++;
      if (r.chance(0.3)) hits++;
      sum += r.normal(10, 2);
      logs.push(r.lognormal(500, 0.7));
    }
    expect(counts.c).toBe(0);
    expect(counts.b / n).toBeCloseTo(0.75, 1);
    expect(hits / n).toBeCloseTo(0.3, 1);
    expect(sum / n).toBeCloseTo(10, 0);
    logs.sort((x, y) => x - y);
    expect(Math.abs(logs[n / 2] - 500) / 500).toBeLessThan(0.05);
  });

  it('makes version-4-shaped UUIDs, deterministically', () => {
    const a = Random.from('ids').uuid();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Random.from('ids').uuid()).toBe(a);
  });

  it('samples distinct elements', () => {
    const picked = Random.from('sample').sample([1, 2, 3, 4, 5], 3);
    expect(new Set(picked).size).toBe(3);
    expect(Random.from('sample').sample([1, 2], 5)).toHaveLength(2);
  });
});
