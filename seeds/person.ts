import type { CalendarDate } from '../libs/domain/src/calendar/calendar-date';
import { plusDays } from './dates';
import type { AgeGroup, ExploitationLocation, ExploitationType, Gender, OrganisationType } from '../libs/domain/src/codes';
import type { PersonalDetails, VictimIdentified } from '../libs/domain/src/events';
import * as A from './assumptions';
import * as S from './nrm-statistics';
import type { Random } from './random';

/** How a journey starts: referred into the NRM, or an adult who did not consent. */
export type Pathway = 'referral' | 'duty_to_notify' | 'refused_without_dtn';

/**
 * Who was identified, as a first responder would record it (the identification's own
 * fields, from the event catalogue). Synthetic: no real person. `personalDetails` is absent
 * for Duty to Notify journeys: they carry no personal data.
 */
export interface Person extends Omit<VictimIdentified, 'journeyId' | 'occurredAt' | 'caseloadOrganisationId'> {
  identifiedOn: CalendarDate;
  pathway: Pathway;
}

const yearOf = (date: CalendarDate) => Number(date.slice(0, 4));

/** Draws a person identified on `identifiedOn`, following that year's published profile. */
export function drawPerson(rng: Random, identifiedOn: CalendarDate): Person {
  const year = yearOf(identifiedOn);
  const figures = S.figuresFor(year);
  const nrmShare = figures.referrals / (figures.referrals + figures.dutyToNotify);
  const pathway: Pathway = rng.chance(nrmShare)
    ? (rng.chance(A.REFUSED_WITHOUT_DTN) ? 'refused_without_dtn' : 'referral')
    : 'duty_to_notify';
  const nationality = drawNationality(rng, year);
  const ageGroup: AgeGroup = pathway !== 'referral' ? 'adult' : drawAge(rng, year, nationality);
  const gender = drawGender(rng, figures.maleShare);
  const exploitationTypes = drawExploitation(rng, ageGroup, gender, nationality);
  const uk = nationality === 'GB';
  const exploitationLocation = rng.weighted<ExploitationLocation>(uk ? S.LOCATION_UK_NATIONALS : S.locationOtherNationals(year));
  const inUk = exploitationLocation === 'uk' || exploitationLocation === 'both';
  const countyLines = exploitationTypes.includes('criminal') && inUk &&
    rng.chance(S.countyLinesShare(year) * (uk ? 1 : 0.3) * (ageGroup === 'adult' ? 0.25 : 1));
  const kind = pathway === 'duty_to_notify' ? 'duty_to_notify' : `${uk ? 'uk' : 'other'}_${ageGroup === 'adult' ? 'adult' : 'child'}` as const;
  const organisationType = rng.weighted(A.RESPONDERS[kind]);
  const policeForceArea = organisationType === 'border_force'
    ? rng.weightedEntry([['E23000032', 0.6], ['E23000001', 0.3], ['E23000028', 0.1]] as const)
    : rng.weighted(A.POLICE_FORCE_AREA_WEIGHTS);
  const indicators = rng.sample(exploitationTypes.flatMap((t) => A.INDICATORS[t]).filter((v, i, all) => all.indexOf(v) === i), rng.int(1, 4));
  return {
    identifiedOn, pathway, ageGroup, gender, nationality, exploitationTypes, countyLines, exploitationLocation, policeForceArea,
    firstResponder: { organisationId: organisationId(rng, organisationType, policeForceArea), organisationType },
    indicators,
    ...(pathway === 'referral' && rng.chance(0.8) ? { personalDetails: personalDetails(rng, identifiedOn, ageGroup) } : {}),
  };
}

function drawNationality(rng: Random, year: number): string {
  const code = rng.weighted(S.nationalityShares(year));
  return code === 'OTHER' ? rng.pick(S.OTHER_NATIONALITIES) : code;
}

const baseChildOdds = new Map<number, number>();

/** Age at exploitation: unknown at the year's rate, else child with odds by nationality. */
function drawAge(rng: Random, year: number, nationality: string): AgeGroup {
  const figures = S.figuresFor(year);
  if (rng.chance(figures.unknownAgeShare)) return 'unknown';
  const odds = childOddsBase(year) * (S.CHILD_ODDS_BY_NATIONALITY[nationality] ?? S.CHILD_ODDS_OTHER);
  return rng.chance(odds / (1 + odds)) ? 'child' : 'adult';
}

/** The base odds that make the year's nationality mix give its published child share (bisection, cached). */
export function childOddsBase(year: number): number {
  const cached = baseChildOdds.get(year);
  if (cached !== undefined) return cached;
  const figures = S.figuresFor(year);
  const target = figures.childShare / (1 - figures.unknownAgeShare);
  const shares = Object.entries(S.nationalityShares(year));
  const total = shares.reduce((sum, [, w]) => sum + w, 0);
  const childShareAt = (base: number) => shares.reduce((sum, [code, w]) => {
    const odds = base * (code === 'OTHER' ? S.CHILD_ODDS_OTHER : (S.CHILD_ODDS_BY_NATIONALITY[code] ?? S.CHILD_ODDS_OTHER));
    return sum + (w / total) * (odds / (1 + odds));
  }, 0);
  let lo = -12, hi = 12;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (childShareAt(Math.exp(mid)) < target) lo = mid; else hi = mid;
  }
  const base = Math.exp((lo + hi) / 2);
  baseChildOdds.set(year, base);
  return base;
}

function drawGender(rng: Random, maleShare: number): Gender {
  const other = A.OTHER_GENDER.transgender + A.OTHER_GENDER.other + A.OTHER_GENDER.unknown;
  return rng.weighted<Gender>({ male: maleShare, female: 1 - maleShare - other, ...A.OTHER_GENDER });
}

function drawExploitation(rng: Random, ageGroup: AgeGroup, gender: Gender, nationality: string): ExploitationType[] {
  const sex = gender === 'male' || gender === 'female' ? gender : rng.pick(['male', 'female'] as const);
  const base = A.EXPLOITATION[`${ageGroup === 'adult' ? 'adult' : 'child'}_${sex}`];
  // UK children are referred for criminal exploitation (county lines) more than others.
  const weights = nationality === 'GB' && ageGroup !== 'adult' ? { ...base, criminal: base.criminal * 1.5 } : base;
  const first = rng.weighted(weights);
  if (first === 'unknown' || !rng.chance(A.SECOND_TYPE_SHARE)) return [first];
  const rest = Object.entries(weights).filter(([t, w]) => t !== first && t !== 'unknown' && w > 0) as Array<[ExploitationType, number]>;
  return [first, rng.weightedEntry(rest)];
}

function organisationId(rng: Random, type: OrganisationType, policeForceArea: string): string {
  switch (type) {
    case 'police': return `police-${policeForceArea}`;
    case 'local_authority': return `la-${policeForceArea}-${rng.int(1, 4)}`;
    case 'immigration': return rng.pick(['ho-uk-visas-and-immigration', 'ho-immigration-enforcement']);
    case 'border_force': return 'ho-border-force';
    case 'national_crime_agency': return 'nca';
    case 'labour_abuse_authority': return 'glaa';
    case 'ngo': return `ngo-${String(rng.int(1, 25)).padStart(2, '0')}`;
    case 'helpline': return 'modern-slavery-helpline';
    case 'health': return `nhs-trust-${String(rng.int(1, 20)).padStart(2, '0')}`;
    case 'other': return `other-${String(rng.int(1, 10)).padStart(2, '0')}`;
  }
}

/** Obviously synthetic details: "Person n", Ofcom's drama phone range, example.org addresses. */
function personalDetails(rng: Random, identifiedOn: CalendarDate, ageGroup: AgeGroup): PersonalDetails {
  const n = rng.int(10_000, 99_999);
  const ageYears = ageGroup === 'child' ? rng.int(12, 17) : Math.min(70, 18 + Math.round(rng.lognormal(12, 0.6)));
  return {
    name: `Person ${n}`,
    ...(ageGroup === 'unknown' ? {} : { dateOfBirth: plusDays(identifiedOn, -(ageYears * 365 + rng.int(0, 364))) }),
    ...(rng.chance(0.6) ? { contact: { phone: `07700 900${String(rng.int(0, 999)).padStart(3, '0')}`, ...(rng.chance(0.4) ? { email: `person${n}@example.org` } : {}) } } : {}),
    ...(rng.chance(0.3) ? { notes: 'Synthetic record generated by seeds/: not a real person.' } : {}),
  };
}
