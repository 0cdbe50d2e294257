import { query } from '../shared/api';
import type { TableModel } from '../shared/data-table';
import type { ChartOption } from './echarts';
import type { Filters } from './filters';
import type { Dimension } from './labels';
import { isFiltered, type Report } from './report';

/*
 * What each chart of the dashboard declares: the query it draws and how it draws the answer.
 * Charts are plain data and functions (charts/*.ts); the panel (panel.ts) does the rest.
 */

/** What a chart draws: an ECharts figure, or a table that is itself the figure (with inline bars). */
export type Figure = { kind: 'echarts'; option: ChartOption; height?: number } | { kind: 'table' };

export interface Drawing {
  figure: Figure;
  /** Exactly the figures drawn: the chart's text alternative. */
  table: TableModel;
  /** The chart's accessible name: what it shows and its main figures. */
  summary: string;
  /** Caveats a reader needs under the chart (what could not be restricted, what is left out). */
  notes?: string[];
  /** Nothing to draw (no rows for this selection). */
  empty?: boolean;
}

/** A choice of what one chart shows of its report (one cohort of many, say). */
export interface Views {
  label: string;
  options: Array<{ id: string; label: string }>;
  initial: string;
}

export interface ChartRequest {
  /** The API path and query the chart draws (JSON). */
  path: string;
  /** Where "Download CSV" gets its file: the API's CSV of the same query, or the drawn table when the API has none. */
  csv: { kind: 'api'; path: string } | { kind: 'table'; why: string };
}

export interface ChartDefinition<R extends Report = Report> {
  name: string;
  title: string;
  description: string;
  request(filters: Filters): ChartRequest;
  views?(report: R, filters: Filters): Views | undefined;
  draw(report: R, filters: Filters, view?: string): Drawing;
}

export type PanelState = 'loading' | 'ready' | 'empty' | 'error';

/** The request of a report route: the filters' dates and period, and `by` with the restricted dimension first. */
export function reportRequest(endpoint: string, filters: Filters, options: { by?: Dimension[]; params?: Record<string, string>; dated?: boolean } = {}): ChartRequest {
  const by = [...new Set([...(isFiltered(filters) ? [filters.dimension] : []), ...(options.by ?? [])])];
  const dates = options.dated === false ? {} : { from: filters.from, to: filters.to, period: filters.period };
  const params = { ...dates, ...options.params, by: by.join(',') };
  return { path: endpoint + query(params), csv: { kind: 'api', path: endpoint + query({ ...params, format: 'csv' }) } };
}
