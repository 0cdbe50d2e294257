import { currentSession } from './session';

/** An answer from the API that is not a success: its status, code and plain message (the API's error shape). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: Array<{ field: string; rule: string; message: string }> = [],
    /** From Retry-After on a 429 or 503: how long the API asks the caller to wait, in seconds. */
    readonly retryAfterSeconds?: number,
    /** The whole error body, for codes that carry more (a 409's current revision). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Raised when no one is signed in, or the API refused the token (401): the page asks for one. */
export class SignInNeeded extends Error {
  constructor(message = 'Sign in with an access token to continue.') {
    super(message);
    this.name = 'SignInNeeded';
  }
}

/** GET a JSON resource of the API with the signed-in user's token. */
export async function getJson<T>(path: string, init: { signal?: AbortSignal } = {}): Promise<T> {
  const response = await request(path, 'application/json', init.signal);
  return (await response.json()) as T;
}

/** GET a text resource (CSV) of the API with the signed-in user's token. */
export async function getText(path: string, accept: string, init: { signal?: AbortSignal } = {}): Promise<string> {
  const response = await request(path, accept, init.signal);
  return response.text();
}

async function request(path: string, accept: string, signal?: AbortSignal): Promise<Response> {
  const session = currentSession();
  if (!session) throw new SignInNeeded();
  const response = await fetch(path, { headers: { authorization: `Bearer ${session.token}`, accept }, signal });
  if (response.ok) return response;
  return throwApiError(response);
}

/** Turns an unsuccessful answer into SignInNeeded (401) or ApiError, in plain words. */
async function throwApiError(response: Response): Promise<never> {
  let body: { code?: string; message?: string; errors?: ApiError['errors']; [more: string]: unknown } = {};
  try {
    body = await response.json();
  } catch {
    // Not the API's error shape (a proxy's page, say): the status says enough.
  }
  const message = body.message ?? `${response.status} ${response.statusText}`;
  if (response.status === 401) throw new SignInNeeded(`The API refused the token: ${message}`);
  throw new ApiError(response.status, body.code ?? 'HTTP_ERROR', message, body.errors ?? [], retryAfterSeconds(response.headers.get('retry-after')), body);
}

/** The API's answer to a write: its status, body and the headers a form needs (ETag, Location, Idempotent-Replayed). */
export interface WriteResult<T> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * POST a JSON body with the signed-in user's token and any extra headers (Idempotency-Key,
 * If-Match, X-Purpose). Success answers resolve; the API's errors throw ApiError (its 400
 * `errors` name each field and rule, its 409 the current revision), a refused token SignInNeeded.
 */
export async function postJson<T>(path: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<WriteResult<T>> {
  const session = currentSession();
  if (!session) throw new SignInNeeded();
  const response = await fetch(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.token}`, accept: 'application/json', 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal,
  });
  if (response.ok) return { status: response.status, body: (await response.json()) as T, headers: response.headers };
  return throwApiError(response);
}

/** GET a JSON resource with extra headers (X-Purpose), returning the headers too (ETag). */
export async function getWithHeaders<T>(path: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<WriteResult<T>> {
  const session = currentSession();
  if (!session) throw new SignInNeeded();
  const response = await fetch(path, { headers: { authorization: `Bearer ${session.token}`, accept: 'application/json', ...headers }, signal });
  if (response.ok) return { status: response.status, body: (await response.json()) as T, headers: response.headers };
  return throwApiError(response);
}

/** A query string from the parameters that are set, in a stable order. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Retry-After in seconds (the API sends seconds, never an HTTP date), or undefined when absent or unreadable. */
function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim());
}
