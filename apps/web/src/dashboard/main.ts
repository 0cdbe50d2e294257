import { getJson, query } from '../shared/api';
import { announce, h, replaceChildren } from '../shared/dom';
import { SUPPRESSED_MARK } from '../shared/format';
import { startPage } from '../shared/page';
import { backlog } from './charts/backlog';
import { followUps, reReferrals, survival } from './charts/after-exit';
import { flow } from './charts/flow';
import { byAgeGroup, byGender, byNationality, referralsByType } from './charts/referrals';
import { regions } from './charts/regions';
import { cgWaits, rgWaits, rgWithinTarget } from './charts/waits';
import { filterForm, filtersFromSearch, filtersToSearch, PERIODS, type Filters } from './filters';
import { filterLabel, type Dimension } from './labels';
import type { ChartDefinition } from './chart-definition';
import { ChartPanel } from './panel';
import { isFiltered, type Report } from './report';

/** The dashboard's sections, in reading order: the journey, its waits, after exit, then volumes. */
const SECTIONS: ReadonlyArray<{ id: string; title: string; charts: ReadonlyArray<ChartDefinition> }> = [
  { id: 'journeys', title: 'Journeys through the NRM', charts: [flow] },
  { id: 'waits', title: 'Waiting for decisions', charts: [rgWaits, rgWithinTarget, cgWaits, backlog] },
  { id: 'after-exit', title: 'After exit from support', charts: [followUps, reReferrals, survival] },
  { id: 'referrals', title: 'Referrals and who they are about', charts: [referralsByType, byAgeGroup, byGender, byNationality, regions] },
];

startPage({ roles: ['analyst'], render: async (main) => renderDashboard(main) });

async function renderDashboard(main: HTMLElement): Promise<void> {
  const panels = SECTIONS.map((section) => ({ section, panels: section.charts.map((chart) => new ChartPanel(chart)) }));
  const all = panels.flatMap((s) => s.panels);
  const showing = h('p', { class: 'dashboard-showing' });
  const live = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const formSlot = h('div', { class: 'dashboard-form-slot' });
  const refresh = refresher(all, showing, live);

  const placeForm = (filters: Filters): void => {
    replaceChildren(formSlot, filterForm({
      initial: filters,
      loadValues,
      onApply: (chosen) => {
        history.pushState(null, '', filtersToSearch(chosen));
        void refresh(chosen, true);
      },
    }));
  };
  // Back and forward move between filtered views like pages.
  window.addEventListener('popstate', () => {
    const filters = filtersFromSearch(location.search);
    placeForm(filters);
    void refresh(filters, true);
  });

  replaceChildren(main,
    h('div', { class: 'dashboard' },
      h('p', { class: 'dashboard-intro' },
        `Figures from the record of every journey, as published to analysts: small numbers are withheld and shown as ${SUPPRESSED_MARK}. Each chart has its figures as a table and as CSV.`),
      formSlot, showing, live,
      panels.map(({ section, panels: sectionPanels }) => h('section', { class: 'dashboard-section', 'aria-labelledby': `section-${section.id}` },
        h('h2', { id: `section-${section.id}` }, section.title),
        h('div', { class: 'dashboard-grid' }, sectionPanels.map((p) => p.element))))));

  const filters = filtersFromSearch(location.search);
  // The address always names what is shown, so it can be bookmarked as it stands.
  history.replaceState(null, '', filtersToSearch(filters));
  placeForm(filters);
  await refresh(filters, false);
}

/**
 * Loads every panel for a set of filters. Panels asking the same query share one request;
 * a newer set of filters cancels the requests of the one before.
 */
function refresher(panels: ChartPanel[], showing: HTMLElement, live: HTMLElement) {
  let latest: AbortController | undefined;
  return async (filters: Filters, announceIt: boolean): Promise<void> => {
    latest?.abort();
    const controller = new AbortController();
    latest = controller;
    showing.textContent = describeFilters(filters);
    const requests = new Map<string, Promise<Report>>();
    const fetchReport = (path: string): Promise<Report> => {
      if (!requests.has(path)) requests.set(path, getJson<Report>(path, { signal: controller.signal }));
      return requests.get(path) as Promise<Report>;
    };
    const states = await Promise.all(panels.map((panel) => panel.load(filters, fetchReport)));
    if (controller !== latest || !announceIt) return;
    const updated = states.filter((s) => s === 'ready' || s === 'empty').length;
    const failed = states.filter((s) => s === 'error').length;
    announce(live, `Updated ${updated} charts${failed ? `; ${failed} could not be loaded` : ''}.`);
  };
}

function describeFilters(filters: Filters): string {
  const who = isFiltered(filters) ? `people with ${filterLabel(filters.dimension, filters.value)}` : 'everyone';
  return `Showing ${filters.from} to ${filters.to}, one figure per ${PERIODS[filters.period].toLowerCase()}, for ${who}.`;
}

/** The values a dimension takes among the referrals of the range: the choices of the filter. */
async function loadValues(dimension: Dimension, filters: Filters): Promise<string[]> {
  const report = await getJson<Report>(`/analytics/referrals${query({ from: filters.from, to: filters.to, period: filters.period, by: dimension })}`);
  return [...new Set(report.rows.map((row) => row.dims[dimension]).filter((v): v is string => typeof v === 'string'))];
}
