/**
 * One step's form: draws its fields, checks them as the server would, and records the step
 * safely. An Idempotency-Key made when the form opens goes with every submit and retry of
 * it, so a double click or a retry after a lost answer never records twice; If-Match carries
 * the revision the worker saw, so a step is never recorded on a journey they have not seen.
 */
import { ApiError, SignInNeeded, postJson } from '../../shared/api';
import { h, replaceChildren } from '../../shared/dom';
import { conflictPanel } from './conflict-panel';
import { checkField } from './field-checks';
import { renderField, type RenderedField } from './field-controls';
import type { BodyValue, FormItem, FormReader } from './field-types';
import { inWords, problemInWords, statusInWords, type FieldProblem } from './server-errors';

/** What a step's route answers (201): the journey, its new revision and the event's position. */
export interface StepRecorded {
  journeyId: string;
  revision: number;
  position: string;
}

export interface RecordingFormOptions {
  step: string;
  title: string;
  /** Where the step is POSTed. */
  path: string;
  items: FormItem[];
  /** The journey (absent when identifying: the journey starts with the answer). */
  journeyId?: string;
  /** The revision the page showed, sent as If-Match (absent when identifying). */
  revision?: number;
  intro?: Array<string | HTMLElement>;
  submitLabel: string;
  /** The title's heading level: h3 under the journey page's "Next steps" (h2), h2 on the caseload. */
  headingLevel?: 2 | 3;
  onRecorded(result: StepRecorded): void;
  onCancel?(): void;
}

let forms = 0;

/** Dates the server fills in when a form leaves them out (a decision's, a care's), named in its sentences. */
const IMPLIED_LABELS: ReadonlyArray<[string, string]> = [['occurredAt', 'The date it happened'], ['decidedAt', 'The date of the decision'], ['requestedOn', 'The date of the request']];

export function recordingForm(options: RecordingFormOptions): HTMLFormElement {
  const prefix = `form${++forms}`;
  const fields: RenderedField[] = [];
  const groups: Array<{ element: HTMLElement; item: Extract<FormItem, { kind: 'group' }> }> = [];
  const isShown = (field: RenderedField) => !field.element.closest('[hidden]');
  const reader: FormReader = {
    get: (name) => {
      const field = fields.find((f) => f.spec.name === name);
      return field && isShown(field) ? field.value() : undefined;
    },
  };
  const refresh = () => {
    for (const { element, item } of groups) element.hidden = item.showWhen ? !item.showWhen(reader) : false;
    for (const field of fields) field.element.hidden = field.spec.showWhen ? !field.spec.showWhen(reader) : false;
  };
  const draw = (item: FormItem): HTMLElement => {
    if (item.kind !== 'group') {
      const field = renderField(item, prefix, refresh);
      fields.push(field);
      return field.element;
    }
    const hintId = `${prefix}-${groups.length}-group-hint`;
    const element = h('fieldset', { class: 'form-fieldset form-section', 'aria-describedby': item.hint ? hintId : null },
      h('legend', { class: 'form-section-legend' }, item.legend),
      item.hint ? h('p', { class: 'hint', id: hintId }, item.hint) : null,
      item.fields.map(draw));
    groups.push({ element, item });
    return element;
  };

  const titleId = `${prefix}-title`;
  const top = h('div', { class: 'form-top' });
  const submit = h('button', { type: 'submit', class: 'form-submit' }, options.submitLabel);
  const form = h('form', { class: 'step-form', 'data-step': options.step, novalidate: true, 'aria-labelledby': titleId },
    h(options.headingLevel === 2 ? 'h2' : 'h3', { class: 'step-form-title', id: titleId, tabindex: -1 }, options.title),
    ...(options.intro ?? []).map((part) => (typeof part === 'string' ? h('p', { class: 'step-form-intro' }, part) : part)),
    top,
    options.items.map(draw),
    h('div', { class: 'form-actions' }, submit,
      options.onCancel ? h('button', { type: 'button', class: 'secondary', onclick: () => options.onCancel?.() }, 'Cancel') : null));
  refresh();

  // Field names in the server's sentences, in words: the form's labels, and the dates a step takes by default.
  const labels = new Map([...IMPLIED_LABELS, ...fields.map((f): [string, string] => [f.spec.name, f.spec.label])]);
  let idempotencyKey = newIdempotencyKey();
  let revision = options.revision;
  let submitting = false;
  form.setAttribute('data-idempotency-key', idempotencyKey);
  if (revision !== undefined) form.setAttribute('data-revision', String(revision));

  const boxHeading = options.headingLevel === 2 ? 'h3' : 'h4';
  const clear = () => {
    replaceChildren(top);
    form.removeAttribute('data-refused');
    for (const field of fields) field.setError(undefined);
  };
  /** The GOV.UK error summary: each problem linked to its field, focused so it is read out first. */
  const summary = (problems: Array<{ field?: RenderedField; message: string }>, lead?: string) => {
    const summaryTitle = `${prefix}-summary-title`;
    const box = h('div', { class: 'form-error-summary', 'data-error-summary': true, role: 'alert', tabindex: -1, 'aria-labelledby': summaryTitle },
      h(boxHeading, { class: 'form-error-summary-title', id: summaryTitle }, 'There is a problem'),
      lead ? h('p', { class: 'form-error-summary-lead', 'data-refusal': true }, lead) : null,
      problems.length ? h('ul', { class: 'form-error-summary-list' }, problems.map(({ field, message }) => h('li', {},
        field ? h('a', { href: `#${field.controlId}`, onclick: (event: Event) => { event.preventDefault(); field.focus(); } }, message) : message))) : null);
    for (const { field, message } of problems) field?.setError(message);
    replaceChildren(top, box);
    box.focus();
  };

  const body = () => {
    const data: Record<string, unknown> = {};
    for (const field of fields) {
      const value = field.value();
      if (isShown(field) && value !== undefined) setPath(data, field.spec.name, value);
    }
    return data;
  };

  const send = async () => {
    if (submitting) return;
    clear();
    const problems = fields.filter(isShown).flatMap((field) => {
      const message = checkField(field.spec, field.value(), field.raw(), reader);
      return message ? [{ field, message }] : [];
    });
    if (problems.length) return summary(problems);
    submitting = true;
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const headers: Record<string, string> = { 'Idempotency-Key': idempotencyKey };
      if (revision !== undefined) headers['If-Match'] = `"${revision}"`;
      const answer = await postJson<StepRecorded>(options.path, body(), headers);
      options.onRecorded({ journeyId: answer.body.journeyId, revision: Number(answer.body.revision), position: String(answer.body.position) });
    } catch (error) {
      refused(error);
    } finally {
      submitting = false;
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
  };

  const refused = (error: unknown) => {
    if (error instanceof ApiError && error.status === 409 && error.code === 'CONCURRENCY_CONFLICT' && options.journeyId && revision !== undefined) {
      const current = typeof error.body.currentRevision === 'number' ? error.body.currentRevision : null;
      const panel = conflictPanel({
        journeyId: options.journeyId, baseRevision: revision, currentRevision: current, headingTag: boxHeading,
        onResubmit: (latest) => {
          // A new decision on a journey the worker has now seen: a new key, the new revision.
          revision = latest;
          idempotencyKey = newIdempotencyKey();
          form.setAttribute('data-idempotency-key', idempotencyKey);
          form.setAttribute('data-revision', String(latest));
          void send();
        },
      });
      replaceChildren(top, panel);
      panel.focus();
      return;
    }
    if (error instanceof ApiError && error.status === 400 && error.errors.length) {
      return summary(error.errors.map((problem: FieldProblem) => {
        const field = fieldFor(problem.field);
        return { field, message: problemInWords(problem, field?.spec, labels) };
      }), 'The service could not record this step: check the answers below.');
    }
    if (error instanceof ApiError && error.status === 422 && error.code !== 'IDEMPOTENCY_KEY_REUSED') {
      const message = inWords(error.message, labels);
      const field = typeof error.body.field === 'string' ? fieldFor(error.body.field) : undefined;
      form.setAttribute('data-refused', error.code);
      return summary(field ? [{ field, message }] : [], field ? 'This step cannot be recorded, for this reason:' : `This step cannot be recorded: ${message}`);
    }
    if (error instanceof ApiError) return summary([], statusInWords(error.status, error.code, error.message, error.retryAfterSeconds));
    if (error instanceof SignInNeeded) return summary([], `${error.message} Sign in again (in another tab, keeping this one open), then submit again: your entries are kept.`);
    // fetch rejected: the request or its answer was lost. The same key makes the retry safe.
    summary([], 'The answer from the service did not arrive (the connection may have dropped), so it is not known whether this was recorded. Your entries are kept: submit again. It will not be recorded twice.');
  };
  const fieldFor = (name: string) => fields.find((f) => f.spec.name === name && isShown(f)) ?? fields.find((f) => isShown(f) && name.startsWith(`${f.spec.name}.`));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send();
  });
  return form;
}

function setPath(target: Record<string, unknown>, path: string, value: BodyValue): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts[parts.length - 1]] = value;
}

/** A UUID for the Idempotency-Key; getRandomValues where randomUUID is missing (a page served over plain http to another host). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
