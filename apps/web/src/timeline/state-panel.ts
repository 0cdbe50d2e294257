/**
 * "State at this point": the journey as it stood right after the selected event, from
 * GET /journeys/:id/state. As recorded then: atPosition=<the event's position> (what the
 * record held the moment it was written). As known now about that date: asOf=<the date the
 * event happened>&basis=occurred (every event that happened by then, every correction applied).
 */
import { ApiError, getJson, query, SignInNeeded } from '../shared/api';
import { announce, h, replaceChildren, type Child } from '../shared/dom';
import { describeError } from '../shared/page';
import type { HistoryEvent, JourneyStateAsAt } from './api-types';
import { valueNode } from './event-data';
import { eventLink, shortTitle } from './event-item';
import { codeLabel, inSentence, dateLabel, eventTitle, fieldLabel, instantLabel, penceLabel, plural } from './words';

type Basis = 'recorded' | 'occurred';

export class StatePanel {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly status: HTMLElement;
  private readonly basisButtons: Record<Basis, HTMLButtonElement>;
  private basis: Basis = 'recorded';
  private selected: HistoryEvent | undefined;
  private request: AbortController | undefined;

  constructor(private readonly journeyId: string, private readonly byId: ReadonlyMap<string, HistoryEvent>) {
    this.basisButtons = {
      recorded: h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'true', onclick: () => this.setBasis('recorded') }, 'As recorded then'),
      occurred: h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false', onclick: () => this.setBasis('occurred') }, 'As known now about that date'),
    };
    this.status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    this.body = h('div', { class: 'timeline-state-body' },
      h('p', { class: 'hint' }, 'Select an event on the timeline (click it, or focus it and press Enter or Space) to see the journey as it stood right after it.'));
    this.element = h('aside', { class: 'timeline-state', 'aria-labelledby': 'state-title', 'data-state-position': '', 'data-state-basis': 'recorded' },
      h('h2', { id: 'state-title' }, 'State at this point'),
      h('div', { class: 'timeline-toggle', role: 'group', 'aria-label': 'Which state to show' }, this.basisButtons.recorded, ' ', this.basisButtons.occurred),
      h('p', { class: 'hint timeline-basis-hint' },
        h('strong', {}, 'As recorded then'), ': what the record held right after the event was written. ',
        h('strong', {}, 'As known now about that date'), ': every event that happened by the date the event gives, with every correction applied, even those recorded later.'),
      this.status,
      this.body);
  }

  select(event: HistoryEvent): void {
    this.selected = event;
    void this.load();
  }

  private setBasis(basis: Basis): void {
    this.basis = basis;
    this.basisButtons.recorded.setAttribute('aria-pressed', String(basis === 'recorded'));
    this.basisButtons.occurred.setAttribute('aria-pressed', String(basis === 'occurred'));
    this.element.dataset.stateBasis = basis;
    if (this.selected) void this.load();
  }

  private async load(): Promise<void> {
    const event = this.selected;
    if (!event) return;
    this.request?.abort();
    const request = new AbortController();
    this.request = request;
    const basis = this.basis;
    const title = `revision ${event.revision} (${eventTitle(event.type, event.data)})`;
    this.element.setAttribute('aria-busy', 'true');
    if (basis === 'occurred' && !event.occurredAt) {
      this.show(event, basis, h('p', { class: 'notice' }, `This event gives no date of its own, so there is no "as known now about that date" for it. Choose "As recorded then".`), `No state as known now for ${title}: it gives no date.`);
      return;
    }
    replaceChildren(this.body, h('p', { class: 'loading' }, `Loading the state after ${title}…`));
    const path = `/journeys/${this.journeyId}/state${basis === 'recorded' ? query({ atPosition: event.position }) : query({ asOf: event.occurredAt, basis: 'occurred' })}`;
    try {
      const state = await getJson<JourneyStateAsAt>(path, { signal: request.signal });
      if (request.signal.aborted) return;
      const how = basis === 'recorded' ? 'as recorded then' : `as known now about ${dateLabel(event.occurredAt!)}`;
      this.show(event, basis, this.render(event, basis, state), `Showing the state after ${title}, ${how}: ${codeLabel(state.status)}.`);
    } catch (error) {
      if (request.signal.aborted || (error instanceof DOMException && error.name === 'AbortError')) return;
      const message = error instanceof SignInNeeded ? `${error.message} Reload the page to sign in again.`
        : error instanceof ApiError && error.status === 404
        ? `Nothing of the journey counts by then (${error.message}).`
        : error instanceof ApiError && error.status === 403 ? 'You are not allowed to see this journey\u2019s state.' : `The state could not be read: ${describeError(error)}`;
      this.show(event, basis, h('p', { class: 'notice error' }, message), `No state after ${title}: ${message}`);
    }
  }

  private show(event: HistoryEvent, basis: Basis, content: Child, message: string): void {
    replaceChildren(this.body, content);
    this.element.dataset.statePosition = event.position;
    this.element.dataset.stateRevision = String(event.revision);
    this.element.dataset.stateBasis = basis;
    this.element.removeAttribute('aria-busy');
    announce(this.status, message);
  }

  private render(event: HistoryEvent, basis: Basis, state: JourneyStateAsAt): HTMLElement {
    const rows: Array<[string, Child]> = [
      ['Status', h('span', { 'data-field': 'status' }, codeLabel(state.status))],
      ['Stands at', h('time', { datetime: state.asOf }, dateLabel(state.asOf))],
      ['Caseload organisation', state.organisationId],
      ['Last event applied', `revision ${state.lastRevision}, position ${state.lastPosition}`],
    ];
    if (state.waiting) {
      const w = state.waiting;
      rows.push(['Waiting for', `${codeLabel(w.for)} decision since ${dateLabel(w.since)}: ${w.for === 'reasonable_grounds' ? plural(w.workingDays, 'working day') : plural(w.days, 'day')}`]);
      if (w.reasonableGroundsTargetOn) rows.push(['Reasonable Grounds target', dateLabel(w.reasonableGroundsTargetOn)]);
      if (w.recoveryPeriodEndsOn) rows.push(['Recovery period ends', dateLabel(w.recoveryPeriodEndsOn)]);
    }
    if (state.overdue?.reasonableGrounds || state.overdue?.followUp) {
      rows.push(['Overdue', [state.overdue.reasonableGrounds ? 'Reasonable Grounds decision' : '', state.overdue.followUp ? 'follow-up' : ''].filter(Boolean).join(', ')]);
    }
    rows.push(['Personal data', state.personalData === 'erased' ? `erased${state.personalDataErasedOn ? ` on ${dateLabel(state.personalDataErasedOn)}` : ''}` : state.personalData === 'held' ? 'held, sealed' : 'none recorded']);
    if (state.services?.length) rows.push(['Care services', state.services.map((s) => inSentence(codeLabel(s))).join(', ')]);
    if (state.totalCareCostPence) rows.push(['Cost of care', penceLabel(state.totalCareCostPence)]);

    const episodes = state.episodes ?? [];
    return h('div', { 'data-testid': 'state' },
      h('h3', {}, `After ${shortTitle(event)}`),
      h('p', { class: 'hint' }, basis === 'recorded'
        ? `As recorded then: the record up to position ${event.position}, written ${instantLabel(event.recordedAt)} UK time. Corrections recorded later are not applied.`
        : `As known now about ${dateLabel(event.occurredAt!)}: every event that happened by then, with every correction applied.`),
      h('dl', { class: 'timeline-data' }, rows.map(([label, value]) => h('div', { class: 'timeline-field' }, h('dt', {}, label), h('dd', {}, value)))),
      h('h4', {}, `Episodes (${episodes.length})`),
      episodes.length ? h('ol', { class: 'timeline-episodes' }, episodes.map((episode) => h('li', {},
        h('p', {}, h('strong', {}, `Referral ${episode.referralId}`), ` to ${codeLabel(episode.competentAuthority)}, referred ${dateLabel(episode.referredOn)}.`),
        episode.decisions.length ? h('ul', {}, episode.decisions.map((d) => h('li', {},
          `${codeLabel(d.stage)}: ${inSentence(codeLabel(d.outcome))}, decided ${dateLabel(d.decidedAt)}, after ${d.stage === 'reasonable_grounds' ? plural(d.waited, 'working day') : plural(d.waited, 'day')}.`)))
          : h('p', {}, 'No decision yet.'),
        episode.exit ? h('p', {}, `Exited ${dateLabel(episode.exit.on)}: ${inSentence(codeLabel(episode.exit.reason))}.`) : null)))
        : h('p', {}, 'Not referred.'),
      this.corrections(state),
      h('details', {},
        h('summary', {}, 'The state as the API returned it (JSON)'),
        h('pre', { class: 'timeline-json', 'data-testid': 'state-json' }, JSON.stringify(state, null, 2))));
  }

  private corrections(state: JourneyStateAsAt): Child[] {
    if (!state.corrections?.length) return [];
    return [
      h('h4', {}, state.basis === 'recorded' ? 'Corrected later (not applied here)' : 'Corrections recorded later (applied here)'),
      h('ul', { class: 'timeline-notices' }, state.corrections.map((notice) => {
        const correction = this.byId.get(notice.correctionEventId);
        const corrected = this.byId.get(notice.correctedEventId);
        return h('li', {},
          correction ? eventLink(correction, shortTitle(correction)) : `correction ${notice.correctionEventId}`,
          ' corrects ', corrected ? eventLink(corrected, shortTitle(corrected)) : `event ${notice.correctedEventId}`, ': ',
          notice.changes.flatMap((change, i) => [i ? '; ' : '', `${fieldLabel(change.field)} `, valueNode(change.field.split('.').pop() ?? change.field, change.value)]),
          '.');
      })),
    ];
  }
}
