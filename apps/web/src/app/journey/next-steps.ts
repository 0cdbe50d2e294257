/**
 * The journey page's next steps (GET /journeys/:id/next-steps): each step the rules allow
 * today as a button opening its form in place, one at a time; each they do not, with the
 * rule's reason in plain words and the date it becomes possible when time alone will allow
 * it. Every form is based on the revision the page showed, sent back as If-Match.
 */
import { getJson } from '../../shared/api';
import { h, replaceChildren } from '../../shared/dom';
import { describeError } from '../../shared/page';
import { stepForm, STEPS, type JourneySnapshot, type StepRecorded } from '../forms';
import { longDate } from '../forms/dates';
import { inWords } from '../forms/server-errors';

interface NextStep {
  step: string;
  title: string;
  method: 'POST';
  path: string;
  preset?: Record<string, string | number | boolean>;
  allowed: boolean;
  reason?: { code: string; message: string };
  availableFrom?: string;
  availableUntil?: string;
  dueOn?: string;
  allowedValues?: Record<string, string[]>;
}

interface NextStepsAnswer {
  journeyId: string;
  revision: number;
  asOf: string;
  steps: NextStep[];
}

export interface NextStepsPanelOptions {
  journeyId: string;
  /** The revision the page showed: every form records only if the journey is still at it. */
  revision: number;
  onRecorded(result: StepRecorded): void;
}

const NO_WORDS: ReadonlyMap<string, string> = new Map();

export function nextStepsPanel(options: NextStepsPanelOptions): HTMLElement {
  const titleId = `next-steps-title-${options.journeyId.slice(0, 8)}`;
  const status = h('p', { class: 'step-status', role: 'status' });
  const body = h('div', { class: 'step-panel-body' }, h('p', { class: 'loading' }, 'Finding what can be recorded next…'));
  const panel = h('section', { class: 'step-panel', 'data-next-steps': true, 'data-state': 'loading', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, 'Next steps'), status, body);

  const id = encodeURIComponent(options.journeyId);
  const stepsRead = getJson<NextStepsAnswer>(`/journeys/${id}/next-steps`);
  // The read model's dates let a form check "not before the referral" before the server does; without it the server alone checks.
  const journeyRead = getJson<JourneySnapshot>(`/journeys/${id}`).catch(() => undefined);
  stepsRead.then(
    async (answer) => draw(answer, await journeyRead),
    (error: unknown) => {
      panel.dataset.state = 'error';
      replaceChildren(body, h('p', { class: 'notice error', role: 'alert' }, `The next steps could not be read: ${describeError(error)}`));
    },
  );

  function draw(answer: NextStepsAnswer, journey: JourneySnapshot | undefined): void {
    const allowed = answer.steps.filter((s) => s.allowed && STEPS.has(s.step));
    const refused = answer.steps.filter((s) => !s.allowed);
    const host = h('div', { class: 'step-form-host' });
    let openButton: HTMLButtonElement | undefined;

    const close = () => {
      host.remove();
      replaceChildren(host);
      openButton?.setAttribute('aria-expanded', 'false');
      openButton?.removeAttribute('aria-controls');
      openButton?.focus();
      openButton = undefined;
    };
    const open = (step: NextStep, button: HTMLButtonElement) => {
      if (openButton === button) return close();
      openButton?.setAttribute('aria-expanded', 'false');
      openButton?.removeAttribute('aria-controls');
      openButton = button;
      const form = stepForm({
        step: step.step, journeyId: options.journeyId, revision: options.revision, path: step.path, title: step.title,
        preset: step.preset, availableUntil: step.availableUntil, dueOn: step.dueOn, allowedValues: step.allowedValues, journey,
        onCancel: close,
        onRecorded: (result) => {
          replaceChildren(host);
          for (const other of panel.querySelectorAll<HTMLButtonElement>('button.step-open')) other.disabled = true;
          status.textContent = `Recorded: ${step.title}. Updating the journey…`;
          panel.dataset.state = 'recorded';
          panel.dataset.recordedRevision = String(result.revision);
          options.onRecorded(result);
        },
      });
      replaceChildren(host, form);
      button.closest('li')!.append(host);
      button.setAttribute('aria-expanded', 'true');
      button.setAttribute('aria-controls', host.id);
      form.querySelector<HTMLElement>('.step-form-title')?.focus();
    };

    replaceChildren(body,
      answer.revision !== options.revision
        ? h('p', { class: 'notice', 'data-stale': true }, `The journey has changed since this page was read (it is now at revision ${answer.revision}, the page shows ${options.revision}). Reload the page to see what changed; a step recorded from here will be refused until you do, and will show what changed.`)
        : null,
      allowed.length
        ? h('ul', { class: 'step-list' }, allowed.map((step) => {
          const button = h('button', { type: 'button', class: 'step-open', 'data-step': step.step, 'aria-expanded': 'false' }, step.title);
          button.addEventListener('click', () => open(step, button));
          const note = step.availableUntil ? `Possible until ${longDate(step.availableUntil)}.` : step.dueOn ? `Due on ${longDate(step.dueOn)}.` : null;
          return h('li', { class: 'step-item', 'data-step-allowed': step.step }, button, note ? h('span', { class: 'hint step-note' }, ' ', note) : null);
        }))
        : h('p', {}, 'Nothing can be recorded on this journey now.'),
      refused.length
        ? h('div', { class: 'step-refused' },
          h('h3', {}, 'Not possible now'),
          h('ul', { class: 'step-refused-list' }, refused.map((step) => h('li', { 'data-step-refused': step.step },
            h('strong', {}, step.title), ': ',
            step.reason ? inWords(step.reason.message, NO_WORDS) : 'the rules do not allow it now.',
            step.availableFrom ? h('span', { class: 'step-available-from', 'data-available-from': step.availableFrom }, ` Possible from ${longDate(step.availableFrom)}.`) : null))))
        : null);
    host.id = `${titleId}-form`;
    panel.dataset.state = 'ready';
    panel.dataset.revision = String(answer.revision);
  }
  return panel;
}
