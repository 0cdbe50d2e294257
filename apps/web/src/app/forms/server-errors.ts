/**
 * The server's refusals in the worker's words. A 400 names each field and rule (mapped to the
 * field on the form, or to the summary when the form has no such field); a 422 is a rule of
 * the NRM with a sentence of its own, in which field names and dates are put into words.
 */
import { longDate } from './dates';
import type { FieldSpec } from './field-types';

export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

const lower = (label: string) => (/^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1));

/** A 400 problem as a sentence about the field the worker sees (`spec`), or about the request when the form has no such field. */
export function problemInWords(problem: FieldProblem, spec: FieldSpec | undefined, labels: ReadonlyMap<string, string>): string {
  if (!spec) return `${fieldWords(problem.field, labels)}: ${inWords(problem.message, labels)}`;
  const label = spec.label;
  switch (problem.rule) {
    case 'isCalendarDate': return `${label} must be a real date`;
    case 'isIn': return `Select ${lower(label)} from the list`;
    case 'matches': return spec.kind === 'text' && spec.pattern ? spec.pattern.message : `${label} contains characters that are not accepted`;
    case 'minLength': case 'isDefined': return `Enter ${lower(label)}`;
    case 'arrayMinSize': return `Select at least one of ${lower(label)}`;
    case 'unknownField': return `${label} is not asked for at this step`;
    case 'absentWithoutContact': return `${label} is only recorded when contact was made`;
    default: return `${label}: ${inWords(problem.message, labels)}`;
  }
}

/** A server sentence with field names replaced by their labels and dates written out (`decidedAt (2024-01-01)` → `Date decided (1 January 2024)`). */
export function inWords(message: string, labels: ReadonlyMap<string, string>): string {
  let text = message;
  for (const [name, label] of labels) {
    // Only names no sentence uses as a word (occurredAt, firstResponder.organisationType): `reason` or `housing` stay as written.
    if (!/^[a-z][A-Za-z0-9.]*$/.test(name) || !/[A-Z.]/.test(name)) continue;
    text = text.replace(new RegExp(`(^|[^A-Za-z0-9.])${name.replace(/\./g, '\\.')}(?![A-Za-z0-9])`, 'g'), (_all, before: string) => `${before}${before === '' ? label : lower(label)}`);
  }
  return text.replace(/\b(\d{4}-\d{2}-\d{2})\b/g, (date) => longDate(date));
}

/** A field path the form does not show, in words (`personalDetails.contact.email` → `Personal details, contact, email`). */
function fieldWords(field: string, labels: ReadonlyMap<string, string>): string {
  if (labels.has(field)) return labels.get(field)!;
  const words = field.split('.').map((part) => part.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()).join(', ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What a code the API answers with (other than a rule of the NRM) means for the worker. */
export function statusInWords(status: number, code: string, message: string, retryAfterSeconds?: number): string {
  if (code === 'IDEMPOTENCY_KEY_REUSED') {
    return 'This form was already submitted and recorded, with the entries it had then (the answer was lost on the way back). Nothing more was recorded. Close the form and check the journey before recording anything else.';
  }
  if (status === 404) return 'This journey is not on your caseload (or no longer exists), so nothing was recorded.';
  if (status === 403) return 'Your role may not record this step, so nothing was recorded.';
  if (status === 413) return 'The form holds too much text to record. Shorten the longest entries and submit again.';
  if (status === 429 || status === 503) {
    const wait = retryAfterSeconds ? ` in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}` : ' shortly';
    return `The service cannot record this right now, so nothing was recorded. Your entries are kept: submit again${wait}. (${message})`;
  }
  return `${message} Nothing was recorded.`;
}
