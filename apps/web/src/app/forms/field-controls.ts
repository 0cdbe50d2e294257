/**
 * Draws one field of a step form: its label (or legend), hint, error message and control,
 * wired for assistive technology (aria-describedby names the hint and the error,
 * aria-invalid marks a field in error). Every value reaches the page as text, never markup.
 */
import { h } from '../../shared/dom';
import type { BodyValue, Choice, FieldSpec } from './field-types';

export interface RenderedField {
  spec: FieldSpec;
  /** The field's block: label, hint, error, control. */
  element: HTMLElement;
  /** The id of the control the error summary links to. */
  controlId: string;
  /** The value as it would be sent (undefined: left out). */
  value(): BodyValue;
  /** What was typed, to tell "empty" from "not a date" or "not a number". */
  raw(): string;
  setError(message: string | undefined): void;
  focus(): void;
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** Draws `spec`; ids start with `prefix` so that two forms on a page never share one. */
export function renderField(spec: FieldSpec, prefix: string, onChange: () => void): RenderedField {
  const id = `${prefix}-${spec.name.replace(/[^A-Za-z0-9]+/g, '-')}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const label = spec.optional ? `${spec.label} (optional)` : spec.label;
  const hint = spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null;
  const error = h('p', { class: 'form-error-message', id: errorId, 'data-field-error': spec.name, hidden: true });
  const describedBy = (withError: boolean) => [spec.hint ? hintId : '', withError ? errorId : ''].filter(Boolean).join(' ') || null;
  const group = h('div', { class: 'form-group', 'data-field': spec.name });

  const setError = (controls: Array<HTMLElement>, described: HTMLElement[]) => (message: string | undefined) => {
    error.hidden = !message;
    error.replaceChildren(...(message ? [h('span', { class: 'visually-hidden' }, 'Error: '), message] : []));
    group.classList.toggle('form-group-error', Boolean(message));
    for (const control of controls) {
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
    const ids = describedBy(Boolean(message));
    for (const element of described) {
      if (ids) element.setAttribute('aria-describedby', ids);
      else element.removeAttribute('aria-describedby');
    }
  };

  const single = (control: Control, value: () => BodyValue, raw: () => string, prefixText?: string): RenderedField => {
    control.addEventListener('change', onChange);
    control.addEventListener('input', onChange);
    group.append(h('label', { for: id }, label), ...(hint ? [hint] : []), error,
      prefixText ? h('div', { class: 'form-input-prefixed' }, h('span', { class: 'form-input-prefix', 'aria-hidden': 'true' }, prefixText), control) : control);
    const set = setError([control], [control]);
    set(undefined);
    return { spec, element: group, controlId: id, value, raw, setError: set, focus: () => control.focus() };
  };

  const grouped = (inputs: HTMLInputElement[], value: () => BodyValue, raw: () => string, extra: HTMLElement[] = [], inline = false): RenderedField => {
    const fieldset = h('fieldset', { class: 'form-fieldset' },
      h('legend', { class: 'form-legend' }, label), ...(hint ? [hint] : []), error,
      h('div', { class: inline ? 'form-choices form-choices-inline' : 'form-choices' }, inputs.map((input) => choiceRow(input, choiceOf(input)))),
      ...extra);
    for (const input of inputs) input.addEventListener('change', onChange);
    group.append(fieldset);
    const set = setError(inputs, [fieldset]);
    set(undefined);
    return { spec, element: group, controlId: inputs[0]?.id ?? id, value, raw, setError: set, focus: () => (inputs.find((i) => i.checked) ?? inputs.find((i) => !i.disabled))?.focus() };
  };
  const choiceByInput = new Map<HTMLInputElement, Choice>();
  const choiceOf = (input: HTMLInputElement) => choiceByInput.get(input)!;
  const choiceInputs = (type: 'radio' | 'checkbox', choices: Choice[], checked: (c: Choice) => boolean) => choices.map((choice, i) => {
    const input = h('input', { type, id: i === 0 ? id : `${id}-${i}`, name: id, value: choice.value, checked: checked(choice) && !choice.disabled, disabled: choice.disabled, class: `form-${type}` });
    choiceByInput.set(input, choice);
    return input;
  });

  switch (spec.kind) {
    case 'date': {
      const input = h('input', { type: 'date', id, name: id, value: spec.initial ?? '', class: 'form-date', autocomplete: 'off' });
      return single(input, () => input.value || undefined, () => (input.validity.badInput ? '?' : input.value));
    }
    case 'text': {
      const attributes = { id, name: id, spellcheck: spec.input ? 'false' : null, autocomplete: spec.autocomplete ?? 'off', class: `form-text${spec.width ? ` form-width-${spec.width}` : ''}` };
      const control = spec.multiline ? h('textarea', { ...attributes, rows: 4 }) : h('input', { ...attributes, type: spec.input ?? 'text' });
      control.value = spec.initial ?? '';
      return single(control, () => control.value.trim() || undefined, () => control.value);
    }
    case 'select': {
      const options = [h('option', { value: '' }, 'Choose…')];
      const groups = new Map<string, HTMLOptGroupElement>();
      for (const choice of spec.choices) {
        const option = h('option', { value: choice.value, selected: choice.value === spec.initial, disabled: choice.disabled }, choice.label);
        if (!choice.group) { options.push(option); continue; }
        if (!groups.has(choice.group)) groups.set(choice.group, h('optgroup', { label: choice.group }));
        groups.get(choice.group)!.append(option);
      }
      const select = h('select', { id, name: id, class: 'form-select' }, options, [...groups.values()]);
      return single(select, () => select.value || undefined, () => select.value);
    }
    case 'radios': case 'yesno': {
      const choices: Choice[] = spec.kind === 'radios' ? spec.choices : [{ value: 'true', label: spec.yes ?? 'Yes' }, { value: 'false', label: spec.no ?? 'No' }];
      const initial = spec.initial === undefined ? undefined : String(spec.initial);
      const inputs = choiceInputs('radio', choices, (c) => c.value === initial);
      const picked = () => inputs.find((i) => i.checked)?.value;
      const value = spec.kind === 'yesno' ? () => { const v = picked(); return v === undefined ? undefined : v === 'true'; } : picked;
      return grouped(inputs, value, () => '', [], spec.kind === 'yesno' || spec.kind === 'radios' && spec.inline);
    }
    case 'checkboxes': {
      const inputs = choiceInputs('checkbox', spec.choices, (c) => spec.initial?.includes(c.value) ?? false);
      const otherId = `${id}-other`;
      const other = spec.other ? h('input', { type: 'text', id: otherId, name: otherId, class: 'form-text form-width-medium', spellcheck: 'false', autocomplete: 'off', 'aria-describedby': `${otherId}-hint` }) : null;
      other?.addEventListener('input', onChange);
      const extra = spec.other && other ? [h('div', { class: 'form-other' }, h('label', { for: otherId }, spec.other.label), h('p', { class: 'hint', id: `${otherId}-hint` }, spec.other.hint), other)] : [];
      const typed = () => (other?.value ?? '').split(/[\s,]+/).map((code) => code.trim()).filter(Boolean);
      const rendered = grouped(inputs, () => [...inputs.filter((i) => i.checked).map((i) => i.value), ...typed()], () => other?.value ?? '', extra);
      const set = rendered.setError;
      return { ...rendered, setError: (message) => { set(message); if (other) { if (message) other.setAttribute('aria-invalid', 'true'); else other.removeAttribute('aria-invalid'); } } };
    }
    case 'integer': {
      const input = h('input', { type: 'text', inputmode: 'numeric', id, name: id, class: 'form-text form-width-short', autocomplete: 'off', spellcheck: 'false' });
      if (spec.initial !== undefined) input.value = String(spec.initial);
      return single(input, () => (/^\s*\d+\s*$/.test(input.value) ? Number(input.value.trim()) : undefined), () => input.value);
    }
    case 'pence': {
      const input = h('input', { type: 'text', inputmode: 'decimal', id, name: id, class: 'form-text form-width-short', autocomplete: 'off', spellcheck: 'false' });
      const pence = () => {
        const text = input.value.trim().replace(/,/g, '');
        return /^\d+(\.\d{1,2})?$/.test(text) ? Math.round(Number(text) * 100) : undefined;
      };
      return single(input, pence, () => input.value, '£');
    }
    case 'fixed': {
      group.classList.add('form-fixed');
      group.append(h('p', { class: 'form-fixed-row', id }, h('span', { class: 'form-fixed-label' }, `${spec.label}: `), h('span', { class: 'form-fixed-value', 'data-fixed': spec.name }, spec.display)));
      if (hint) group.append(hint);
      group.append(error);
      return { spec, element: group, controlId: id, value: () => spec.value, raw: () => String(spec.value), setError: (message) => { error.hidden = !message; error.textContent = message ?? ''; }, focus: () => group.scrollIntoView() };
    }
  }
}

function choiceRow(input: HTMLInputElement, choice: Choice): HTMLElement {
  const hintId = choice.hint ? `${input.id}-item-hint` : null;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'form-choice' }, input, h('label', { for: input.id, class: 'form-choice-label' }, choice.label),
    choice.hint ? h('p', { class: 'hint form-choice-hint', id: hintId! }, choice.hint) : null);
}
