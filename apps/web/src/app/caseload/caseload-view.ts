/**
 * The caseload (`/app`): the journeys on the worker's organisation's caseload, as the API
 * orders them (most overdue first), one page at a time, with a search by referral reference
 * and filters kept in the address. Each row links to the journey's page. No personal data is
 * shown here, ever: a row is a reference, a status, a wait, what is overdue and two dates.
 */
import { ApiError, getJson, query, SignInNeeded } from '../../shared/api';
import { announce, h, replaceChildren } from '../../shared/dom';
import { describeError } from '../../shared/page';
import { dateLabel, instantLabel, plural, ukDateOf } from '../../timeline/words';
import { identifyButton } from '../forms';
import { caseloadPath, journeyPath, type ViewContext } from '../router';
import { JOURNEY_STATUSES, type CaseloadItem, type CaseloadPage } from './api-types';
import { errorSummary, fieldError, showProblems, type FieldProblem } from './error-summary';
import { apiQueryOf, checkReference, filtersOf, isFiltered, PAGE_SIZES, paramsOf, type CaseloadFilters, type FilterProblem } from './filters';
import { attentionFlags, attentionTags, statusLabel, waitCell } from './words';

export async function renderCaseload(params: URLSearchParams, context: ViewContext): Promise<void> {
  const { filters, problems } = filtersOf(params);
  document.title = 'Caseload · Support workers · Victim Journey Tracker';
  const heading = h('h1', { id: 'view-title', tabindex: -1 }, 'Caseload');
  const resultsTitle = h('h2', { id: 'results-title', tabindex: -1 }, 'Journeys');
  const results = h('div', { class: 'app-results-body' });
  const root = h('div', { class: 'app-view app-caseload', 'data-view': 'caseload', 'data-state': 'loading' },
    heading,
    h('p', { class: 'app-lead' },
      `The journeys on the caseload of ${context.session.organisationId}, most overdue first: `,
      'a Reasonable Grounds decision past its 5-working-day target or a follow-up due after exit, then the soonest due. ',
      'Personal details are never shown here; open a journey to see them.'),
    h('div', { class: 'app-actions' }, identifyButton({
      onRecorded: (result: { journeyId: string; revision: number; position: string }) => context.navigate(journeyPath(result.journeyId), { state: { minPosition: result.position, recorded: result.revision } }),
    })),
    filterForm(filters, problems, context),
    h('section', { class: 'app-results', 'aria-labelledby': 'results-title' }, resultsTitle, results));
  replaceChildren(context.main, root);
  if (context.navigated) (context.state.focus === 'results' ? resultsTitle : heading).focus();

  replaceChildren(results, h('p', { class: 'loading', role: 'status' }, 'Loading the caseload…'));
  let page: CaseloadPage;
  try {
    page = await getJson<CaseloadPage>(`/journeys${query(apiQueryOf(filters))}`, { signal: context.signal });
  } catch (error) {
    if (error instanceof SignInNeeded) throw error;
    if (context.signal.aborted) return;
    root.dataset.state = 'error';
    replaceChildren(results,
      h('p', { class: 'notice error', role: 'alert', 'data-testid': 'caseload-error' }, problemText(error)));
    return;
  }
  if (context.signal.aborted) return;
  replaceChildren(results, ...resultsOf(page, filters));
  root.dataset.state = 'ready';
  root.dataset.total = String(page.total);
}

function problemText(error: unknown): string {
  if (error instanceof ApiError && error.status === 400) {
    return `The caseload could not be searched that way: ${error.errors.map((e) => e.message).join('; ') || error.message}. Change the filters and try again.`;
  }
  if (error instanceof ApiError && error.status === 403) return 'Your role may not read caseloads.';
  if (error instanceof ApiError && (error.status === 429 || error.status === 503)) {
    return `The service is busy; try again${error.retryAfterSeconds ? ` in ${plural(error.retryAfterSeconds, 'second')}` : ' shortly'}. (${describeError(error)})`;
  }
  return `The caseload could not be read: ${describeError(error)}`;
}

/** The search and filter form. Submitting it goes to /app?… (page 1), so Back returns to the previous view. */
function filterForm(filters: CaseloadFilters, problems: FilterProblem[], context: ViewContext): HTMLFormElement {
  const summary = errorSummary('filters-errors');
  const reference = h('input', {
    id: 'reference', name: 'reference', type: 'search', value: filters.reference, autocomplete: 'off', spellcheck: 'false',
    maxlength: 64, inputmode: 'text', 'aria-describedby': 'reference-hint reference-error', class: 'app-input-reference',
  });
  const status = h('select', { id: 'status', name: 'status', 'aria-describedby': 'status-error' },
    h('option', { value: '' }, 'Any status'),
    JOURNEY_STATUSES.map((code) => h('option', { value: code, selected: code === filters.status }, statusLabel(code))));
  const overdue = h('select', { id: 'overdue', name: 'overdue' },
    h('option', { value: '' }, 'All journeys'),
    h('option', { value: 'true', selected: filters.overdue === 'true' }, 'Overdue only'),
    h('option', { value: 'false', selected: filters.overdue === 'false' }, 'Nothing overdue'));
  const pageSize = h('select', { id: 'pageSize', name: 'pageSize' },
    PAGE_SIZES.map((size) => h('option', { value: size, selected: size === filters.pageSize }, String(size))));
  const form = h('form', { class: 'app-filters', role: 'search', 'aria-labelledby': 'filters-title', novalidate: true, action: '/app', method: 'get' },
    h('h2', { id: 'filters-title' }, 'Find journeys'),
    summary,
    h('div', { class: 'app-filter-fields' },
      h('div', { class: 'app-field app-field-wide' },
        h('label', { for: 'reference' }, 'Referral reference'),
        h('p', { class: 'hint', id: 'reference-hint' }, 'The current or an earlier NRM referral, for example NRM-2024-00011.'),
        reference, fieldError('reference')),
      h('div', { class: 'app-field' }, h('label', { for: 'status' }, 'Status'), status, fieldError('status')),
      h('div', { class: 'app-field' }, h('label', { for: 'overdue' }, 'Overdue'), overdue),
      h('div', { class: 'app-field' }, h('label', { for: 'pageSize' }, 'Journeys per page'), pageSize)),
    h('div', { class: 'app-filter-actions' },
      h('button', { type: 'submit' }, 'Search'),
      isFiltered(filters) ? h('a', { href: caseloadPath(), class: 'app-clear' }, 'Clear the search and filters') : null));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next: CaseloadFilters = {
      reference: reference.value.trim(),
      status: status.value as CaseloadFilters['status'],
      overdue: overdue.value as CaseloadFilters['overdue'],
      page: 1,
      pageSize: Number(pageSize.value),
    };
    const problem = checkReference(next.reference);
    if (problem) {
      showProblems(summary, form, [{ fieldId: problem.field, message: problem.message }]);
      return;
    }
    context.navigate(caseloadPath(paramsOf(next)), { state: { focus: 'results' } });
  });
  if (problems.length) {
    // The address held filters the page never writes (edited by hand): say what was ignored.
    queueMicrotask(() => showProblems(summary, form, problems.map((p): FieldProblem => ({ fieldId: p.field, message: `${p.message} It was ignored.` })), { focus: false }));
  }
  return form;
}

function resultsOf(page: CaseloadPage, filters: CaseloadFilters): Node[] {
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const first = (page.page - 1) * page.pageSize + 1;
  const last = first + page.items.length - 1;
  const count = page.items.length
    ? `Showing ${first.toLocaleString('en-GB')} to ${last.toLocaleString('en-GB')} of ${plural(page.total, 'journey')}${isFiltered(filters) ? ' matching the search' : ''}, page ${page.page} of ${pages}.`
    : page.total > 0
      ? `There are ${plural(page.total, 'journey')}${isFiltered(filters) ? ' matching the search' : ''}, but none on page ${page.page}: there ${pages === 1 ? 'is 1 page' : `are ${pages} pages`}.`
      : emptyText(filters);
  const status = h('p', { class: 'app-result-count', role: 'status', 'data-testid': 'result-count' });
  announce(status, count);
  const nodes: Node[] = [status];
  if (page.items.length) {
    nodes.push(h('div', { class: 'app-table-scroll', role: 'region', 'aria-labelledby': 'caseload-caption', tabindex: 0 },
      h('table', { class: 'app-table app-caseload-table', 'data-page': page.page, 'data-page-size': page.pageSize, 'data-total': page.total },
        h('caption', { id: 'caseload-caption' }, `Journeys, most overdue first (page ${page.page} of ${pages}; waits as of ${dateLabel(page.asOf)})`),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Reference'),
          h('th', { scope: 'col' }, 'Status'),
          h('th', { scope: 'col' }, 'Waiting now'),
          h('th', { scope: 'col' }, 'Overdue'),
          h('th', { scope: 'col' }, 'Identified'),
          h('th', { scope: 'col' }, 'Last recorded'))),
        h('tbody', {}, page.items.map(row)))));
  }
  nodes.push(pager(page, pages, filters));
  return nodes;
}

function emptyText(filters: CaseloadFilters): string {
  if (filters.reference) return `No journey on your organisation\u2019s caseload has the referral reference ${filters.reference}${filters.status || filters.overdue ? ' with these filters' : ''}.`;
  if (isFiltered(filters)) return 'No journeys on your organisation\u2019s caseload match these filters.';
  return 'There are no journeys on your organisation\u2019s caseload yet. Identify a potential victim to start one.';
}

function row(item: CaseloadItem): HTMLTableRowElement {
  const flags = attentionFlags(item.overdue, item.followUpsDue ?? [], item.reasonableGroundsTargetOn ?? item.waiting?.reasonableGroundsTargetOn);
  const name = item.currentReferralId ?? `Not referred (journey ${item.journeyId.slice(0, 8)})`;
  return h('tr', {
    'data-journey-id': item.journeyId, 'data-status': item.status,
    'data-overdue': flags.length ? flags.map((f) => f.code).join(' ') : 'none',
    class: flags.length ? 'app-row-overdue' : null,
  },
  h('th', { scope: 'row', 'data-label': 'Reference' }, h('a', { href: journeyPath(item.journeyId), 'data-field': 'reference', class: item.currentReferralId ? 'app-reference' : null }, name)),
  h('td', { 'data-label': 'Status', 'data-field': 'status' }, statusLabel(item.status)),
  h('td', { 'data-label': 'Waiting now', 'data-field': 'waiting' }, waitCell(item.waiting)),
  h('td', { 'data-label': 'Overdue', 'data-field': 'overdue' }, attentionTags(flags)),
  h('td', { 'data-label': 'Identified', 'data-field': 'identifiedOn' }, h('time', { datetime: item.identifiedOn }, dateLabel(item.identifiedOn))),
  h('td', { 'data-label': 'Last recorded', 'data-field': 'lastRecordedAt' },
    h('time', { datetime: item.lastRecordedAt, title: `${instantLabel(item.lastRecordedAt)} UK time` }, dateLabel(ukDateOf(item.lastRecordedAt)))));
}

/** Previous and next pages as links (so they can be opened in a tab), and where this page is. */
function pager(page: CaseloadPage, pages: number, filters: CaseloadFilters): HTMLElement {
  const link = (to: number, text: string, rel: string) =>
    h('a', { href: caseloadPath(paramsOf({ ...filters, page: to })), rel, class: 'app-pager-link', 'data-page': to }, text);
  return h('nav', { class: 'app-pager', 'aria-label': 'Pages of the caseload' },
    page.page > 1 ? link(Math.min(page.page - 1, pages), 'Previous page', 'prev') : h('span', { class: 'app-pager-none', 'aria-hidden': 'true' }),
    h('span', { class: 'app-pager-where', 'data-testid': 'page-of' }, `Page ${page.page} of ${pages}`),
    page.page < pages ? link(page.page + 1, 'Next page', 'next') : h('span', { class: 'app-pager-none', 'aria-hidden': 'true' }));
}
