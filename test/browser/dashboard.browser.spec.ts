import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { describeInBrowser, launchBrowser, openPage, screenshot, type OpenedPage } from './support/browser';
import { ANALYST, useSeededApp } from './support/seeded-app';

/** Every chart panel of the dashboard, by its data-chart name. */
const CHARTS = [
  'flow', 'rg-waits', 'rg-within-target', 'cg-waits', 'backlog', 'follow-ups', 're-referrals', 'survival',
  'referrals-by-type', 'age-group', 'gender', 'nationality', 'regions',
];

interface ShownCell { suppressed: boolean; value: number | null; text: string }
interface ShownTable { caption: string; columns: string[]; rows: Array<{ label: string; cells: ShownCell[] }> }
/**
 * The page's globals as the functions run in the page use them: this file is type-checked
 * without the DOM library (it runs in Node), so they are reached through globalThis.
 */
interface PageElement { id: string; textContent: string | null; getAttribute(name: string): string | null }
interface PageGlobals {
  document: { activeElement: PageElement; querySelectorAll(selector: string): Iterable<PageElement> };
  getComputedStyle(element: PageElement): { outlineStyle: string };
}
interface ApiRow { period?: string; dims: Record<string, string | null>; values: Record<string, number | null>; suppressed: string[] }

describeInBrowser('analyst dashboard', () => {
  const app = useSeededApp({ journeys: 2000, seed: 2024 });
  let browser: Browser;
  let opened: OpenedPage;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    opened = await openPage(browser, `${app.url}/dashboard`, { token: app.token(ANALYST) });
    page = opened.page;
    await allSettled(page);
  }, 60_000);
  afterAll(async () => {
    await opened?.close();
    await browser?.close();
  });

  it('draws every chart with published figures, and the page reports no problem', async () => {
    const states = await page.$$eval('section.chart', (sections) => sections.map((s) => [s.getAttribute('data-chart'), s.getAttribute('data-state')]));
    expect(Object.fromEntries(states)).toEqual(Object.fromEntries(CHARTS.map((chart) => [chart, 'ready'])));
    for (const chart of CHARTS) {
      const panel = page.locator(`section.chart[data-chart="${chart}"]`);
      if (chart !== 'regions') {
        // An ECharts SVG with drawn shapes, named for assistive technology.
        expect(await panel.locator('.chart-canvas svg').locator('path, rect').count()).toBeGreaterThan(3);
        expect(await panel.locator('.chart-canvas').getAttribute('role')).toBe('img');
        expect((await panel.locator('.chart-canvas').getAttribute('aria-label'))?.length).toBeGreaterThan(30);
      }
      const table = panel.locator('table');
      expect(await table.locator('caption').count()).toBe(1);
      expect(await table.locator('th[scope="col"]').count()).toBeGreaterThan(1);
      expect(await table.locator('td[data-value]').count()).toBeGreaterThan(0);
      expect(await panel.getByRole('button', { name: /Download CSV/ }).isEnabled()).toBe(true);
    }
    // Withheld figures are shown as [c] and explained with the threshold of the response.
    const legend = await page.locator('section.chart[data-chart="flow"] .chart-legend').textContent();
    expect(legend).toContain('[c] suppressed: fewer than 10 people');
    expect(await page.locator('td[data-suppressed]').first().textContent()).toContain('[c]');
    expect(page.url()).toMatch(/\/dashboard\?from=\d{4}-01-01&to=\d{4}-\d{2}-\d{2}&period=year$/);
    await settleAnimations(page);
    await screenshot(page, 'dashboard-initial');
    expect(opened.problems).toEqual([]);
  });

  it('shows the figures the API publishes for the same query', async () => {
    const flow = await apiReport('flow');
    const flowTable = await shownTable(page, 'flow');
    expect(flowTable.rows.find((r) => r.label === 'Identified')?.cells[0].value).toBe(flow.total.values.journeys);
    const referred = flowTable.rows.find((r) => r.label === 'Identified → Referred to the NRM')?.cells[0];
    expect(referred?.value).toBe(flow.total.values['flow.identified.referred']);

    // Every figure of the RG waits: the period totals, [c] exactly where the API withheld.
    const waits = await apiReport('rg-waits');
    expectSameFigures(await shownTable(page, 'rg-waits'), waits.periodTotals, ['medianDays', 'p90Days']);

    const backlog = await apiReport('backlog');
    const shownBacklog = await shownTable(page, 'backlog');
    const allWaiting = shownBacklog.rows.find((r) => r.label === 'All waiting')?.cells;
    expect(allWaiting?.map(figureOf)).toEqual([
      apiFigure(backlog.total, 'awaitingReasonableGrounds'), apiFigure(backlog.total, 'awaitingConclusiveGrounds'),
    ]);
  });

  it('downloads the API\'s CSV of exactly the query a chart drew', async () => {
    const csv = await downloadCsv(page, 'cg-waits');
    expect(csv).toBe(await apiCsv('cg-waits'));
    expect(csv.split('\n')[0]).toMatch(/^level,period,decisions,positive/);
  });

  it('is usable from the keyboard: Tab reaches the filters and a Download button, with a visible focus', async () => {
    // From the top of the page's content, as after following the skip link.
    await page.focus('#main');
    const reached: string[] = [];
    for (let i = 0; i < 80 && !reached.includes('Download CSV'); i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => {
        const focused = (globalThis as unknown as PageGlobals).document.activeElement;
        return focused.id || (focused.textContent ?? '').replace(/ of .*/, '').trim();
      }));
    }
    for (const control of ['filter-from', 'filter-to', 'filter-period', 'filter-dimension', 'Apply filters', 'Download CSV']) expect(reached).toContain(control);
    const outline = await page.evaluate(() => {
      const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
      return getComputedStyle(document.activeElement).outlineStyle;
    });
    expect(outline).not.toBe('none');
  });

  it('restricts every chart to one value of a dimension, updates the address, and announces it', async () => {
    const before = await shownTable(page, 'rg-waits');
    await page.selectOption('#filter-period', 'year');
    await page.selectOption('#filter-dimension', 'nationality');
    await page.locator('#filter-value option[value="GB"]').waitFor({ state: 'attached' });
    await page.selectOption('#filter-value', 'GB');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('status').filter({ hasText: 'Updated' }).waitFor();
    await allSettled(page);

    expect(await page.getByRole('status').textContent()).toBe(`Updated ${CHARTS.length} charts.`);
    expect(new URL(page.url()).searchParams.get('dimension')).toBe('nationality');
    expect(new URL(page.url()).searchParams.get('value')).toBe('GB');
    const source = await page.locator('section.chart[data-chart="rg-waits"]').getAttribute('data-source');
    expect(source).toContain('by=nationality');

    const after = await shownTable(page, 'rg-waits');
    expect(JSON.stringify(after)).not.toEqual(JSON.stringify(before));
    const waits = await apiReport('rg-waits');
    expectSameFigures(after, waits.rows.filter((row) => row.dims.nationality === 'GB'), ['medianDays', 'p90Days']);
    expect(after.caption).toContain('United Kingdom (GB)');
    // The survival curve and the regional table cannot be broken down by nationality, and say so.
    for (const chart of ['survival', 'regions']) {
      expect(await page.locator(`section.chart[data-chart="${chart}"] .chart-notes`).textContent()).toContain('Not restricted to Nationality: United Kingdom (GB)');
    }

    // The CSV of a restricted chart: the API's header line and its lines for that value.
    const csv = await downloadCsv(page, 'rg-waits');
    const api = (await apiCsv('rg-waits')).split('\r\n');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe(api[0]);
    expect(lines.slice(1)).toEqual(api.filter((line) => line.startsWith('row,') && line.split(',')[2] === 'GB'));
    expect(lines.length).toBeGreaterThan(1);

    await settleAnimations(page);
    await screenshot(page, 'dashboard-filtered');
    // A bookmarked view opens as it was left.
    const again = await openPage(browser, page.url(), { token: app.token(ANALYST) });
    await allSettled(again.page);
    expect(await again.page.locator('#filter-value').inputValue()).toBe('GB');
    expect(await shownTable(again.page, 'rg-waits')).toEqual(after);
    await again.close();
    expect(opened.problems).toEqual([]);
  });

  it('keeps the other charts when one route fails, with the API\'s message in that panel', async () => {
    const other = await openPage(browser, 'about:blank', { token: app.token(ANALYST) });
    await other.page.route('**/analytics/backlog?*', (route) => route.fulfill({
      status: 503, contentType: 'application/json',
      body: JSON.stringify({ statusCode: 503, code: 'NOT_YET_PROJECTED', message: 'The read model is catching up' }),
    }));
    await other.page.goto(`${app.url}/dashboard`);
    await allSettled(other.page);
    const backlog = other.page.locator('section.chart[data-chart="backlog"]');
    expect(await backlog.getAttribute('data-state')).toBe('error');
    expect(await backlog.getByRole('alert').textContent()).toContain('The read model is catching up');
    expect(await other.page.locator('section.chart[data-state="ready"]').count()).toBe(CHARTS.length - 1);
    await other.close();
  });

  /** The report a chart drew, fetched from the API with the query the panel names. */
  async function apiReport(chart: string): Promise<{ total: ApiRow; periodTotals: ApiRow[]; rows: ApiRow[] }> {
    const source = await page.locator(`section.chart[data-chart="${chart}"]`).getAttribute('data-source');
    const { status, body } = await app.as(ANALYST).get(source as string);
    expect(status).toBe(200);
    return body;
  }

  async function apiCsv(chart: string): Promise<string> {
    const source = await page.locator(`section.chart[data-chart="${chart}"]`).getAttribute('data-source');
    const response = await fetch(`${app.url}${source}&format=csv`, { headers: { authorization: `Bearer ${app.token(ANALYST)}`, accept: 'text/csv' } });
    expect(response.status).toBe(200);
    return response.text();
  }
});

/** Waits until no panel is loading (each ends ready, empty or in error). */
async function allSettled(page: Page): Promise<void> {
  await page.waitForFunction((count) => {
    const panels = [...(globalThis as unknown as PageGlobals).document.querySelectorAll('section.chart')];
    return panels.length === count && panels.every((p) => p.getAttribute('data-state') !== 'loading');
  }, CHARTS.length, { timeout: 30_000 });
}

/** Lets the charts' entry animations (400 ms) finish before a screenshot. */
async function settleAnimations(page: Page): Promise<void> {
  await page.waitForTimeout(600);
}

async function shownTable(page: Page, chart: string): Promise<ShownTable> {
  return page.locator(`section.chart[data-chart="${chart}"] table`).evaluate((table) => ({
    caption: table.querySelector('caption')?.textContent ?? '',
    columns: [...table.querySelectorAll('thead th')].slice(1).map((th) => th.textContent ?? ''),
    rows: [...table.querySelectorAll('tbody tr')].map((tr) => ({
      label: tr.querySelector('th')?.textContent ?? '',
      cells: [...tr.querySelectorAll('td')].map((td) => ({
        suppressed: td.getAttribute('data-suppressed') === 'true',
        value: td.hasAttribute('data-value') ? Number(td.getAttribute('data-value')) : null,
        text: td.textContent ?? '',
      })),
    })),
  }));
}

/** A figure as the page shows it or the API publishes it: a number, "[c]", or null when there is none. */
type Figure = number | '[c]' | null;
const figureOf = (cell: ShownCell): Figure => (cell.suppressed ? '[c]' : cell.value);
const apiFigure = (row: ApiRow, measure: string): Figure => (row.suppressed.includes(measure) ? '[c]' : row.values[measure] ?? null);

/** The table has a row per period of `rows`, with each measure's figure as the API published it. */
function expectSameFigures(table: ShownTable, rows: ApiRow[], measures: string[]): void {
  expect(rows.length).toBeGreaterThan(0);
  expect(table.rows.map((r) => r.label)).toEqual(rows.map((r) => r.period));
  for (const [i, row] of rows.entries()) expect(table.rows[i].cells.map(figureOf)).toEqual(measures.map((m) => apiFigure(row, m)));
  expect(table.rows.some((r) => r.cells.some((c) => c.value !== null))).toBe(true);
}

async function downloadCsv(page: Page, chart: string): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`section.chart[data-chart="${chart}"]`).getByRole('button', { name: /Download CSV/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${chart}_.*\\.csv$`));
  return readFileSync(await download.path(), 'utf8');
}
