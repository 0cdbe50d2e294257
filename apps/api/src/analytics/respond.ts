import type { FastifyReply } from 'fastify';
import type { Report, ReportRow } from './report';

/** The mark of a withheld figure in CSV, as official statistics print it. */
export const SUPPRESSED_MARK = '[c]';

/** A report as JSON (withheld figures null, listed in each row's `suppressed`) or as CSV with the same figures. */
export function sendReport(reply: FastifyReply, report: Report, format: 'json' | 'csv'): Report | string {
  reply.header('Cache-Control', 'no-store');
  if (format === 'json') return report;
  reply.header('Content-Type', 'text/csv; charset=utf-8');
  return toCsv(report);
}

/** One line per row, then per period total, then the grand total; `level` says which. */
export function toCsv(report: Report): string {
  const lines = [...report.rows.map((row) => ['row', row] as const), ...report.periodTotals.map((row) => ['period_total', row] as const), ['total', report.total] as const];
  const measures = [...new Set(lines.flatMap(([, row]) => Object.keys(row.values)))];
  const header = ['level', 'period', ...report.by, ...measures];
  const cell = (row: ReportRow, name: string) => (row.suppressed.includes(name) ? SUPPRESSED_MARK : row.values[name] ?? '');
  const body = lines.map(([level, row]) => [level, row.period ?? '', ...report.by.map((d) => row.dims[d] ?? ''), ...measures.map((m) => cell(row, m))]);
  return `${[header, ...body].map((fields) => fields.map(csvField).join(',')).join('\r\n')}\r\n`;
}

function csvField(value: unknown): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
