import { describeError } from '../shared/page';
import { h, replaceChildren } from '../shared/dom';
import { isIsoDate, isoDate } from '../shared/format';
import { DIMENSIONS, isDimension, valueLabel, type Dimension } from './labels';

/**
 * What every chart of the dashboard is restricted to. Kept in the page's query string (never
 * the token), so a view can be bookmarked or shared.
 */
export const PERIODS = { month: 'Month', quarter: 'Quarter', year: 'Year' } as const;
export type Period = keyof typeof PERIODS;

export interface Filters {
  from: string;
  to: string;
  period: Period;
  /** With `value`: only the figures of people with that value of this dimension. */
  dimension?: Dimension;
  value?: string;
}

/** Whole years from five years back to today, so the demo data shows at once. */
export function defaultFilters(today: Date = new Date()): Filters {
  return { from: `${today.getFullYear() - 5}-01-01`, to: isoDate(today), period: 'year' };
}

/** The filters a URL asks for; anything missing or malformed takes its default. */
export function filtersFromSearch(search: string, today: Date = new Date()): Filters {
  const params = new URLSearchParams(search);
  const defaults = defaultFilters(today);
  const period = params.get('period');
  const dimension = params.get('dimension');
  const value = params.get('value');
  const from = dateOr(params.get('from'), defaults.from);
  const to = dateOr(params.get('to'), defaults.to);
  const filters: Filters = {
    // A range that ends before it starts (a hand-edited address) would fail every chart: show the default range.
    ...(from <= to ? { from, to } : { from: defaults.from, to: defaults.to }),
    period: period && period in PERIODS ? (period as Period) : defaults.period,
  };
  if (isDimension(dimension) && value) Object.assign(filters, { dimension, value });
  return filters;
}

function dateOr(text: string | null, fallback: string): string {
  return text && isIsoDate(text) ? text : fallback;
}

export function filtersToSearch(filters: Filters): string {
  const params = new URLSearchParams({ from: filters.from, to: filters.to, period: filters.period });
  if (filters.dimension && filters.value) {
    params.set('dimension', filters.dimension);
    params.set('value', filters.value);
  }
  return `?${params.toString()}`;
}

/** Problems with filters as the user would fix them, or none. */
export function filterProblems(filters: Partial<Filters>, dimensionChosen: boolean): string[] {
  const problems: string[] = [];
  if (!filters.from || !isIsoDate(filters.from)) problems.push('Enter a real "from" date.');
  if (!filters.to || !isIsoDate(filters.to)) problems.push('Enter a real "to" date.');
  if (filters.from && filters.to && filters.from > filters.to) problems.push('The "to" date must not be before the "from" date.');
  if (dimensionChosen && !filters.value) problems.push('Choose a value to restrict the figures to, or choose "Everyone".');
  return problems;
}

export interface FilterFormOptions {
  initial: Filters;
  /** The values a dimension takes in the figures of a date range. */
  loadValues(dimension: Dimension, filters: Filters): Promise<string[]>;
  onApply(filters: Filters): void;
}

/** The filter form: native controls only, applied with its submit button. */
export function filterForm(options: FilterFormOptions): HTMLFormElement {
  const { initial } = options;
  const from = h('input', { type: 'date', id: 'filter-from', name: 'from', value: initial.from, required: true });
  const to = h('input', { type: 'date', id: 'filter-to', name: 'to', value: initial.to, required: true });
  const period = h('select', { id: 'filter-period', name: 'period' },
    Object.entries(PERIODS).map(([key, label]) => h('option', { value: key, selected: key === initial.period }, label)));
  const dimension = h('select', { id: 'filter-dimension', name: 'dimension', 'aria-describedby': 'filter-dimension-hint' },
    h('option', { value: '' }, 'Everyone'),
    Object.entries(DIMENSIONS).map(([key, label]) => h('option', { value: key, selected: key === initial.dimension }, label)));
  const value = h('select', { id: 'filter-value', name: 'value', disabled: !initial.dimension, 'aria-describedby': 'filter-value-status' });
  const valueStatus = h('p', { id: 'filter-value-status', class: 'hint', 'aria-live': 'polite' });
  const error = h('div', { class: 'field-error', id: 'filter-error', role: 'alert' });
  const current = (): Filters => ({
    from: from.value, to: to.value, period: period.value as Period,
    ...(isDimension(dimension.value) && value.value ? { dimension: dimension.value, value: value.value } : {}),
  });
  const values = valueLoader(value, valueStatus, options);
  if (initial.dimension) void values(initial.dimension, current(), initial.value);
  dimension.addEventListener('change', () => {
    if (isDimension(dimension.value)) void values(dimension.value, current());
    else values.clear();
  });
  const form = h('form', { class: 'dashboard-filters', 'aria-labelledby': 'filters-title', novalidate: true },
    h('h2', { id: 'filters-title' }, 'Filters'),
    h('div', { class: 'dashboard-filter-fields' },
      field('filter-from', 'From', from),
      field('filter-to', 'To', to),
      field('filter-period', 'One figure per', period),
      field('filter-dimension', 'Restrict to', dimension,
        h('p', { id: 'filter-dimension-hint', class: 'hint' }, 'Everyone, or the people with one value of:')),
      field('filter-value', 'Value', value, valueStatus)),
    error,
    h('div', { class: 'dashboard-filter-actions' },
      h('button', { type: 'submit' }, 'Apply filters'),
      h('button', { type: 'button', class: 'secondary', onclick: () => resetForm() }, 'Reset to defaults')));
  const resetForm = (): void => {
    const defaults = defaultFilters();
    from.value = defaults.from;
    to.value = defaults.to;
    period.value = defaults.period;
    dimension.value = '';
    values.clear();
    form.requestSubmit();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const filters = current();
    const problems = filterProblems({ ...filters, value: value.value }, dimension.value !== '');
    replaceChildren(error, problems.length ? h('ul', {}, problems.map((p) => h('li', {}, p))) : null);
    if (!problems.length) options.onApply(filters);
  });
  return form;
}

function field(id: string, label: string, control: HTMLElement, ...extra: HTMLElement[]): HTMLElement {
  return h('div', { class: 'dashboard-field' }, h('label', { for: id }, label), ...extra, control);
}

/**
 * Fills the value list for a dimension from the figures of the range. Only the latest request
 * counts: choosing another dimension while values load must not show the first one's values.
 */
function valueLoader(select: HTMLSelectElement, status: HTMLElement, options: FilterFormOptions) {
  let generation = 0;
  const load = async (dimension: Dimension, filters: Filters, selected?: string): Promise<void> => {
    const mine = ++generation;
    select.disabled = true;
    replaceChildren(select, h('option', { value: selected ?? '' }, selected ? valueLabel(dimension, selected) : 'Loading…'));
    status.textContent = `Loading the values of ${DIMENSIONS[dimension].toLowerCase()}…`;
    try {
      const found = await options.loadValues(dimension, filters);
      if (mine !== generation) return;
      const list = selected && !found.includes(selected) ? [selected, ...found] : found;
      const sorted = [...list].sort((a, b) => valueLabel(dimension, a).localeCompare(valueLabel(dimension, b)));
      replaceChildren(select,
        h('option', { value: '' }, `Choose a value (${sorted.length})`),
        sorted.map((v) => h('option', { value: v, selected: v === selected }, valueLabel(dimension, v))));
      select.disabled = false;
      status.textContent = sorted.length ? '' : 'No values in this date range.';
    } catch (problem) {
      if (mine !== generation) return;
      status.textContent = `The values could not be loaded: ${describeError(problem)}`;
    }
  };
  return Object.assign(load, {
    clear(): void {
      generation++;
      replaceChildren(select);
      select.disabled = true;
      status.textContent = '';
    },
  });
}
