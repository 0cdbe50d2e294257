import { EVENT_STORE, PERSONAL_DATA_VAULT } from '../../apps/api/src/infrastructure/tokens';
import type { EventStore } from '../../libs/event-store/src/event-store.port';
import type { PersonalDataVault } from '../../libs/personal-data/src/personal-data-vault';
import { seedEventStore } from '../../seeds';
import { consent, exit, identification, referral } from '../../seeds/journey-requests';
import { caughtUp as waitForProjections, tokenFor, useRunningApp, type TestUser } from '../support/running-app';

/**
 * Analysts' figures over HTTP on the embedded default: recorded journeys show up in
 * /analytics/referrals as hand-counted, CSV carries the same cells as JSON, only analysts
 * get in, and, for random data, no analytics endpoint publishes a count from 1 to
 * threshold-1 or a lone withheld count beside its published total.
 */
const ANALYST: TestUser = { role: 'analyst', organisationId: 'home-office-analysis' };
type Row = { period?: string; dims: Record<string, string | null>; values: Record<string, number | null>; suppressed: string[] };
type Report = { threshold: number; by: string[]; rows: Row[]; periodTotals: Row[]; total: Row };

type App = ReturnType<typeof useRunningApp>;

/** Waits until every projection has applied the whole log, so analytics include every event recorded. */
const caughtUp = (app: App, timeoutMs = 60_000) => waitForProjections(app.app.url, app.app.dataDir, timeoutMs);

/** A GET whose body is text (CSV), as an analyst. */
async function getText(app: App, path: string): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(app.app.url + path, { headers: { authorization: `Bearer ${tokenFor(app.app.dataDir, ANALYST)}` } });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

/** The CSV's lines as JSON would print them: withheld `[c]`, withdrawn empty. */
function csvFromJson(report: Report): string[][] {
  const lines: Array<[string, Row]> = [...report.rows.map((r) => ['row', r] as [string, Row]), ...report.periodTotals.map((r) => ['period_total', r] as [string, Row]), ['total', report.total]];
  return lines.map(([level, row]) => [
    level, row.period ?? '', ...report.by.map((d) => row.dims[d] ?? ''),
    ...Object.keys(report.total.values).map((m) => (row.suppressed.includes(m) ? '[c]' : row.values[m] === null || row.values[m] === undefined ? '' : String(row.values[m]))),
  ]);
}

describe('GET /analytics/referrals over HTTP (threshold 2)', () => {
  const app = useRunningApp({ ANALYTICS_SUPPRESSION_THRESHOLD: '2' });

  /** Identifies and refers a journey; returns its id. */
  async function referred(on: string, over: Record<string, unknown> = {}, referralId = `NRM-${on}-${Math.random().toString(36).slice(2, 8)}`) {
    const { body } = await app.api.post('/journeys', identification({ occurredAt: on, ...over }));
    if (over.ageGroup !== 'child') expect((await app.api.post(`/journeys/${body.journeyId}/consents`, consent(true, on))).status).toBe(201);
    expect((await app.api.post(`/journeys/${body.journeyId}/referrals`, referral(on, referralId))).status).toBe(201);
    return { journeyId: body.journeyId as string, referralId };
  }

  beforeAll(async () => {
    // Q1 2024: three adults referred on 31 March; one exits and is re-referred on 1 April (Q2).
    const adults = [await referred('2024-03-31'), await referred('2024-03-31'), await referred('2024-03-31')];
    expect((await app.api.post(`/journeys/${adults[0].journeyId}/exit`, exit('2024-04-01', 'withdrew'))).status).toBe(201);
    const again = await app.api.post(`/journeys/${adults[0].journeyId}/re-referrals`, {
      occurredAt: '2024-04-01', newReferralId: 'NRM-2024-RE-1', previousReferralId: adults[0].referralId, sameIncident: false, competentAuthority: 'SCA',
    });
    expect(again.status).toBe(201);
    // Q2 2024: two children referred (no consent needed); two adults refuse consent and are reported under Duty to Notify.
    await referred('2024-04-10', { ageGroup: 'child' });
    await referred('2024-04-10', { ageGroup: 'child' });
    for (let i = 0; i < 2; i++) {
      const { body } = await app.api.post('/journeys', identification({ occurredAt: '2024-04-15' }));
      expect((await app.api.post(`/journeys/${body.journeyId}/consents`, consent(false, '2024-04-15'))).status).toBe(201);
      const notified = await app.api.post(`/journeys/${body.journeyId}/duty-to-notify`, { occurredAt: '2024-04-15', policeForceArea: 'E23000001', exploitationTypes: ['labour'] });
      expect(notified.status).toBe(201);
    }
    await caughtUp(app);
  });

  it('counts referrals and re-referrals, distinct people per quarter and Duty to Notify reports', async () => {
    const { status, body } = await app.as(ANALYST).get('/analytics/referrals?from=2024-01-01&to=2024-12-31');
    expect(status).toBe(200);
    expect(body).toMatchObject({ threshold: 2, period: 'quarter', by: [] });
    expect(body.periodTotals.map((row: Row) => [row.period, row.values])).toEqual([
      ['2024-Q1', { referrals: 3, people: 3, dutyToNotify: 0, dutyToNotifyShare: 0 }],
      ['2024-Q2', { referrals: 3, people: 3, dutyToNotify: 2, dutyToNotifyShare: 0.4 }],
    ]);
    // Distinct people over two quarters cannot be added up: withdrawn, with a note.
    expect(body.total.values).toEqual({ referrals: 6, people: null, dutyToNotify: 2, dutyToNotifyShare: 0.25 });
    const year = await app.as(ANALYST).get('/analytics/referrals?from=2024-01-01&to=2024-12-31&period=year');
    expect(year.body.total.values).toMatchObject({ referrals: 6, people: 5, dutyToNotify: 2 });
  });

  it('answers CSV with the same cells as JSON, withheld figures marked [c]', async () => {
    const query = '/analytics/referrals?from=2024-01-01&to=2024-12-31&by=ageGroup';
    const json = (await app.as(ANALYST).get(query)).body as Report;
    expect(json.rows.some((row) => row.suppressed.length > 0)).toBe(true); // the re-referred adult is alone in Q2: withheld
    const csv = await getText(app, `${query}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    const [header, ...lines] = csv.text.trimEnd().split('\r\n').map((line) => line.split(','));
    expect(header).toEqual(['level', 'period', 'ageGroup', ...Object.keys(json.total.values)]);
    expect(lines).toEqual(csvFromJson(json));
  });

  it('answers data quality and regional figures from the same journeys', async () => {
    const quality = await app.as(ANALYST).get('/analytics/data-quality?period=year');
    // Same day, nationality, gender, age group and force area: the three adults of 31 March, the two children, the two reported.
    expect(quality.body.total.values).toMatchObject({ identifications: 7, suspectedDuplicates: 7, unknownNationality: 0, unknownNationalityRate: 0 });
    const regions = await app.as(ANALYST).get('/analytics/regions?period=year');
    expect(regions.body.by).toEqual(['region']);
    expect(regions.body.rows).toEqual([expect.objectContaining({
      period: '2024', dims: { region: 'London' },
      values: expect.objectContaining({ referrals: 6, people: 5, dutyToNotify: 2, rgDecisions: 0, exits: null }), suppressed: ['exits'],
    })]);
  });

  it('lets analysts in and no one else', async () => {
    expect((await app.api.get('/analytics/referrals')).status).toBe(403);
    expect((await app.as({ role: 'auditor' }).get('/analytics/referrals')).status).toBe(403);
    expect((await app.anonymous().get('/analytics/referrals')).status).toBe(401);
  });

  it('rejects a breakdown it does not know', async () => {
    const { status, body } = await app.as(ANALYST).get('/analytics/referrals?by=shoeSize');
    expect(status).toBe(400);
    expect(body.code).toBe('VALIDATION_FAILED');
  });
});

/** Every analytics route, and the query shapes tried on each. */
const SHAPES = ['', 'period=year', 'period=month&from=2024-01-01&to=2024-12-31', 'by=nationality', 'by=ageGroup,gender', 'by=exploitationType', 'by=region&period=year', 'by=competentAuthority'];
const ROUTES: Array<[route: string, shapes: string[]]> = [
  ...['/analytics/referrals', '/analytics/data-quality'].map((route): [string, string[]] => [route, SHAPES]),
  // Regions breaks down by region (the default) and police force area only.
  ['/analytics/regions', ['', 'period=year', 'by=policeForceArea', 'by=region,policeForceArea&period=month&from=2024-01-01&to=2024-12-31']],
  ...[
    '/analytics/decision-times?stage=reasonable_grounds', '/analytics/decision-times?stage=conclusive_grounds',
    '/analytics/decision-times?stage=reasonable_grounds&basis=cohort', '/analytics/backlog', '/analytics/reconsiderations',
    '/analytics/care', '/analytics/exits', '/analytics/after-exit', '/analytics/flow',
  ].map((route): [string, string[]] => [route, SHAPES]),
];
/** ANALYTICS_SUPPRESSION_THRESHOLD's default: the app below runs without it. */
const DEFAULT_THRESHOLD = 10;
/** Statistics (rates, shares, medians, percentiles, averages) may be any number; everything else is a count. */
const STATISTIC = /Rate(\d+|\.\d+)?$|Share$|^median|Median|^p\d+|PerPerson$|^average|^mean/;

describe('disclosure control on every analytics endpoint, for random data (default threshold 10)', () => {
  const app = useRunningApp();

  beforeAll(async () => {
    const nest = app.app.app;
    await seedEventStore(nest.get(EVENT_STORE) as EventStore, nest.get(PERSONAL_DATA_VAULT) as PersonalDataVault, { journeys: 600, seed: 20240607, fromYear: 2022 });
    await caughtUp(app, 120_000);
  }, 180_000);

  it('publishes no count from 1 to 9, and no withheld count alone beside its published total', async () => {
    const problems: string[] = [];
    let published = 0;
    for (const [route, shapes] of ROUTES) {
      for (const shape of shapes) {
        const url = shape ? `${route}${route.includes('?') ? '&' : '?'}${shape}` : route;
        const { status, body } = await app.as(ANALYST).get(url);
        if (status !== 200) {
          problems.push(`${url}: ${status} ${JSON.stringify(body).slice(0, 200)}`);
          continue;
        }
        const report = body as Report;
        if (report.threshold !== DEFAULT_THRESHOLD) problems.push(`${url}: threshold ${report.threshold}`);
        for (const row of [...report.rows, ...report.periodTotals, report.total]) {
          for (const [name, value] of Object.entries(row.values)) {
            if (value === null || STATISTIC.test(name)) continue;
            if (value > 0 && value < DEFAULT_THRESHOLD) problems.push(`${url}: ${name} = ${value} in ${JSON.stringify([row.period, row.dims])}`);
            if (value >= DEFAULT_THRESHOLD) published++;
          }
        }
        problems.push(...recoverable(report, url));
      }
    }
    expect(problems).toEqual([]);
    expect(published).toBeGreaterThan(0); // the data were big enough for some figures to be published
  }, 120_000);
});

/**
 * Withheld counts that subtraction or addition would give back, among figures that add up to
 * another (a period's rows to its total, for breakdowns where a journey is in one row; the
 * periods to the grand total): one member withheld beside a published total, or a withheld
 * total whose members are all published.
 */
function recoverable(report: Report, url: string): string[] {
  const problems: string[] = [];
  const lone = (members: Row[], total: Row, measure: string, where: string) => {
    if (STATISTIC.test(measure) || total.values[measure] === undefined || members.length === 0) return;
    const hidden = members.filter((row) => row.suppressed.includes(measure));
    const unknown = members.filter((row) => row.values[measure] === null);
    if (total.values[measure] !== null && hidden.length === 1 && unknown.length === 1) problems.push(`${url}: ${measure} withheld alone in ${where}`);
    if (total.suppressed.includes(measure) && unknown.length === 0) problems.push(`${url}: ${measure} withheld in the total of ${where}, which are all published`);
  };
  const measures = Object.keys(report.total.values);
  for (const measure of measures) {
    if (!report.by.includes('exploitationType')) {
      for (const periodTotal of report.periodTotals) lone(report.rows.filter((row) => row.period === periodTotal.period), periodTotal, measure, `the rows of ${periodTotal.period}`);
    }
    lone(report.periodTotals, report.total, measure, 'the period totals');
  }
  return problems;
}
