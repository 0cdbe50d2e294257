/**
 * What happened on the journey: every event of GET /journeys/:id/history in the log's order,
 * drawn by the timeline page's own event item (apps/web/src/timeline/event-item.ts: plain
 * words, when it happened and was recorded, by whom, corrections linked both ways, decisions
 * with their waits, personal data only ever named as sealed), with its "state at this point"
 * panel. The hash chain is checked on the auditors' timeline, not here.
 */
import { h } from '../../shared/dom';
import type { EpisodeView, HistoryEvent } from '../../timeline/api-types';
import { eventItem, LATE_AFTER_DAYS, markLink, type TimelineContext } from '../../timeline/event-item';
import { StatePanel } from '../../timeline/state-panel';
import { correctionsByEvent, decisionsByEvent } from '../../timeline/event-links';

export function eventsSection(journeyId: string, events: readonly HistoryEvent[], episodes: readonly EpisodeView[] | undefined): HTMLElement {
  const byId = new Map(events.map((event) => [event.eventId, event]));
  const state = new StatePanel(journeyId, byId);
  const items = new Map<string, HTMLLIElement>();
  let selected: string | undefined;
  const context: TimelineContext = {
    byId,
    correctionsOf: correctionsByEvent(events),
    decisions: episodes ? decisionsByEvent(episodes) : null,
    onSelect(event) {
      if (selected) {
        const before = items.get(selected);
        before?.removeAttribute('aria-current');
        before?.querySelector('.timeline-select')?.setAttribute('aria-pressed', 'false');
      }
      selected = event.eventId;
      const item = items.get(event.eventId);
      item?.setAttribute('aria-current', 'true');
      item?.querySelector('.timeline-select')?.setAttribute('aria-pressed', 'true');
      state.select(event);
      // On one column (a tablet), the state is below every event: bring it into view.
      if (window.matchMedia('(max-width: 900px)').matches) state.element.scrollIntoView({ block: 'start' });
    },
  };
  const ordered = [...events].sort((a, b) => a.revision - b.revision);
  for (const event of ordered) {
    const item = eventItem(event, context);
    markLink(item, 'unchecked', 'hash checked on the auditors\u2019 timeline');
    items.set(event.eventId, item);
  }
  return h('section', { class: 'app-events', 'aria-labelledby': 'events-title', 'data-testid': 'journey-events' },
    h('h2', { id: 'events-title' }, `What happened (${events.length} ${events.length === 1 ? 'event' : 'events'})`),
    h('p', { class: 'hint' },
      `In the order they were recorded. Each event says when it happened and when it was recorded, and by whom; one recorded more than ${LATE_AFTER_DAYS} days after it happened is marked late. `,
      'Personal details in an event are never shown here. ',
      h('a', { href: `/journeys/${journeyId}/timeline` }, 'Open the full timeline'), ' for the events by date and the audit hashes.'),
    h('div', { class: 'timeline-layout' },
      h('ol', { class: 'timeline-list app-event-list', 'data-order': 'recorded', 'aria-labelledby': 'events-title' }, ordered.map((event) => items.get(event.eventId)!)),
      state.element));
}

