import * as echarts from 'echarts/core';
import { BarChart, LineChart, SankeyChart, type BarSeriesOption, type LineSeriesOption, type SankeySeriesOption } from 'echarts/charts';
import {
  GridComponent, LegendComponent, TooltipComponent,
  type GridComponentOption, type LegendComponentOption, type TooltipComponentOption,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

/*
 * Only the parts of ECharts the dashboard draws with, so the bundle stays small; the SVG
 * renderer, so charts stay sharp when zoomed and tests (and assistive tools) can read the DOM.
 */
echarts.use([BarChart, LineChart, SankeyChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = echarts.ComposeOption<
  BarSeriesOption | LineSeriesOption | SankeySeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;
export type { BarSeriesOption, LineSeriesOption, SankeySeriesOption };

const drawn = new Set<echarts.ECharts>();

/** Draws `option` into `container` (which must be in the page and have a size). */
export function drawChart(container: HTMLElement, option: ChartOption): echarts.ECharts {
  const chart = echarts.init(container, undefined, { renderer: 'svg', locale: 'EN' });
  // Short animations, and none for those who asked the system for less motion.
  chart.setOption({ animation: !prefersReducedMotion(), animationDuration: 400, ...option });
  drawn.add(chart);
  return chart;
}

export function disposeChart(chart: echarts.ECharts | undefined): void {
  if (!chart) return;
  drawn.delete(chart);
  chart.dispose();
}

function prefersReducedMotion(): boolean {
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}

let resizeQueued = false;
/** Charts follow the window's width; one resize per frame however many events arrive. */
window.addEventListener('resize', () => {
  if (resizeQueued) return;
  resizeQueued = true;
  requestAnimationFrame(() => {
    resizeQueued = false;
    for (const chart of drawn) chart.resize();
  });
});
