import type { VictimIdentified } from '../../../../../libs/domain/src/events';
import { identified } from '../../../../../libs/domain/test-support/journey-fixtures';
import type { JourneyDocument } from '../../../../../projections/journeys/journey.document';
import { journeyProjection } from '../../../../../projections/journeys/journey.projection';
import type { ProjectedEvent } from '../../../../../projections/projection';
import type { StoredCell } from '../../../../../projections/analytics/cells';
import { dataQualityCells } from '../../../../../projections/analytics/facts/data-quality';
import { dataQualityReport, withSuspectedDuplicates } from './data-quality.report';

function identification(id: string, over: Partial<VictimIdentified> = {}): JourneyDocument {
  return journeyProjection.evolve(null, {
    ...identified({ journeyId: id, ...over }), id: `${id}-e0`, streamId: `journey-${id}`, revision: 0n, position: 0n,
    metadata: { recordedAt: '2026-01-01T00:00:00Z', recordedBy: { userId: 'u', role: 'support_worker', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 },
  } as ProjectedEvent)!;
}

// Identified on 1 Feb 2024 unless said otherwise: adult, female, AL, Metropolitan Police (fixture defaults).
const day = '2024-02-01';
const first = identification('a', { occurredAt: day });
const sameKeyOtherTypes = identification('b', { occurredAt: day, exploitationTypes: ['labour', 'unknown'], firstResponder: { organisationId: 'x', organisationType: 'other' } });
const otherForce = identification('c', { occurredAt: day, policeForceArea: 'E23000005' });
const nextDay = identification('d', { occurredAt: '2024-02-02' });
const unknowns = identification('e', { occurredAt: '2024-03-31', ageGroup: 'unknown', gender: 'unknown', nationality: 'unknown', exploitationLocation: 'unknown' });
const nextQuarter = identification('f', { occurredAt: '2024-04-01' });
const cells = [first, sameKeyOtherTypes, otherForce, nextDay, unknowns, nextQuarter].flatMap(dataQualityCells);

describe('GET /analytics/data-quality figures', () => {
  it('gives identifications, unknowns per field as counts and rates, and suspected duplicates, by identification quarter', () => {
    const report = dataQualityReport(cells, { period: 'quarter', by: [], threshold: 1 });
    expect(report.periodTotals.map((row) => [row.period, row.values])).toEqual([
      ['2024-Q1', {
        identifications: 5, suspectedDuplicates: 2,
        unknownAgeGroup: 1, unknownAgeGroupRate: 0.2, unknownGender: 1, unknownGenderRate: 0.2,
        unknownNationality: 1, unknownNationalityRate: 0.2, unknownExploitationLocation: 1, unknownExploitationLocationRate: 0.2,
        unknownExploitationType: 1, unknownExploitationTypeRate: 0.2, otherFirstResponderType: 1, otherFirstResponderTypeRate: 0.2,
      }],
      ['2024-Q2', expect.objectContaining({ identifications: 1, suspectedDuplicates: 0, unknownNationalityRate: 0 })],
    ]);
    expect(report.notes).toEqual([expect.stringContaining('heuristic')]);
  });

  it('suspects identifications sharing date, nationality, gender, age group and force area, whatever their other fields', () => {
    const marked = withSuspectedDuplicates(cells);
    expect(marked.map((cell) => cell.counters.suspectedDuplicates ?? 0)).toEqual([1, 1, 0, 0, 0, 0]);
    expect(cells[0].counters.suspectedDuplicates).toBeUndefined(); // the cells given are not changed
  });

  it('counts n suspected duplicates for a stored cell that n journeys share', () => {
    const stored: StoredCell = { ...dataQualityCells(first)[0], _id: 'x', kind: 'cell', extra: {}, counters: { identifications: 3 } };
    expect(withSuspectedDuplicates([stored])[0].counters).toEqual({ identifications: 3, suspectedDuplicates: 3 });
    const alone: StoredCell = { ...stored, counters: { identifications: 1 } };
    expect(withSuspectedDuplicates([alone])[0].counters).toEqual({ identifications: 1 });
  });

  it('counts a journey with two exploitation types once under each type, and once in the total', () => {
    const report = dataQualityReport(cells.slice(0, 2), { period: 'year', by: ['exploitationType'], threshold: 1 });
    expect(report.rows.map((row) => [row.dims.exploitationType, row.values.identifications, row.values.suspectedDuplicates, row.values.unknownExploitationType])).toEqual([
      ['labour', 1, 1, 1], ['sexual', 1, 1, 0], ['unknown', 1, 1, 1],
    ]);
    expect(report.total.values).toMatchObject({ identifications: 2, suspectedDuplicates: 2, unknownExploitationType: 1 });
  });

  it('withholds a rate whose count is withheld, even over enough identifications', () => {
    const many = Array.from({ length: 12 }, (_, i) => identification(`m${i}`, { occurredAt: `2024-05-${String(i + 1).padStart(2, '0')}`, nationality: i < 3 ? 'unknown' : 'VN' }));
    const report = dataQualityReport(many.flatMap(dataQualityCells), { period: 'year', by: [], threshold: 10 });
    expect(report.total.values).toMatchObject({ identifications: 12, unknownNationality: null, unknownNationalityRate: null, unknownGender: 0, unknownGenderRate: 0 });
  });
});
