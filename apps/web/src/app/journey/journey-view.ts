/**
 * A journey's page (`/app/journeys/:id`): where it stands (GET /journeys/:id), the next steps
 * the rules allow with their forms (next-steps.ts), the person's personal details only when
 * asked for with a purpose, and what happened (GET /journeys/:id/history). After a step is
 * recorded the page is drawn again from a read that waits for that step (`minPosition`).
 * Another organisation's journey, or one that does not exist, gets one plain sentence.
 */
import { ApiError, getJson, query, SignInNeeded } from '../../shared/api';
import { h, replaceChildren } from '../../shared/dom';
import { describeError } from '../../shared/page';
import type { JourneyHistory } from '../../timeline/api-types';
import type { AppJourney } from '../caseload/api-types';
import { caseloadPath, journeyPath, type ViewContext } from '../router';
import { eventsSection } from './events';
import { nextStepsPanel } from './next-steps';
import { PersonalDetailsPanel } from './personal-details';
import { journeySummary } from './summary';

export const NOT_ON_CASELOAD = 'This journey is not on your organisation\u2019s caseload, or does not exist.';

/** The caseload address the worker came from, so "Back to the caseload" keeps their search and page. */
let lastCaseload = caseloadPath();
export function rememberCaseload(path: string): void {
  lastCaseload = path;
}

export async function renderJourney(journeyId: string, context: ViewContext): Promise<void> {
  document.title = 'Journey · Support workers · Victim Journey Tracker';
  const heading = h('h1', { id: 'view-title', tabindex: -1 }, 'Journey');
  const body = h('div', { class: 'app-journey-body' }, h('p', { class: 'loading', role: 'status' }, 'Loading the journey…'));
  const root = h('div', { class: 'app-view app-journey', 'data-view': 'journey', 'data-state': 'loading', 'data-journey-id': journeyId },
    h('p', { class: 'app-back' }, h('a', { href: lastCaseload }, 'Back to the caseload')),
    heading,
    body);
  replaceChildren(context.main, root);
  if (context.navigated) heading.focus();

  // A step just recorded: this read waits until the read model has it. (The state is used once:
  // a reload of the page later reads the journey as it then stands.)
  const { minPosition, recorded } = context.state;
  if (minPosition || recorded !== undefined) history.replaceState({}, '', location.pathname + location.search);

  let journey: AppJourney;
  let history_: JourneyHistory | undefined;
  let historyError: unknown;
  try {
    const journeyRead = getJson<AppJourney>(`/journeys/${journeyId}${query({ minPosition })}`, { signal: context.signal });
    // A new journey's history is refused until the read model knows whose caseload it is on: read it once the journey is there.
    const historyRead = (minPosition ? journeyRead.then(() => undefined) : Promise.resolve())
      .then(() => getJson<JourneyHistory>(`/journeys/${journeyId}/history`, { signal: context.signal }));
    historyRead.catch(() => undefined);
    journey = await journeyRead;
    try {
      history_ = await historyRead;
    } catch (error) {
      if (error instanceof SignInNeeded) throw error;
      historyError = error;
    }
  } catch (error) {
    if (error instanceof SignInNeeded) throw error;
    if (context.signal.aborted) return;
    root.dataset.state = 'error';
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
      root.dataset.error = 'not-on-caseload';
      heading.textContent = 'Journey not available';
      replaceChildren(body, h('p', { class: 'notice error', role: 'alert', 'data-testid': 'journey-refused' }, NOT_ON_CASELOAD),
        h('p', {}, h('a', { href: caseloadPath() }, 'Go to your caseload')));
    } else {
      root.dataset.error = 'unavailable';
      replaceChildren(body, h('p', { class: 'notice error', role: 'alert', 'data-testid': 'journey-error' }, `The journey could not be read: ${describeError(error)}`));
    }
    return;
  }
  if (context.signal.aborted) return;

  const name = journey.currentReferralId ?? `identified ${journey.identifiedOn}`;
  heading.textContent = journey.currentReferralId ? `Journey ${journey.currentReferralId}` : `Journey ${journeyId.slice(0, 8)} (not referred)`;
  document.title = `Journey ${name} · Support workers · Victim Journey Tracker`;

  const personal = new PersonalDetailsPanel(journey, context.signInNeeded);
  context.signal.addEventListener('abort', () => personal.dispose());
  const onRecorded = (result: { journeyId: string; revision: number; position: string }) => {
    context.navigate(journeyPath(result.journeyId), { state: { minPosition: result.position, recorded: result.revision }, replace: result.journeyId === journeyId });
  };
  const steps = h('div', { class: 'app-next-steps', 'data-testid': 'next-steps' },
    nextStepsPanel({ journeyId, revision: journey.lastRevision, onRecorded }));

  replaceChildren(body,
    recorded !== undefined
      ? h('p', { class: 'notice ok', role: 'status', 'data-testid': 'step-recorded', 'data-revision': recorded },
        h('strong', {}, 'Recorded. '), `The journey is now at revision ${recorded}; what follows includes it.`)
      : null,
    h('p', { class: 'app-journey-id' }, 'Journey id ', h('code', {}, journeyId)),
    h('div', { class: 'app-journey-top' },
      journeySummary(journey),
      h('div', { class: 'app-journey-side' }, steps, personal.element)),
    history_
      ? eventsSection(journeyId, history_.events, journey.episodes)
      : h('section', { class: 'app-events', 'aria-labelledby': 'events-title' },
        h('h2', { id: 'events-title' }, 'What happened'),
        h('p', { class: 'notice error', role: 'alert', 'data-testid': 'events-error' }, `The journey\u2019s events could not be read: ${describeError(historyError)}`)));
  root.dataset.state = 'ready';
  root.dataset.revision = String(journey.lastRevision);
}
