/**
 * The signed-in user's access token, kept in sessionStorage: it lasts as long as the tab and
 * never goes into a URL (where it would end up in history and server logs). The claims are
 * read only to say who is signed in; the API verifies the token on every request.
 */
const STORAGE_KEY = 'vjt.accessToken';

export interface Session {
  token: string;
  userId: string;
  role: string;
  organisationId: string;
  expiresAt?: Date;
}

export function currentSession(): Session | undefined {
  const token = sessionStorage.getItem(STORAGE_KEY);
  if (!token) return undefined;
  const session = sessionFromToken(token);
  if (!session || (session.expiresAt && session.expiresAt.getTime() <= Date.now())) {
    signOut();
    return undefined;
  }
  return session;
}

export function signIn(token: string): Session {
  const trimmed = token.trim().replace(/^Bearer\s+/i, '');
  const session = sessionFromToken(trimmed);
  if (!session) throw new Error('That is not an access token: paste the whole token (three parts separated by dots).');
  if (session.expiresAt && session.expiresAt.getTime() <= Date.now()) throw new Error('That token has expired: mint a new one.');
  sessionStorage.setItem(STORAGE_KEY, trimmed);
  return session;
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** The claims of a JWT, unverified (the API verifies it), or undefined when it is not one. */
export function sessionFromToken(token: string): Session | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const json = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(parts[1].length / 4) * 4, '='));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
    if (typeof claims.sub !== 'string' || typeof claims.role !== 'string') return undefined;
    return {
      token,
      userId: claims.sub,
      role: claims.role,
      organisationId: typeof claims.organisationId === 'string' ? claims.organisationId : '',
      expiresAt: typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined,
    };
  } catch {
    return undefined;
  }
}
