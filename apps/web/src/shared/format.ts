/**
 * How published figures are written on a page. A withheld figure is always written "[c]"
 * (the convention of official statistics), never as 0 or a blank: a reader must be able to
 * tell "none" from "not shown".
 */
export const SUPPRESSED_MARK = '[c]';
/** A figure that does not exist (a median of nothing, distinct people across periods). */
export const NOT_AVAILABLE_MARK = '–';

export type FigureKind = 'count' | 'rate' | 'days';

const counts = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const days = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const percents = new Intl.NumberFormat('en-GB', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A published number as text: counts with separators, rates as percentages, days to one decimal. */
export function formatNumber(value: number, kind: FigureKind): string {
  switch (kind) {
    case 'count': return counts.format(value);
    case 'rate': return percents.format(value);
    case 'days': return days.format(value);
  }
}

/** A figure as text, with the marks for withheld and missing figures. */
export function formatFigure(value: number | null | undefined, suppressed: boolean, kind: FigureKind): string {
  if (suppressed) return SUPPRESSED_MARK;
  if (value === null || value === undefined) return NOT_AVAILABLE_MARK;
  return formatNumber(value, kind);
}

/** A code such as `domestic_servitude` or `DEVOLVED_CHILD_PANEL` as words: "Domestic servitude". */
export function humanise(code: string): string {
  const words = code.replace(/_/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A calendar date (YYYY-MM-DD) of the local clock. */
export function isoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}
