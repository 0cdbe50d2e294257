import type { ECharts } from 'echarts/core';
import { getText, SignInNeeded } from '../shared/api';
import { dataTable, hasPublishedFigure, hasSuppressedFigure, tableToCsv, type TableModel } from '../shared/data-table';
import { h, replaceChildren } from '../shared/dom';
import { downloadText } from '../shared/download';
import { NOT_AVAILABLE_MARK, SUPPRESSED_MARK } from '../shared/format';
import { describeError } from '../shared/page';
import { signOut } from '../shared/session';
import { keepValueLines } from './csv';
import type { ChartDefinition, ChartRequest, Drawing } from './chart-definition';
import { disposeChart, drawChart } from './echarts';
import type { Filters } from './filters';
import { isFiltered, type Report } from './report';

export type PanelState = 'loading' | 'ready' | 'empty' | 'error';


/**
 * One chart's panel: heading, description, the chart, its data table, a CSV download, and
 * its own loading and error states, so one failing route never blanks the others.
 * `data-state` tells tests (and styles) where it stands.
 */
export class ChartPanel<R extends Report = Report> {
  readonly element: HTMLElement;
  private readonly status = h('div', { class: 'chart-status' });
  private readonly controls = h('div', { class: 'chart-controls' });
  private readonly canvas: HTMLElement;
  private readonly notes = h('ul', { class: 'chart-notes' });
  private readonly legend = h('p', { class: 'chart-legend hint' });
  private readonly download: HTMLButtonElement;
  private readonly details = h('details', { class: 'chart-data' });
  private readonly csvHint = h('span', { class: 'hint chart-csv-hint' });
  private chart?: ECharts;
  private generation = 0;
  private current?: { report: R; filters: Filters; request: ChartRequest; drawing?: Drawing };

  constructor(private readonly definition: ChartDefinition<R>) {
    const id = `chart-${definition.name}`;
    this.canvas = h('div', { class: 'chart-canvas', id: `${id}-canvas`, role: 'img', 'aria-label': `${definition.title}: loading` });
    this.download = h('button', { type: 'button', class: 'secondary', disabled: true, onclick: () => void this.downloadCsv() },
      'Download CSV', h('span', { class: 'visually-hidden' }, ` of ${definition.title.toLowerCase()}`));
    this.element = h('section', { class: 'chart', 'data-chart': definition.name, 'data-state': 'loading', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-description` },
      h('h3', { id: `${id}-title` }, definition.title),
      h('p', { id: `${id}-description`, class: 'chart-description' }, definition.description),
      this.status, this.controls, this.canvas, this.notes, this.legend,
      h('div', { class: 'chart-actions' }, this.download, this.csvHint),
      this.details);
  }

  get state(): PanelState {
    return this.element.dataset.state as PanelState;
  }

  /** Fetches and draws the chart for `filters`; resolves to the state it ended in, or 'stale' if overtaken by a newer load. */
  async load(filters: Filters, fetchReport: (path: string) => Promise<R>): Promise<PanelState | 'stale'> {
    const mine = ++this.generation;
    this.setState('loading');
    const request = this.definition.request(filters);
    // The query drawn, for whoever checks the figures against the API (tests, curious analysts).
    this.element.dataset.source = request.path;
    this.csvHint.textContent = request.csv.kind === 'table' ? request.csv.why : '';
    try {
      const report = await fetchReport(request.path);
      if (mine !== this.generation) return 'stale';
      this.current = { report, filters, request };
      this.showViews(report, filters);
      return this.show(this.definition.views?.(report, filters)?.initial);
    } catch (error) {
      if (mine !== this.generation) return 'stale';
      this.showError(error);
      return 'error';
    }
  }

  private showViews(report: R, filters: Filters): void {
    const views = this.definition.views?.(report, filters);
    if (!views || views.options.length < 2) return replaceChildren(this.controls);
    const id = `chart-${this.definition.name}-view`;
    const select = h('select', { id, onchange: () => this.show(select.value) },
      views.options.map((o) => h('option', { value: o.id, selected: o.id === views.initial }, o.label)));
    replaceChildren(this.controls, h('label', { for: id }, views.label), select);
  }

  private show(view: string | undefined): PanelState {
    if (!this.current) return this.state;
    const { report, filters } = this.current;
    try {
      const drawing = this.definition.draw(report, filters, view);
      this.current.drawing = drawing;
      this.render(report, drawing);
      const state = drawing.empty ? 'empty' : 'ready';
      this.setState(state);
      return state;
    } catch (error) {
      // A report that is not the shape the chart expects, or a chart that would not draw: this panel only.
      this.showError(error);
      return 'error';
    }
  }

  private render(report: Report, drawing: Drawing): void {
    replaceChildren(this.status, !drawing.empty && !hasPublishedFigure(drawing.table)
      ? h('p', { class: 'notice' }, `Every figure of this selection is withheld (${SUPPRESSED_MARK}): too few people to publish.`)
      : null);
    this.drawFigure(drawing);
    replaceChildren(this.notes, (drawing.notes ?? []).map((note) => h('li', {}, note)));
    this.showLegend(report, drawing.table);
    this.showTable(drawing);
    this.download.disabled = false;
  }

  private drawFigure(drawing: Drawing): void {
    disposeChart(this.chart);
    this.chart = undefined;
    replaceChildren(this.canvas);
    this.canvas.hidden = false;
    if (drawing.empty) {
      this.canvas.hidden = true;
      replaceChildren(this.status, h('p', { class: 'notice' }, 'No figures for this selection: nothing was recorded in this range.'));
      return;
    }
    if (drawing.figure.kind === 'table') {
      // The table is the figure, and its own text alternative; it scrolls, so it takes focus for keyboard scrolling.
      this.canvas.setAttribute('role', 'region');
      this.canvas.setAttribute('aria-label', drawing.summary);
      this.canvas.tabIndex = 0;
      this.canvas.classList.add('chart-canvas-table');
      this.canvas.style.height = '';
      replaceChildren(this.canvas, dataTable(drawing.table));
      return;
    }
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', drawing.summary);
    this.canvas.removeAttribute('tabindex');
    this.canvas.classList.remove('chart-canvas-table');
    this.canvas.style.height = `${drawing.figure.height ?? 340}px`;
    this.chart = drawChart(this.canvas, drawing.figure.option);
  }

  private showLegend(report: Report, table: TableModel): void {
    const marks = [
      hasSuppressedFigure(table) ? `${SUPPRESSED_MARK} suppressed: fewer than ${report.threshold} people, or withheld so that a small number cannot be worked out from the totals.` : '',
      table.rows.some((r) => r.cells.some((c) => !c.suppressed && c.value === null)) ? `${NOT_AVAILABLE_MARK} no figure: nothing to count or to compute it from.` : '',
    ].filter(Boolean);
    this.legend.textContent = marks.join(' ');
    this.legend.hidden = marks.length === 0;
  }

  private showTable(drawing: Drawing): void {
    if (drawing.figure.kind === 'table' || drawing.empty) {
      this.details.hidden = true;
      return replaceChildren(this.details);
    }
    const open = this.details.open;
    this.details.hidden = false;
    replaceChildren(this.details,
      h('summary', {}, 'Show the data as a table'),
      h('div', { class: 'chart-table-scroll', role: 'region', tabindex: 0, 'aria-label': drawing.table.caption }, dataTable(drawing.table)));
    this.details.open = open;
  }

  private showError(error: unknown): void {
    this.setState('error');
    disposeChart(this.chart);
    this.chart = undefined;
    this.canvas.hidden = true;
    this.download.disabled = true;
    this.details.hidden = true;
    replaceChildren(this.controls);
    replaceChildren(this.notes);
    this.legend.hidden = true;
    replaceChildren(this.status, errorNotice(this.definition.title, error));
  }

  private setState(state: PanelState): void {
    this.element.dataset.state = state;
    this.element.setAttribute('aria-busy', String(state === 'loading'));
    if (state === 'loading') {
      this.download.disabled = true;
      replaceChildren(this.status, h('p', { class: 'loading' }, 'Loading…'));
    }
  }

  /** The CSV of exactly what the chart drew: the API's for its query (cut to the chosen value), or the drawn table's. */
  private async downloadCsv(): Promise<void> {
    if (!this.current?.drawing) return;
    const { filters, request, drawing } = this.current;
    try {
      const text = request.csv.kind === 'table' ? tableToCsv(drawing.table) : await this.apiCsv(request.csv.path, filters);
      downloadText(csvFilename(this.definition.name, filters), text);
    } catch (error) {
      replaceChildren(this.status, errorNotice(`The CSV of ${this.definition.title.toLowerCase()}`, error));
    }
  }

  private async apiCsv(path: string, filters: Filters): Promise<string> {
    const csv = await getText(path, 'text/csv');
    return isFiltered(filters) ? keepValueLines(csv, filters.dimension, filters.value) : csv;
  }
}

function errorNotice(what: string, error: unknown): HTMLElement {
  if (error instanceof SignInNeeded) {
    return h('div', { class: 'notice error', role: 'alert' },
      h('p', {}, `${what} could not be loaded: ${error.message}`),
      h('button', { type: 'button', onclick: () => { signOut(); location.reload(); } }, 'Sign in again'));
  }
  return h('div', { class: 'notice error', role: 'alert' }, h('p', {}, `${what} could not be loaded: ${describeError(error)}`));
}

function csvFilename(chart: string, filters: Filters): string {
  const restriction = isFiltered(filters) ? `_${filters.dimension}-${filters.value}` : '';
  return `${chart}_${filters.from}_${filters.to}_${filters.period}${restriction}.csv`.replace(/[^A-Za-z0-9_.-]/g, '-');
}
