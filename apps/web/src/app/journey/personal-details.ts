/**
 * The person's personal details, hidden until the worker asks for them with a purpose. The
 * purpose goes to GET /journeys/:id/personal-details as X-Purpose; the API writes an access
 * record (who, when, why) before it opens anything, and the panel says so. "Hide" removes the
 * details from the page. They are never put in the address, the title or storage.
 */
import { ApiError, getWithHeaders, SignInNeeded } from '../../shared/api';
import { h, replaceChildren, type Child } from '../../shared/dom';
import { describeError } from '../../shared/page';
import { dateLabel, instantLabel } from '../../timeline/words';
import { ACCESS_PURPOSES, type AccessPurpose, type AppJourney, type PersonalDetailsRead } from '../caseload/api-types';
import { errorSummary, fieldError, showProblems } from '../caseload/error-summary';
import { PURPOSE_WORDS, purposeLabel } from '../caseload/words';

export class PersonalDetailsPanel {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private request: AbortController | undefined;

  constructor(private readonly journey: AppJourney, private readonly signInNeeded: (error: SignInNeeded) => void) {
    this.body = h('div', { class: 'app-personal-body' });
    this.element = h('section', { class: 'app-personal', 'aria-labelledby': 'personal-title', 'data-testid': 'personal-details', 'data-personal': 'hidden' },
      h('h2', { id: 'personal-title' }, 'Personal details'),
      this.body);
    this.showForm();
  }

  /** Stops a read still under way and forgets the details (when the view goes). */
  dispose(): void {
    this.request?.abort();
  }

  private showForm(focus = false): void {
    this.element.dataset.personal = 'hidden';
    if (this.journey.personalData === 'none') {
      replaceChildren(this.body, h('p', {}, 'No personal details were recorded for this person.'));
      return;
    }
    if (this.journey.personalData === 'erased') {
      replaceChildren(this.body, h('p', {}, `The person\u2019s personal details were erased${this.journey.personalDataErasedOn ? ` on ${dateLabel(this.journey.personalDataErasedOn)}` : ''}; they can never be shown again.`));
      return;
    }
    const summary = errorSummary('purpose-errors');
    const firstId = `purpose-${ACCESS_PURPOSES[0]}`;
    const button = h('button', { type: 'submit', class: 'app-show-personal' }, 'Show personal details');
    const form = h('form', { class: 'app-purpose-form', novalidate: true, 'aria-describedby': 'personal-intro' },
      summary,
      h('p', { id: 'personal-intro' },
        'Name, date of birth, contact details and notes are hidden. To see them, say why: ',
        h('strong', {}, 'every time they are shown, your name, the time and the purpose are recorded'), ' for auditors.'),
      h('fieldset', { class: 'app-radios', 'aria-describedby': 'purpose-error' },
        h('legend', {}, 'Why do you need to see them?'),
        fieldError('purpose'),
        ACCESS_PURPOSES.map((purpose) => {
          const id = `purpose-${purpose}`;
          return h('div', { class: 'app-radio' },
            h('input', { type: 'radio', name: 'purpose', id, value: purpose, 'aria-describedby': `${id}-hint` }),
            h('label', { for: id }, PURPOSE_WORDS[purpose].label),
            h('p', { class: 'hint', id: `${id}-hint` }, PURPOSE_WORDS[purpose].hint));
        })),
      button);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const chosen = form.querySelector<HTMLInputElement>('input[name="purpose"]:checked')?.value as AccessPurpose | undefined;
      if (!chosen) {
        // The message sits with the group; aria-invalid on the first radio makes the summary's link land there.
        showProblems(summary, form, [{ fieldId: firstId, message: 'Choose why you need to see the personal details' }]);
        const message = form.querySelector('[data-field-error="purpose"]');
        if (message) message.textContent = 'Choose why you need to see the personal details';
        return;
      }
      void this.show(chosen, button, summary, form);
    });
    replaceChildren(this.body, form);
    if (focus) button.focus();
  }

  private async show(purpose: AccessPurpose, button: HTMLButtonElement, summary: HTMLElement, form: HTMLFormElement): Promise<void> {
    showProblems(summary, form, []);
    form.querySelector('.app-personal-failure')?.remove();
    this.request?.abort();
    const request = new AbortController();
    this.request = request;
    button.disabled = true;
    button.textContent = 'Opening…';
    this.element.setAttribute('aria-busy', 'true');
    try {
      const read = await getWithHeaders<PersonalDetailsRead>(`/journeys/${this.journey.journeyId}/personal-details`, { 'X-Purpose': purpose }, request.signal);
      if (request.signal.aborted) return;
      this.showDetails(read.body, purpose);
    } catch (error) {
      if (request.signal.aborted) return;
      if (error instanceof SignInNeeded) return this.signInNeeded(error);
      button.disabled = false;
      button.textContent = 'Show personal details';
      const message = error instanceof ApiError && error.code === 'ACCESS_AUDIT_UNAVAILABLE'
        ? 'Not shown: the access could not be recorded, so nothing was opened. Try again in a moment.'
        : error instanceof ApiError && (error.status === 404 || error.status === 403)
          ? 'Not shown: this journey is not on your organisation\u2019s caseload any more, or does not exist.'
          : `Not shown: ${describeError(error)}`;
      showProblems(summary, form, []);
      const failure = h('p', { class: 'notice error app-personal-failure', role: 'alert', 'data-testid': 'personal-error' }, message);
      form.querySelector('.app-personal-failure')?.remove();
      form.prepend(failure);
    } finally {
      if (this.request === request) this.element.removeAttribute('aria-busy');
    }
  }

  private showDetails(read: PersonalDetailsRead, purpose: AccessPurpose): void {
    this.element.dataset.personal = 'shown';
    const details = read.personalDetails;
    const hide = h('button', { type: 'button', class: 'secondary app-hide-personal', onclick: () => this.showForm(true) }, 'Hide personal details');
    const recorded = h('p', { class: 'notice app-access-recorded', 'data-testid': 'access-recorded', 'data-purpose': purpose, 'data-access-record-id': read.accessRecordId, tabindex: -1 },
      h('strong', {}, 'This access was recorded'), ` for auditors: you, ${instantLabel(new Date().toISOString())} UK time, for ${purposeLabel(purpose).toLowerCase()}.`);
    let content: Child;
    if (read.status === 'erased' || !details) {
      content = h('p', {}, read.status === 'erased'
        ? `The person\u2019s personal details were erased${read.erasedOn ? ` on ${dateLabel(read.erasedOn)}` : ''}.`
        : 'No personal details were recorded for this person.');
    } else {
      const contact = details.contact ?? {};
      content = h('dl', { class: 'timeline-data app-personal-list' },
        row('name', 'Name', details.name),
        row('dateOfBirth', 'Date of birth', details.dateOfBirth ? dateLabel(details.dateOfBirth) : undefined),
        row('phone', 'Phone', contact.phone),
        row('email', 'Email', contact.email),
        row('address', 'Address', contact.address),
        row('notes', 'Notes', details.notes));
    }
    replaceChildren(this.body, recorded, content, hide);
    recorded.focus();
  }
}

function row(key: string, label: string, value: string | undefined): HTMLElement {
  return h('div', { class: 'timeline-field', 'data-personal-field': key },
    h('dt', {}, label), h('dd', {}, value ? h('span', { class: 'app-personal-value' }, value) : h('em', { class: 'app-muted' }, 'Not recorded')));
}
