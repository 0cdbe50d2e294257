import type { Browser, Locator, Page, Request } from 'playwright-core';
import { addDays, ukDateOf } from '../../libs/domain/src/calendar/calendar-date';
import type { TestUser } from '../support/running-app';
import { describeInBrowser, launchBrowser, openPage, screenshot } from './support/browser';
import { useSeededApp } from './support/seeded-app';

/**
 * The support workers' step forms (issue 13): a whole journey recorded through the forms,
 * each step adding exactly its event; client checks and the server's 400 and 422 shown
 * next to the field or at the top; a double submit and a retry after a lost answer recording
 * once (the Idempotency-Key made when the form opened); and a 409 from a second tab showing
 * what the other tab recorded before the worker resubmits on the current journey.
 */
/** The page as the checks below read it inside page.evaluate (the root tsconfig has no DOM library; these run in the page). */
interface PageElement {
  id: string;
  type?: string;
  labels?: { length: number } | null;
  classList: { contains(name: string): boolean };
  hasAttribute(name: string): boolean;
  getAttribute(name: string): string | null;
  closest(selector: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
  click(): void;
}
interface PageGlobals {
  document: { activeElement: PageElement | null; documentElement: { scrollWidth: number } };
  innerWidth: number;
}

/** What has the keyboard focus: its field, whether it is the error summary or a form's title, its type and step. */
const focused = (page: Page) => page.evaluate(() => {
  const element = (globalThis as unknown as PageGlobals).document.activeElement;
  return {
    field: element?.closest('[data-field]')?.getAttribute('data-field') ?? null,
    summary: element?.hasAttribute('data-error-summary') ?? false,
    title: element?.classList.contains('step-form-title') ?? false,
    type: element?.type ?? null,
    step: element?.getAttribute('data-step') ?? null,
  };
});

/** Nothing wider than the window (no sideways scrolling on a tablet). */
const fitsWidth = (page: Page) => page.evaluate(() => {
  const { document, innerWidth } = globalThis as unknown as PageGlobals;
  return document.documentElement.scrollWidth <= innerWidth;
});

describeInBrowser('support workers\u2019 app: step forms', () => {
  const app = useSeededApp({ journeys: 20, seed: 7 });
  const WORKER: TestUser = { role: 'support_worker', organisationId: 'met-police', userId: 'worker-7' };
  const COLLEAGUE: TestUser = { role: 'support_worker', organisationId: 'met-police', userId: 'worker-9' };
  const LAPTOP = { width: 1366, height: 900 };
  const TABLET = { width: 768, height: 1024 };
  const today = ukDateOf(new Date().toISOString());
  const daysAgo = (days: number) => addDays(today, -days);
  const ROUTES: Record<string, string> = {
    consent: 'consents', circumstances: 'circumstances', referral: 'referrals', 'reasonable-grounds-decision': 'decisions', 'conclusive-grounds-decision': 'decisions',
    'needs-assessment': 'needs-assessments', care: 'care', exit: 'exit', 'follow-up': 'follow-ups', 're-referral': 're-referrals',
  };
  let browser: Browser;

  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => { await browser?.close(); });

  const api = (user: TestUser = WORKER) => app.as(user);
  const history = async (journeyId: string) => (await api().get(`/journeys/${journeyId}/history`)).body.events as any[];
  const open = (path: string, user: TestUser = WORKER, viewport = LAPTOP) => openPage(browser, `${app.url}${path}`, { token: app.token(user), viewport });

  /** A journey recorded through the API up to a point, for the tests that start part-way. */
  async function journeyUpTo(stage: 'referred' | 'exited', reference: string): Promise<string> {
    const identified = await api().post('/journeys', {
      occurredAt: daysAgo(90), firstResponder: { organisationId: 'met-police', organisationType: 'police' }, ageGroup: 'adult', gender: 'male', nationality: 'VN',
      exploitationTypes: ['labour'], countyLines: false, exploitationLocation: 'uk', policeForceArea: 'E23000001', indicators: [],
    });
    const id = identified.body.journeyId as string;
    const steps: Array<[string, unknown]> = [
      ['consents', { occurredAt: daysAgo(90), scope: 'nrm_referral', given: true, interpreterUsed: false }],
      ['referrals', { occurredAt: daysAgo(89), referralId: reference, competentAuthority: 'SCA', supportRequested: true }],
    ];
    if (stage === 'exited') {
      steps.push(['decisions', { referralId: reference, stage: 'reasonable_grounds', outcome: 'positive', decidedAt: daysAgo(80) }]);
      steps.push(['exit', { occurredAt: daysAgo(2), reason: 'withdrew', housing: 'temporary', immigrationStatus: 'pending' }]);
    }
    for (const [route, body] of steps) expect((await api().post(`/journeys/${id}/${route}`, body)).status).toBe(201);
    return id;
  }

  /** The journey page once drawn at `revision` (after a step, the page reads again, waiting for it), with its next steps. */
  async function journeyReady(page: Page, revision?: number): Promise<void> {
    const at = revision === undefined ? '' : `[data-revision="${revision}"]`;
    await page.waitForSelector(`[data-view="journey"][data-state="ready"]${at}`, { timeout: 15_000 });
    await page.waitForSelector(`[data-next-steps][data-state="ready"]${at}`, { timeout: 15_000 });
  }

  async function openStep(page: Page, step: string): Promise<Locator> {
    await page.click(`button[data-step="${step}"]`);
    const form = page.locator(`form[data-step="${step}"]`);
    await form.waitFor();
    return form;
  }

  /** Answers a form as a worker would: text and dates typed, options selected, radios and checkboxes ticked ("other" codes typed). */
  async function answer(form: Locator, answers: Record<string, string | boolean | string[]>): Promise<void> {
    for (const [name, value] of Object.entries(answers)) {
      const field = form.locator(`[data-field="${name}"]`);
      if (Array.isArray(value)) {
        for (const code of value) {
          const box = field.locator(`input[type="checkbox"][value="${code}"]`);
          if (await box.count()) await box.check();
          else await field.locator('.form-other input').fill(code);
        }
      } else if (typeof value === 'boolean' || await field.locator('input[type="radio"]').count()) {
        await field.locator(`input[type="radio"][value="${String(value)}"]`).check();
      } else if (await field.locator('select').count()) {
        await field.locator('select').selectOption(String(value));
      } else {
        await field.locator('input, textarea').first().fill(String(value));
      }
    }
  }

  /** Every POST the page sends, with its headers. */
  function posts(page: Page): Request[] {
    const sent: Request[] = [];
    page.on('request', (request) => { if (request.method() === 'POST') sent.push(request); });
    return sent;
  }

  /** Every control of a form has a label, and every radio or checkbox sits in a fieldset with a legend. */
  async function expectLabelled(form: Locator): Promise<void> {
    const unlabelled = await form.evaluate((element) => [...element.querySelectorAll('input, select, textarea')]
      .map((control) => control as unknown as PageElement)
      .filter((control) => !control.labels?.length
        || (['radio', 'checkbox'].includes(control.type ?? '') && !control.closest('fieldset')?.querySelector('legend')))
      .map((control) => control.id));
    expect(unlabelled).toEqual([]);
  }

  it('records a whole journey through the forms, from identification to re-referral, each step adding exactly its event', async () => {
    const { page, problems, close } = await open('/app');
    const sent = posts(page);
    await page.waitForSelector('[data-view="caseload"][data-state="ready"]', { timeout: 15_000 });

    // Identify: an empty submit is explained first (summary focused, each field marked), then the answers are recorded.
    const identify = await openStep(page, 'identify');
    await expectLabelled(identify);
    await identify.locator('button[type="submit"]').click();
    const summary = identify.locator('[data-error-summary]');
    await summary.waitFor();
    expect((await focused(page)).summary).toBe(true);
    expect(await summary.textContent()).toContain('Select age group');
    expect(await identify.locator('[data-field-error="ageGroup"]').textContent()).toContain('Select age group');
    expect(await identify.locator('[data-field-error="exploitationTypes"]').isVisible()).toBe(true);
    expect(await identify.locator('[data-field="nationality"] select').getAttribute('aria-invalid')).toBe('true');
    expect(await identify.locator('[data-field="nationality"] select').getAttribute('aria-describedby')).toContain('error');
    await screenshot(page, 'app-form-errors');
    // A link in the summary takes the worker to the field.
    await summary.locator('a', { hasText: 'Select nationality' }).click();
    expect((await focused(page)).field).toBe('nationality');
    expect(sent).toHaveLength(0);

    await answer(identify, {
      occurredAt: daysAgo(70), 'firstResponder.organisationType': 'police', ageGroup: 'adult', gender: 'female', nationality: 'AL',
      exploitationTypes: ['sexual'], countyLines: false, exploitationLocation: 'uk', policeForceArea: 'E23000001', indicators: ['debt_bondage', 'works_without_pay'],
      'personalDetails.name': 'Ana Forms-Test', 'personalDetails.dateOfBirth': '1995-03-02', 'personalDetails.contact.phone': '07700 900123',
    });
    await identify.locator('button[type="submit"]').click();
    await page.waitForURL(/\/app\/journeys\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    const journeyId = page.url().split('/').pop()!;
    await journeyReady(page, 0);
    let events = await history(journeyId);
    expect(events.map((e) => e.type)).toEqual(['VictimIdentified']);
    expect(events[0].data).toMatchObject({
      occurredAt: daysAgo(70), firstResponder: { organisationId: 'met-police', organisationType: 'police' }, ageGroup: 'adult', gender: 'female', nationality: 'AL',
      exploitationTypes: ['sexual'], countyLines: false, exploitationLocation: 'uk', policeForceArea: 'E23000001', indicators: ['debt_bondage', 'works_without_pay'],
    });
    const details = (await api().get(`/journeys/${journeyId}/personal-details`, { 'X-Purpose': 'case_management' })).body.personalDetails;
    expect(details).toEqual({ name: 'Ana Forms-Test', dateOfBirth: '1995-03-02', contact: { phone: '07700 900123' } });
    expect(sent[0].headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);

    // Each step in turn: its form, its answers, and exactly the event expected, recorded on the revision the page showed.
    const steps: Array<{ step: string; answers: Record<string, string | boolean | string[]>; type: string; data: Record<string, unknown> }> = [
      { step: 'consent', answers: { occurredAt: daysAgo(70), scope: 'nrm_referral', given: true, interpreterUsed: true, language: 'sq' }, type: 'ConsentRecorded',
        data: { occurredAt: daysAgo(70), scope: 'nrm_referral', given: true, interpreterUsed: true, language: 'sq' } },
      { step: 'circumstances', answers: { occurredAt: daysAgo(69), recruitmentMethod: 'job_offer', controlMethods: ['debt_bondage', 'threats'], perpetratorRoles: ['recruiter'], relationshipToPerpetrator: 'stranger', organisedCrimeGroup: true, durationBand: '1_to_6_months', debtBand: '1000_to_5000' },
        type: 'CircumstancesRecorded', data: { recruitmentMethod: 'job_offer', controlMethods: ['debt_bondage', 'threats'], perpetratorRoles: ['recruiter'], organisedCrimeGroup: true, debtBand: '1000_to_5000' } },
      { step: 'referral', answers: { occurredAt: daysAgo(68), referralId: 'NRM-FORMS-0001', competentAuthority: 'SCA', supportRequested: true }, type: 'VictimReferred',
        data: { occurredAt: daysAgo(68), referralId: 'NRM-FORMS-0001', competentAuthority: 'SCA', supportRequested: true } },
      // Decided 60 days ago, so the 30-day recovery period has ended and a CG decision is possible today (the server's clock).
      { step: 'reasonable-grounds-decision', answers: { outcome: 'positive', decidedAt: daysAgo(60) }, type: 'DecisionMade',
        data: { referralId: 'NRM-FORMS-0001', stage: 'reasonable_grounds', outcome: 'positive', decidedAt: daysAgo(60), occurredAt: daysAgo(60) } },
      { step: 'conclusive-grounds-decision', answers: { outcome: 'positive' }, type: 'DecisionMade',
        data: { referralId: 'NRM-FORMS-0001', stage: 'conclusive_grounds', outcome: 'positive', decidedAt: today } },
      { step: 'needs-assessment', answers: { occurredAt: daysAgo(59), domains: ['mental_health', 'housing_support'], riskLevel: 'high', dependants: '1' }, type: 'NeedsAssessed',
        data: { occurredAt: daysAgo(59), domains: ['mental_health', 'housing_support'], riskLevel: 'high', dependants: 1 } },
      { step: 'care', answers: { service: 'accommodation', providerId: 'safe-house-3', startedOn: daysAgo(58), endedOn: daysAgo(20), costPence: '2500.50' }, type: 'CareProvided',
        data: { service: 'accommodation', providerId: 'safe-house-3', startedOn: daysAgo(58), endedOn: daysAgo(20), costPence: 250050 } },
      { step: 'exit', answers: { reason: 'move_on_complete', housing: 'stable', immigrationStatus: 'leave_to_remain' }, type: 'VictimExited',
        data: { occurredAt: today, reason: 'move_on_complete', housing: 'stable', immigrationStatus: 'leave_to_remain' } },
      { step: 'follow-up', answers: { contactMade: true, housing: 'temporary', occupation: 'education', immigrationStatus: 'leave_to_remain', destitute: false, safeguardingConcern: false, reExploitationReported: false },
        type: 'FollowUpRecorded', data: { occurredAt: today, monthsSinceExit: 1, contactMade: true, housing: 'temporary', occupation: 'education', destitute: false, reExploitationReported: false } },
      { step: 're-referral', answers: { newReferralId: 'NRM-FORMS-0002', sameIncident: false, competentAuthority: 'IECA' }, type: 'VictimReReferred',
        data: { occurredAt: today, newReferralId: 'NRM-FORMS-0002', previousReferralId: 'NRM-FORMS-0001', sameIncident: false, competentAuthority: 'IECA' } },
    ];
    for (const [i, { step, answers, type, data }] of steps.entries()) {
      const revision = i; // the identification is revision 0
      const form = await openStep(page, step);
      await expectLabelled(form);
      if (step === 'follow-up') {
        // With no contact the answers are not asked (and not sent); with contact they are.
        await answer(form, { contactMade: false });
        expect(await form.locator('[data-field="occupation"]').isVisible()).toBe(false);
        expect(await form.locator('[data-fixed="monthsSinceExit"]').textContent()).toBe('1 month after exit');
      }
      if (step === 'conclusive-grounds-decision') expect(await form.locator('[data-field="decidedAt"] input').inputValue()).toBe(today);
      await answer(form, answers);
      const before = sent.length;
      await form.locator('button[type="submit"]').click();
      await journeyReady(page, revision + 1);
      expect(sent.length).toBe(before + 1);
      expect(sent[before].headers()['if-match']).toBe(`"${revision}"`);
      expect(sent[before].url()).toBe(`${app.url}/journeys/${journeyId}/${ROUTES[step]}`);
      events = await history(journeyId);
      expect(events).toHaveLength(revision + 2);
      expect(events[revision + 1]).toMatchObject({ type, revision: revision + 1, recordedBy: { userId: 'worker-7', organisationId: 'met-police' }, data });
      if (step === 'follow-up') expect(events[revision + 1].data.safeguardingConcern).toBe(false);
    }
    // Every key was different: one per form opened.
    const keys = sent.map((request) => request.headers()['idempotency-key']);
    expect(new Set(keys).size).toBe(keys.length);
    expect(problems).toEqual([]);
    await close();
  }, 60_000);

  it('explains a rule refusal: a step the rules do not allow yet, a date the form checks, the server\u2019s 422 at the top and its 400 next to the field', async () => {
    // A journey waiting for RG: the CG step is not offered, with the reason; an RG dated before the referral is caught by the form.
    const waiting = await journeyUpTo('referred', 'NRM-RULES-0001');
    const first = await open(`/app/journeys/${waiting}`);
    await journeyReady(first.page, 2);
    const refusedCg = first.page.locator('[data-step-refused="conclusive-grounds-decision"]');
    expect(await refusedCg.textContent()).toContain('needs a positive Reasonable Grounds decision');
    expect(await first.page.locator('button[data-step="conclusive-grounds-decision"]').count()).toBe(0);
    const sent = posts(first.page);
    const rg = await openStep(first.page, 'reasonable-grounds-decision');
    expect(await rg.locator('[data-fixed="referralId"]').textContent()).toBe('NRM-RULES-0001');
    await answer(rg, { outcome: 'positive', decidedAt: daysAgo(95) });
    await rg.locator('button[type="submit"]').click();
    expect(await rg.locator('[data-field-error="decidedAt"]').textContent()).toContain('must be on or after the referral');
    expect(sent).toHaveLength(0);
    // Decided 10 days ago: the CG is refused until the recovery period ends, and the panel says from when.
    await answer(rg, { decidedAt: daysAgo(10) });
    await rg.locator('button[type="submit"]').click();
    await journeyReady(first.page, 3);
    const cg = first.page.locator('[data-step-refused="conclusive-grounds-decision"]');
    expect(await cg.textContent()).toContain('cannot be made before the recovery period ends');
    expect(await cg.locator('[data-available-from]').getAttribute('data-available-from')).toBe(addDays(daysAgo(10), 30));
    expect(await cg.textContent()).toContain('Possible from');
    expect(first.problems).toEqual([]);
    await first.close();

    // An exited journey: a re-referral reusing the earlier reference is refused by the server (422), explained at the top and at the field.
    const exited = await journeyUpTo('exited', 'NRM-RULES-0002');
    const { page, problems, close } = await open(`/app/journeys/${exited}`, WORKER, TABLET);
    await journeyReady(page, 4);
    // By keyboard: the step's button opens its form, focus moves to the form's title, and Tab reaches the first field.
    await page.focus('button[data-step="re-referral"]');
    await page.keyboard.press('Enter');
    const form = page.locator('form[data-step="re-referral"]');
    await form.waitFor();
    expect((await focused(page)).title).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ type: 'date', field: 'occurredAt' });
    await answer(form, { newReferralId: 'NRM-RULES-0002', sameIncident: true, competentAuthority: 'SCA' });
    const before = (await history(exited)).length;
    await form.locator('button[type="submit"]').click();
    const summary = form.locator('[data-error-summary]');
    await summary.waitFor();
    expect(await form.getAttribute('data-refused')).toBe('REFERRAL_ID_IN_USE');
    expect(await summary.textContent()).toContain('Referral NRM-RULES-0002 already exists on this journey.');
    expect(await form.locator('[data-field-error="newReferralId"]').textContent()).toContain('already exists on this journey');
    expect((await focused(page)).summary).toBe(true);
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'app-form-refused-422');

    // A 400 the form did not foresee (the body altered on its way, as if the rules had drifted apart) shows next to its field.
    await page.route('**/re-referrals', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}');
      await route.continue({ postData: JSON.stringify({ ...body, newReferralId: 'not a reference!' }) });
    });
    await answer(form, { newReferralId: 'NRM-RULES-0003' });
    await form.locator('button[type="submit"]').click();
    await form.locator('[data-field-error="newReferralId"]:has-text("must start with a letter or digit")').waitFor();
    expect(await form.locator('[data-error-summary]').textContent()).toContain('New NRM referral reference must start with a letter or digit');
    expect(await form.locator('[data-field="newReferralId"] input').getAttribute('aria-invalid')).toBe('true');
    await page.unroute('**/re-referrals');
    expect(await history(exited)).toHaveLength(before);

    // Corrected, the same form records it.
    await form.locator('button[type="submit"]').click();
    await journeyReady(page, 5);
    expect((await history(exited)).at(-1)).toMatchObject({ type: 'VictimReReferred', data: { newReferralId: 'NRM-RULES-0003', previousReferralId: 'NRM-RULES-0002', sameIncident: true } });
    // The two refusals the test provoked, and nothing else.
    expect(problems.filter((p) => !/status of (422|400)/.test(p))).toEqual([]);
    expect(problems.filter((p) => /status of (422|400)/.test(p))).toHaveLength(2);
    await close();
  }, 60_000);

  it('records once when submitted twice fast, and once when retried after the answer was lost', async () => {
    const journeyId = await journeyUpTo('referred', 'NRM-TWICE-0001');
    const { page, problems, close } = await open(`/app/journeys/${journeyId}`);
    const sent = posts(page);
    await journeyReady(page, 2);

    // Two clicks in one go: the button is disabled by the first, and the key would make a second harmless anyway.
    const needs = await openStep(page, 'needs-assessment');
    await answer(needs, { domains: ['safety'], riskLevel: 'medium', dependants: '0' });
    await needs.locator('button[type="submit"]').evaluate((button) => { const b = button as unknown as PageElement; b.click(); b.click(); b.click(); });
    await journeyReady(page, 3);
    expect((await history(journeyId)).filter((e) => e.type === 'NeedsAssessed')).toHaveLength(1);
    expect(sent).toHaveLength(1);

    // The server records the care, but its answer never arrives: the form says so, keeps the entries, and the retry (same key) records nothing more.
    const care = await openStep(page, 'care');
    await answer(care, { service: 'outreach', providerId: 'outreach-team-2', startedOn: daysAgo(30) });
    let handled: number | undefined;
    await page.route('**/journeys/*/care', async (route) => {
      if (handled === undefined) {
        handled = (await route.fetch()).status();
        return route.abort('failed');
      }
      return route.continue();
    });
    await care.locator('button[type="submit"]').click();
    await care.locator('[data-error-summary]:has-text("did not arrive")').waitFor();
    expect(handled).toBe(201);
    expect((await history(journeyId)).filter((e) => e.type === 'CareProvided')).toHaveLength(1);
    expect(await care.locator('[data-field="providerId"] input').inputValue()).toBe('outreach-team-2');
    const replay = page.waitForResponse((response) => response.url().endsWith('/care') && response.request().method() === 'POST');
    await care.locator('button[type="submit"]').click();
    expect((await (await replay).allHeaders())['idempotent-replayed']).toBe('true');
    await journeyReady(page, 4);
    expect((await history(journeyId)).filter((e) => e.type === 'CareProvided')).toHaveLength(1);
    const careKeys = sent.filter((r) => r.url().endsWith('/care')).map((r) => r.headers()['idempotency-key']);
    expect(careKeys).toHaveLength(2);
    expect(careKeys[0]).toBe(careKeys[1]);
    expect(careKeys[0]).not.toBe(sent[0].headers()['idempotency-key']);
    // Only the answer the test threw away failed.
    const provoked = (p: string) => p.includes('/care') && /ERR_FAILED|Failed to load resource/.test(p);
    expect(problems.filter((p) => !provoked(p))).toEqual([]);
    expect(problems.some(provoked)).toBe(true);
    await close();
  }, 60_000);

  it('opens one form at a time, and records a Duty to Notify (no personal data) and a reconsideration with its fixed decision', async () => {
    // An adult who did not consent: Duty to Notify, its area and types taken from the identification.
    const identified = await api().post('/journeys', {
      occurredAt: daysAgo(20), firstResponder: { organisationId: 'met-police', organisationType: 'police' }, ageGroup: 'adult', gender: 'female', nationality: 'ER',
      exploitationTypes: ['domestic_servitude', 'labour'], countyLines: false, exploitationLocation: 'both', policeForceArea: 'E23000014', indicators: ['lives_at_workplace'],
    });
    const refusedConsent = identified.body.journeyId as string;
    expect((await api().post(`/journeys/${refusedConsent}/consents`, { occurredAt: daysAgo(19), scope: 'nrm_referral', given: false, interpreterUsed: true, language: 'ti' })).status).toBe(201);
    const { page, problems, close } = await open(`/app/journeys/${refusedConsent}`);
    await journeyReady(page, 1);
    expect(await page.textContent('[data-step-refused="referral"]')).toContain('did not consent');

    // One form at a time; Cancel closes it and gives focus back to its button.
    await openStep(page, 'consent');
    await openStep(page, 'circumstances');
    expect(await page.locator('form[data-step]').count()).toBe(1);
    expect(await page.getAttribute('button[data-step="consent"]', 'aria-expanded')).toBe('false');
    await page.click('form[data-step="circumstances"] button:has-text("Cancel")');
    expect(await page.locator('form[data-step]').count()).toBe(0);
    expect((await focused(page)).step).toBe('circumstances');

    const dtn = await openStep(page, 'duty-to-notify');
    await expectLabelled(dtn);
    expect(await dtn.locator('[data-field="policeForceArea"] select').inputValue()).toBe('E23000014');
    await dtn.locator('button[type="submit"]').click();
    await journeyReady(page, 2);
    const notified = (await history(refusedConsent)).at(-1);
    expect(notified).toMatchObject({ type: 'DutyToNotifySubmitted', data: { occurredAt: today, policeForceArea: 'E23000014', exploitationTypes: ['labour', 'domestic_servitude'] } });
    expect(Object.keys(notified.data).sort()).toEqual(['exploitationTypes', 'occurredAt', 'policeForceArea']);
    expect(problems).toEqual([]);
    await close();

    // A negative RG three days ago: reconsideration of that decision, until 30 days after it.
    const journeyId = await journeyUpTo('referred', 'NRM-RECON-0001');
    const decided = await api().post(`/journeys/${journeyId}/decisions`, { referralId: 'NRM-RECON-0001', stage: 'reasonable_grounds', outcome: 'negative', decidedAt: daysAgo(3), reasonCode: 'insufficient_information' });
    expect(decided.status).toBe(201);
    const decision = (await history(journeyId)).at(-1);
    const second = await open(`/app/journeys/${journeyId}`);
    await journeyReady(second.page, 3);
    expect(await second.page.textContent('[data-step-allowed="reconsideration"]')).toContain('Possible until');
    const form = await openStep(second.page, 'reconsideration');
    expect(await form.locator('[data-fixed="decisionEventId"]').textContent()).toContain('Reasonable Grounds decision: negative');
    expect(await form.locator('[data-fixed="referralId"]').textContent()).toBe('NRM-RECON-0001');
    await answer(form, { requestedOn: daysAgo(4) });
    await form.locator('button[type="submit"]').click();
    expect(await form.locator('[data-field-error="requestedOn"]').textContent()).toContain('must be on or after the decision');
    await answer(form, { requestedOn: daysAgo(1) });
    await form.locator('button[type="submit"]').click();
    await journeyReady(second.page, 4);
    expect((await history(journeyId)).at(-1)).toMatchObject({
      type: 'ReconsiderationRequested', data: { referralId: 'NRM-RECON-0001', decisionEventId: decision.eventId, requestedOn: daysAgo(1), occurredAt: daysAgo(1) },
    });
    expect(second.problems).toEqual([]);
    await second.close();
  }, 60_000);

  it('shows what another tab recorded on a 409, keeps the entries, and resubmits on the current journey', async () => {
    const journeyId = await journeyUpTo('referred', 'NRM-TABS-0001');
    const tabA = await open(`/app/journeys/${journeyId}`, WORKER, TABLET);
    const tabB = await open(`/app/journeys/${journeyId}`, COLLEAGUE);
    await journeyReady(tabA.page, 2);
    await journeyReady(tabB.page, 2);
    const sentA = posts(tabA.page);

    // Tab A opens the care form and fills it in; meanwhile tab B records a needs assessment.
    const careA = await openStep(tabA.page, 'care');
    await answer(careA, { service: 'counselling', providerId: 'counsel-1', startedOn: daysAgo(5), costPence: '120' });
    const needsB = await openStep(tabB.page, 'needs-assessment');
    await answer(needsB, { domains: ['legal'], riskLevel: 'low', dependants: '2' });
    await needsB.locator('button[type="submit"]').click();
    await journeyReady(tabB.page, 3);

    // Tab A's submit is refused: the panel lists tab B's event, who recorded it, and keeps A's entries.
    await careA.locator('button[type="submit"]').click();
    const conflict = careA.locator('[data-conflict]');
    await conflict.waitFor();
    await conflict.locator('[data-conflict-event]').first().waitFor();
    const listed = await conflict.locator('[data-conflict-event]').evaluateAll((items) => items.map((li) => ({ type: li.getAttribute('data-type'), revision: li.getAttribute('data-revision'), text: li.textContent })));
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ type: 'NeedsAssessed', revision: '3' });
    expect(listed[0].text).toContain('worker-9');
    expect(listed[0].text).toContain('Needs assessed');
    expect(await conflict.textContent()).toContain('Someone else changed this journey');
    expect(await careA.locator('[data-field="providerId"] input').inputValue()).toBe('counsel-1');
    expect((await history(journeyId)).map((e) => e.type)).toEqual(['VictimIdentified', 'ConsentRecorded', 'VictimReferred', 'NeedsAssessed']);
    expect(await fitsWidth(tabA.page)).toBe(true);
    await screenshot(tabA.page, 'app-form-conflict');

    // Resubmitting is a new decision on the journey as it now is: If-Match the new revision, a new Idempotency-Key.
    await conflict.locator('button[data-resubmit]').click();
    await journeyReady(tabA.page, 4);
    const events = await history(journeyId);
    expect(events.map((e) => e.type)).toEqual(['VictimIdentified', 'ConsentRecorded', 'VictimReferred', 'NeedsAssessed', 'CareProvided']);
    expect(events[4]).toMatchObject({ recordedBy: { userId: 'worker-7' }, data: { service: 'counselling', providerId: 'counsel-1', startedOn: daysAgo(5), costPence: 12000 } });
    expect(sentA).toHaveLength(2);
    expect(sentA.map((r) => r.headers()['if-match'])).toEqual(['"2"', '"3"']);
    expect(sentA[0].headers()['idempotency-key']).not.toBe(sentA[1].headers()['idempotency-key']);

    expect(tabA.problems.filter((p) => !/status of 409/.test(p))).toEqual([]);
    expect(tabA.problems.filter((p) => /status of 409/.test(p))).toHaveLength(1);
    expect(tabB.problems).toEqual([]);
    await tabA.close();
    await tabB.close();
  }, 60_000);
});
