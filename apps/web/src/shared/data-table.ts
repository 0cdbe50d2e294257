import { h } from './dom';
import { formatFigure, SUPPRESSED_MARK, type FigureKind } from './format';

/**
 * A table of published figures: the text alternative of a chart (exactly the figures it
 * draws), and a figure in its own right. Built from a model so the same figures can be
 * drawn, tabulated and written as CSV without being re-derived three times.
 */
export interface TableCell {
  value: number | null;
  /** Withheld by disclosure control: shown as [c], never as 0 or a gap. */
  suppressed: boolean;
  kind: FigureKind;
}

export interface TableColumn {
  label: string;
  /** Draw a bar beside each figure, scaled to the largest published figure of the column. */
  bar?: boolean;
}

export interface TableRow {
  label: string;
  cells: TableCell[];
}

export interface TableModel {
  caption: string;
  /** The heading of the first column, which names each row. */
  rowHeading: string;
  columns: TableColumn[];
  rows: TableRow[];
}

export function cell(value: number | null | undefined, suppressed: boolean, kind: FigureKind): TableCell {
  return { value: value ?? null, suppressed, kind };
}

/** An accessible table: caption, column and row headers with scope, numbers right-aligned. */
export function dataTable(model: TableModel, attributes: Record<string, string> = {}): HTMLTableElement {
  const maxima = model.columns.map((column, index) => (column.bar ? largestPublished(model, index) : 0));
  return h('table', { class: 'data-table', ...attributes },
    h('caption', {}, model.caption),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, model.rowHeading),
      model.columns.map((column) => h('th', { scope: 'col', class: 'number' }, column.label)))),
    h('tbody', {}, model.rows.map((row) => h('tr', {},
      h('th', { scope: 'row' }, row.label),
      row.cells.map((figure, index) => figureCell(figure, model.columns[index]?.bar ? maxima[index] : 0))))));
}

function figureCell(figure: TableCell, barMaximum: number): HTMLTableCellElement {
  if (figure.suppressed) {
    return h('td', { class: 'number suppressed', 'data-suppressed': 'true' },
      SUPPRESSED_MARK, h('span', { class: 'visually-hidden' }, ' (suppressed)'));
  }
  const text = formatFigure(figure.value, false, figure.kind);
  if (figure.value === null) return h('td', { class: 'number', 'data-missing': 'true' }, text, h('span', { class: 'visually-hidden' }, ' (no figure)'));
  if (barMaximum <= 0) return h('td', { class: 'number', 'data-value': String(figure.value) }, text);
  const bar = h('span', { class: 'chart-inline-bar' });
  // Through the CSSOM rather than a style attribute, so a stricter style-src never breaks it.
  bar.style.width = `${Math.round((figure.value / barMaximum) * 1000) / 10}%`;
  return h('td', { class: 'number with-bar', 'data-value': String(figure.value) },
    h('span', { class: 'chart-inline-bar-track', 'aria-hidden': 'true' }, bar), text);
}

function largestPublished(model: TableModel, column: number): number {
  return Math.max(0, ...model.rows.map((row) => row.cells[column]).filter((c) => c && !c.suppressed && c.value !== null).map((c) => c.value as number));
}

/** True when the table holds at least one figure that is published (not withheld, not missing). */
export function hasPublishedFigure(model: TableModel): boolean {
  return model.rows.some((row) => row.cells.some((c) => !c.suppressed && c.value !== null));
}

/** True when the table holds at least one withheld figure (so the page explains [c]). */
export function hasSuppressedFigure(model: TableModel): boolean {
  return model.rows.some((row) => row.cells.some((c) => c.suppressed));
}

/**
 * The table as CSV, written the way the API writes its CSV: CRLF line ends, a withheld
 * figure is [c], a figure that does not exist is empty, numbers as published (not rounded
 * for display).
 */
export function tableToCsv(model: TableModel): string {
  const lines = [[model.rowHeading, ...model.columns.map((c) => c.label)]];
  for (const row of model.rows) lines.push([row.label, ...row.cells.map(csvFigure)]);
  return lines.map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvFigure(figure: TableCell): string {
  if (figure.suppressed) return SUPPRESSED_MARK;
  return figure.value === null ? '' : String(figure.value);
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

