/** Request bodies for a realistic journey over HTTP, dated in 2024 (a Monday start): for end-to-end tests and the benchmarks. */
export const identification = (over: Record<string, unknown> = {}) => ({
  occurredAt: '2024-01-08',
  firstResponder: { organisationId: 'met-police', organisationType: 'police' },
  ageGroup: 'adult',
  gender: 'female',
  nationality: 'AL',
  exploitationTypes: ['sexual', 'labour'],
  countyLines: false,
  exploitationLocation: 'uk',
  policeForceArea: 'E23000001',
  indicators: ['debt_bondage', 'withheld_documents'],
  personalDetails: { name: 'Test Person', dateOfBirth: '1995-03-02', contact: { phone: '07700900000' }, notes: 'Met at a car wash.' },
  ...over,
});

export const consent = (given = true, occurredAt = '2024-01-08') => ({ occurredAt, scope: 'nrm_referral', given, interpreterUsed: true, language: 'sq' });
export const referral = (occurredAt = '2024-01-09', referralId = 'NRM-2024-0001') => ({ occurredAt, referralId, competentAuthority: 'SCA', supportRequested: true });
export const decision = (stage: string, outcome: string, decidedAt: string, referralId = 'NRM-2024-0001') => ({ referralId, stage, outcome, decidedAt });
export const exit = (occurredAt: string, reason = 'move_on_complete') => ({ occurredAt, reason, housing: 'stable', immigrationStatus: 'leave_to_remain' });
