/**
 * Police force areas by ONS code (PFA, December 2022 boundaries) with the region each one
 * belongs to. Region derives from the police force area, so only the code is recorded.
 */
export interface PoliceForceArea {
  code: string;
  name: string;
  region: string;
}

const ROWS: ReadonlyArray<[string, string, string]> = [
  ['E23000001', 'Metropolitan Police', 'London'],
  ['E23000034', 'City of London', 'London'],
  ['E23000002', 'Cumbria', 'North West'],
  ['E23000003', 'Lancashire', 'North West'],
  ['E23000004', 'Merseyside', 'North West'],
  ['E23000005', 'Greater Manchester', 'North West'],
  ['E23000006', 'Cheshire', 'North West'],
  ['E23000007', 'Northumbria', 'North East'],
  ['E23000008', 'Durham', 'North East'],
  ['E23000013', 'Cleveland', 'North East'],
  ['E23000009', 'North Yorkshire', 'Yorkshire and The Humber'],
  ['E23000010', 'West Yorkshire', 'Yorkshire and The Humber'],
  ['E23000011', 'South Yorkshire', 'Yorkshire and The Humber'],
  ['E23000012', 'Humberside', 'Yorkshire and The Humber'],
  ['E23000014', 'West Midlands', 'West Midlands'],
  ['E23000015', 'Staffordshire', 'West Midlands'],
  ['E23000016', 'West Mercia', 'West Midlands'],
  ['E23000017', 'Warwickshire', 'West Midlands'],
  ['E23000018', 'Derbyshire', 'East Midlands'],
  ['E23000019', 'Nottinghamshire', 'East Midlands'],
  ['E23000020', 'Lincolnshire', 'East Midlands'],
  ['E23000021', 'Leicestershire', 'East Midlands'],
  ['E23000022', 'Northamptonshire', 'East Midlands'],
  ['E23000023', 'Cambridgeshire', 'East of England'],
  ['E23000024', 'Norfolk', 'East of England'],
  ['E23000025', 'Suffolk', 'East of England'],
  ['E23000026', 'Bedfordshire', 'East of England'],
  ['E23000027', 'Hertfordshire', 'East of England'],
  ['E23000028', 'Essex', 'East of England'],
  ['E23000029', 'Thames Valley', 'South East'],
  ['E23000030', 'Hampshire', 'South East'],
  ['E23000031', 'Surrey', 'South East'],
  ['E23000032', 'Kent', 'South East'],
  ['E23000033', 'Sussex', 'South East'],
  ['E23000035', 'Devon & Cornwall', 'South West'],
  ['E23000036', 'Avon and Somerset', 'South West'],
  ['E23000037', 'Gloucestershire', 'South West'],
  ['E23000038', 'Wiltshire', 'South West'],
  ['E23000039', 'Dorset', 'South West'],
  ['W15000001', 'North Wales', 'Wales'],
  ['W15000002', 'Gwent', 'Wales'],
  ['W15000003', 'South Wales', 'Wales'],
  ['W15000004', 'Dyfed-Powys', 'Wales'],
  ['S23000009', 'Police Scotland', 'Scotland'],
  ['N23000001', 'Police Service of Northern Ireland', 'Northern Ireland'],
];

export const POLICE_FORCE_AREAS: ReadonlyMap<string, PoliceForceArea> = new Map(
  ROWS.map(([code, name, region]) => [code, { code, name, region }]),
);

export const POLICE_FORCE_AREA_CODES: readonly string[] = [...POLICE_FORCE_AREAS.keys()];

export function regionOf(policeForceArea: string): string | undefined {
  return POLICE_FORCE_AREAS.get(policeForceArea)?.region;
}
