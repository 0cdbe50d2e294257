import { buildReport, rate, type ReportDefinition } from './report';
import type { Cell } from '../../../../projections/analytics/cells';
import type { CellDimensions } from '../../../../projections/analytics/dimensions';

const dims = (nationality: string, exploitationTypes: string[] = ['labour']): CellDimensions => ({
  nationality, ageGroup: 'adult', gender: 'female', exploitationTypes: exploitationTypes as CellDimensions['exploitationTypes'],
  exploitationLocation: 'uk', firstResponderType: 'police', competentAuthority: 'SCA', policeForceArea: 'E23000001', region: 'London',
});
const cells = (date: string, nationality: string, n: number, positive = 0): Cell[] =>
  Array.from({ length: n }, (_, i) => ({ family: 'f', date, dims: dims(nationality), counters: { people: 1, positive: i < positive ? 1 : 0 } }));

const definition: ReportDefinition = {
  measures: (c) => ({
    people: { kind: 'count', value: c.people ?? 0 },
    positive: { kind: 'count', value: c.positive ?? 0 },
    positiveRate: { kind: 'statistic', value: rate(c.positive ?? 0, c.people ?? 0), base: c.people ?? 0, dependsOn: ['positive'] },
  }),
};
const options = { period: 'quarter' as const, by: ['nationality' as const], threshold: 10 };

describe('disclosure control', () => {
  it('withholds counts from 1 to 9, keeps zero, and withholds a rate over fewer than 10 people', () => {
    const report = buildReport([...cells('2024-01-10', 'AL', 12, 0), ...cells('2024-01-11', 'VN', 4, 1), ...cells('2024-02-01', 'GB', 30, 15)], definition, options);
    const [al, gb, vn] = report.rows;
    expect(al).toMatchObject({ dims: { nationality: 'AL' }, values: { people: null, positive: 0 } });
    expect(vn).toMatchObject({ values: { people: null, positive: null, positiveRate: null }, suppressed: ['people', 'positive', 'positiveRate'] });
    // VN's 4 people could be recovered as 46 - 12 - 30: AL's 12, the smallest other, is withheld too.
    expect(al.suppressed).toContain('people');
    expect(gb.values.people).toBe(30);
    expect(report.periodTotals[0].values).toMatchObject({ people: 46, positive: 16 });
    expect(report.total.values.people).toBe(46);
  });

  it('withholds a rate whose count is withheld, even over enough people', () => {
    const report = buildReport([...cells('2024-01-10', 'AL', 20, 3), ...cells('2024-01-10', 'GB', 20, 12)], definition, options);
    expect(report.rows[0]).toMatchObject({ values: { people: 20, positive: null, positiveRate: null } });
    expect(report.rows[1].values.positive).toBeNull(); // secondary: 3 = 15 - 12 otherwise
  });

  it('withholds the same figure in a row when it was withheld in its period total (no breakdown: the row is the total)', () => {
    // By year without a breakdown: 2021 has 3 people (withheld), so the grand total's differencing
    // withholds 2022's period total (12); 2022's row holds the same 12 and must be withheld too,
    // or the total minus the published figures gives 2021's 3 back.
    const report = buildReport([...cells('2021-06-01', 'AL', 3), ...cells('2022-06-01', 'AL', 12), ...cells('2023-06-01', 'AL', 40)], definition,
      { period: 'year', by: [], threshold: 10 });
    expect(report.total.values.people).toBe(55);
    expect(report.periodTotals.map((r) => [r.period, r.values.people])).toEqual([['2021', null], ['2022', null], ['2023', 40]]);
    expect(report.rows.map((r) => [r.period, r.values.people])).toEqual([['2021', null], ['2022', null], ['2023', 40]]);
  });

  it('never publishes a count from 1 to 9, nor a lone withheld figure beside a published total (random tables)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 300; round++) {
      const all: Cell[] = [];
      for (const nationality of ['AL', 'GB', 'VN', 'ER', 'SD'].slice(0, 1 + Math.floor(random() * 5))) {
        for (const month of ['01', '02', '05', '08', '11'].slice(0, 1 + Math.floor(random() * 5))) {
          const n = Math.floor(random() * 25);
          all.push(...cells(`2024-${month}-03`, nationality, n, Math.floor(random() * (n + 1))));
        }
      }
      const report = buildReport(all, definition, options);
      const everyRow = [...report.rows, ...report.periodTotals, report.total];
      for (const row of everyRow) {
        for (const name of ['people', 'positive']) {
          const value = row.values[name];
          expect(value === null || value === 0 || value >= 10).toBe(true);
        }
      }
      for (const total of report.periodTotals) {
        for (const name of ['people', 'positive']) {
          const members = report.rows.filter((r) => r.period === total.period);
          const hidden = members.filter((r) => r.values[name] === null && r.suppressed.includes(name));
          if (total.values[name] !== null) expect(hidden.length).not.toBe(1);
          // A withheld total is not the sum of published members.
          if (total.values[name] === null) expect(members.filter((r) => r.values[name] === null).length).toBeGreaterThan(0);
        }
      }
      for (const name of ['people', 'positive']) {
        const hidden = report.periodTotals.filter((r) => r.values[name] === null);
        if (report.total.values[name] !== null) expect(hidden.length).not.toBe(1);
        if (report.total.values[name] === null) expect(hidden.length).toBeGreaterThan(0);
      }
    }
  });
});
