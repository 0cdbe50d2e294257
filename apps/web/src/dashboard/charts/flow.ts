import type { TableCell, TableModel } from '../../shared/data-table';
import { formatFigure, SUPPRESSED_MARK } from '../../shared/format';
import type { ChartOption, SankeySeriesOption } from '../echarts';
import { PALETTE, plotted, TOOLTIP } from '../chart-options';
import type { Filters } from '../filters';
import { reportRequest, type ChartDefinition, type Drawing, type Views } from '../chart-definition';
import { figure, isFiltered, periodsOf, rowsFor, type Report, type ReportRow } from '../report';
import { forSelection } from './over-time';

/** /analytics/flow: journeys by identification cohort, with the Sankey it describes. */
interface FlowReport extends Report {
  /** `measure`: the values key of the journeys that reached the node. */
  nodes: Array<{ id: string; label: string; measure?: string }>;
  links: Array<{ source: string; target: string; measure: string }>;
}

interface FlowLink {
  source: string;
  target: string;
  figure: TableCell;
}

const ALL_COHORTS = 'total';
const WITHHELD_COLOUR = '#b1b4b6';

export const flow: ChartDefinition<FlowReport> = {
  name: 'flow',
  title: 'Journeys through the NRM',
  description: 'Where the people identified in the range went: referral or Duty to Notify, the Reasonable and Conclusive Grounds decisions, exit from support, follow-up and re-referral. The width of each flow is the number of journeys.',
  request: (filters) => reportRequest('/analytics/flow', filters),
  views(report: FlowReport, filters: Filters): Views {
    const periods = periodsOf(isFiltered(filters) ? rowsFor(report, filters) : report.periodTotals);
    const cohorts = periods.map((p) => ({ id: p, label: `Identified in ${p}` }));
    // A range total exists over everyone only; for one value there are the rows of each period.
    if (isFiltered(filters)) return { label: 'Identification cohort', options: cohorts, initial: periods[periods.length - 1] ?? '' };
    return { label: 'Identification cohort', options: [{ id: ALL_COHORTS, label: `Everyone identified from ${filters.from} to ${filters.to}` }, ...cohorts], initial: ALL_COHORTS };
  },
  draw(report: FlowReport, filters: Filters, view?: string): Drawing {
    if (!Array.isArray(report.nodes) || !Array.isArray(report.links)) throw new Error('The flow report has no nodes or links to draw.');
    const row = cohortRow(report, filters, view);
    const when = view === ALL_COHORTS || view === undefined ? `from ${filters.from} to ${filters.to}` : `in ${view}`;
    const links: FlowLink[] = report.links.map((l) => ({ source: l.source, target: l.target, figure: figure(row, l.measure, 'count') }));
    const journeys = figure(row, 'journeys', 'count');
    const table = flowTable(report, row, links, journeys, `Journeys by step${forSelection(filters)}, identified ${when}`);
    const withheld = links.filter((l) => l.figure.suppressed).length;
    const summary = `Flow diagram: ${formatFigure(journeys.value, journeys.suppressed, 'count')} journeys identified ${when}${forSelection(filters)}, through referral, decisions, exit, follow-up and re-referral; ${withheld} flows are suppressed. The figures are in the table below.`;
    if (!row) return { figure: { kind: 'table' }, table, summary, empty: true };
    return {
      figure: { kind: 'echarts', option: sankeyOption(report, row, links), height: 520 },
      table,
      summary,
      notes: [
        `Flows marked ${SUPPRESSED_MARK} are suppressed: they exist, but their number is withheld, so they are drawn thin and grey whatever their size. Flows of no journeys are not drawn (they are in the table).`,
      ],
    };
  },
};

function cohortRow(report: FlowReport, filters: Filters, view: string | undefined): ReportRow | undefined {
  if (isFiltered(filters)) return rowsFor(report, filters).find((row) => row.period === view);
  if (view === ALL_COHORTS || view === undefined) return report.total;
  return report.periodTotals.find((row) => row.period === view);
}

function flowTable(report: FlowReport, row: ReportRow | undefined, links: FlowLink[], journeys: TableCell, caption: string): TableModel {
  const label = nodeLabels(report);
  const stages = report.nodes.filter((n) => n.measure).map((n) => ({ label: n.label, cells: [figure(row, n.measure as string, 'count')] }));
  return {
    caption,
    rowHeading: 'Stage, or step from one stage to the next',
    columns: [{ label: 'Journeys' }],
    rows: [
      ...(stages.length ? stages : [{ label: label('identified'), cells: [journeys] }]),
      ...links.map((l) => ({ label: `${label(l.source)} → ${label(l.target)}`, cells: [l.figure] })),
    ],
  };
}

/** A node's name with the journeys that reached it, as published ("Positive RG: 812", "Re-referred: [c]"). */
function nodeCaption(report: FlowReport, row: ReportRow): (id: string) => string {
  const label = nodeLabels(report);
  const measures = new Map(report.nodes.map((n) => [n.id, n.measure]));
  return (id) => {
    const measure = measures.get(id);
    if (!measure) return label(id);
    const reached = figure(row, measure, 'count');
    return `${label(id)}: ${formatFigure(reached.value, reached.suppressed, 'count')}`;
  };
}

function nodeLabels(report: FlowReport): (id: string) => string {
  const labels = new Map(report.nodes.map((n) => [n.id, n.label]));
  return (id) => labels.get(id) ?? id;
}

/**
 * The Sankey. A suppressed flow gets a token width (a hundredth of the largest flow) so that it
 * shows, greyed and labelled [c]: its real size is unknown, and may be large (secondary
 * suppression withholds large figures too).
 */
function sankeyOption(report: FlowReport, row: ReportRow, links: FlowLink[]): ChartOption {
  const caption = nodeCaption(report, row);
  const largest = Math.max(1, ...links.map((l) => (l.figure.suppressed ? 0 : l.figure.value ?? 0)));
  const drawn = links.filter((l) => l.figure.suppressed || (l.figure.value ?? 0) > 0);
  const used = new Set(drawn.flatMap((l) => [l.source, l.target]));
  const series: SankeySeriesOption = {
    type: 'sankey',
    left: 8, right: 150, top: 16, bottom: 16,
    nodeAlign: 'left',
    nodeGap: 14,
    draggable: false,
    emphasis: { focus: 'adjacency' },
    // A node is as tall as the journeys published for it, so where flows into or out of it
    // are withheld (drawn thin), the node still shows its true size.
    data: report.nodes.filter((n) => used.has(n.id)).map((n, i) => ({
      name: n.id,
      value: n.measure ? plotted(figure(row, n.measure, 'count')) ?? undefined : undefined,
      itemStyle: { color: PALETTE[i % PALETTE.length] },
    })),
    // Labels on a pale ground, so they stay legible where they cross a flow.
    label: { formatter: (params: { name: string }) => caption(params.name), color: '#1b1b1b', backgroundColor: 'rgba(255,255,255,0.85)', padding: [1, 3] },
    links: drawn.map((l) => ({
      source: l.source,
      target: l.target,
      value: l.figure.suppressed ? largest / 100 : (l.figure.value as number),
      lineStyle: l.figure.suppressed ? { color: WITHHELD_COLOUR, opacity: 0.9 } : { color: 'source', opacity: 0.35 },
      // Read back by the label and tooltip formatters: the figure as published.
      published: formatFigure(l.figure.value, l.figure.suppressed, 'count'),
    })),
    edgeLabel: { show: true, fontSize: 11, color: '#1b1b1b', textBorderColor: '#ffffff', textBorderWidth: 2, formatter: (params: { data?: unknown }) => publishedOf(params.data) },
  };
  return {
    tooltip: {
      ...TOOLTIP,
      trigger: 'item',
      formatter: (params: unknown) => sankeyTooltip(params as SankeyParams, nodeLabels(report), caption),
    },
    series: [series],
  };
}

function publishedOf(data: unknown): string {
  return typeof data === 'object' && data !== null && 'published' in data ? String(data.published) : '';
}

type SankeyParams = { dataType?: string; name: string; data?: { source?: string; target?: string; published?: string } };

function sankeyTooltip(params: SankeyParams, label: (id: string) => string, caption: (id: string) => string): string {
  if (params.dataType === 'edge' && params.data?.source && params.data.target) {
    const published = params.data.published ?? '';
    return `${label(params.data.source)} → ${label(params.data.target)}: ${published === SUPPRESSED_MARK ? `${published} suppressed` : published}`;
  }
  return caption(params.name);
}
