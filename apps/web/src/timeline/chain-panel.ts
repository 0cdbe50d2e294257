/**
 * Tamper evidence: fetches the journey's signed evidence bundle and checks it here, in the
 * browser, without trusting the server's word (bundle-verifier.ts); then checks that what the
 * timeline shows (the history) is what the bundle signs, event by event.
 */
import { ApiError, getJson, SignInNeeded } from '../shared/api';
import { announce, h, replaceChildren, type Child } from '../shared/dom';
import { downloadText } from '../shared/download';
import { describeError } from '../shared/page';
import type { BundledEvent, EvidenceBundle, HistoryEvent } from './api-types';
import { verifyBundle, type BundleVerification } from './bundle-verifier';
import { canonicalJson } from './canonical-json';
import { eventLink, markLink } from './event-item';
import { instantLabel, plural } from './words';

export type ChainStatus = 'checking' | 'verified' | 'broken' | 'unavailable';

const NOT_YET_PROJECTED_RETRIES = 10;

export class ChainPanel {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly status: HTMLElement;

  constructor(
    private readonly journeyId: string,
    private readonly events: readonly HistoryEvent[],
    private readonly itemOf: (eventId: string) => HTMLElement | undefined,
    private readonly onSignInNeeded: (error: SignInNeeded) => void,
  ) {
    this.status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    this.body = h('div', { class: 'timeline-chain-body' });
    this.element = h('section', { class: 'timeline-chain', 'aria-labelledby': 'chain-title', 'data-chain-status': 'checking' },
      h('h2', { id: 'chain-title' }, 'Tamper evidence'), this.status, this.body);
    this.setStatus('checking', [h('p', { class: 'loading' }, 'Fetching the signed evidence bundle to check it in this browser…')], 'Checking the hash chain…');
  }

  /** Support workers cannot have evidence bundles (auditors only): say so rather than ask and be refused. */
  notForRole(role: string): void {
    for (const event of this.events) this.mark(event.eventId, 'unchecked', 'hash not checked in this browser');
    this.setStatus('unavailable', [
      h('p', { class: 'notice' }, h('strong', {}, 'Not checked in this browser. '),
        `Signed evidence bundles are for auditors; you are signed in as a ${role.replace('_', ' ')}. The hashes shown are the audit ledger's, as the API gave them.`),
    ], 'Chain not checked: evidence bundles are for auditors.');
  }

  async run(): Promise<void> {
    let bundle: EvidenceBundle | undefined;
    for (let attempt = 1; !bundle; attempt++) {
      try {
        bundle = await getJson<EvidenceBundle>(`/journeys/${this.journeyId}/evidence`);
      } catch (error) {
        if (error instanceof SignInNeeded) return this.onSignInNeeded(error);
        if (error instanceof ApiError && error.code === 'NOT_YET_PROJECTED' && attempt < NOT_YET_PROJECTED_RETRIES) {
          this.setStatus('checking', [h('p', { class: 'loading' }, `The audit ledger has not reached this journey's last event yet; trying again (attempt ${attempt + 1} of ${NOT_YET_PROJECTED_RETRIES})…`)], 'Waiting for the audit ledger…');
          // As long as the API asks (Retry-After), within reason: a page should not sit silent for minutes.
          await new Promise((resolve) => setTimeout(resolve, Math.min(error.retryAfterSeconds ?? 1, 10) * 1000));
          continue;
        }
        return this.failed(error);
      }
    }
    let verification: BundleVerification;
    try {
      verification = await verifyBundle(bundle);
    } catch (error) {
      for (const event of this.events) this.mark(event.eventId, 'unchecked', 'hash not checked');
      return this.setStatus('unavailable', [h('p', { class: 'notice error' }, `The bundle could not be checked in this browser: ${describeError(error)}`)], 'Chain not checked.');
    }
    this.report(bundle, verification, await this.compareWithHistory(bundle, verification));
  }

  /** The server refused the bundle: its own check found the chain broken, or it could not serve one. */
  private failed(error: unknown): void {
    for (const event of this.events) this.mark(event.eventId, 'unchecked', 'hash not checked');
    if (error instanceof ApiError && error.code === 'AUDIT_CHAIN_BROKEN') {
      return this.setStatus('broken', [
        h('p', { class: 'notice error' }, h('strong', {}, 'Broken, by the server\u2019s own check. '),
          `The API refused to sign an evidence bundle because this journey's events do not match its audit ledger: ${error.message}`),
      ], 'The audit chain is broken: the server found it so.');
    }
    const why = error instanceof ApiError && error.code === 'NOT_YET_PROJECTED'
      ? 'The audit ledger has not caught up with this journey yet; reload the page in a little while.'
      : error instanceof ApiError && error.status === 403 ? 'Only auditors may have a journey\u2019s evidence bundle.'
        : `The evidence bundle could not be fetched: ${describeError(error)}`;
    this.setStatus('unavailable', [h('p', { class: 'notice' }, h('strong', {}, 'Not checked. '), why)], `Chain not checked: ${why}`);
  }

  /**
   * What the timeline shows comes from the history; what is signed is the bundle. Each shown
   * event must be the signed one, byte for byte in meaning, and its ledger hash the recomputed one.
   */
  private async compareWithHistory(bundle: EvidenceBundle, verification: BundleVerification): Promise<{ revision: number; detail: string } | null> {
    const bundled = new Map<string, { event: BundledEvent; index: number }>();
    if (Array.isArray(bundle.events)) bundle.events.forEach((event, index) => bundled.set(event?.id, { event, index }));
    let first: { revision: number; detail: string } | null = null;
    for (const shown of this.events) {
      const signed = bundled.get(shown.eventId);
      const check = signed ? verification.events[signed.index] : undefined;
      let problem: string | undefined;
      if (!signed) {
        const signedTo = Number(verification.statement?.revision ?? -1);
        if (shown.revision > signedTo) {
          this.mark(shown.eventId, 'unchecked', 'recorded after the bundle was signed: not checked');
          continue;
        }
        problem = 'it is shown but missing from the signed bundle';
      } else if (check && !(check.eventHashMatches && check.streamLinkHolds)) {
        // The signed event itself fails: the bundle's verification names it.
        this.mark(shown.eventId, 'broken', check.eventHashMatches ? 'hash link broken: the stream chain does not hold here' : 'hash link broken: the event does not match its hash',
          `Recomputed in this browser: SHA-256 ${check.eventHash}`);
        continue;
      } else if (!sameEvent(shown, signed.event)) {
        problem = 'what is shown here differs from the signed record';
      } else if (check && shown.hash && shown.hash.eventHash !== check.eventHash) {
        problem = 'the ledger\u2019s hash in the history differs from the one recomputed here';
      }
      if (problem) {
        this.mark(shown.eventId, 'broken', `hash link broken: ${problem}`);
        first ??= { revision: shown.revision, detail: `The event at revision ${shown.revision} (position ${shown.position}): ${problem}.` };
      } else if (check) {
        this.mark(shown.eventId, 'ok', 'hash link holds', `Recomputed in this browser: SHA-256 ${check.eventHash}, chained to the previous event's stream hash`);
      } else {
        this.mark(shown.eventId, 'unchecked', 'hash not checked');
      }
    }
    return first;
  }

  private report(bundle: EvidenceBundle, verification: BundleVerification, shownMismatch: { revision: number; detail: string } | null): void {
    const checks = h('ul', { class: 'timeline-checks' }, verification.checks.map((check) => h('li', { class: check.ok ? 'timeline-check-ok' : 'timeline-check-failed', 'data-check': check.check },
      h('span', { 'aria-hidden': 'true' }, check.ok ? '✓ ' : '✗ '), h('strong', {}, `${check.check}: `), check.ok ? '' : h('span', { class: 'visually-hidden' }, 'failed: '), check.detail)),
      h('li', { class: shownMismatch ? 'timeline-check-failed' : 'timeline-check-ok', 'data-check': 'shown equals signed' },
        h('span', { 'aria-hidden': 'true' }, shownMismatch ? '✗ ' : '✓ '), h('strong', {}, 'shown equals signed: '),
        shownMismatch ? shownMismatch.detail : 'every event on this page is the signed one, and its ledger hash the recomputed one.'));
    const server = h('p', { class: 'hint' }, h('strong', {}, 'The API\u2019s view: '),
      'it served this bundle, so its own check found every event equal to its audit ledger (it refuses with \u201caudit chain broken\u201d otherwise). The check above does not rely on that.');
    const save = h('button', { type: 'button', class: 'secondary', onclick: () => downloadText(`evidence-${this.journeyId}.json`, `${JSON.stringify(bundle, null, 2)}\n`, 'application/json') },
      'Save the evidence bundle');
    const saveHint = h('p', { class: 'hint' }, 'Check it offline with: npm run -s cli -- verify-bundle --in FILE --public-key KEY');
    if (verification.ok && !shownMismatch) {
      const statement = verification.statement!;
      this.element.removeAttribute('data-broken-revision');
      return this.setStatus('verified', [
        h('p', { class: 'notice ok timeline-chain-summary' }, h('span', { 'aria-hidden': 'true' }, '✓ '), h('strong', {}, 'Verified in this browser. '),
          `${plural(bundle.events.length, 'event')} recomputed from revision 0; the stream chain holds; the statement of its end (revision ${statement.revision}, position ${statement.position}) is signed with Ed25519 at `,
          h('time', { datetime: statement.signedAt }, `${instantLabel(statement.signedAt)} UK time`), ' by key ', h('code', {}, verification.keyId ?? ''), '.'),
        h('p', { class: 'hint' }, 'This proves the record is intact since it was signed. That the key is this system\u2019s, compare its id with the audit key you hold (GET /audit/heads publishes it).'),
        server, checks, save, saveHint,
      ], `Chain verified: ${plural(bundle.events.length, 'event')}, signed by key ${verification.keyId}.`);
    }
    const failure = verification.firstFailure?.detail ?? shownMismatch?.detail ?? 'A check failed.';
    const revision = verification.brokenRevision ?? (verification.ok && shownMismatch ? String(shownMismatch.revision) : null);
    if (revision !== null) this.element.dataset.brokenRevision = revision;
    const brokenEvent = revision === null ? undefined : this.events.find((e) => String(e.revision) === revision);
    this.setStatus('broken', [
      h('p', { class: 'notice error timeline-chain-summary' }, h('span', { 'aria-hidden': 'true' }, '✗ '), h('strong', {}, 'Broken. '), failure,
        brokenEvent ? [' ', eventLink(brokenEvent, `Go to revision ${revision}`), '.'] : null),
      server, checks, save,
    ], `Chain broken: ${failure}`);
  }

  private mark(eventId: string, status: 'ok' | 'broken' | 'unchecked', text: string, title?: string): void {
    const item = this.itemOf(eventId);
    if (item) markLink(item, status, text, title);
  }

  private setStatus(status: ChainStatus, content: Child[], message: string): void {
    this.element.dataset.chainStatus = status;
    if (status === 'checking') this.element.setAttribute('aria-busy', 'true');
    else this.element.removeAttribute('aria-busy');
    replaceChildren(this.body, content);
    announce(this.status, message);
  }
}

/** The history's entry and the bundled event are the same stored event. */
function sameEvent(shown: HistoryEvent, signed: BundledEvent): boolean {
  const m = signed.metadata ?? {};
  try {
    return signed.type === shown.type && signed.revision === String(shown.revision) && signed.position === shown.position
      && canonicalJson(signed.data) === canonicalJson(shown.data)
      && m.recordedAt === shown.recordedAt && m.commandId === shown.commandId && m.correlationId === shown.correlationId
      && m.schemaVersion === shown.schemaVersion && canonicalJson(m.recordedBy ?? null) === canonicalJson(shown.recordedBy ?? null);
  } catch {
    return false;
  }
}
