/**
 * An event's payload in plain words: a definition list of its fields, codes as labels,
 * dates as dates, sealed personal data named as sealed (never its ciphertext, never opened).
 */
import { h, type Child } from '../shared/dom';
import {
  codeLabel, inSentence, dateLabel, fieldLabel, isCalendarDate, isSealed, languageLabel, nationalityLabel, penceLabel, policeForceAreaLabel, SEALED,
} from './words';

/** Fields shown elsewhere on the event (its dates, the correction block) or not worth a row. */
const NOT_LISTED = new Set(['occurredAt', 'journeyId']);
const NOT_LISTED_BY_TYPE: Record<string, ReadonlySet<string>> = {
  RecordCorrected: new Set(['correctedEventId', 'changes', 'reason']),
  DecisionMade: new Set(['stage', 'outcome', 'decidedAt']),
};
/** Identifiers and free text: shown as recorded, never turned into a label. */
const AS_RECORDED = new Set([
  'referralId', 'newReferralId', 'previousReferralId', 'providerId', 'organisationId', 'caseloadOrganisationId',
  'fromOrganisationId', 'toOrganisationId', 'reasonCode', 'correctedEventId', 'decisionEventId',
]);
const CODE = /^[a-z][a-z0-9_]*$|^[A-Z][A-Z_]+$/;

/** Rows of the event's data, in the order it was stored. `link` makes a link to another event of the journey, when it is one. */
export function dataList(type: string, data: Record<string, unknown>, link: (eventId: string) => Node | undefined): HTMLDListElement | null {
  const skip = NOT_LISTED_BY_TYPE[type];
  const rows: Node[] = [];
  for (const [field, value] of Object.entries(data)) {
    if (NOT_LISTED.has(field) || skip?.has(field) || value === undefined) continue;
    const shown = field === 'decisionEventId' && typeof value === 'string' ? link(value) ?? valueNode(field, value) : valueNode(field, value);
    rows.push(h('div', { class: 'timeline-field', 'data-field': field }, h('dt', {}, fieldLabel(field)), h('dd', {}, shown)));
  }
  return rows.length ? h('dl', { class: 'timeline-data' }, rows) : null;
}

/** One value in plain words; `field` is the last step of its path (it says what the value is). */
export function valueNode(field: string, value: unknown): Child {
  if (isSealed(value)) return h('em', { class: 'timeline-sealed' }, SEALED);
  if (value === null) return h('em', {}, 'removed');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return field === 'costPence' || field === 'totalCareCostPence' ? penceLabel(value) : value.toLocaleString('en-GB');
  if (Array.isArray(value)) {
    if (value.length === 0) return h('em', {}, 'none');
    if (value.some((item) => typeof item === 'object' && item !== null)) return h('span', {}, value.flatMap((item, i) => [i ? '; ' : '', valueNode(field, item)]));
    return value.map((item) => textOf(field, item)).join(', ');
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const entries = Object.entries(record).filter(([, v]) => v !== undefined);
    if (field === 'personalDetails' || field === 'contact') {
      // Personal data travels sealed: name which fields were recorded, never what they hold.
      const names = entries.map(([key]) => inSentence(fieldLabel(key))).join(', ');
      const allSealed = entries.every(([, v]) => isSealed(v) || (typeof v === 'object' && v !== null && Object.values(v).every(isSealed)));
      return h('span', {}, allSealed ? h('em', { class: 'timeline-sealed' }, SEALED) : 'recorded', names ? ` (${names})` : '');
    }
    if (field === 'firstResponder' && typeof record.organisationId === 'string') {
      return `${record.organisationId}${record.organisationType ? ` (${inSentence(codeLabel(record.organisationType))})` : ''}`;
    }
    return h('span', {}, entries.flatMap(([key, v], i) => [i ? '; ' : '', `${fieldLabel(key)}: `, valueNode(key, v)]));
  }
  if (typeof value === 'string') {
    if (isCalendarDate(value)) return h('time', { datetime: value }, dateLabel(value));
    return textOf(field, value);
  }
  return String(value);
}

function textOf(field: string, value: unknown): string {
  if (isSealed(value)) return SEALED;
  if (typeof value !== 'string') return String(value);
  if (field === 'nationality') return nationalityLabel(value);
  if (field === 'language') return languageLabel(value);
  if (field === 'policeForceArea') return policeForceAreaLabel(value);
  if (AS_RECORDED.has(field) || !CODE.test(value)) return value;
  if (isCalendarDate(value)) return dateLabel(value);
  return codeLabel(value);
}

/** The value at a dotted path of an event's data, or undefined. */
export function valueAt(data: Record<string, unknown>, path: string): unknown {
  let here: unknown = data;
  for (const step of path.split('.')) {
    if (typeof here !== 'object' || here === null) return undefined;
    here = (here as Record<string, unknown>)[step];
  }
  return here;
}
