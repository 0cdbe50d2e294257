import { webcrypto } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { canonicalJson as serverCanonicalJson } from '../../libs/audit/src/canonical';
import { verifyEvidenceBundle } from '../../libs/audit/src/verify-bundle';
import { canonicalJson } from '../../apps/web/src/timeline/canonical-json';
import { verifyBundle, type SubtleLike } from '../../apps/web/src/timeline/bundle-verifier';
import { describeInBrowser, launchBrowser, openPage, screenshot } from './support/browser';
import { AUDITOR, useSeededApp } from './support/seeded-app';

/**
 * The auditor's journey timeline (issue 11): every event of the history in order with who
 * recorded it and when, a correction linked both ways, decisions with the read model's waits,
 * the state after a selected event equal to GET /journeys/:id/state, and the evidence bundle
 * verified in the browser (and found broken when one event of it is altered in transit).
 */
describeInBrowser('journey timeline', () => {
  const app = useSeededApp({ journeys: 120, seed: 2024 });
  const auditor = () => app.as(AUDITOR);
  const subtle = webcrypto.subtle as unknown as SubtleLike;
  let browser: Browser;
  let journeyId: string;
  let organisationId: string;
  let rgEventId: string;
  let correctionEventId: string;
  let history: any[];

  beforeAll(async () => {
    browser = await launchBrowser();
    // A journey with an RG and a CG decision, short enough to read; correct its RG date by a day (the first one the rules accept).
    const { body } = await auditor().get('/journeys?pageSize=200');
    const candidates = (body.items as any[])
      .filter((j) => ['positive_conclusive_grounds', 'negative_conclusive_grounds', 'exited'].includes(j.stage) && j.lastRevision >= 5)
      .sort((a, b) => a.lastRevision - b.lastRevision);
    for (const candidate of candidates) {
      const events = (await auditor().get(`/journeys/${candidate.journeyId}/history`)).body.events as any[];
      const referral = events.find((e) => e.type === 'VictimReferred');
      const rg = events.find((e) => e.type === 'DecisionMade' && e.data.stage === 'reasonable_grounds' && e.data.outcome === 'positive');
      if (!referral || !rg || !events.some((e) => e.type === 'DecisionMade' && e.data.stage === 'conclusive_grounds') || rg.data.decidedAt <= referral.occurredAt) continue;
      const dayBefore = new Date(Date.parse(`${rg.data.decidedAt}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      const corrected = await auditor().post(`/journeys/${candidate.journeyId}/corrections`, {
        correctedEventId: rg.eventId, changes: [{ field: 'decidedAt', value: dayBefore }, { field: 'occurredAt', value: dayBefore }], reason: 'SCA decision letter ref 2024/118',
      });
      if (corrected.status !== 201) continue;
      // Read your write: the read model has the correction before the page asks for it.
      expect((await auditor().get(`/journeys/${candidate.journeyId}?minPosition=${corrected.body.position}`)).status).toBe(200);
      journeyId = candidate.journeyId;
      organisationId = candidate.organisationId;
      rgEventId = rg.eventId;
      history = (await auditor().get(`/journeys/${journeyId}/history`)).body.events;
      correctionEventId = history[history.length - 1].eventId;
      break;
    }
    expect(journeyId).toBeDefined();
  }, 60_000);
  afterAll(async () => { await browser?.close(); });

  const open = (token = app.token(AUDITOR)) => openPage(browser, `${app.url}/journeys/${journeyId}/timeline`, { token });
  const settled = '[data-chain-status="verified"], [data-chain-status="broken"], [data-chain-status="unavailable"]';

  it('lists every event of the history in order, corrections linked both ways, decisions with the read model\u2019s waits, and the chain verified', async () => {
    const { page, problems, close } = await open();
    await page.waitForSelector(settled, { timeout: 20_000 });
    expect(await page.getAttribute('[data-chain-status]', 'data-chain-status')).toBe('verified');
    expect(await page.textContent('.timeline-chain-summary')).toContain(`${history.length} events recomputed from revision 0`);

    const shown = await page.$$eval('ol.timeline-list > li', (items) => items.map((li) => ({
      eventId: li.getAttribute('data-event-id'),
      revision: Number(li.getAttribute('data-revision')),
      type: li.getAttribute('data-type'),
      title: li.querySelector('h3')?.textContent ?? '',
      occurredAt: li.querySelector('time[data-field="occurredAt"]')?.getAttribute('datetime') ?? null,
      recordedAt: li.querySelector('time[data-field="recordedAt"]')?.getAttribute('datetime'),
      user: li.querySelector('[data-field="recordedBy"]')?.textContent,
      chainLink: li.getAttribute('data-chain-link'),
      focusable: li.querySelector('article')?.tabIndex,
    })));
    expect(shown.map((e) => e.eventId)).toEqual(history.map((e) => e.eventId));
    for (const [i, event] of history.entries()) {
      expect(shown[i]).toMatchObject({
        revision: event.revision, type: event.type, occurredAt: event.occurredAt, recordedAt: event.recordedAt, user: event.recordedBy.userId, chainLink: 'ok', focusable: 0,
      });
      expect(shown[i].title).not.toContain(event.type); // plain words, not the stored type name
    }
    // Personal data stays sealed and unshown.
    const text = await page.textContent('main');
    expect(text).not.toMatch(/pd\d+:/);
    if (JSON.stringify(history).includes('"pd1:')) expect(text).toContain('sealed personal data');

    // The correction and the event it corrects link to each other; following a link moves focus there.
    const correction = page.locator(`li[data-event-id="${correctionEventId}"]`);
    const original = page.locator(`li[data-event-id="${rgEventId}"]`);
    expect(await correction.locator('[data-testid="corrects-link"]').getAttribute('href')).toBe(`#event-${rgEventId}`);
    expect(await original.locator('[data-testid="corrected-by-link"]').getAttribute('href')).toBe(`#event-${correctionEventId}`);
    await original.locator('[data-testid="corrected-by-link"]').click();
    expect(await page.locator('*:focus').getAttribute('id')).toBe(`event-${correctionEventId}`);
    await correction.locator('[data-testid="corrects-link"]').click();
    expect(await page.locator('*:focus').getAttribute('id')).toBe(`event-${rgEventId}`);

    // Each decision shows the read model's wait (the corrected RG's included).
    const journey = (await auditor().get(`/journeys/${journeyId}`)).body;
    const waits = new Map<string, number>(journey.episodes.flatMap((e: any) => e.decisions.map((d: any) => [d.eventId, d.waited])));
    const decisions = history.filter((e) => e.type === 'DecisionMade');
    expect(decisions.length).toBeGreaterThanOrEqual(2);
    for (const decision of decisions) {
      const wait = page.locator(`li[data-event-id="${decision.eventId}"] [data-testid="decision-wait"]`);
      expect(Number(await wait.getAttribute('data-waited'))).toBe(waits.get(decision.eventId));
      expect(await wait.getAttribute('data-wait-unit')).toBe(decision.data.stage === 'reasonable_grounds' ? 'working_days' : 'days');
    }
    expect(await original.locator('[data-testid="decision-as-corrected"] time').getAttribute('datetime')).toBe(journey.episodes[0].decisions.find((d: any) => d.eventId === rgEventId).decidedAt);

    // The summary names the journey, its stage, organisation and count of events.
    const summary = await page.textContent('.timeline-summary');
    expect(summary).toContain(journeyId);
    expect(summary).toContain(journey.organisationId);
    expect(summary).toContain(`${history.length} (revisions 0 to ${history.length - 1})`);

    // Selecting an event (click, then keyboard) shows the state as recorded right after it: the API's, exactly.
    const stateAfter = async (position: string, query: string) => {
      await page.waitForSelector(`aside[data-state-position="${position}"]:not([aria-busy])`);
      const json = JSON.parse((await page.textContent('aside [data-testid="state-json"]'))!);
      const api = await auditor().get(`/journeys/${journeyId}/state?${query}`);
      expect(api.status).toBe(200);
      expect(json).toEqual(api.body);
      return json;
    };
    const rg = history.find((e) => e.eventId === rgEventId);
    await original.locator('h3').click();
    expect((await stateAfter(rg.position, `atPosition=${rg.position}`)).lastRevision).toBe(rg.revision);
    expect(await original.getAttribute('aria-current')).toBe('true');
    const first = history[1];
    await page.focus(`#event-${first.eventId}`);
    await page.keyboard.press('Enter');
    await stateAfter(first.position, `atPosition=${first.position}`);
    expect(await page.textContent('aside [role="status"]')).toContain(`revision ${first.revision}`);
    // As known now about that date: every correction applied.
    await page.getByRole('button', { name: 'As known now about that date' }).click();
    await page.waitForSelector('aside[data-state-basis="occurred"]:not([aria-busy])');
    await stateAfter(first.position, `asOf=${first.occurredAt}&basis=occurred`);
    await page.focus(`#event-${rgEventId}`);
    await page.keyboard.press(' ');
    await page.waitForSelector(`aside[data-state-revision="${rg.revision}"]:not([aria-busy])`);
    expect((await stateAfter(rg.position, `asOf=${rg.occurredAt}&basis=occurred`)).basis).toBe('occurred');

    // By the date it happened: the correction (recorded today, about today) stays last; the order follows occurredAt.
    await page.getByRole('button', { name: 'By the date it happened' }).click();
    const byDate = await page.$$eval('ol.timeline-list > li', (items) => items.map((li) => li.getAttribute('data-occurred-at') ?? ''));
    expect(byDate).toEqual([...byDate].sort());
    await page.getByRole('button', { name: 'As recorded (the log\u2019s order)' }).click();
    expect(await page.$$eval('ol.timeline-list > li', (items) => items.map((li) => Number(li.getAttribute('data-revision'))))).toEqual(history.map((e) => e.revision));

    await original.scrollIntoViewIfNeeded();
    await screenshot(page, 'timeline');
    expect(problems).toEqual([]);
    await close();
  }, 40_000);

  it('finds the chain broken, and names the revision, when one event of the evidence bundle is altered on its way', async () => {
    const altered = history.find((e) => e.type === 'VictimReferred').revision as number;
    const { page, problems, close } = await open();
    await page.route('**/journeys/*/evidence', async (route) => {
      const response = await route.fetch();
      const bundle = await response.json();
      bundle.events[altered].data = { ...bundle.events[altered].data, competentAuthority: 'IECA' };
      await route.fulfill({ response, json: bundle });
    });
    await page.reload();
    await page.waitForSelector(settled, { timeout: 20_000 });
    expect(await page.getAttribute('[data-chain-status]', 'data-chain-status')).toBe('broken');
    expect(await page.getAttribute('[data-chain-status]', 'data-broken-revision')).toBe(String(altered));
    expect(await page.textContent('.timeline-chain-summary')).toContain(`revision ${altered}`);
    const links = await page.$$eval('ol.timeline-list > li', (items) => items.map((li) => li.getAttribute('data-chain-link')));
    expect(links).toEqual(history.map((e) => (e.revision === altered ? 'broken' : 'ok')));
    await page.locator(`li[data-revision="${altered}"]`).scrollIntoViewIfNeeded();
    await screenshot(page, 'timeline-tampered');
    expect(problems).toEqual([]);
    await close();
  });

  it('tells a support worker of another organisation plainly that the journey is not theirs to see', async () => {
    const { page, problems, close } = await open(app.token({ role: 'support_worker', organisationId: 'another-org', userId: 'worker-x' }));
    const message = await page.locator('[data-testid="timeline-error"]').textContent();
    expect(message).toContain('Journey not found');
    expect(message).toContain('not allowed to see it');
    // The refused requests are the only complaints: the browser logs each 404.
    expect(problems.filter((p) => !/status of 404/.test(p))).toEqual([]);
    await close();
  });

  it('shows the owning support worker the timeline, with the chain left to auditors', async () => {
    const { page, problems, close } = await open(app.token({ role: 'support_worker', organisationId, userId: 'worker-own' }));
    await page.waitForSelector(settled);
    expect(await page.getAttribute('[data-chain-status]', 'data-chain-status')).toBe('unavailable');
    expect(await page.locator('ol.timeline-list > li').count()).toBe(history.length);
    expect(problems).toEqual([]);
    await close();
  });

  it('verifies bundles exactly as the server\u2019s offline verifier does', async () => {
    const bundle = (await auditor().get(`/journeys/${journeyId}/evidence`)).body;
    const copy = () => JSON.parse(JSON.stringify(bundle));
    const tamperings: Array<[string, (b: any) => void]> = [
      ['untouched', () => {}],
      ['an event\u2019s data', (b) => { b.events[1].data.occurredAt = '2001-01-01'; }],
      ['an event\u2019s metadata', (b) => { b.events[0].metadata.recordedBy.userId = 'someone-else'; }],
      ['a link\u2019s stream hash', (b) => { b.chain[2].streamHash = '0'.repeat(64); }],
      ['the statement', (b) => { b.statement.signedAt = '2000-01-01T00:00:00.000Z'; }],
      ['the signature', (b) => { b.signature.value = b.latestHead?.signature ?? 'AAAA'; }],
      ['the key id', (b) => { b.publicKey.keyId = 'x'; }],
      ['an extra field', (b) => { b.events[0].note = 'unhashed'; }],
      ['the previous global hash', (b) => { b.previousGlobalHash = 'f'.repeat(64); }],
    ];
    for (const [what, tamper] of tamperings) {
      const tampered = copy();
      tamper(tampered);
      const server = verifyEvidenceBundle(tampered);
      const browserSide = await verifyBundle(tampered, subtle);
      expect({ what, ok: browserSide.ok, failed: browserSide.firstFailure?.check ?? null })
        .toEqual({ what, ok: server.ok, failed: server.checks.find((c) => !c.ok)?.check ?? null });
    }
    const values = [{ b: 1, a: [1.5, -0, 1e21, 'é\u2028\u0001"\\'], c: { z: null, y: true, '\u00e9': 'x', A: '\ud800' } }, history];
    for (const value of values) expect(canonicalJson(value)).toBe(serverCanonicalJson(value));
  });
});
