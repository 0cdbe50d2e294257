/**
 * The support workers' app (issue 13): the caseload at /app and each journey's page at
 * /app/journeys/:id, one bundle, views switched by the router without reloading the page.
 * Signed in like the other pages (shared/page.ts): the token stays in the tab, never in a URL.
 */
import { h, replaceChildren } from '../shared/dom';
import { startPage } from '../shared/page';
import { renderCaseload } from './caseload/caseload-view';
import { renderJourney, rememberCaseload } from './journey/journey-view';
import { caseloadPath, startRouter, type Route, type ViewContext } from './router';

async function renderView(route: Route, context: ViewContext): Promise<void> {
  switch (route.view) {
    case 'caseload':
      rememberCaseload(caseloadPath(route.params));
      return renderCaseload(route.params, context);
    case 'journey':
      return renderJourney(route.journeyId, context);
    default:
      document.title = 'Page not found · Support workers · Victim Journey Tracker';
      replaceChildren(context.main, h('div', { class: 'app-view', 'data-view': 'unknown', 'data-state': 'error' },
        h('h1', { tabindex: -1 }, 'Page not found'),
        h('p', {}, 'There is no such page. ', h('a', { href: caseloadPath() }, 'Go to your caseload'), '.')));
  }
}

startPage({ roles: ['support_worker'], render: (main, session) => startRouter(main, session, renderView) });
