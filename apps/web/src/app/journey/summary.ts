/**
 * Where a journey stands, from GET /journeys/:id: its status, caseload, current wait and
 * what is overdue, then each episode with its referral, decisions (with their waits), recovery
 * period and exit, and the follow-ups due. Codes in plain words; no personal data (the read
 * model holds none).
 */
import { h, type Child } from '../../shared/dom';
import type { EpisodeView } from '../../timeline/api-types';
import { codeLabel, dateLabel, inSentence, instantLabel, plural } from '../../timeline/words';
import type { AppJourney } from '../caseload/api-types';
import { attentionFlags, attentionTags, followUpText, statusLabel, waitText } from '../caseload/words';

export function journeySummary(journey: AppJourney): HTMLElement {
  const wait = journey.waiting;
  const flags = attentionFlags(journey.overdue, journey.followUpsDue ?? [], journey.reasonableGroundsTargetOn ?? wait?.reasonableGroundsTargetOn);
  // The current episode's recovery period (the journey's own field is cleared once the wait for CG is over).
  const recoveryEnds = currentRecoveryPeriodEnd(journey);
  const fields: Array<[string, string, Child | Child[], Record<string, string | number | null | undefined>?]> = [
    ['status', 'Status', [h('strong', {}, statusLabel(journey.status)), ` (as of ${dateLabel(journey.asOf)})`], { 'data-value': journey.status }],
    ['reference', 'Current referral', journey.currentReferralId ?? 'Not referred', { 'data-value': journey.currentReferralId ?? '' }],
    ['organisation', 'Caseload organisation', journey.organisationId, { 'data-value': journey.organisationId }],
    ['waiting', 'Waiting now', wait
      ? [h('strong', {}, waitText(wait)), ' since ', h('time', { datetime: wait.since }, dateLabel(wait.since)),
        wait.for === 'reasonable_grounds' && wait.reasonableGroundsTargetOn ? `; target ${dateLabel(wait.reasonableGroundsTargetOn)} (5 working days from referral)` : '']
      : 'Not waiting for a decision',
    { 'data-wait-for': wait?.for ?? '', 'data-days': wait?.days, 'data-working-days': wait?.workingDays }],
    ['overdue', 'Overdue', attentionTags(flags), { 'data-rg-overdue': String(journey.overdue.reasonableGrounds), 'data-follow-up-due': String(journey.overdue.followUp) }],
    ['recoveryPeriodEndsOn', 'Recovery period ends', recoveryEnds
      ? [h('time', { datetime: recoveryEnds }, dateLabel(recoveryEnds)), recoveryEnds > journey.asOf ? ' (a Conclusive Grounds decision can be made from then)' : ' (ended)']
      : 'None: no positive Reasonable Grounds decision on the current referral',
    { 'data-value': recoveryEnds ?? '' }],
    ['identifiedOn', 'Identified', [h('time', { datetime: journey.identifiedOn }, dateLabel(journey.identifiedOn)), ` by ${journey.firstResponderId} (${inSentence(codeLabel(journey.firstResponderType))})`],
      { 'data-value': journey.identifiedOn }],
    ['personalData', 'Personal details', journey.personalData === 'held' ? 'Held, sealed: shown below only when you ask, with a purpose'
      : journey.personalData === 'erased' ? `Erased${journey.personalDataErasedOn ? ` on ${dateLabel(journey.personalDataErasedOn)}` : ''}` : 'None recorded',
    { 'data-value': journey.personalData }],
    ['lastRecorded', 'Last recorded', [h('time', { datetime: journey.lastRecordedAt }, `${instantLabel(journey.lastRecordedAt)} UK time`), ` (revision ${journey.lastRevision})`],
      { 'data-value': journey.lastRevision }],
  ];
  const followUps = journey.followUpsDue ?? [];
  return h('section', { class: 'app-summary', 'aria-labelledby': 'summary-title', 'data-testid': 'journey-summary' },
    h('h2', { id: 'summary-title' }, 'Where the journey stands'),
    h('dl', { class: 'timeline-data timeline-summary-list app-summary-list' }, fields.map(([key, label, value, data]) =>
      h('div', { class: 'timeline-field', 'data-summary': key, ...(data ?? {}) }, h('dt', {}, label), h('dd', {}, value)))),
    followUps.length
      ? h('div', { class: 'app-follow-ups', 'data-testid': 'follow-ups-due' },
        h('h3', {}, `Follow-ups due (${followUps.length})`),
        h('ul', {}, followUps.map((due) => h('li', { 'data-months': due.monthsSinceExit, 'data-due-on': due.dueOn }, followUpText(due)))))
      : null,
    h('h3', {}, journey.episodes.length ? `Episodes (${journey.episodes.length})` : 'Episodes'),
    journey.episodes.length
      ? h('ol', { class: 'app-episodes' }, journey.episodes.map(episodeItem))
      : h('p', { 'data-testid': 'no-episodes' }, 'Not referred into the NRM yet, so no episode has begun.'));
}

/** The recovery period of the current episode: its end date, else the journey's (while waiting for CG). */
export function currentRecoveryPeriodEnd(journey: AppJourney): string | null {
  const current = journey.episodes[journey.episodes.length - 1];
  return current?.recoveryPeriodEndsOn ?? journey.recoveryPeriodEndsOn ?? journey.waiting?.recoveryPeriodEndsOn ?? null;
}

function episodeItem(episode: EpisodeView): HTMLLIElement {
  const rg = episode.reasonableGrounds;
  const cg = episode.conclusiveGrounds;
  return h('li', { class: 'app-episode', 'data-episode': episode.number, 'data-referral-id': episode.referralId },
    h('h4', {}, `Episode ${episode.number}: referral ${episode.referralId}`),
    h('dl', { class: 'timeline-data' },
      field('Referred', [h('time', { datetime: episode.referredOn }, dateLabel(episode.referredOn)), ` to the ${codeLabel(episode.competentAuthority)}`]),
      episode.previousReferralId ? field('Re-referral of', episode.previousReferralId) : null,
      field('Reasonable Grounds', rg
        ? `${codeLabel(rg.outcome)} on ${dateLabel(rg.decidedAt)}, after ${plural(rg.workingDays, 'working day')} (${rg.withinTarget ? 'within' : 'over'} the 5-working-day target)`
        : `Awaited; target ${dateLabel(episode.reasonableGroundsTargetOn)}`),
      episode.recoveryPeriodEndsOn ? field('Recovery period ends', h('time', { datetime: episode.recoveryPeriodEndsOn, 'data-field': 'recoveryPeriodEndsOn' }, dateLabel(episode.recoveryPeriodEndsOn))) : null,
      field('Conclusive Grounds', cg
        ? `${codeLabel(cg.outcome)} on ${dateLabel(cg.decidedAt)}, ${plural(cg.daysFromReasonableGrounds, 'day')} after Reasonable Grounds (${plural(cg.daysFromReferral, 'day')} after referral)`
        : rg?.outcome === 'positive' ? 'Awaited' : 'Not applicable yet'),
      episode.exit ? field('Exit', `${dateLabel(episode.exit.on)}: ${inSentence(codeLabel(episode.exit.reason))}, after ${plural(episode.exit.daysInSupport, 'day')} in support; housing ${inSentence(codeLabel(episode.exit.housing))}`) : null),
    episode.decisions.length ? decisionsTable(episode) : null);
}

/** Every decision of the episode (overturned ones too), with the wait the read model counts. */
function decisionsTable(episode: EpisodeView): HTMLElement {
  const id = `decisions-${episode.number}`;
  return h('div', { class: 'app-table-scroll', role: 'region', 'aria-labelledby': id, tabindex: 0 },
    h('table', { class: 'app-table app-decisions' },
      h('caption', { id }, `Decisions on referral ${episode.referralId}`),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Decision'), h('th', { scope: 'col' }, 'Outcome'), h('th', { scope: 'col' }, 'Decided on'),
        h('th', { scope: 'col', class: 'number' }, 'Waited'), h('th', { scope: 'col' }, 'Reconsideration'))),
      h('tbody', {}, episode.decisions.map((decision) => h('tr', {
        'data-decision-id': decision.eventId, 'data-stage': decision.stage, 'data-outcome': decision.outcome, 'data-waited': decision.waited,
        'data-wait-unit': decision.stage === 'reasonable_grounds' ? 'working_days' : 'days',
      },
      h('th', { scope: 'row' }, codeLabel(decision.stage)),
      h('td', {}, codeLabel(decision.outcome)),
      h('td', {}, h('time', { datetime: decision.decidedAt }, dateLabel(decision.decidedAt))),
      h('td', { class: 'number' }, decision.stage === 'reasonable_grounds'
        ? `${plural(decision.waited, 'working day')} from referral`
        : `${plural(decision.waited, 'day')} from Reasonable Grounds`),
      h('td', {}, decision.reconsiderationRequestedOn ? `Requested ${dateLabel(decision.reconsiderationRequestedOn)}` : '–'))))));
}

function field(label: string, value: Child | Child[]): HTMLElement {
  return h('div', { class: 'timeline-field' }, h('dt', {}, label), h('dd', {}, value));
}
