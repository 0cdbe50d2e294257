import type { MeasuredRow, ReportRow } from './report';

/**
 * Statistical disclosure control (DOMAIN.md). Primary: a count from 1 to threshold-1 is
 * withheld (zero stays zero); a statistic over fewer than `threshold` people is withheld.
 * Secondary: wherever published figures add up to a published total (a period's rows to
 * the period's total, the periods' totals to the grand total, a row's parts to its own
 * total), a lone withheld figure could be recovered by subtraction, so the smallest other
 * non-zero figure there is withheld too (or the total, if there is none); and a withheld
 * total could be recovered by adding its members up, so while all of them are published the
 * smallest non-zero one is withheld. This repeats until no group has either. Then a
 * statistic computed from a withheld count is withheld as well.
 */
export interface MeasuredTable {
  rows: MeasuredRow[];
  periodTotals: MeasuredRow[];
  total: MeasuredRow;
}

/** One published figure: a measure of a row. */
interface Slot {
  row: MeasuredRow;
  measure: string;
}

/** Figures that add up to another published figure. */
interface Group {
  members: Slot[];
  total: Slot;
}

export function suppress(table: MeasuredTable, threshold: number, additive: ReadonlyArray<{ total: string; parts: readonly string[] }>): { rows: ReportRow[]; periodTotals: ReportRow[]; total: ReportRow } {
  const all = [...table.rows, ...table.periodTotals, table.total];
  const withheld = new Map<MeasuredRow, Set<string>>(all.map((row) => [row, new Set(primary(row, threshold))]));
  const isWithheld = (slot: Slot) => withheld.get(slot.row)!.has(slot.measure);
  const withhold = (slot: Slot) => withheld.get(slot.row)!.add(slot.measure);
  const groups = groupsOf(table, additive);
  const smallestPublished = (group: Group) => group.members.filter((slot) => !isWithheld(slot) && countOf(slot) > 0).sort((a, b) => countOf(a) - countOf(b))[0];
  for (let changed = true; changed; ) {
    changed = false;
    for (const group of groups) {
      const hidden = group.members.filter(isWithheld).length;
      let next: Slot | undefined;
      if (hidden === 1 && !isWithheld(group.total)) {
        // The total minus the published members would give the withheld one back.
        next = smallestPublished(group) ?? (countOf(group.total) > 0 ? group.total : undefined);
      } else if (hidden === 0 && isWithheld(group.total)) {
        // The published members would add up to the withheld total (a row that is its period's
        // total when there is no breakdown holds the very same figure).
        next = smallestPublished(group);
      }
      if (!next) continue;
      withhold(next);
      changed = true;
    }
  }
  for (const row of all) {
    for (const [name, measure] of Object.entries(row.measures)) {
      if (measure.kind === 'statistic' && measure.dependsOn?.some((count) => isWithheld({ row, measure: count }))) withhold({ row, measure: name });
    }
  }
  const publish = (row: MeasuredRow): ReportRow => {
    const hidden = withheld.get(row)!;
    const values = Object.fromEntries(Object.entries(row.measures).map(([name, m]) => [name, hidden.has(name) ? null : m.value]));
    return { ...(row.period === undefined ? {} : { period: row.period }), dims: row.dims, values, suppressed: [...hidden].sort() };
  };
  return { rows: table.rows.map(publish), periodTotals: table.periodTotals.map(publish), total: publish(table.total) };
}

function primary(row: MeasuredRow, threshold: number): string[] {
  return Object.entries(row.measures)
    .filter(([, m]) => (m.kind === 'count' ? m.value > 0 && m.value < threshold : m.value !== null && m.base < threshold))
    .map(([name]) => name);
}

function countOf(slot: Slot): number {
  const measure = slot.row.measures[slot.measure];
  return measure?.kind === 'count' ? measure.value : 0;
}

/** Every set of published counts that adds up to a published count. */
function groupsOf(table: MeasuredTable, additive: ReadonlyArray<{ total: string; parts: readonly string[] }>): Group[] {
  const everyRow = [...table.rows, ...table.periodTotals, table.total];
  const counts = [...new Set(everyRow.flatMap((row) => Object.entries(row.measures).filter(([, m]) => m.kind === 'count').map(([name]) => name)))];
  const groups: Group[] = [];
  for (const measure of counts) {
    for (const periodTotal of table.periodTotals) {
      const members = table.rows.filter((row) => row.period === periodTotal.period).map((row) => ({ row, measure }));
      groups.push({ members, total: { row: periodTotal, measure } });
    }
    groups.push({ members: table.periodTotals.map((row) => ({ row, measure })), total: { row: table.total, measure } });
  }
  for (const row of everyRow) {
    for (const { total, parts } of additive) {
      if (total in row.measures) groups.push({ members: parts.filter((p) => p in row.measures).map((measure) => ({ row, measure })), total: { row, measure: total } });
    }
  }
  return groups;
}
