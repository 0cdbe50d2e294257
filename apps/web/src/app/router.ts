/**
 * The support workers' app is one page with two views, moved between with the History API:
 *
 * - `/app`: the caseload, its filters in the query string (`reference`, `status`, `overdue`,
 *   `page`, `pageSize`);
 * - `/app/journeys/<journey id>`: one journey.
 *
 * Links are real `<a href>`s (open in a new tab, copy, bookmark all work); a plain click on one
 * is handled here without reloading the page. The URL only ever holds ids and filters, never
 * personal data; what a view needs beyond that (a position to read its own writes at) travels
 * in `history.state`, which never leaves the browser.
 */
import { SignInNeeded } from '../shared/api';
import type { Session } from '../shared/session';

const JOURNEY_PATH = /^\/app\/journeys\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;
const CASELOAD_PATH = /^\/app\/?$/;

export type Route =
  | { view: 'caseload'; params: URLSearchParams }
  | { view: 'journey'; journeyId: string }
  | { view: 'unknown'; path: string };

/** Which view an address of the app shows. */
export function routeOf(pathname: string, search = ''): Route {
  if (CASELOAD_PATH.test(pathname)) return { view: 'caseload', params: new URLSearchParams(search) };
  const journey = JOURNEY_PATH.exec(pathname);
  if (journey) return { view: 'journey', journeyId: journey[1].toLowerCase() };
  return { view: 'unknown', path: pathname };
}

export const caseloadPath = (params?: URLSearchParams | string): string => {
  const text = params === undefined ? '' : String(params);
  return text ? `/app?${text}` : '/app';
};
export const journeyPath = (journeyId: string): string => `/app/journeys/${journeyId}`;

/** What a view may keep with a history entry (never in the URL): the position a read must wait for. */
export interface NavigationState {
  minPosition?: string;
  /** The revision a step just recorded (the view says so). */
  recorded?: number;
  /** Where focus goes once the view is drawn: its heading (default) or its results. */
  focus?: 'results';
}

export interface ViewContext {
  main: HTMLElement;
  session: Session;
  /** Aborted when the user moves on to another view: drop late answers. */
  signal: AbortSignal;
  /** The history entry's state (`minPosition` after a step was recorded). */
  state: NavigationState;
  /** True when this view follows a navigation within the page (focus moves to its heading). */
  navigated: boolean;
  /** Goes to another view of the app, adding a history entry (`replace` to change this one). */
  navigate(path: string, options?: { state?: NavigationState; replace?: boolean }): void;
  /** Hands over to the sign-in form (no token, or the API refused it). */
  signInNeeded(error: SignInNeeded): void;
}

export type RenderView = (route: Route, context: ViewContext) => Promise<void>;

let active: Router | undefined;

/**
 * Starts the router on `main`. The promise it returns settles only when the API asks for a
 * sign-in again, rejecting with SignInNeeded, so that startPage (shared/page.ts), which awaits
 * the page's render, shows its sign-in form with the reason. Starting again (after signing out
 * and in) stops the previous router.
 */
export function startRouter(main: HTMLElement, session: Session, render: RenderView): Promise<never> {
  active?.stop();
  const router = new Router(main, session, render);
  active = router;
  return router.start();
}

class Router {
  private current: { key: string; controller: AbortController } | undefined;
  private reject: ((error: SignInNeeded) => void) | undefined;
  private readonly onClick = (event: MouseEvent) => this.click(event);
  private readonly onPopState = () => this.show(true);

  constructor(private readonly main: HTMLElement, private readonly session: Session, private readonly render: RenderView) {}

  start(): Promise<never> {
    document.addEventListener('click', this.onClick);
    window.addEventListener('popstate', this.onPopState);
    const settled = new Promise<never>((_resolve, reject) => { this.reject = reject; });
    this.show(false);
    return settled;
  }

  stop(): void {
    document.removeEventListener('click', this.onClick);
    window.removeEventListener('popstate', this.onPopState);
    this.current?.controller.abort();
    this.current = undefined;
    this.reject = undefined;
  }

  navigate(path: string, options: { state?: NavigationState; replace?: boolean } = {}): void {
    const url = new URL(path, location.origin);
    if (url.origin !== location.origin || routeOf(url.pathname).view === 'unknown') {
      location.assign(url.href);
      return;
    }
    const state = options.state ?? {};
    if (options.replace) history.replaceState(state, '', url.pathname + url.search);
    else history.pushState(state, '', url.pathname + url.search);
    // The same address again (a re-submitted filter, a reload after a step) still re-renders.
    this.current = undefined;
    this.show(true);
    window.scrollTo(0, 0);
  }

  /** Renders the view of the current address, unless it is already shown (a change of #hash only). */
  private show(navigated: boolean): void {
    const key = location.pathname + location.search;
    const state = (history.state ?? {}) as NavigationState;
    if (this.current?.key === key) return;
    this.current?.controller.abort();
    const controller = new AbortController();
    this.current = { key, controller };
    const context: ViewContext = {
      main: this.main,
      session: this.session,
      signal: controller.signal,
      state: { ...state },
      navigated,
      navigate: (path, options) => this.navigate(path, options),
      signInNeeded: (error) => this.signInNeeded(error),
    };
    this.render(routeOf(location.pathname, location.search), context).catch((error: unknown) => {
      if (error instanceof SignInNeeded) this.signInNeeded(error);
      else throw error;
    });
  }

  private signInNeeded(error: SignInNeeded): void {
    const reject = this.reject;
    this.stop();
    if (active === this) active = undefined;
    reject?.(error);
  }

  /** A plain left click on a link to a view of the app: shown here, without reloading. */
  private click(event: MouseEvent): void {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
    if (!link || (link.target && link.target !== '_self') || link.hasAttribute('download')) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || routeOf(url.pathname).view === 'unknown') return;
    // A link to a place on this view (#event-…) is the browser's business.
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
    event.preventDefault();
    this.navigate(url.pathname + url.search);
  }
}
