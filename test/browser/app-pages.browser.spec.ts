import type { Browser, Page } from 'playwright-core';
import { JOURNEY_STATUSES } from '../../projections/journeys/journey.view';
import { ACCESS_PURPOSES } from '../../apps/api/src/personal-data/access-records';
import type { TestUser } from '../support/running-app';
import { describeInBrowser, launchBrowser, openPage, screenshot } from './support/browser';
import { AUDITOR, useSeededApp } from './support/seeded-app';

/**
 * The page's globals as the functions run in the page use them: this file is type-checked
 * without the DOM library (it runs in Node), so they are reached through globalThis.
 */
interface PageGlobals {
  document: { activeElement: { id: string; textContent: string | null } | null; documentElement: { scrollWidth: number } };
  innerWidth: number;
}
/** The focused element's id and text. */
const focused = (page: Page) => page.evaluate(() => {
  const element = (globalThis as unknown as PageGlobals).document.activeElement;
  return { id: element?.id ?? '', text: element?.textContent ?? '' };
});
/** True when the page is no wider than the window (tables scroll or stack within it). */
const fitsWidth = (page: Page) => page.evaluate(() => {
  const { document, innerWidth } = globalThis as unknown as PageGlobals;
  return document.documentElement.scrollWidth <= innerWidth;
});

/**
 * The support workers' app pages (issue 13): the caseload at /app (exactly the API's journeys
 * for the worker's organisation, in its order, with search, filters and paging that ask the
 * API what it would answer, and no personal data) and a journey's page (summary equal to
 * GET /journeys/:id, events equal to the history, personal details only after a purpose is
 * chosen, with the access on the record). Another organisation's worker is refused plainly.
 */
describeInBrowser('support workers\u2019 app: caseload and journey pages', () => {
  const app = useSeededApp({ journeys: 300, seed: 2024 });
  const auditor = () => app.as(AUDITOR);
  const LAPTOP = { width: 1366, height: 900 };
  const TABLET = { width: 768, height: 1024 };
  let browser: Browser;
  let organisationId: string;
  let worker: TestUser;
  let orgJourneys: any[];
  let allJourneys: any[];

  beforeAll(async () => {
    browser = await launchBrowser();
    // Every journey, as an auditor sees them; the organisation with the most is the worker's.
    const all: any[] = [];
    for (let page = 1; ; page++) {
      const { body } = await auditor().get(`/journeys?pageSize=200&page=${page}`);
      all.push(...body.items);
      if (all.length >= body.total || body.items.length === 0) break;
    }
    const counts = new Map<string, number>();
    for (const j of all) counts.set(j.organisationId, (counts.get(j.organisationId) ?? 0) + 1);
    organisationId = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
    allJourneys = all;
    orgJourneys = all.filter((j) => j.organisationId === organisationId);
    expect(orgJourneys.length).toBeGreaterThan(10);
    worker = { role: 'support_worker', organisationId, userId: 'worker-app-1' };
  }, 60_000);
  afterAll(async () => { await browser?.close(); });

  const asWorker = () => app.as(worker);
  const open = (path: string, viewport = LAPTOP, user: TestUser = worker) => openPage(browser, `${app.url}${path}`, { token: app.token(user), viewport });
  const ready = (page: Page, view: 'caseload' | 'journey') => page.waitForSelector(`[data-view="${view}"][data-state="ready"]`, { timeout: 15_000 });
  const rowIds = (page: Page) => page.$$eval('tr[data-journey-id]', (rows) => rows.map((r) => r.getAttribute('data-journey-id')));
  const apiIds = async (search: string) => {
    const { status, body } = await asWorker().get(`/journeys${search}`);
    expect(status).toBe(200);
    return { ids: (body.items as any[]).map((j) => j.journeyId), body };
  };
  /** Waits for the caseload drawn for this address (the router renders it without a reload). */
  const caseloadAt = async (page: Page, query: string) => {
    await page.waitForURL((url) => url.pathname === '/app' && url.search === query);
    await ready(page, 'caseload');
  };
  /** The personal details of the journeys, as an auditor reads them: what must never reach the caseload. */
  const personalValues = async (journeyIds: string[]) => {
    const values: string[] = [];
    for (const id of journeyIds) {
      const { body } = await auditor().get(`/journeys/${id}/personal-details`, { 'X-Purpose': 'audit' });
      const details = body.personalDetails ?? {};
      values.push(...[details.name, details.dateOfBirth, details.contact?.phone, details.contact?.email, details.contact?.address, details.notes].filter(Boolean));
    }
    return values;
  };

  it('lists exactly the API\u2019s caseload for the worker\u2019s organisation, in its order, with no personal data', async () => {
    const { page, problems, close } = await open('/app');
    await ready(page, 'caseload');
    const { ids, body } = await apiIds('?page=1&pageSize=25');
    expect(body.total).toBe(orgJourneys.length);
    expect(await rowIds(page)).toEqual(ids);
    expect(await page.textContent('[data-testid="result-count"]')).toContain(`of ${orgJourneys.length} journeys`);
    expect(await page.textContent('[data-testid="page-of"]')).toBe(`Page 1 of ${Math.ceil(orgJourneys.length / 25)}`);

    // Each row: its status, wait and overdue flags as the API gives them, and a real link to the journey's page.
    for (const item of body.items as any[]) {
      const row = page.locator(`tr[data-journey-id="${item.journeyId}"]`);
      expect(await row.getAttribute('data-status')).toBe(item.status);
      const flags = [item.overdue.reasonableGrounds ? 'rg_overdue' : null, item.overdue.followUp ? 'follow_up_due' : null].filter(Boolean).join(' ') || 'none';
      expect(await row.getAttribute('data-overdue')).toBe(flags);
      expect(await row.locator('a').getAttribute('href')).toBe(`/app/journeys/${item.journeyId}`);
      if (item.currentReferralId) expect(await row.locator('a').textContent()).toBe(item.currentReferralId);
      const wait = await row.locator('[data-field="waiting"]').textContent();
      if (item.waiting?.for === 'reasonable_grounds') expect(wait).toContain(`${item.waiting.workingDays.toLocaleString('en-GB')} working day`);
      else if (item.waiting) expect(wait).toContain(`${item.waiting.days.toLocaleString('en-GB')} day`);
      else expect(wait).toContain('Not waiting');
      expect(await row.locator('[data-field="identifiedOn"] time').getAttribute('datetime')).toBe(item.identifiedOn);
    }
    // The API orders most overdue first and the page keeps its order (checked above); the flags are in words.
    if ((body.items as any[]).some((j) => j.overdue.reasonableGrounds)) expect(await page.textContent('main')).toContain('RG decision past target');

    // The "Identify a potential victim" button (the forms' own) is at the top.
    expect(await page.getByRole('button', { name: /Identify a potential victim/ }).count()).toBeGreaterThan(0);
    // The status filter offers exactly the API's statuses.
    expect(await page.$$eval('#status option', (options) => options.map((o) => o.getAttribute('value')).filter(Boolean))).toEqual([...JOURNEY_STATUSES]);

    // No personal data: none of the listed people's details appears anywhere on the page, in its title or address.
    const secrets = await personalValues(ids);
    expect(secrets.length).toBeGreaterThan(0);
    const text = `${await page.textContent('body')} ${await page.title()} ${page.url()}`;
    for (const secret of secrets) expect(text).not.toContain(secret);

    await screenshot(page, 'app-caseload-laptop');
    await page.setViewportSize(TABLET);
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'app-caseload-tablet');
    expect(problems).toEqual([]);
    await close();
  }, 30_000);

  it('searches by referral reference, filters by status and overdue, and pages, as the API does (Back included)', async () => {
    const { page, problems, close } = await open('/app');
    await ready(page, 'caseload');

    // Search by a journey's current reference, by keyboard.
    const target = orgJourneys.find((j) => j.currentReferralId && j.episodeCount >= 2) ?? orgJourneys.find((j) => j.currentReferralId);
    await page.focus('#reference');
    await page.keyboard.type(target.currentReferralId);
    await page.keyboard.press('Enter');
    const referenceQuery = `?reference=${encodeURIComponent(target.currentReferralId)}`;
    await caseloadAt(page, referenceQuery);
    const found = await apiIds(`${referenceQuery}&page=1&pageSize=25`);
    expect(found.ids).toContain(target.journeyId);
    expect(await rowIds(page)).toEqual(found.ids);

    // A reference the API would refuse is explained before anything is sent.
    const before = page.url();
    await page.fill('#reference', 'not a reference!');
    await page.click('button[type="submit"]:has-text("Search")');
    await page.waitForSelector('#filters-errors:not([hidden])');
    expect(await page.textContent('#filters-errors')).toContain('There is a problem');
    expect(await page.getAttribute('#reference', 'aria-invalid')).toBe('true');
    expect((await focused(page)).id).toBe('filters-errors');
    expect(page.url()).toBe(before);

    // A status filter (the commonest status of the organisation's journeys), then overdue only.
    const statuses = new Map<string, number>();
    for (const j of orgJourneys) statuses.set(j.status, (statuses.get(j.status) ?? 0) + 1);
    const status = [...statuses].sort((a, b) => b[1] - a[1])[0][0];
    await page.fill('#reference', '');
    await page.selectOption('#status', status);
    await page.click('button[type="submit"]:has-text("Search")');
    await caseloadAt(page, `?status=${status}`);
    const byStatus = await apiIds(`?status=${status}&page=1&pageSize=25`);
    expect(byStatus.ids.length).toBe(Math.min(25, statuses.get(status)!));
    expect(await rowIds(page)).toEqual(byStatus.ids);
    expect(await page.$$eval('tr[data-journey-id]', (rows) => rows.every((r) => r.getAttribute('data-status') === rows[0].getAttribute('data-status')))).toBe(true);

    await page.selectOption('#status', '');
    await page.selectOption('#overdue', 'true');
    await page.click('button[type="submit"]:has-text("Search")');
    await caseloadAt(page, '?overdue=true');
    const overdue = await apiIds('?overdue=true&page=1&pageSize=25');
    expect(await rowIds(page)).toEqual(overdue.ids);
    expect(await page.$$eval('tr[data-journey-id]', (rows) => rows.every((r) => r.getAttribute('data-overdue') !== 'none'))).toBe(true);

    // Paging: 10 a page, the next page is the API's second page; Back returns to the first without a reload.
    await page.selectOption('#overdue', '');
    await page.selectOption('#pageSize', '10');
    await page.click('button[type="submit"]:has-text("Search")');
    await caseloadAt(page, '?pageSize=10');
    const pages = Math.ceil(orgJourneys.length / 10);
    expect(await page.textContent('[data-testid="page-of"]')).toBe(`Page 1 of ${pages}`);
    const first = await apiIds('?page=1&pageSize=10');
    expect(await rowIds(page)).toEqual(first.ids);
    await page.evaluate(() => { (globalThis as unknown as { sameDocument: boolean }).sameDocument = true; });
    await page.click('a[rel="next"]');
    await caseloadAt(page, '?page=2&pageSize=10');
    expect(await rowIds(page)).toEqual((await apiIds('?page=2&pageSize=10')).ids);
    expect(await page.textContent('[data-testid="page-of"]')).toBe(`Page 2 of ${pages}`);
    await page.goBack();
    await caseloadAt(page, '?pageSize=10');
    expect(await rowIds(page)).toEqual(first.ids);
    expect(await page.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true); // History API: no reload

    expect(problems).toEqual([]);
    await close();
  }, 40_000);

  it('finds a re-referred journey by an earlier referral’s reference, from an address with the search in it', async () => {
    const reReferred = allJourneys.find((j) => j.episodeCount >= 2);
    expect(reReferred).toBeDefined();
    const owner: TestUser = { role: 'support_worker', organisationId: reReferred.organisationId, userId: 'worker-app-2' };
    const earlier = (await app.as(owner).get(`/journeys/${reReferred.journeyId}`)).body.episodes[0].referralId as string;
    expect(earlier).not.toBe(reReferred.currentReferralId);
    const { page, problems, close } = await open(`/app?reference=${encodeURIComponent(earlier)}`, TABLET, owner);
    await ready(page, 'caseload');
    expect(await page.inputValue('#reference')).toBe(earlier);
    const api = (await app.as(owner).get(`/journeys?reference=${encodeURIComponent(earlier)}&page=1&pageSize=25`)).body;
    expect(await rowIds(page)).toEqual(api.items.map((j: any) => j.journeyId));
    expect(await rowIds(page)).toContain(reReferred.journeyId);
    // The row names the journey by its current referral.
    expect(await page.textContent(`tr[data-journey-id="${reReferred.journeyId}"] a`)).toBe(reReferred.currentReferralId);
    expect(problems).toEqual([]);
    await close();
  });

  it('shows a journey: the summary as the API has it, every event in order, next steps, and personal details only for a purpose, on the record', async () => {
    // A journey with personal details and the longest history of the caseload's first page.
    const journeyId = orgJourneys.filter((j) => j.personalData === 'held').sort((a, b) => b.lastRevision - a.lastRevision)[0].journeyId;
    const { page, problems, close } = await open('/app');
    await ready(page, 'caseload');
    const personalRequests: Array<string | undefined> = [];
    page.on('request', (request) => { if (request.url().includes('/personal-details')) personalRequests.push(request.headers()['x-purpose']); });

    // Reach the journey from the caseload by keyboard, through its search.
    const listed = orgJourneys.find((j) => j.journeyId === journeyId);
    if (listed.currentReferralId) {
      await page.fill('#reference', listed.currentReferralId);
      await page.press('#reference', 'Enter');
      await caseloadAt(page, `?reference=${encodeURIComponent(listed.currentReferralId)}`);
    } else {
      await page.goto(`${app.url}/app/journeys/${journeyId}`);
    }
    if (listed.currentReferralId) {
      await page.focus(`tr[data-journey-id="${journeyId}"] a`);
      await page.keyboard.press('Enter');
    }
    await page.waitForURL(`**/app/journeys/${journeyId}`);
    await ready(page, 'journey');
    // Focus moves to the new view's heading (a screen reader hears where it is).
    if (listed.currentReferralId) expect((await focused(page)).id).toBe('view-title');
    expect(await page.textContent('h1')).toBe(listed.currentReferralId ? `Journey ${listed.currentReferralId}` : `Journey ${journeyId.slice(0, 8)} (not referred)`);

    // The summary equals GET /journeys/:id.
    const journey = (await asWorker().get(`/journeys/${journeyId}`)).body;
    const summary = (key: string, attribute = 'data-value') => page.getAttribute(`[data-summary="${key}"]`, attribute);
    expect(await summary('status')).toBe(journey.status);
    expect(await summary('organisation')).toBe(journey.organisationId);
    expect(await summary('reference')).toBe(journey.currentReferralId ?? '');
    expect(await summary('identifiedOn')).toBe(journey.identifiedOn);
    expect(await summary('lastRecorded')).toBe(String(journey.lastRevision));
    expect(await summary('personalData')).toBe('held');
    expect(await summary('waiting', 'data-wait-for')).toBe(journey.waiting?.for ?? '');
    if (journey.waiting) {
      expect(await summary('waiting', 'data-days')).toBe(String(journey.waiting.days));
      expect(await summary('waiting', 'data-working-days')).toBe(String(journey.waiting.workingDays));
    }
    expect(await summary('overdue', 'data-rg-overdue')).toBe(String(journey.overdue.reasonableGrounds));
    expect(await summary('overdue', 'data-follow-up-due')).toBe(String(journey.overdue.followUp));
    const current = journey.episodes[journey.episodes.length - 1];
    expect(await summary('recoveryPeriodEndsOn')).toBe(current?.recoveryPeriodEndsOn ?? journey.recoveryPeriodEndsOn ?? '');
    expect(await page.$$eval('[data-episode]', (items) => items.map((e) => e.getAttribute('data-referral-id')))).toEqual(journey.episodes.map((e: any) => e.referralId));
    const decisions = journey.episodes.flatMap((e: any) => e.decisions.map((d: any) => ({ id: d.eventId, stage: d.stage, outcome: d.outcome, waited: String(d.waited) })));
    expect(await page.$$eval('tr[data-decision-id]', (rows) => rows.map((r) => ({
      id: r.getAttribute('data-decision-id'), stage: r.getAttribute('data-stage'), outcome: r.getAttribute('data-outcome'), waited: r.getAttribute('data-waited'),
    })))).toEqual(decisions);
    expect(await page.$$eval('[data-testid="follow-ups-due"] li', (items) => items.map((li) => li.getAttribute('data-due-on')))).toEqual((journey.followUpsDue ?? []).map((f: any) => f.dueOn));

    // Every event of the history, in its order, in plain words.
    const history = (await asWorker().get(`/journeys/${journeyId}/history`)).body.events as any[];
    expect(await page.$$eval('[data-testid="journey-events"] ol.timeline-list > li', (items) => items.map((li) => li.getAttribute('data-event-id')))).toEqual(history.map((e) => e.eventId));
    expect(await page.textContent('#events-title')).toBe(`What happened (${history.length} events)`);

    // The next steps panel is mounted with the journey's revision.
    expect(await page.locator('[data-testid="next-steps"] > *').count()).toBeGreaterThan(0);

    // Personal details: hidden; asking without a purpose is explained and sends nothing.
    const details = (await auditor().get(`/journeys/${journeyId}/personal-details`, { 'X-Purpose': 'audit' })).body.personalDetails;
    expect(details?.name).toBeTruthy();
    expect(await page.textContent('main')).not.toContain(details.name);
    expect([...ACCESS_PURPOSES]).toEqual(await page.$$eval('input[name="purpose"]', (inputs) => inputs.map((i) => i.getAttribute('value'))));
    await page.click('button:has-text("Show personal details")');
    await page.waitForSelector('#purpose-errors:not([hidden])');
    expect(await page.textContent('#purpose-errors')).toContain('Choose why you need to see the personal details');
    expect((await focused(page)).id).toBe('purpose-errors');
    expect(personalRequests).toEqual([]);
    const recordsBefore = (await auditor().get(`/journeys/${journeyId}/access-records`)).body as any[];

    await page.check('#purpose-safeguarding');
    await page.click('button:has-text("Show personal details")');
    await page.waitForSelector('[data-testid="access-recorded"]');
    expect(await page.textContent('[data-personal-field="name"]')).toContain(details.name);
    if (details.dateOfBirth) expect(await page.textContent('[data-personal-field="dateOfBirth"]')).not.toContain('Not recorded');
    if (details.contact?.phone) expect(await page.textContent('[data-personal-field="phone"]')).toContain(details.contact.phone);
    expect(await page.textContent('[data-testid="access-recorded"]')).toContain('This access was recorded');
    expect(personalRequests).toEqual(['safeguarding']);
    const records = (await auditor().get(`/journeys/${journeyId}/access-records`)).body as any[];
    expect(records.length).toBe(recordsBefore.length + 1);
    expect(records[records.length - 1]).toMatchObject({ purpose: 'safeguarding', accessedBy: { userId: worker.userId, role: 'support_worker', organisationId } });
    // Never in the address or the title.
    expect(page.url()).toBe(`${app.url}/app/journeys/${journeyId}`);
    expect(decodeURIComponent(page.url())).not.toContain(details.name);
    expect(await page.title()).not.toContain(details.name);

    await screenshot(page, 'app-journey-laptop');
    await page.setViewportSize(TABLET);
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'app-journey-tablet');

    await page.click('button:has-text("Hide personal details")');
    expect(await page.textContent('main')).not.toContain(details.name);
    expect((await focused(page)).text).toBe('Show personal details');

    // Back to the caseload from the page's own link (History API, the search kept).
    await page.click('.app-back a');
    await ready(page, 'caseload');
    expect(new URL(page.url()).pathname).toBe('/app');
    expect(problems).toEqual([]);
    await close();
  }, 40_000);

  it('refuses a worker of another organisation plainly, with nothing of the journey shown', async () => {
    const journeyId = orgJourneys[0].journeyId;
    const stranger: TestUser = { role: 'support_worker', organisationId: `${organisationId}-not`, userId: 'worker-other' };
    const { page, problems, close } = await open(`/app/journeys/${journeyId}`, LAPTOP, stranger);
    await page.waitForSelector('[data-view="journey"][data-state="error"]');
    expect(await page.getAttribute('[data-view="journey"]', 'data-error')).toBe('not-on-caseload');
    expect(await page.textContent('[data-testid="journey-refused"]')).toBe('This journey is not on your organisation\u2019s caseload, or does not exist.');
    expect(await page.locator('[data-testid="journey-summary"], [data-testid="next-steps"], [data-testid="personal-details"]').count()).toBe(0);
    // The refused read is the only complaint: the browser logs the 404.
    expect(problems.filter((p) => !/status of 404/.test(p))).toEqual([]);
    await close();
  });

  it('hands back to the sign-in form, with the reason, when the API refuses the token', async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const forged = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'someone', role: 'support_worker', organisationId, exp: Math.floor(Date.now() / 1000) + 600 })}.${'A'.repeat(43)}`;
    const { page, problems, close } = await openPage(browser, `${app.url}/app`, { token: forged, viewport: LAPTOP });
    await page.waitForSelector('form.sign-in');
    expect(await page.textContent('#token-error')).toContain('The API refused the token');
    expect(await page.locator('[data-view]').count()).toBe(0);
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await close();
  });
});
