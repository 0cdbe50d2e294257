/**
 * A 409 explained: someone else recorded on the journey after the revision the form was
 * based on. Shows what they recorded (from GET /journeys/:id/history), keeps the worker's
 * entries, and offers to resubmit on the journey as it now is: a new decision by the worker.
 */
import { getJson } from '../../shared/api';
import { h, replaceChildren } from '../../shared/dom';
import { codeLabel, eventTitle } from '../../timeline/words';
import { instantInUk, longDate } from './dates';

interface HistoryEvent {
  eventId: string;
  revision: number;
  type: string;
  occurredAt: string | null;
  recordedAt: string;
  recordedBy: { userId: string; role: string; organisationId: string };
  data: Record<string, unknown>;
}

export interface ConflictOptions {
  journeyId: string;
  /** The revision the form was based on (its If-Match). */
  baseRevision: number;
  /** The journey's revision in the 409 answer. */
  currentRevision: number | null;
  /** One level below the form's title. */
  headingTag: 'h3' | 'h4';
  /** Resubmit on `revision`, the latest the worker has now been shown. */
  onResubmit(revision: number): void;
}

/** The panel, filled in once the history arrives. */
export function conflictPanel(options: ConflictOptions): HTMLElement {
  const titleId = `conflict-${Math.random().toString(36).slice(2, 8)}`;
  const body = h('div', { class: 'form-conflict-body' }, h('p', { class: 'loading' }, 'Finding out what changed…'));
  let latest = options.currentRevision ?? options.baseRevision;
  const resubmit = h('button', { type: 'button', class: 'form-resubmit', 'data-resubmit': true, onclick: () => options.onResubmit(latest) }, 'Resubmit on the current journey');
  const panel = h('div', { class: 'form-conflict', 'data-conflict': true, role: 'alert', tabindex: -1, 'aria-labelledby': titleId },
    h(options.headingTag, { class: 'form-conflict-title', id: titleId }, 'Someone else changed this journey'),
    h('p', {}, 'Nothing was recorded. While this form was open, someone else recorded on this journey, so what you entered may no longer fit.'),
    body,
    h('p', {}, 'Your entries are kept below. Check they are still right, change them if needed, then resubmit.'),
    resubmit);
  void getJson<{ events: HistoryEvent[] }>(`/journeys/${encodeURIComponent(options.journeyId)}/history`).then(
    ({ events }) => {
      const since = events.filter((event) => event.revision > options.baseRevision);
      if (events.length) latest = Math.max(latest, events[events.length - 1].revision);
      panel.setAttribute('data-current-revision', String(latest));
      replaceChildren(body,
        h('p', {}, since.length === 1 ? 'This was recorded after you opened the form:' : `These ${since.length} were recorded after you opened the form:`),
        h('ul', { class: 'form-conflict-events' }, since.map(eventLine)));
    },
    (error: unknown) => {
      panel.setAttribute('data-current-revision', String(latest));
      replaceChildren(body, h('p', { class: 'form-conflict-unavailable' },
        `What changed could not be shown (${error instanceof Error ? error.message : String(error)}). Open the journey’s timeline to see it before you resubmit.`));
    },
  );
  return panel;
}

function eventLine(event: HistoryEvent): HTMLElement {
  const by = event.recordedBy;
  return h('li', { class: 'form-conflict-event', 'data-conflict-event': event.eventId, 'data-type': event.type, 'data-revision': event.revision },
    h('strong', {}, eventTitle(event.type, event.data)),
    event.occurredAt ? ` — happened on ${longDate(event.occurredAt)}` : '',
    `; recorded ${instantInUk(event.recordedAt)} by ${by.userId} (${codeLabel(by.role)}, ${by.organisationId})`);
}
