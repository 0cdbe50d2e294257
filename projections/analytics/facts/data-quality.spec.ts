import type { VictimIdentified } from '../../../libs/domain/src/events';
import { identified } from '../../../libs/domain/test-support/journey-fixtures';
import type { JourneyDocument } from '../../journeys/journey.document';
import { journeyProjection } from '../../journeys/journey.projection';
import type { ProjectedEvent } from '../../projection';
import { groupCells } from '../aggregate';
import { dataQualityCells } from './data-quality';

/** The journey document right after identification: all data quality looks at. */
function identification(id: string, over: Partial<VictimIdentified>): JourneyDocument {
  return journeyProjection.evolve(null, {
    ...identified({ journeyId: id, ...over }), id: `${id}-e0`, streamId: `journey-${id}`, revision: 0n, position: 0n,
    metadata: { recordedAt: '2026-01-01T00:00:00Z', recordedBy: { userId: 'u', role: 'support_worker', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 },
  } as ProjectedEvent)!;
}

const complete = identification('a', { occurredAt: '2024-03-31' });
const unknowns = identification('b', {
  occurredAt: '2024-04-01', ageGroup: 'unknown', gender: 'unknown', nationality: 'unknown', exploitationLocation: 'unknown',
  exploitationTypes: ['labour', 'unknown'], firstResponder: { organisationId: 'org-x', organisationType: 'other' },
});

describe('data quality: identifications and unknown values, by identification date', () => {
  it('counts an identification with every field known as an identification only', () => {
    expect(dataQualityCells(complete)).toEqual([
      expect.objectContaining({ family: 'dataQuality', date: '2024-03-31', counters: { identifications: 1 }, dims: expect.objectContaining({ competentAuthority: null }) }),
    ]);
  });

  it('counts each unknown field, unknown among several exploitation types, and an "other" first responder', () => {
    expect(dataQualityCells(unknowns)[0].counters).toEqual({
      identifications: 1, unknownAgeGroup: 1, unknownGender: 1, unknownNationality: 1, unknownExploitationLocation: 1,
      unknownExploitationType: 1, otherFirstResponderType: 1,
    });
  });

  it('dates identifications on 31 March and 1 April in different quarters', () => {
    const rows = groupCells([complete, unknowns].flatMap(dataQualityCells), { period: 'quarter', by: [] });
    expect(rows.map((row) => [row.period, row.counters.identifications, row.counters.unknownNationality ?? 0])).toEqual([['2024-Q1', 1, 0], ['2024-Q2', 1, 1]]);
  });

  it('counts a journey with two exploitation types once under each', () => {
    const rows = groupCells(dataQualityCells(unknowns), { period: 'year', by: ['exploitationType'] });
    expect(rows.map((row) => [row.dims.exploitationType, row.counters.identifications, row.counters.unknownExploitationType])).toEqual([['labour', 1, 1], ['unknown', 1, 1]]);
  });
});
