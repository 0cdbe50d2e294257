import type { JourneyDocument } from '../../journeys/journey.document';
import type { Cell } from '../cells';
import { dimensionsOf } from '../dimensions';

export const DATA_QUALITY = 'dataQuality';

/** The fields whose completeness is measured, and the counter that says a journey's value is missing. */
export const INCOMPLETE_FIELDS = {
  ageGroup: 'unknownAgeGroup',
  gender: 'unknownGender',
  nationality: 'unknownNationality',
  exploitationLocation: 'unknownExploitationLocation',
  exploitationTypes: 'unknownExploitationType',
  firstResponderType: 'otherFirstResponderType',
} as const;

/**
 * Data quality (DOMAIN.md question 9): one cell per journey, dated on the identification
 * (`VictimIdentified` `occurredAt`), under the journey's dimensions with no competent
 * authority: `identifications: 1`, and 1 in each of
 * - `unknownAgeGroup`, `unknownGender`, `unknownNationality`, `unknownExploitationLocation`
 *   when that field is `unknown`;
 * - `unknownExploitationType` when the exploitation types include `unknown`;
 * - `otherFirstResponderType` when the first responder's organisation type is `other`
 *   (not a recognised first responder type).
 *
 * Suspected duplicates are found at query time from these cells (same identification date,
 * nationality, gender, age group and police force area), since the cell key holds exactly
 * those fields: see apps/api/src/analytics/reports/data-quality.report.ts.
 */
export function dataQualityCells(doc: JourneyDocument): Cell[] {
  const counters: Record<string, number> = { identifications: 1 };
  const missing: Record<keyof typeof INCOMPLETE_FIELDS, boolean> = {
    ageGroup: doc.ageGroup === 'unknown',
    gender: doc.gender === 'unknown',
    nationality: doc.nationality === 'unknown',
    exploitationLocation: doc.exploitationLocation === 'unknown',
    exploitationTypes: doc.exploitationTypes.includes('unknown'),
    firstResponderType: doc.firstResponderType === 'other',
  };
  for (const [field, counter] of Object.entries(INCOMPLETE_FIELDS)) {
    if (missing[field as keyof typeof INCOMPLETE_FIELDS]) counters[counter] = 1;
  }
  return [{ family: DATA_QUALITY, date: doc.identifiedOn, dims: dimensionsOf(doc, null), counters }];
}
