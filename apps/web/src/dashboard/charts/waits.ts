import { formatNumber, type FigureKind } from '../../shared/format';
import { categoryTable, lineOption, type CategoryFigures } from '../chart-options';
import type { Filters } from '../filters';
import { reportRequest, type ChartDefinition, type Drawing } from '../chart-definition';
import { periodRows, type Report } from '../report';
import { emptyDrawing, forSelection, latestSentence, measuresOverTime, nothingToDraw, periodAxisName, span } from './over-time';

type Stage = 'reasonable_grounds' | 'conclusive_grounds';

const decisionTimes = (stage: Stage) => (filters: Filters) => reportRequest('/analytics/decision-times', filters, { params: { stage } });

interface WaitChart {
  name: string;
  stage: Stage;
  title: string;
  description: string;
  measures: Array<{ measure: string; name: string }>;
  kind: FigureKind;
  valueName: string;
  what: string;
}

function waitChart(spec: WaitChart): ChartDefinition {
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    request: decisionTimes(spec.stage),
    draw(report: Report, filters: Filters): Drawing {
      const figures: CategoryFigures = {
        ...measuresOverTime(periodRows(report, filters), spec.measures, spec.kind),
        kind: spec.kind, valueName: spec.valueName, categoryName: periodAxisName(filters, 'of decision'),
      };
      const caption = `${spec.title}${forSelection(filters)}, ${span(figures.categories)}`;
      const format = (v: number) => formatNumber(v, spec.kind);
      const summary = `Line chart: ${spec.what}${forSelection(filters)}, by ${filters.period} of decision, ${span(figures.categories)}. ${latestSentence(figures, format)} The figures are in the table below.`;
      if (nothingToDraw(figures)) return emptyDrawing(figures, caption, summary);
      const option = spec.kind === 'rate' ? lineOption(figures, { valueMin: 0, valueMax: 1 }) : lineOption(figures, { valueMin: 0 });
      return { figure: { kind: 'echarts', option }, table: categoryTable(figures, caption), summary };
    },
  };
}

export const rgWaits = waitChart({
  name: 'rg-waits',
  stage: 'reasonable_grounds',
  title: 'Reasonable Grounds: working days to a decision',
  description: 'Median and 90th percentile of the working days from referral to the Reasonable Grounds decision in force, by when it was decided. The target is 5 working days.',
  measures: [{ measure: 'medianDays', name: 'Median' }, { measure: 'p90Days', name: '90th percentile' }],
  kind: 'days',
  valueName: 'Working days',
  what: 'median and 90th percentile working days from referral to a Reasonable Grounds decision',
});

export const rgWithinTarget = waitChart({
  name: 'rg-within-target',
  stage: 'reasonable_grounds',
  title: 'Reasonable Grounds decisions within 5 working days',
  description: 'The share of Reasonable Grounds decisions made within the 5-working-day target, by when they were decided.',
  measures: [{ measure: 'withinTargetRate', name: 'Within 5 working days' }],
  kind: 'rate',
  valueName: 'Share of decisions',
  what: 'share of Reasonable Grounds decisions made within 5 working days',
});

export const cgWaits = waitChart({
  name: 'cg-waits',
  stage: 'conclusive_grounds',
  title: 'Conclusive Grounds: days to a decision',
  description: 'Median and 90th percentile of the calendar days from the positive Reasonable Grounds decision to the Conclusive Grounds decision, by when it was decided.',
  measures: [{ measure: 'medianDays', name: 'Median' }, { measure: 'p90Days', name: '90th percentile' }],
  kind: 'days',
  valueName: 'Days',
  what: 'median and 90th percentile days from a positive Reasonable Grounds decision to the Conclusive Grounds decision',
});
