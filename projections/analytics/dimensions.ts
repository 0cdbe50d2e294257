import type * as C from '../../libs/domain/src/codes';
import type { JourneyDocument } from '../journeys/journey.document';

/**
 * The dimensions analysts break figures down by (issue 7's `by`). A journey with several
 * exploitation types counts once under each type in a breakdown by type, and once in totals.
 * The competent authority belongs to a referral, so it is null in families that are not about one.
 */
export interface CellDimensions {
  nationality: string;
  ageGroup: C.AgeGroup;
  gender: C.Gender;
  exploitationTypes: C.ExploitationType[];
  exploitationLocation: C.ExploitationLocation;
  firstResponderType: C.OrganisationType;
  competentAuthority: C.CompetentAuthority | null;
  policeForceArea: string;
  region: string | null;
}

export const DIMENSIONS = [
  'nationality', 'ageGroup', 'gender', 'exploitationType', 'exploitationLocation', 'firstResponderType',
  'competentAuthority', 'policeForceArea', 'region',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The journey's dimensions, with the competent authority of the referral a cell is about. */
export function dimensionsOf(doc: JourneyDocument, competentAuthority: C.CompetentAuthority | null = null): CellDimensions {
  return {
    nationality: doc.nationality,
    ageGroup: doc.ageGroup,
    gender: doc.gender,
    exploitationTypes: [...doc.exploitationTypes].sort(),
    exploitationLocation: doc.exploitationLocation,
    firstResponderType: doc.firstResponderType,
    competentAuthority,
    policeForceArea: doc.policeForceArea,
    region: doc.region,
  };
}

/** The values a cell takes in a dimension: several for exploitation types, one otherwise. */
export function dimensionValues(dims: Partial<CellDimensions>, dimension: Dimension): Array<string | null> {
  if (dimension === 'exploitationType') return dims.exploitationTypes ?? [];
  return [dims[dimension] ?? null];
}
