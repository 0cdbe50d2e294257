import { formatFigure, formatNumber, SUPPRESSED_MARK, type FigureKind } from '../shared/format';
import type { TableCell, TableModel } from '../shared/data-table';
import type { BarSeriesOption, ChartOption, LineSeriesOption } from './echarts';

/**
 * Figures laid out for a chart with a category axis (periods, age bands, milestones): one
 * list of cells per series, aligned with the categories. The same model gives the chart and
 * its table, so the two can never disagree.
 */
export interface CategorySeries {
  name: string;
  cells: TableCell[];
}

export interface CategoryFigures {
  categories: string[];
  series: CategorySeries[];
  kind: FigureKind;
  /** What the value axis measures ("working days", "referrals"). */
  valueName: string;
  /** What the category axis is ("Year of decision"). */
  categoryName: string;
}

// GOV.UK colours, each 3:1 or more against white, in an order where neighbours differ in hue.
export const PALETTE = ['#1d70b8', '#d4351c', '#00703c', '#4c2c92', '#f47738', '#28a197', '#b58840', '#912b88', '#505a5f', '#85994b'];
// Shapes as well as colours, so lines can be told apart without colour vision.
const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'emptyCircle', 'emptyRect', 'emptyTriangle', 'emptyDiamond', 'roundRect', 'emptyRoundRect'];

/**
 * Tooltips drawn as chart text, not HTML: ECharts would write an HTML tooltip with innerHTML,
 * and the figures' labels come from the data. Dark text on white, for contrast.
 */
export const TOOLTIP = { renderMode: 'richText', backgroundColor: '#ffffff', borderColor: '#505a5f', textStyle: { color: '#1b1b1b', fontSize: 13 } } as const;

export function plotted(figure: TableCell): number | null {
  return figure.suppressed ? null : figure.value;
}

export function lineOption(figures: CategoryFigures, options: { valueMin?: number; valueMax?: number } = {}): ChartOption {
  const series: LineSeriesOption[] = figures.series.map((s, index) => ({
    type: 'line',
    name: s.name,
    data: s.cells.map(plotted),
    // A withheld figure is a gap, never bridged: joining across it would invent a value.
    connectNulls: false,
    symbol: SYMBOLS[index % SYMBOLS.length],
    symbolSize: 7,
    showAllSymbol: true,
    lineStyle: { width: 2 },
  }));
  return { ...frame(figures, options), series };
}

/** Most bars a chart marks [c] on: beyond, the marks run into one another (the table still has them). */
const MOST_MARKED_BARS = 60;

export function barOption(figures: CategoryFigures): ChartOption {
  const marked = withheldBarsMarked(figures);
  const series: BarSeriesOption[] = figures.series.map((s) => ({
    type: 'bar',
    name: s.name,
    data: s.cells.map((c) => (marked ? barItem(c) : plotted(c))),
    barMaxWidth: 36,
  }));
  return { ...frame(figures, {}), series };
}

export function withheldBarsMarked(figures: CategoryFigures): boolean {
  return figures.categories.length * figures.series.length <= MOST_MARKED_BARS;
}

/** What a bar chart's reader needs to know about withheld bars. */
export function barNotes(figures: CategoryFigures): string[] {
  const anyWithheld = figures.series.some((s) => s.cells.some((c) => c.suppressed));
  if (!anyWithheld) return [];
  return [withheldBarsMarked(figures)
    ? `A bar marked ${SUPPRESSED_MARK} is withheld: its height is not shown, whatever it is.`
    : `Withheld bars are left out (too many to mark here); the table marks each one ${SUPPRESSED_MARK}.`];
}

/**
 * A withheld bar is drawn as "[c]" on the axis where the bar would stand, so the reader sees
 * that a figure exists and is not shown (a missing bar would read as zero). Its height is
 * nothing, and tooltips read the cells, not the drawn value.
 */
function barItem(figure: TableCell): NonNullable<BarSeriesOption['data']>[number] {
  if (!figure.suppressed) return figure.value;
  return { value: 0, itemStyle: { color: 'transparent' }, label: { show: true, position: 'top', formatter: SUPPRESSED_MARK, color: '#505a5f', fontSize: 11 } };
}

function frame(figures: CategoryFigures, options: { valueMin?: number; valueMax?: number }): ChartOption {
  const axisLabel = { formatter: (value: number) => axisNumber(value, figures.kind), color: '#1b1b1b' };
  return {
    color: PALETTE,
    grid: { left: 16, right: 24, top: 48, bottom: 56, containLabel: true },
    legend: { top: 0, type: 'plain', textStyle: { color: '#1b1b1b' } },
    tooltip: { ...TOOLTIP, trigger: 'axis', formatter: (params: unknown) => tooltipText(figures, params) },
    xAxis: {
      type: 'category', data: figures.categories, name: figures.categoryName, nameLocation: 'middle', nameGap: 32,
      // Every category named while they fit (age bands, years); ECharts thins out months.
      axisLabel: { color: '#1b1b1b', interval: figures.categories.length <= 12 ? 0 : 'auto' },
    },
    yAxis: { type: 'value', name: figures.valueName, nameTextStyle: { align: 'left', color: '#1b1b1b' }, axisLabel, min: options.valueMin, max: options.valueMax },
  };
}

function axisNumber(value: number, kind: FigureKind): string {
  return kind === 'rate' ? `${Math.round(value * 1000) / 10}%` : formatNumber(value, kind);
}

/** The tooltip for one category: every series' figure as published, [c] where withheld. */
function tooltipText(figures: CategoryFigures, params: unknown): string {
  const first = (Array.isArray(params) ? params[0] : params) as { dataIndex?: number } | undefined;
  const index = first?.dataIndex ?? 0;
  const lines = figures.series.map((s) => {
    const figure = s.cells[index];
    const text = formatFigure(figure?.value, figure?.suppressed ?? false, figures.kind);
    return `${s.name}: ${figure?.suppressed ? `${text} suppressed` : text}`;
  });
  return [figures.categories[index], ...lines].join('\n');
}

/** The figures as a table: a row per category, a column per series. */
export function categoryTable(figures: CategoryFigures, caption: string): TableModel {
  return {
    caption,
    rowHeading: figures.categoryName,
    columns: figures.series.map((s) => ({ label: s.name })),
    rows: figures.categories.map((category, index) => ({ label: category, cells: figures.series.map((s) => s.cells[index]) })),
  };
}

/** True when any series has a figure drawn (published and not missing). */
export function anythingDrawn(figures: CategoryFigures): boolean {
  return figures.series.some((s) => s.cells.some((c) => plotted(c) !== null));
}
