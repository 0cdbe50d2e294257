/**
 * The step forms of the support workers' app: a form for every step of DOMAIN.md, mounted by
 * the caseload page (identifyButton) and the journey page (journey/next-steps.ts, stepForm).
 */
import { h, replaceChildren } from '../../shared/dom';
import { currentSession } from '../../shared/session';
import { codeWords } from './choices';
import { longDate } from './dates';
import type { FieldSpec, FormItem } from './field-types';
import { recordingForm, type StepRecorded } from './recording-form';
import { STEPS, type JourneySnapshot } from './steps';
import { fixedField } from './steps/step-definition';

export type { StepRecorded } from './recording-form';
export type { JourneySnapshot } from './steps';
export { STEPS } from './steps';

export interface StepFormOptions {
  /** The step id, as next-steps names it (`consent`, `conclusive-grounds-decision`, …) or `identify`. */
  step: string;
  /** The journey, and the revision the page showed (sent as If-Match); both absent when identifying. */
  journeyId?: string;
  revision?: number;
  /** From next-steps: the route, the title, the fixed values and the last day the step is possible. */
  path?: string;
  title?: string;
  preset?: Record<string, unknown>;
  availableUntil?: string;
  /** A follow-up's scheduled date. */
  dueOn?: string;
  /** Codes the rules accept today for a field (exit: reason); the others are shown but cannot be chosen. */
  allowedValues?: Readonly<Record<string, readonly string[]>>;
  /** GET /journeys/:id at `revision`, for checking dates against the journey before the server does. */
  journey?: JourneySnapshot;
  /** The title's heading level (3, under a panel's h2, unless said). */
  headingLevel?: 2 | 3;
  onRecorded(result: StepRecorded): void;
  onCancel?(): void;
}

/** The form for one step; it records the step and calls onRecorded with the new revision and position. */
export function stepForm(options: StepFormOptions): HTMLFormElement {
  const definition = STEPS.get(options.step);
  if (!definition) throw new Error(`There is no form for the step "${options.step}"`);
  const current = options.journey && options.journey.lastRevision === options.revision ? options.journey : undefined;
  const intro = [
    definition.intro,
    options.availableUntil ? `Possible until ${longDate(options.availableUntil)}.` : undefined,
    options.dueOn ? `Due on ${longDate(options.dueOn)}.` : undefined,
  ].filter((part): part is string => Boolean(part));
  const preset = options.preset ?? {};
  const items = definition.items({ preset, journey: current, organisationId: currentSession()?.organisationId })
    .map((item) => narrowed(item, options.allowedValues ?? {}));
  // A preset this form does not know of is still sent as given, and shown.
  const named = new Set(items.flatMap((item) => (item.kind === 'group' ? item.fields : [item]).map((field) => field.name)));
  for (const [name, value] of Object.entries(preset)) if (!named.has(name)) items.push(fixedField(name, codeWords(name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()), value));
  return recordingForm({
    step: definition.id,
    title: options.title ?? definition.title,
    path: options.path ?? definition.path(options.journeyId ?? ''),
    items,
    journeyId: options.journeyId,
    revision: options.revision,
    intro: [...intro, 'All questions must be answered unless marked (optional).'],
    submitLabel: definition.submitLabel,
    headingLevel: options.headingLevel,
    onRecorded: options.onRecorded,
    onCancel: options.onCancel,
  });
}

/** Choices the rules do not accept today, shown as not possible rather than left to be refused. */
function narrowed(item: FormItem, allowed: Readonly<Record<string, readonly string[]>>): FormItem {
  if (item.kind === 'group') return { ...item, fields: item.fields.map((field) => narrowed(field, allowed) as FieldSpec) };
  const values = allowed[item.name];
  if (!values || (item.kind !== 'radios' && item.kind !== 'select')) return item;
  return {
    ...item,
    choices: item.choices.map((choice) => (values.includes(choice.value) ? choice : { ...choice, disabled: true, hint: `Not possible now.${choice.hint ? ` ${choice.hint}` : ''}` })),
  };
}

/**
 * "Identify a potential victim": a button that opens the identification form in place
 * (POST /journeys); on success it says so and calls onRecorded with the new journey.
 */
export function identifyButton(options: { onRecorded(result: StepRecorded): void }): HTMLElement {
  const host = h('div', { class: 'step-form-host' });
  const status = h('p', { class: 'step-status', role: 'status' });
  const open = h('button', { type: 'button', class: 'step-open', 'data-step': 'identify', 'aria-expanded': 'false' }, 'Identify a potential victim');
  const close = () => {
    replaceChildren(host);
    open.setAttribute('aria-expanded', 'false');
    open.focus();
  };
  open.addEventListener('click', () => {
    if (open.getAttribute('aria-expanded') === 'true') return close();
    status.textContent = '';
    const form = stepForm({
      step: 'identify',
      headingLevel: 2,
      onCancel: close,
      onRecorded: (result) => {
        replaceChildren(host);
        open.setAttribute('aria-expanded', 'false');
        status.textContent = 'Identification recorded: the journey has started.';
        status.setAttribute('data-journey-id', result.journeyId);
        options.onRecorded(result);
      },
    });
    replaceChildren(host, form);
    open.setAttribute('aria-expanded', 'true');
    form.querySelector<HTMLElement>('.step-form-title')?.focus();
  });
  return h('div', { class: 'step-identify' }, open, status, host);
}
