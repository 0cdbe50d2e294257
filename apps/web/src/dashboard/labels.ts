import { POLICE_FORCE_AREAS } from '../../../../libs/domain/src/police-force-areas';
import { humanise } from '../shared/format';

/** The dimensions the API breaks figures down by (docs/analytics.md), with their names on the page. */
export const DIMENSIONS = {
  nationality: 'Nationality',
  ageGroup: 'Age group',
  gender: 'Gender',
  exploitationType: 'Exploitation type',
  exploitationLocation: 'Exploitation location',
  firstResponderType: 'First responder type',
  competentAuthority: 'Competent authority',
  policeForceArea: 'Police force area',
  region: 'Region',
} as const;

export type Dimension = keyof typeof DIMENSIONS;

export function isDimension(text: string | null | undefined): text is Dimension {
  return typeof text === 'string' && Object.prototype.hasOwnProperty.call(DIMENSIONS, text);
}

// The browser knows every country's name: no list of our own to keep up to date.
const countries = new Intl.DisplayNames(['en-GB'], { type: 'region', fallback: 'code' });

/** A dimension's value as words: "Albania (AL)", "Metropolitan Police", "Domestic servitude". */
export function valueLabel(dimension: string, value: string): string {
  if (value === 'unknown') return 'Unknown';
  if (dimension === 'nationality') return countryName(value);
  if (dimension === 'policeForceArea') return POLICE_FORCE_AREAS.get(value)?.name ?? value;
  if (dimension === 'competentAuthority') return value === 'DEVOLVED_CHILD_PANEL' ? 'Devolved child panel' : value;
  if (dimension === 'region') return value;
  return humanise(value);
}

function countryName(code: string): string {
  try {
    const name = countries.of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code; // Not a region code Intl knows.
  }
}

/** "Nationality: Albania (AL)": how a restriction to one value is written on the page. */
export function filterLabel(dimension: Dimension, value: string): string {
  return `${DIMENSIONS[dimension]}: ${valueLabel(dimension, value)}`;
}
