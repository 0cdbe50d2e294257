/**
 * Plain words for what the caseload and the journey page say about a journey: its status,
 * its current wait and what needs attention. Codes and dates go through the timeline's words
 * (apps/web/src/timeline/words.ts), so a code reads the same on every page.
 */
import { h, type Child } from '../../shared/dom';
import type { JourneyWait } from '../../timeline/api-types';
import { codeLabel, dateLabel, plural } from '../../timeline/words';
import type { AccessPurpose, FollowUpDue, JourneyStatus } from './api-types';

const STATUS_WORDS: Partial<Record<JourneyStatus, string>> = {
  identified: 'Identified, not yet referred',
  exited: 'Exited support',
};

/** A journey status in plain words. */
export function statusLabel(status: string): string {
  return STATUS_WORDS[status as JourneyStatus] ?? codeLabel(status);
}

/** Why personal data is read, in plain words, with a line on when that purpose applies. */
export const PURPOSE_WORDS: Record<AccessPurpose, { label: string; hint: string }> = {
  case_management: { label: 'Case management', hint: 'Supporting the person on your caseload: contacting them, arranging care.' },
  safeguarding: { label: 'Safeguarding', hint: 'A risk of harm to the person or to others.' },
  audit: { label: 'Audit', hint: 'Checking how the case was handled.' },
  subject_access_request: { label: 'Subject access request', hint: 'The person asked for the data held about them.' },
  legal_proceedings: { label: 'Legal proceedings', hint: 'A court, tribunal or solicitor needs it.' },
  data_quality: { label: 'Data quality', hint: 'Checking or correcting the record.' },
};

export const purposeLabel = (purpose: string): string => PURPOSE_WORDS[purpose as AccessPurpose]?.label ?? codeLabel(purpose);

/** The current wait: RG in working days (the measure of its 5-day target), CG in calendar days. */
export function waitText(wait: JourneyWait | null): string {
  if (!wait) return 'Not waiting for a decision';
  return wait.for === 'reasonable_grounds'
    ? `${plural(wait.workingDays, 'working day')} for Reasonable Grounds`
    : `${plural(wait.days, 'day')} for Conclusive Grounds`;
}

/** The current wait as a table cell's content: the figure, then since when. */
export function waitCell(wait: JourneyWait | null): Child[] {
  if (!wait) return [h('span', { class: 'app-muted' }, 'Not waiting')];
  const figure = wait.for === 'reasonable_grounds' ? plural(wait.workingDays, 'working day') : plural(wait.days, 'day');
  return [
    h('strong', {}, figure), ' ',
    h('abbr', { title: codeLabel(wait.for) }, wait.for === 'reasonable_grounds' ? 'RG' : 'CG'),
    h('br'), h('span', { class: 'app-muted' }, 'since ', h('time', { datetime: wait.since }, dateLabel(wait.since))),
  ];
}

export interface AttentionFlag {
  code: 'rg_overdue' | 'follow_up_due';
  /** What is overdue, in two words or three. */
  text: string;
  /** Since when, or which follow-ups. */
  detail?: string;
}

/** What is overdue: the RG decision past its 5-working-day target, follow-ups due after exit. */
export function attentionFlags(
  overdue: { reasonableGrounds: boolean; followUp: boolean },
  followUpsDue: readonly FollowUpDue[],
  reasonableGroundsTargetOn?: string | null,
): AttentionFlag[] {
  const flags: AttentionFlag[] = [];
  if (overdue.reasonableGrounds) {
    flags.push({ code: 'rg_overdue', text: 'RG decision past target', detail: reasonableGroundsTargetOn ? `due ${dateLabel(reasonableGroundsTargetOn)}` : undefined });
  }
  if (overdue.followUp || followUpsDue.length) {
    flags.push({ code: 'follow_up_due', text: followUpsDue.length > 1 ? `${followUpsDue.length} follow-ups due` : 'Follow-up due', detail: followUpsDue.length ? followUpsDue.map(followUpText).join('; ') : undefined });
  }
  return flags;
}

export function followUpText(due: FollowUpDue): string {
  return `${plural(due.monthsSinceExit, 'month')} after exit, due ${dateLabel(due.dueOn)}`;
}

/** The flags as tags with their detail (or a muted "Nothing overdue"), each saying what it is in words. */
export function attentionTags(flags: readonly AttentionFlag[]): HTMLElement {
  if (!flags.length) return h('span', { class: 'app-muted', 'data-overdue': 'none' }, 'Nothing overdue');
  return h('ul', { class: 'app-flags' }, flags.map((flag) => h('li', { 'data-flag': flag.code },
    h('strong', { class: `app-flag app-flag-${flag.code}` }, flag.text),
    flag.detail ? [' ', h('span', { class: 'app-flag-detail' }, flag.detail)] : null)));
}
