import { addCounters, groupCells, PERIODS } from './aggregate';
import { cellId, type Cell } from './cells';
import { DIMENSIONS } from './dimensions';
import { CELL_FAMILIES } from './families';
import { DAY_ROLLUP_FAMILIES, ROLLUP, ROLLUP_FAMILIES, rollupIds, rollupsOf } from './rollups';
import { generatedDocuments } from './testing/generated-journeys';

/** Roll-ups answer exactly what the fine cells answer, for every family, dimension and period. */
describe('roll-ups', () => {
  const documents = generatedDocuments(400, 31);
  const fine = documents.flatMap((doc) => CELL_FAMILIES.flatMap((family) => family(doc)));
  const rollups = new Map<string, Cell>();
  for (const cell of fine.flatMap(rollupsOf)) {
    const id = cellId(cell);
    const sum = rollups.get(id) ?? { ...cell, counters: {} };
    addCounters(sum.counters, cell.counters);
    rollups.set(id, sum);
  }

  it.each(Object.keys(ROLLUP_FAMILIES))('%s: every dimension and period gives the same figures from roll-ups as from fine cells', (family) => {
    const familyFine = fine.filter((c) => c.family === family);
    expect(familyFine.length).toBeGreaterThan(50);
    for (const period of PERIODS) {
      for (const dimension of ['all' as const, ...DIMENSIONS]) {
        const by = dimension === 'all' ? [] : [dimension];
        const months = [...new Set(familyFine.map((c) => c.date.slice(0, 7)))];
        const stages = ROLLUP_FAMILIES[family].includes('stage') ? [{ stage: 'reasonable_grounds' }, { stage: 'conclusive_grounds' }] : [{}];
        const listed = rollupIds(family, months, dimension, stages).flatMap((id) => rollups.get(id) ?? []);
        expect([family, period, dimension, groupCells(listed, { period, by })]).toEqual([family, period, dimension, groupCells(familyFine, { period, by })]);
      }
    }
  });

  it.each(Object.keys(DAY_ROLLUP_FAMILIES))('%s: each day roll-up holds the sum of the fine cells of its day and kept extra keys, under no dimension', (family) => {
    const kept = DAY_ROLLUP_FAMILIES[family];
    const key = (cell: Cell) => JSON.stringify([cell.date, kept.map((k) => cell.extra?.[k] ?? null)]);
    const familyFine = fine.filter((c) => c.family === family);
    const sums = new Map<string, Record<string, number>>();
    for (const cell of familyFine) sums.set(key(cell), addCounters({ ...sums.get(key(cell)) }, cell.counters));
    const days = [...rollups.values()].filter((c) => c.family === family);
    expect(familyFine.length).toBeGreaterThan(50);
    expect(days.length).toBeLessThan(familyFine.length); // some days shared by several exits
    expect(days.every((c) => c.level === ROLLUP && Object.keys(c.dims).length === 0 && Object.keys(c.extra!).join() === kept.join())).toBe(true);
    expect(new Map(days.map((c) => [key(c), c.counters]))).toEqual(sums);
  });
});
