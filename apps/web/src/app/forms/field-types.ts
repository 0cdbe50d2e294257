/**
 * What a step form is made of: fields described as data (their body path, label, rule), so
 * one renderer draws every step's form and one checker mirrors the server's rules
 * (apps/api/src/http/fields.ts and the step DTOs). The server stays the authority.
 */

/** A value a field puts in the request body; undefined leaves the field out. */
export type BodyValue = string | number | boolean | string[] | undefined;

/** Reads the other fields' values (as they would be sent), for conditions and cross-field checks. */
export interface FormReader {
  get(name: string): BodyValue;
}

export interface Choice {
  value: string;
  label: string;
  hint?: string;
  /** An <optgroup> of a select (police force areas by region). */
  group?: string;
  /** Shown but not choosable: the rules do not allow it now (next-steps' allowedValues). */
  disabled?: boolean;
}

/** A date the field's date may not precede (the server's DATE_BEFORE_DEPENDENCY and its kin). */
export interface NotBefore {
  date: string | undefined | ((form: FormReader) => string | undefined);
  what: string;
}

interface Common {
  /** The body path, dotted for nested fields (`personalDetails.contact.email`): the server's 400 names fields the same way. */
  name: string;
  label: string;
  hint?: string;
  optional?: boolean;
  /** Shown (and sent) only when this holds. */
  showWhen?: (form: FormReader) => boolean;
  /** A further check on the value as it would be sent: a message when it fails. */
  check?: (value: BodyValue, form: FormReader) => string | undefined;
  /** The required message, when "Enter …" / "Select …" from the label would read badly. */
  requiredMessage?: string;
}

export type FieldSpec =
  | (Common & { kind: 'date'; initial?: string; notFuture?: boolean; notBefore?: NotBefore[]; notAfter?: { date: string | undefined; what: string } })
  | (Common & { kind: 'text'; max: number; pattern?: { regex: RegExp; message: string }; input?: 'text' | 'email' | 'tel'; multiline?: boolean; initial?: string; autocomplete?: string; width?: 'short' | 'medium' })
  | (Common & { kind: 'select'; choices: Choice[]; initial?: string })
  | (Common & { kind: 'radios'; choices: Choice[]; initial?: string; inline?: boolean })
  | (Common & { kind: 'yesno'; initial?: boolean; yes?: string; no?: string })
  | (Common & { kind: 'checkboxes'; choices: Choice[]; min?: number; max: number; initial?: readonly string[]; other?: { label: string; hint: string } })
  | (Common & { kind: 'integer'; min: number; max: number; initial?: number })
  | (Common & { kind: 'pence'; max: number })
  | (Common & { kind: 'fixed'; value: string | number | boolean; display: string });

/** A fieldset grouping fields under a legend (personal details, the answers at a follow-up). */
export interface FieldGroup {
  kind: 'group';
  legend: string;
  hint?: string;
  showWhen?: (form: FormReader) => boolean;
  fields: FieldSpec[];
}

export type FormItem = FieldSpec | FieldGroup;

/** snake_case codes (indicators, needs domains, UN HTCDS codes), as the server's SnakeCodeField. */
export const SNAKE_CODE = /^[a-z0-9]+(_[a-z0-9]+)*$/;
/** A referral reference (apps/api/src/journeys/steps/refer-victim.dto.ts, REFERENCE). */
export const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9_\-/.]*$/;
/** A BCP 47 language tag, as the consent DTO checks it. */
export const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;
