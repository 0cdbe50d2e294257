/**
 * An error summary at the top of a form: "There is a problem", then each problem as a link
 * to its field (which takes focus). Each field also carries its message next to it and
 * aria-invalid, so the error is found from the field as well as from the summary.
 */
import { h, replaceChildren } from '../../shared/dom';

export interface FieldProblem {
  /** The id of the field (or of the first control of a group). */
  fieldId: string;
  message: string;
}

export function errorSummary(id: string): HTMLElement {
  return h('div', { class: 'app-error-summary', id, role: 'alert', tabindex: -1, hidden: true, 'aria-labelledby': `${id}-title` });
}

/** Shows the problems (or hides the summary when there are none), and marks each field. */
export function showProblems(summary: HTMLElement, form: HTMLElement, problems: readonly FieldProblem[], options: { focus?: boolean } = {}): void {
  for (const field of form.querySelectorAll('[aria-invalid="true"]')) field.removeAttribute('aria-invalid');
  for (const message of form.querySelectorAll('[data-field-error]')) message.textContent = '';
  if (!problems.length) {
    summary.hidden = true;
    replaceChildren(summary);
    return;
  }
  replaceChildren(summary,
    h('h2', { id: `${summary.id}-title` }, 'There is a problem'),
    h('ul', {}, problems.map((problem) => h('li', {}, h('a', {
      href: `#${problem.fieldId}`,
      onclick: (event: Event) => {
        const field = document.getElementById(problem.fieldId);
        if (!field) return;
        event.preventDefault();
        field.focus();
      },
    }, problem.message)))));
  summary.hidden = false;
  for (const problem of problems) {
    const field = document.getElementById(problem.fieldId);
    field?.setAttribute('aria-invalid', 'true');
    const message = form.querySelector(`[data-field-error="${problem.fieldId}"]`);
    if (message) message.textContent = problem.message;
  }
  if (options.focus ?? true) summary.focus();
}

/** The message slot next to a field, linked from it by aria-describedby (`${fieldId}-error`). */
export function fieldError(fieldId: string): HTMLElement {
  return h('p', { class: 'field-error', id: `${fieldId}-error`, 'data-field-error': fieldId });
}
