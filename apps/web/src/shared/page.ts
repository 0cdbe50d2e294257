import { ApiError, SignInNeeded } from './api';
import { h, replaceChildren, required } from './dom';
import { currentSession, signIn, signOut, type Session } from './session';

export interface PageOptions {
  /** The roles the page is for; another role is told plainly, since the API would refuse its requests. */
  roles: readonly string[];
  /** Draws the page into `main` for the signed-in user. */
  render(main: HTMLElement, session: Session): Promise<void>;
}

/**
 * Starts a page: asks for an access token when no one is signed in (or the API refused the
 * one held), shows who is signed in with a way to sign out, then renders. Errors the page
 * does not handle itself are shown at the top of the page in plain words.
 */
export function startPage(options: PageOptions): void {
  const main = required('#main');
  const user = required('#signed-in');
  const run = async (): Promise<void> => {
    const session = currentSession();
    if (!session) return showSignIn(main, user, run);
    replaceChildren(user,
      h('span', {}, `Signed in as ${session.userId} (${session.role.replace('_', ' ')}, ${session.organisationId})`), ' ',
      h('button', { type: 'button', class: 'link-button', onclick: () => { signOut(); void run(); } }, 'Sign out'));
    if (!options.roles.includes(session.role)) {
      replaceChildren(main, h('p', { class: 'notice error', role: 'alert' },
        `This page is for the ${options.roles.join(' or ')} role; you are signed in as ${session.role.replace('_', ' ')}. Sign out and sign in with another token.`));
      return;
    }
    try {
      await options.render(main, session);
    } catch (error) {
      if (error instanceof SignInNeeded) return showSignIn(main, user, run, error.message);
      replaceChildren(main, h('p', { class: 'notice error', role: 'alert' }, describeError(error)));
    }
  };
  void run();
}

function showSignIn(main: HTMLElement, user: HTMLElement, then: () => Promise<void>, reason?: string): void {
  signOut();
  replaceChildren(user);
  const error = h('p', { class: 'field-error', id: 'token-error', role: 'alert' }, reason ?? '');
  const input = h('textarea', { id: 'token', name: 'token', rows: 4, required: true, spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'token-help token-error' });
  const form = h('form', { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h2', { id: 'sign-in-title' }, 'Sign in'),
    h('label', { for: 'token' }, 'Access token'),
    h('p', { id: 'token-help', class: 'hint' }, 'On the embedded default, mint one with: npm run -s cli -- token --role analyst --user YOU --organisation YOUR-ORG'),
    input, error,
    h('button', { type: 'submit' }, 'Sign in'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    try {
      signIn(input.value);
      void then();
    } catch (problem) {
      error.textContent = problem instanceof Error ? problem.message : String(problem);
      input.focus();
    }
  });
  replaceChildren(main, form);
  input.focus();
}

/** An error in plain words, with the API's code when it gave one. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.errors.map((e) => e.message).join('; ');
    return `${error.message}${fields && !error.message.includes(fields) ? ` (${fields})` : ''} [${error.status} ${error.code}]`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
