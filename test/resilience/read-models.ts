import type { ReadStore } from '../../libs/read-store/src/read-store.port';
import { flattenCounters } from '../../projections/analytics/aggregate';

/**
 * A read model as the resilience tests compare it: every document of a projection's
 * collection, by id, as canonical JSON. Cells and roll-ups (analytics) are compared by their
 * counters' values without zeros: a cell that journeys moved into and out of again within one
 * batch is never written, while across two batches it stays stored with a zero count. Batch
 * boundaries alone decide that, and every read ignores zero counts. `omit` drops fields (by
 * name, at any depth) that are allowed to differ.
 */
export async function readModelOf(readStore: ReadStore, collection: string, omit: readonly string[] = []): Promise<Map<string, string>> {
  const documents = await readStore.collection<any>(collection).find({});
  const model = new Map<string, string>();
  for (const doc of documents) {
    if (doc.kind !== 'cell' && doc.kind !== 'rollup') {
      model.set(doc._id, canonicalJson(doc, omit));
      continue;
    }
    const counters = Object.fromEntries(Object.entries(flattenCounters(doc.counters)).filter(([, v]) => v !== 0));
    if (Object.keys(counters).length) model.set(doc._id, canonicalJson({ ...doc, counters }, omit));
  }
  return model;
}

/** JSON with every object's keys sorted (equal documents give equal text whatever order their fields were written in), without the fields `omit` names. */
export function canonicalJson(value: unknown, omit: readonly string[] = []): string {
  return JSON.stringify(value, (key, v) => {
    if (omit.includes(key)) return undefined;
    if (typeof v === 'bigint') return v.toString();
    return v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v;
  });
}

/**
 * Compares two read models as text (deep equality of thousands of documents would be most of
 * a test's time); on a difference, fails showing how many documents differ and the first few.
 */
export function expectSameReadModel(label: string, actual: Map<string, string>, expected: Map<string, string>): void {
  const ids = [...new Set([...actual.keys(), ...expected.keys()])].sort();
  const differing = ids.filter((id) => actual.get(id) !== expected.get(id));
  if (differing.length === 0) return;
  const parse = (json: string | undefined) => (json === undefined ? '(absent)' : JSON.parse(json));
  expect({ label, differing: differing.length, first: differing.slice(0, 3).map((id) => ({ id, document: parse(actual.get(id)) })) })
    .toEqual({ label, differing: 0, first: differing.slice(0, 3).map((id) => ({ id, document: parse(expected.get(id)) })) });
}
