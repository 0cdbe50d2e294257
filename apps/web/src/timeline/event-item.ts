/**
 * One event on the timeline: an <li> holding an <article> that can be focused (links to it
 * move focus there) and selected (click, or Enter/Space while focused, or its button) to show
 * the journey's state right after it.
 */
import { h, replaceChildren, type Child } from '../shared/dom';
import type { DecisionView, EpisodeView, HistoryEvent } from './api-types';
import { dataList, valueAt, valueNode } from './event-data';
import { codeLabel, inSentence, dateLabel, daysBetween, eventTitle, fieldLabel, instantLabel, isCalendarDate, plural, ukDateOf } from './words';

/** Recorded more than this many days after it happened: marked late. */
export const LATE_AFTER_DAYS = 5;

export interface TimelineContext {
  byId: ReadonlyMap<string, HistoryEvent>;
  /** Corrections of each event (RecordCorrected events), in order. */
  correctionsOf: ReadonlyMap<string, HistoryEvent[]>;
  /** Each decision event's entry in the read model (GET /journeys/:id), with its episode. */
  decisions: ReadonlyMap<string, { decision: DecisionView; episode: EpisodeView }> | null;
  onSelect(event: HistoryEvent): void;
}

export const anchorOf = (eventId: string) => `event-${eventId}`;

/** A link to another event of the journey that moves focus to it, so keyboard users land there. */
export function eventLink(target: HistoryEvent, text: string, attributes: Record<string, string> = {}): HTMLAnchorElement {
  return h('a', {
    href: `#${anchorOf(target.eventId)}`,
    ...attributes,
    onclick: (event: Event) => {
      const article = document.getElementById(anchorOf(target.eventId));
      if (!article) return;
      event.preventDefault();
      history.replaceState(null, '', `#${anchorOf(target.eventId)}`);
      article.scrollIntoView({ block: 'start' });
      article.focus({ preventScroll: true });
    },
  }, text);
}

export function shortTitle(event: HistoryEvent): string {
  return `revision ${event.revision}: ${eventTitle(event.type, event.data)}`;
}

export function eventItem(event: HistoryEvent, context: TimelineContext): HTMLLIElement {
  const id = anchorOf(event.eventId);
  const select = () => context.onSelect(event);
  const button = h('button', { type: 'button', class: 'secondary timeline-select', 'aria-pressed': 'false', 'aria-describedby': `${id}-title`, onclick: select },
    'Show the state after this event');
  const article = h('article', { id, tabindex: 0, 'aria-labelledby': `${id}-title`, class: 'timeline-card' },
    h('h3', { id: `${id}-title`, class: 'timeline-title' },
      h('span', { class: 'timeline-revision' }, `#${event.revision}`), ' ', eventTitle(event.type, event.data)),
    whenLine(event),
    byLine(event),
    event.type === 'DecisionMade' ? decisionBlock(event, context) : null,
    event.type === 'RecordCorrected' ? correctionBlock(event, context) : null,
    correctedByBlock(event, context),
    dataList(event.type, event.data, (eventId) => {
      const target = context.byId.get(eventId);
      return target ? eventLink(target, shortTitle(target)) : undefined;
    }),
    proofLine(event),
    button);
  article.addEventListener('click', (click) => {
    // Links, buttons and the details toggle do their own thing; a click elsewhere on the card selects it.
    if ((click.target as Element).closest('a, button, summary, details')) return;
    if (window.getSelection()?.toString()) return;
    select();
  });
  article.addEventListener('keydown', (key) => {
    if (key.target !== article || (key.key !== 'Enter' && key.key !== ' ')) return;
    key.preventDefault();
    select();
  });
  return h('li', {
    class: 'timeline-event', 'data-event-id': event.eventId, 'data-revision': event.revision, 'data-type': event.type,
    'data-position': event.position, 'data-occurred-at': event.occurredAt ?? '', 'data-recorded-at': event.recordedAt, 'data-chain-link': 'unchecked',
  }, article);
}

function whenLine(event: HistoryEvent): HTMLElement {
  const recordedOn = ukDateOf(event.recordedAt);
  const recorded = h('time', { datetime: event.recordedAt, 'data-field': 'recordedAt' }, `${instantLabel(event.recordedAt)} UK time`);
  if (!event.occurredAt || !isCalendarDate(event.occurredAt)) {
    return h('p', { class: 'timeline-when' }, 'Recorded ', recorded, ' (the event gives no date of its own).');
  }
  const gap = daysBetween(event.occurredAt, recordedOn);
  const late = gap > LATE_AFTER_DAYS;
  const gapText = gap === 0 ? 'recorded the same day' : gap > 0 ? `recorded ${plural(gap, 'day')} after` : `recorded ${plural(-gap, 'day')} before the date it gives`;
  return h('p', { class: 'timeline-when' },
    'Happened ', h('time', { datetime: event.occurredAt, 'data-field': 'occurredAt' }, dateLabel(event.occurredAt)),
    '; recorded ', recorded, ' ',
    h('span', { class: `timeline-gap${late ? ' timeline-late' : ''}`, 'data-gap-days': gap }, `(${gapText}${late ? ': late' : ''})`));
}

function byLine(event: HistoryEvent): HTMLElement {
  const by = event.recordedBy;
  return h('p', { class: 'timeline-by' }, 'By ',
    h('span', { 'data-field': 'recordedBy', 'data-user-id': by?.userId ?? '' }, by?.userId ?? 'unknown'),
    by ? ` (${inSentence(codeLabel(by.role))}, ${by.organisationId})` : '');
}

function decisionBlock(event: HistoryEvent, context: TimelineContext): HTMLElement {
  const { stage, outcome, decidedAt } = event.data as { stage?: string; outcome?: string; decidedAt?: string };
  const found = context.decisions?.get(event.eventId);
  const corrected = (context.correctionsOf.get(event.eventId)?.length ?? 0) > 0;
  let wait: Child;
  if (!context.decisions) {
    wait = h('p', { class: 'timeline-wait', 'data-testid': 'decision-wait' }, 'The wait is not shown: the journey read model could not be read.');
  } else if (!found) {
    wait = h('p', { class: 'timeline-wait', 'data-testid': 'decision-wait' }, 'The wait is not in the journey read model (yet).');
  } else if (found.decision.stage === 'reasonable_grounds') {
    const waited = found.decision.waited;
    wait = h('p', { class: 'timeline-wait', 'data-testid': 'decision-wait', 'data-waited': waited, 'data-wait-unit': 'working_days' },
      h('strong', {}, `Waited ${plural(waited, 'working day')}`), ' from referral (referred ', h('time', { datetime: found.episode.referredOn }, dateLabel(found.episode.referredOn)),
      `): ${waited <= 5 ? 'within' : 'over'} the 5-working-day target.`);
  } else {
    const waited = found.decision.waited;
    wait = h('p', { class: 'timeline-wait', 'data-testid': 'decision-wait', 'data-waited': waited, 'data-wait-unit': 'days' },
      h('strong', {}, `Waited ${plural(waited, 'day')}`), ' (calendar days) from the Reasonable Grounds decision in force.');
  }
  return h('div', { class: 'timeline-decision', 'data-testid': 'decision' },
    h('p', {}, h('strong', {}, `Outcome: ${codeLabel(outcome)}`), ` (${codeLabel(stage)})`,
      isCalendarDate(decidedAt) ? [', decided on ', h('time', { datetime: decidedAt }, dateLabel(decidedAt))] : null, corrected ? ' as first recorded' : '', '.'),
    found && (found.decision.decidedAt !== decidedAt || found.decision.outcome !== outcome)
      ? h('p', { 'data-testid': 'decision-as-corrected' }, h('strong', {}, 'As corrected: '), `${inSentence(codeLabel(found.decision.outcome))}, decided on `,
        h('time', { datetime: found.decision.decidedAt }, dateLabel(found.decision.decidedAt)), '.')
      : null,
    wait,
    found ? h('p', { class: 'hint' }, `Wait taken from the journey read model (GET /journeys/:id), which counts as DOMAIN.md does${corrected ? ', with the correction applied' : ''}.`) : null);
}

function correctionBlock(event: HistoryEvent, context: TimelineContext): HTMLElement {
  const correctedId = String(event.data.correctedEventId ?? '');
  const target = context.byId.get(correctedId);
  const changes = Array.isArray(event.data.changes) ? (event.data.changes as Array<{ field: string; value: unknown }>) : [];
  return h('div', { class: 'timeline-correction' },
    h('p', {}, h('strong', {}, 'Corrects '), target
      ? eventLink(target, shortTitle(target), { 'data-testid': 'corrects-link', 'data-target-event-id': target.eventId })
      : `event ${correctedId}, which is not in this journey's history`, '.'),
    changes.length ? h('ul', { class: 'timeline-changes' }, changes.map((change) => {
      const last = change.field.split('.').pop() ?? change.field;
      const before = target ? valueAt(target.data, change.field) : undefined;
      return h('li', { 'data-field': change.field },
        h('span', { class: 'timeline-change-field' }, fieldLabel(change.field)), ': ',
        target ? ['was ', before === undefined ? h('em', {}, 'not recorded') : valueNode(last, before), ', should have been '] : 'should have been ',
        valueNode(last, change.value), '.');
    })) : null,
    typeof event.data.reason === 'string' ? h('p', {}, h('strong', {}, 'Reason: '), event.data.reason) : null);
}

function correctedByBlock(event: HistoryEvent, context: TimelineContext): HTMLElement | null {
  const corrections = context.correctionsOf.get(event.eventId) ?? [];
  if (!corrections.length) return null;
  return h('div', { class: 'timeline-corrected-by' },
    h('p', {}, h('strong', {}, 'Corrected by '), corrections.flatMap((correction, i) => [
      i ? (i === corrections.length - 1 ? ' and ' : ', ') : '',
      eventLink(correction, `revision ${correction.revision} (recorded ${dateLabel(ukDateOf(correction.recordedAt))})`, { 'data-testid': 'corrected-by-link', 'data-target-event-id': correction.eventId }),
    ]), '.'),
    h('p', { class: 'hint' }, 'The values below are as first recorded; the original stays in the record, and the correction says what they should have been.'));
}

function proofLine(event: HistoryEvent): HTMLElement {
  const hash = event.hash;
  const link = h('span', { class: 'timeline-link', 'data-testid': 'chain-link' }, 'hash link not checked yet');
  return h('div', { class: 'timeline-proof' },
    h('p', {}, `Revision ${event.revision} · position ${event.position} · hash `,
      hash ? h('code', { title: hash.eventHash }, `${hash.eventHash.slice(0, 12)}…`) : h('em', {}, 'not yet chained by the ledger'),
      ' ', link),
    h('details', {},
      h('summary', {}, 'Record details'),
      h('dl', { class: 'timeline-data timeline-record' },
        row('Event id', h('code', {}, event.eventId)),
        row('Command id', h('code', {}, event.commandId)),
        row('Correlation id', h('code', {}, event.correlationId)),
        row('Schema version', String(event.schemaVersion)),
        row('Event hash', hash ? h('code', {}, hash.eventHash) : 'not yet chained'),
        row('Stream hash', hash ? h('code', {}, hash.streamHash) : 'not yet chained'),
        row('Global hash', hash ? h('code', {}, hash.globalHash) : 'not yet chained'))));
}

function row(label: string, value: Child): HTMLElement {
  return h('div', { class: 'timeline-field' }, h('dt', {}, label), h('dd', {}, value));
}

/** Marks an event's hash link as checked in this browser. */
export function markLink(item: HTMLElement, status: 'ok' | 'broken' | 'unchecked', text: string, title?: string): void {
  item.dataset.chainLink = status;
  const link = item.querySelector<HTMLElement>('[data-testid="chain-link"]');
  if (!link) return;
  link.className = `timeline-link timeline-link-${status}`;
  if (title) link.title = title;
  replaceChildren(link, status === 'ok' ? h('span', { 'aria-hidden': 'true' }, '✓ ') : status === 'broken' ? h('span', { 'aria-hidden': 'true' }, '✗ ') : null, text);
}
