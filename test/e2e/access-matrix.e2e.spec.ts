import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES, type Role } from '../../apps/api/src/auth/tokens/claims';
import { consent, decision, exit, identification, referral } from '../../seeds/journey-requests';
import { useRunningApp, type HttpResult } from '../support/running-app';

/**
 * The documented allow/deny table (docs/security.md) against what the running API does, for
 * every route of its OpenAPI document, every role, with no token, and for journeys on and
 * off the caller's caseload. A route missing from the table, or one that behaves otherwise,
 * fails here: that is how "deny by default" stays true as routes are added.
 */
type Cell = 'caseload' | 'yes' | 'no' | 'public';
type Table = Map<string, Record<Role, Cell>>;

function documentedTable(): Table {
  const markdown = readFileSync(join(__dirname, '../../docs/security.md'), 'utf8');
  const table: Table = new Map();
  for (const line of markdown.split('\n')) {
    const match = /^\| `(GET|POST|PUT|PATCH|DELETE) ([^`]+)` \|(.*)\|\s*$/.exec(line);
    if (!match) continue;
    const cells = match[3].split('|').map((c) => c.trim() as Cell);
    table.set(`${match[1]} ${match[2]}`, Object.fromEntries(ROLES.map((role, i) => [role, cells[i]])) as Record<Role, Cell>);
  }
  return table;
}

/** Bodies valid enough to pass validation, so a caseload refusal (a 404) is what answers. */
const BODIES: Record<string, unknown> = {
  'POST /journeys': identification(),
  'POST /journeys/{id}/consents': consent(),
  'POST /journeys/{id}/duty-to-notify': { occurredAt: '2024-01-09', policeForceArea: 'E23000001', exploitationTypes: ['labour'] },
  'POST /journeys/{id}/circumstances': {
    occurredAt: '2024-01-09', recruitmentMethod: 'false_job_offer', controlMethods: ['threats'], perpetratorRoles: ['recruiter'],
    relationshipToPerpetrator: 'acquaintance', organisedCrimeGroup: false, durationBand: 'months_1_to_6', debtBand: 'none',
  },
  'POST /journeys/{id}/referrals': referral(),
  'POST /journeys/{id}/decisions': decision('reasonable_grounds', 'positive', '2024-01-16'),
  'POST /journeys/{id}/reconsiderations': { referralId: 'NRM-2024-0001', decisionEventId: '00000000-0000-4000-8000-000000000000', requestedOn: '2024-01-20' },
  'POST /journeys/{id}/needs-assessments': { occurredAt: '2024-01-12', domains: ['health'], riskLevel: 'low', dependants: 0 },
  'POST /journeys/{id}/care': { service: 'outreach', providerId: 'p-1', startedOn: '2024-01-10' },
  'POST /journeys/{id}/exit': exit('2024-04-01', 'withdrew'),
  'POST /journeys/{id}/follow-ups': { occurredAt: '2024-05-02', monthsSinceExit: 1, contactMade: false },
  'POST /journeys/{id}/re-referrals': { occurredAt: '2024-09-02', newReferralId: 'NRM-2024-0002', previousReferralId: 'NRM-2024-0001', sameIncident: false, competentAuthority: 'SCA' },
  'POST /journeys/{id}/transfers': { toOrganisationId: 'org-elsewhere', reason: 'relocated' },
  'POST /journeys/{id}/erasure': { reason: 'DPO-2026-1', legalBasis: 'consent_withdrawn' },
  'POST /journeys/{id}/corrections': { correctedEventId: '00000000-0000-4000-8000-000000000000', changes: [{ field: 'reasonCode', value: 'x' }], reason: 'access check' },
  'POST /keys/rotation': {},
  'POST /projections/{name}/rebuild': {},
};

const OWN = 'org-own';
const OTHER = 'org-other';

describe('the access matrix: every route, role and caseload as docs/security.md documents', () => {
  const app = useRunningApp();
  const table = documentedTable();
  let routes: string[];

  beforeAll(async () => {
    const openApi = await app.anonymous().get('/docs/openapi.json');
    routes = Object.entries(openApi.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
  });

  it('documents every route the API serves, and gives each at least one role (none is left without a policy)', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect([...table.keys()].sort()).toEqual([...routes].sort());
    for (const [route, cells] of table) expect([route, Object.values(cells).some((c) => c !== 'no')]).toEqual([route, true]);
  });

  /** A fresh journey on `organisationId`'s caseload, referred, so steps reach the caseload check. */
  async function journeyOf(organisationId: string): Promise<string> {
    const worker = app.as({ role: 'support_worker', organisationId });
    const created = await worker.post('/journeys', identification());
    await worker.post(`/journeys/${created.body.journeyId}/consents`, consent());
    await worker.post(`/journeys/${created.body.journeyId}/referrals`, referral());
    return created.body.journeyId;
  }

  async function call(route: string, journeyId: string, user: { role: Role; organisationId: string } | null): Promise<HttpResult> {
    const [method, template] = route.split(' ');
    const path = template.replace('{id}', journeyId).replace('{name}', 'journeys');
    const api = user ? app.as(user) : app.anonymous();
    const headers = { 'x-purpose': 'audit' };
    return method === 'GET' ? api.get(path, headers) : api.post(path, BODIES[route] ?? {}, headers);
  }

  it('answers each role as the table says, on its own caseload and on another organisation’s', async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      const cells = table.get(route)!;
      const perJourney = route.includes('{id}');
      if (cells.support_worker !== 'public') {
        const anonymous = await call(route, await journeyOf(OWN), null);
        if (anonymous.status !== 401) mismatches.push(`${route} without a token: ${anonymous.status}`);
      }
      for (const role of ROLES) {
        for (const ownership of perJourney ? ['own', 'other'] as const : ['own'] as const) {
          const journeyId = await journeyOf(ownership === 'own' ? OWN : OTHER);
          const headBefore = await app.api.head();
          const response = await call(route, journeyId, { role, organisationId: OWN });
          const problem = judge(cells[role], ownership, response, headBefore, await app.api.head());
          if (problem) mismatches.push(`${route} as ${role} on ${ownership} caseload: ${problem}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});

function judge(cell: Cell, ownership: 'own' | 'other', response: HttpResult, headBefore: string | null, headAfter: string | null): string | undefined {
  const got = `${response.status} ${response.body?.code ?? ''}`;
  const authRefusal = response.status === 401 || response.status === 403;
  const hidden = response.status === 404 && response.body?.code === 'JOURNEY_NOT_FOUND';
  if (cell === 'no') return response.status === 403 && response.body.code === 'FORBIDDEN' && headAfter === headBefore ? undefined : `expected 403, got ${got}`;
  if (cell === 'caseload' && ownership === 'other') {
    if (!hidden) return `expected 404 JOURNEY_NOT_FOUND, got ${got}`;
    return headAfter === headBefore ? undefined : 'a refused request appended to the log';
  }
  return authRefusal || hidden || response.status >= 500 ? `expected to be allowed, got ${got}` : undefined;
}
