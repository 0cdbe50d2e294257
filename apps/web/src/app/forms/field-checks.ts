/**
 * The client's checks, mirroring the server's (apps/api/src/http/fields.ts and the decider's
 * date rules): required, formats, lengths, ranges, choices, "not in the future", "not before
 * what it depends on". A passing form can still be refused: the server stays the authority.
 */
import { isCalendarDate } from '../../../../../libs/domain/src/calendar/calendar-date';
import { longDate, todayInUk } from './dates';
import { SNAKE_CODE, type BodyValue, type FieldSpec, type FormReader } from './field-types';

const lower = (label: string) => (/^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1));

/** A message when the field's value breaks a rule, else undefined. `raw` is what was typed (for a date or a number that did not parse). */
export function checkField(spec: FieldSpec, value: BodyValue, raw: string, form: FormReader): string | undefined {
  const empty = value === undefined || (Array.isArray(value) && value.length === 0);
  if (empty) {
    if (value === undefined && raw.trim() !== '') return invalidMessage(spec);
    const needed = spec.kind === 'checkboxes' ? (spec.min ?? 0) > 0 : !spec.optional;
    return needed ? spec.requiredMessage ?? requiredMessage(spec) : undefined;
  }
  return ruleMessage(spec, value, form) ?? spec.check?.(value, form);
}

function requiredMessage(spec: FieldSpec): string {
  switch (spec.kind) {
    case 'date': case 'text': case 'integer': case 'pence':
      return `Enter ${lower(spec.label)}`;
    case 'checkboxes':
      return `Select at least one of ${lower(spec.label)}`;
    default:
      return `Select ${lower(spec.label)}`;
  }
}

function invalidMessage(spec: FieldSpec): string {
  switch (spec.kind) {
    case 'date': return `${spec.label} must be a real date, for example 27 March 2024`;
    case 'integer': return `${spec.label} must be a whole number from ${spec.min} to ${spec.max}`;
    case 'pence': return `${spec.label} must be an amount in pounds, for example 250 or 250.50`;
    default: return `${spec.label} is not valid`;
  }
}

function ruleMessage(spec: FieldSpec, value: BodyValue, form: FormReader): string | undefined {
  switch (spec.kind) {
    case 'date': {
      if (typeof value !== 'string' || !isCalendarDate(value)) return invalidMessage(spec);
      if (spec.notFuture && value > todayInUk()) return `${spec.label} must be today or in the past`;
      for (const rule of spec.notBefore ?? []) {
        const date = typeof rule.date === 'function' ? rule.date(form) : rule.date;
        if (date && isCalendarDate(date) && value < date) return `${spec.label} must be on or after ${rule.what} (${longDate(date)})`;
      }
      if (spec.notAfter?.date && value > spec.notAfter.date) return `${spec.label} must be on or before ${spec.notAfter.what} (${longDate(spec.notAfter.date)})`;
      return undefined;
    }
    case 'text': {
      const text = String(value);
      if (text.length > spec.max) return `${spec.label} must be ${spec.max} characters or fewer (it has ${text.length})`;
      if (spec.pattern && !spec.pattern.regex.test(text)) return spec.pattern.message;
      return undefined;
    }
    case 'select': case 'radios':
      return spec.choices.some((c) => c.value === value && !c.disabled) ? undefined : `Select ${lower(spec.label)} from the list`;
    case 'checkboxes': {
      const codes = value as string[];
      const bad = codes.find((code) => code.length > 64 || !SNAKE_CODE.test(code));
      if (bad !== undefined) return `“${bad}” is not a code: use lower-case letters, digits and underscores, for example debt_bondage`;
      if (codes.length > spec.max) return `Choose no more than ${spec.max} of ${lower(spec.label)}`;
      if (new Set(codes).size !== codes.length) return `${spec.label} lists a code twice`;
      return undefined;
    }
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= spec.min && value <= spec.max ? undefined : invalidMessage(spec);
    case 'pence':
      return typeof value === 'number' && value <= spec.max ? undefined : `${spec.label} must be no more than £${(spec.max / 100).toLocaleString('en-GB')}`;
    default:
      return undefined;
  }
}
