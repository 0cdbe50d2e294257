/**
 * The published figures the synthetic journeys follow, each with its source. Figures marked
 * "approx." are our reading of the published series (rounded, or interpolated where we could
 * not check the exact number); nothing here claims more precision than that. Model choices
 * with no published figure behind them live in assumptions.ts.
 *
 * Sources (Home Office statistical bulletins unless stated; all at gov.uk):
 *  [EOY23] Modern Slavery: NRM and DtN statistics UK, end of year summary 2023 (7 March 2024),
 *          key results and annex "key drivers of NRM referrals and DtN reports".
 *  [EOY24] Modern Slavery: NRM and DtN statistics, end of year summary 2024 (6 March 2025),
 *          key results and annex "an analysis of NRM referrals and DtN reports, 2023 to 2024".
 *  [Q1-23] ... Quarter 1 2023 (4 May 2023). [Q2-23] ... Quarter 2 2023 (10 August 2023).
 *  [Q4-23] ... Quarter 4 2023 (7 March 2024). [Q3-24] ... July to September 2024 (Nov 2024).
 *  [NCA18] National Crime Agency, NRM Statistics, End of Year Summary 2018 (20 March 2019).
 *  [PILOT] Devolving child decision-making pilot programme: general guidance, v6.0 (Nov 2023),
 *          which restates 2020-2022 referral and child figures; and "An evaluation of the pilot to
 *          devolve decision-making for child victims of modern slavery" (21 May 2024).
 *  [LORDS] House of Lords, "Modern Slavery NRM: Waiting Times", 13 May 2024 (Hansard).
 *  [NAO17] National Audit Office, Reducing modern slavery (December 2017), via DOMAIN.md.
 *  [EOY-n] The end of year summary for year n (NCA to 2018, Home Office from 2019).
 */

export interface YearFigures {
  /** NRM referrals (potential victims referred) in the year. */
  referrals: number;
  /** Duty to Notify reports (adults who did not consent) in the year. */
  dutyToNotify: number;
  /** Share of referrals exploited as children, and of unknown age at exploitation. */
  childShare: number;
  unknownAgeShare: number;
  /** Share of referrals that were male (the rest female, bar a handful). */
  maleShare: number;
  /** Share of RG and CG decisions made in the year that were positive. */
  rgPositive: number;
  cgPositive: number;
  /** Median days from referral to CG for people referred in the year (cohort; tuned so decision-year 2023 gives 526). */
  cgMedianDays: number;
  /** Share of RG decisions within the 5-working-day target (approx.; no official series before 2019). */
  rgWithinTarget: number;
}

type Row = [year: number, referrals: number, dtn: number, child: number, unknown: number, male: number, rg: number, cg: number, cgMedian: number, rgFast: number];

// prettier-ignore
const ROWS: Row[] = [
  // 2009 (from 1 April) to 2012: approx., rising to [NAO17]'s 1,746 in 2013. Mostly adult women, sexual exploitation.
  [2009,   527,    0, 0.25, 0.05, 0.40, 0.80, 0.75, 150, 0.70],
  [2010,   710,    0, 0.26, 0.05, 0.40, 0.80, 0.75, 150, 0.70],
  [2011,   946,    0, 0.27, 0.05, 0.42, 0.80, 0.75, 150, 0.70],
  [2012, 1_186,    0, 0.28, 0.04, 0.44, 0.80, 0.76, 160, 0.70],
  [2013, 1_746,    0, 0.28, 0.04, 0.46, 0.80, 0.77, 170, 0.70], // referrals [NAO17]
  [2014, 2_340,    0, 0.29, 0.03, 0.48, 0.80, 0.78, 180, 0.70], // referrals [EOY-2014]; shares approx.
  [2015, 3_266,  100, 0.30, 0.03, 0.52, 0.82, 0.80, 200, 0.70], // DtN only from 1 Nov 2015 (MSA 2015 s.52): approx.
  [2016, 3_804, 1_000, 0.33, 0.03, 0.56, 0.84, 0.82, 260, 0.70], // DtN approx.
  [2017, 5_145, 1_400, 0.41, 0.03, 0.61, 0.86, 0.85, 340, 0.65], // 2,118 minors [NCA18]; DtN approx.
  [2018, 6_985, 1_800, 0.45, 0.03, 0.66, 0.88, 0.88, 420, 0.60], // 6,993 [NCA18], revised 6,985; 3,137 minors [NCA18]
  [2019, 10_627, 2_300, 0.43, 0.03, 0.74, 0.89, 0.91, 470, 0.55], // shares and DtN approx.
  [2020, 10_613, 2_178, 0.47, 0.03, 0.78, 0.92, 0.89, 550, 0.45], // 4,946 children (47%) [PILOT]; male approx.
  [2021, 12_706, 2_700, 0.43, 0.03, 0.78, 0.92, 0.90, 610, 0.30], // 12,727 revised, 5,468 children (43%) [PILOT]; DtN approx.
  [2022, 16_938, 4_580, 0.41, 0.04, 0.78, 0.88, 0.89, 600, 0.30], // referrals [PILOT]; DtN 4,580 [EOY23 annex]; rates approx.
  [2023, 17_004, 4_929, 0.44, 0.05, 0.76, 0.55, 0.66, 520, 0.45], // [EOY23]: 44% children, 51% adults, 76% male, 55% RG and 66% CG positive; DtN [EOY24 annex]
  [2024, 19_125, 5_598, 0.36, 0.02, 0.80, 0.53, 0.56, 380, 0.55], // [EOY24]: 53% RG, 56% CG positive; children approx. ([Q3-24]: 31%)
  [2025, 19_125, 5_598, 0.36, 0.02, 0.80, 0.55, 0.60, 300, 0.60], // not checked: 2024 carried forward (approx.)
];

const FIGURES = new Map<number, YearFigures>(
  ROWS.map(([year, referrals, dutyToNotify, childShare, unknownAgeShare, maleShare, rgPositive, cgPositive, cgMedianDays, rgWithinTarget]) =>
    [year, { referrals, dutyToNotify, childShare, unknownAgeShare, maleShare, rgPositive, cgPositive, cgMedianDays, rgWithinTarget }]),
);
export const FIRST_FIGURES_YEAR = ROWS[0][0];
const LAST_YEAR = ROWS[ROWS.length - 1][0];

/** The figures for a year; years after the last published one carry it forward. */
export function figuresFor(year: number): YearFigures {
  if (year < FIRST_FIGURES_YEAR) throw new RangeError(`No NRM figures before ${FIRST_FIGURES_YEAR} (the NRM began on 1 April 2009)`);
  return FIGURES.get(Math.min(year, LAST_YEAR))!;
}

/** [EOY24]: 17,168 positive RG awaiting CG at the end of 2024 (the CG backlog); [EOY23]: 15,247 RG and 9,825 CG decisions in 2023. */
export const PUBLISHED_CG_BACKLOG_END_2024 = 17_168;
/** [LORDS]: median wait for a CG decision in 2023 was 526 days; for women 904 days. */
export const MEDIAN_CG_WAIT_2023_DAYS = 526;
export const FEMALE_CG_WAIT_FACTOR = 904 / 526;

/**
 * Share of referrals sent to the IECA (Immigration Enforcement Competent Authority), which
 * took referrals from November 2021 ([Q2-23] notes): 21% in Q1 2023 [Q1-23], 19% in 2023
 * [EOY23], 23% in 2024 [EOY24]. Before the SCA (April 2019) decisions were made by the
 * UKHTC/NCA and UK Visas and Immigration; the code list has no value for those, so they are SCA here.
 */
export const IECA_FROM = '2021-11-01';
export function iecaShare(date: string): number {
  if (date < IECA_FROM) return 0;
  return date < '2023-01-01' ? 0.18 : date < '2024-01-01' ? 0.19 : 0.23;
}

/**
 * Devolved decision-making for children [PILOT]: 10 local authority pilot sites from June
 * 2021, 10 more onboarded in early 2023. The share of child referrals decided by a panel is
 * our estimate (approx.); panels often decide RG and CG close together.
 */
export const DEVOLVED_PILOT_FROM = '2021-06-28';
export function devolvedChildShare(date: string): number {
  if (date < DEVOLVED_PILOT_FROM) return 0;
  return date < '2023-03-01' ? 0.05 : 0.1;
}

/**
 * Reconsiderations: requests within 30 days of the decision since February 2024 (policy.ts);
 * over 70% of reconsidered negative decisions were overturned in 2024 ([Q3-24], as reported by
 * Free Movement, "Trafficking referrals and decisions at record high", Nov 2024). Earlier
 * overturn rate and the share of negatives reconsidered: approx.
 */
export function overturnRate(decidedYear: number): number {
  return decidedYear >= 2024 ? 0.72 : 0.55;
}
export const RECONSIDERED_SHARE = { reasonable_grounds: 0.22, conclusive_grounds: 0.3 } as const;

/**
 * Nationality of referrals, ISO 3166-1 alpha-2 (OTHER = spread over OTHER_NATIONALITIES).
 * Top five from the bulletins where cited; the rest approx. from the bulletins' top-ten tables.
 */
type Shares = Record<string, number>;
const NATIONALITY_BANDS: Array<[fromYear: number, shares: Shares]> = [
  // 2009-2016 approx. ([EOY-2014..2016]: Albania, Vietnam, Nigeria, UK, Romania, China leading).
  [2009, { AL: 0.18, GB: 0.12, VN: 0.11, NG: 0.08, RO: 0.06, CN: 0.04, PL: 0.04, ER: 0.03, SK: 0.02, LT: 0.02, HU: 0.02, IN: 0.02, SD: 0.02, AF: 0.02, unknown: 0.01, OTHER: 0.21 }],
  // 2017-2019: UK 820 (2017) and 1,625 (2018) [NCA18]; rest approx.
  [2017, { GB: 0.24, AL: 0.15, VN: 0.1, CN: 0.03, NG: 0.03, RO: 0.03, ER: 0.03, SD: 0.03, IN: 0.02, PL: 0.02, IR: 0.02, AF: 0.02, IQ: 0.02, ET: 0.01, PK: 0.01, unknown: 0.01, OTHER: 0.19 }],
  // 2020-2021 approx. (UK about a third in 2020).
  [2020, { GB: 0.31, AL: 0.15, VN: 0.07, ER: 0.05, SD: 0.04, IR: 0.03, RO: 0.02, IQ: 0.02, AF: 0.02, ET: 0.02, CN: 0.02, IN: 0.01, NG: 0.01, EG: 0.01, unknown: 0.01, OTHER: 0.21 }],
  // 2022 [EOY23 annex]: Albanian 4,609 (27%), UK 4,172 (25%), Eritrean 1,172 (7%), Sudanese 850 (5%), Vietnamese 766 (5%).
  [2022, { AL: 0.27, GB: 0.25, ER: 0.07, SD: 0.05, VN: 0.05, AF: 0.03, IR: 0.03, IQ: 0.02, ET: 0.02, EG: 0.02, RO: 0.01, IN: 0.01, CN: 0.01, unknown: 0.01, OTHER: 0.15 }],
  // 2023 [EOY23]: UK 4,299 (25%), Albanian 4,052 (24%), Vietnamese 991 (6%), Sudanese 940 (6%), Eritrean 898 (5%).
  [2023, { GB: 0.25, AL: 0.24, VN: 0.06, SD: 0.06, ER: 0.05, AF: 0.03, ET: 0.03, IR: 0.02, IQ: 0.02, IN: 0.02, EG: 0.02, RO: 0.01, CN: 0.01, unknown: 0.01, OTHER: 0.17 }],
  // 2024 [EOY24]: UK 4,441 (23%), Albanian 2,492 (13%), Vietnamese 2,153 (11%), Eritrean 1,702 (9%), Sudanese 1,175 (6%).
  [2024, { GB: 0.23, AL: 0.13, VN: 0.11, ER: 0.09, SD: 0.06, AF: 0.04, ET: 0.03, IR: 0.03, IQ: 0.02, IN: 0.02, EG: 0.02, SY: 0.01, RO: 0.01, CN: 0.01, unknown: 0.01, OTHER: 0.18 }],
];

export const OTHER_NATIONALITIES = [
  'NG', 'PL', 'PK', 'BD', 'LK', 'GH', 'KW', 'SY', 'SO', 'TR', 'CZ', 'SK', 'LT', 'LV', 'BG', 'HU', 'PH',
  'MY', 'TH', 'UA', 'MA', 'DZ', 'TN', 'LY', 'YE', 'MM', 'NP', 'GM', 'GN', 'CM', 'UG', 'KE', 'ZW', 'BR', 'JM', 'CD', 'SL',
] as const;

export function nationalityShares(year: number): Readonly<Shares> {
  let chosen = NATIONALITY_BANDS[0][1];
  for (const [from, shares] of NATIONALITY_BANDS) if (year >= from) chosen = shares;
  return chosen;
}

/**
 * How much likelier a referral of this nationality is to be a child (odds ratio; approx.):
 * UK referrals are mostly children (county lines), Vietnamese and Eritrean ones often
 * unaccompanied minors, Albanian ones mostly adults. The base odds are solved per year so
 * that the overall child share still matches the year's figure.
 */
export const CHILD_ODDS_BY_NATIONALITY: Readonly<Record<string, number>> = {
  GB: 5, VN: 2, ER: 1.6, SD: 1.3, AF: 1.6, ET: 1.2, AL: 0.5, RO: 0.6, IR: 0.8, IQ: 0.9, unknown: 1,
};
export const CHILD_ODDS_OTHER = 0.5;

/**
 * County lines flags: over 550 a quarter on average 2020-2022, about 390 a quarter in 2023
 * [Q4-23]. Probability that a UK-located criminal exploitation referral is flagged (approx.).
 */
export function countyLinesShare(year: number): number {
  return year < 2016 ? 0.05 : year < 2018 ? 0.3 : year < 2023 ? 0.62 : 0.48;
}

/**
 * Where the exploitation happened: 28% overseas only in 2018 [NCA18]; 46% overseas only and
 * 42% UK only in July-September 2024 [Q3-24]. Split here by UK versus other nationals (approx.).
 */
export const LOCATION_UK_NATIONALS = { uk: 0.95, both: 0.02, overseas: 0.01, unknown: 0.02 } as const;
export function locationOtherNationals(year: number) {
  return year < 2020
    ? ({ overseas: 0.4, uk: 0.4, both: 0.14, unknown: 0.06 } as const)
    : ({ overseas: 0.55, uk: 0.28, both: 0.12, unknown: 0.05 } as const);
}
