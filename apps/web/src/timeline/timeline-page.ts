/**
 * The auditor's journey timeline (issue 11): every event of the journey in order, who recorded
 * it and when against when it happened, corrections linked both ways, decisions with their
 * waits, the state right after any event, and the hash chain checked in this browser.
 */
import { ApiError, getJson, SignInNeeded } from '../shared/api';
import { h, replaceChildren, type Child } from '../shared/dom';
import type { Session } from '../shared/session';
import type { HistoryEvent, JourneyHistory, JourneyView } from './api-types';
import { ChainPanel } from './chain-panel';
import { eventItem, LATE_AFTER_DAYS, type TimelineContext } from './event-item';
import { correctionsByEvent, decisionsByEvent } from './event-links';
import { StatePanel } from './state-panel';
import { codeLabel, inSentence, dateLabel, instantLabel, plural } from './words';

const JOURNEY_PATH = /^\/journeys\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/timeline\/?$/i;

type Order = 'recorded' | 'occurred';

export function journeyIdFromPath(pathname: string): string | undefined {
  return JOURNEY_PATH.exec(pathname)?.[1]?.toLowerCase();
}

export async function renderTimeline(main: HTMLElement, session: Session): Promise<void> {
  const journeyId = journeyIdFromPath(location.pathname);
  if (!journeyId) {
    replaceChildren(main, problem('No journey named', 'This address does not name a journey: a timeline is at /journeys/<journey id>/timeline.'));
    return;
  }
  replaceChildren(main, h('p', { class: 'loading', role: 'status' }, 'Loading the journey\u2019s history…'));
  const [history, current] = await Promise.allSettled([
    getJson<JourneyHistory>(`/journeys/${journeyId}/history`),
    getJson<JourneyView>(`/journeys/${journeyId}`),
  ]);
  if (history.status === 'rejected') {
    const error = history.reason;
    if (error instanceof SignInNeeded) throw error;
    if (error instanceof ApiError && error.status === 404) {
      replaceChildren(main, problem('Journey not found',
        `There is no journey ${journeyId}, or you are not allowed to see it: support workers see only the journeys on their own organisation\u2019s caseload.`));
      return;
    }
    if (error instanceof ApiError && error.status === 403) {
      replaceChildren(main, problem('Not allowed', `You are not allowed to read the history of journey ${journeyId} with your role (${session.role.replace('_', ' ')}).`));
      return;
    }
    throw error;
  }
  if (current.status === 'rejected' && current.reason instanceof SignInNeeded) throw current.reason;
  const journey = current.status === 'fulfilled' ? current.value : undefined;
  const events = history.value.events;
  document.title = `Journey ${journeyId.slice(0, 8)} timeline · Victim Journey Tracker`;

  const byId = new Map(events.map((event) => [event.eventId, event]));
  const correctionsOf = correctionsByEvent(events);
  const items = new Map<string, HTMLLIElement>();
  const signInAgain = (error: SignInNeeded) => { throw error; };
  const state = new StatePanel(journeyId, byId);
  let selected: HistoryEvent | undefined;
  const context: TimelineContext = {
    byId,
    correctionsOf,
    decisions: journey ? decisionsByEvent(journey.episodes) : null,
    onSelect(event) {
      if (selected) {
        const before = items.get(selected.eventId);
        before?.removeAttribute('aria-current');
        before?.querySelector('.timeline-select')?.setAttribute('aria-pressed', 'false');
      }
      selected = event;
      const item = items.get(event.eventId);
      item?.setAttribute('aria-current', 'true');
      item?.querySelector('.timeline-select')?.setAttribute('aria-pressed', 'true');
      state.select(event);
    },
  };
  for (const event of events) items.set(event.eventId, eventItem(event, context));

  const list = h('ol', { class: 'timeline-list', 'data-order': 'recorded', 'aria-labelledby': 'events-title' });
  const orderButtons: Record<Order, HTMLButtonElement> = {
    recorded: h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'true', onclick: () => setOrder('recorded') }, 'As recorded (the log\u2019s order)'),
    occurred: h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false', onclick: () => setOrder('occurred') }, 'By the date it happened'),
  };
  const orderNote = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const setOrder = (order: Order) => {
    orderButtons.recorded.setAttribute('aria-pressed', String(order === 'recorded'));
    orderButtons.occurred.setAttribute('aria-pressed', String(order === 'occurred'));
    list.dataset.order = order;
    replaceChildren(list, ordered(events, order).map((event) => items.get(event.eventId)!));
    orderNote.textContent = order === 'recorded' ? 'Events in the order they were recorded.' : 'Events by the date they happened.';
  };
  setOrder('recorded');
  orderNote.textContent = '';

  const chain = new ChainPanel(journeyId, events, (eventId) => items.get(eventId), signInAgain);
  replaceChildren(main, h('div', { class: 'timeline' },
    summary(journeyId, events, journey, current.status === 'rejected' ? current.reason : undefined, correctionsOf),
    chain.element,
    h('div', { class: 'timeline-layout' },
      h('section', { class: 'timeline-events', 'aria-labelledby': 'events-title' },
        h('h2', { id: 'events-title' }, `Events (${events.length})`),
        h('div', { class: 'timeline-toggle', role: 'group', 'aria-label': 'Order of events' }, h('span', { class: 'timeline-toggle-label' }, 'Order: '), orderButtons.recorded, ' ', orderButtons.occurred),
        orderNote,
        h('p', { class: 'hint' },
          `Each event says when it happened and when it was recorded, and by whom; one recorded more than ${LATE_AFTER_DAYS} days after it happened is marked late. `,
          'The recorded order is the truth of the log. \u2713 means the event\u2019s hash was recomputed in this browser and links to the event before it.'),
        list),
      state.element)));

  // A link to one event (#event-<id>) lands on it.
  const target = location.hash.startsWith('#event-') ? document.getElementById(location.hash.slice(1)) : null;
  if (target) {
    target.scrollIntoView({ block: 'start' });
    target.focus({ preventScroll: true });
  }

  if (session.role === 'auditor') await chain.run();
  else chain.notForRole(session.role);
}

function problem(title: string, message: string): HTMLElement {
  return h('div', { class: 'timeline-problem', 'data-testid': 'timeline-error' },
    h('h2', {}, title),
    h('p', { class: 'notice error', role: 'alert' }, message));
}

/** Recorded order (revision) or by the date each event gives, recorded order breaking ties. */
function ordered(events: readonly HistoryEvent[], order: Order): HistoryEvent[] {
  if (order === 'recorded') return [...events].sort((a, b) => a.revision - b.revision);
  const dateOf = (event: HistoryEvent) => event.occurredAt ?? event.recordedAt.slice(0, 10);
  return [...events].sort((a, b) => (dateOf(a) < dateOf(b) ? -1 : dateOf(a) > dateOf(b) ? 1 : a.revision - b.revision));
}

function summary(journeyId: string, events: readonly HistoryEvent[], journey: JourneyView | undefined, readModelError: unknown, correctionsOf: ReadonlyMap<string, HistoryEvent[]>): HTMLElement {
  const first = events[0];
  const last = events[events.length - 1];
  const corrections = events.filter((e) => e.type === 'RecordCorrected').length;
  const rows: Array<[string, Child | Child[], string?]> = [['Journey id', h('code', {}, journeyId), 'journeyId']];
  if (journey) {
    rows.push(['Current stage', [codeLabel(journey.status), ` (as of ${dateLabel(journey.asOf)})`], 'stage']);
    rows.push(['Caseload organisation', journey.organisationId, 'organisation']);
    rows.push(['Episodes', journey.episodes.length
      ? `${journey.episodes.length}: ${journey.episodes.map((e) => `${e.referralId} (referred ${dateLabel(e.referredOn)})`).join('; ')}`
      : '0: not referred', 'episodes']);
    if (journey.waiting) {
      const w = journey.waiting;
      const overdue = journey.overdue.reasonableGrounds ? ': overdue' : '';
      rows.push(['Waiting now', `for the ${codeLabel(w.for)} decision since ${dateLabel(w.since)}, ${w.for === 'reasonable_grounds' ? plural(w.workingDays, 'working day') : plural(w.days, 'day')}${overdue}`]);
    }
    rows.push(['Identified', `${dateLabel(journey.identifiedOn)} by ${journey.firstResponderId} (${inSentence(codeLabel(journey.firstResponderType))})`]);
    rows.push(['Personal data', journey.personalData === 'erased' ? 'erased' : journey.personalData === 'held' ? 'held, sealed (never shown here)' : 'none recorded']);
  }
  rows.push(['Events', `${events.length} (revisions 0 to ${events.length - 1})${corrections ? `, ${plural(corrections, 'correction')} of ${plural(correctionsOf.size, 'event')}` : ''}`, 'events']);
  if (first && last) rows.push(['Recorded', ['from ', h('time', { datetime: first.recordedAt }, instantLabel(first.recordedAt)), ' to ', h('time', { datetime: last.recordedAt }, instantLabel(last.recordedAt)), ' UK time']]);
  return h('section', { class: 'timeline-summary', 'aria-labelledby': 'summary-title' },
    h('h2', { id: 'summary-title' }, 'Journey summary'),
    h('dl', { class: 'timeline-data timeline-summary-list' }, rows.map(([label, value, key]) =>
      h('div', { class: 'timeline-field', 'data-summary': key ?? null }, h('dt', {}, label), h('dd', {}, value)))),
    journey ? null : h('p', { class: 'notice error' }, `The journey read model could not be read, so the stage and waits are not shown: ${readModelError instanceof Error ? readModelError.message : String(readModelError)}`));
}
