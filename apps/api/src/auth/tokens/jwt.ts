import { AuthenticatedUser, InvalidToken, isRole, Role, ROLES } from './claims';

/**
 * The parts of JWT handling both verifiers share: splitting a compact JWS and checking the
 * registered and application claims. Signature checks live in each verifier, because which
 * algorithms and keys are acceptable is exactly what differs between them.
 */

/** Far above any real access token; stops a huge header from costing us JSON parsing. */
const MAX_TOKEN_LENGTH = 16 * 1024;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export type JsonObject = Record<string, unknown>;

export interface DecodedJws {
  header: JsonObject;
  payload: JsonObject;
  /** `<header>.<payload>` exactly as received: what the signature covers. */
  signingInput: Buffer;
  signature: Buffer;
}

/** Splits and parses a compact JWS without trusting any of it yet. */
export function decodeJws(token: string): DecodedJws {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw new InvalidToken('malformed');
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) throw new InvalidToken('malformed');
  const header = parseObject(parts[0]);
  // Extensions we do not implement must not be silently ignored (RFC 7515 §4.1.11).
  if ('crit' in header) throw new InvalidToken('unsupported header crit');
  return {
    header,
    payload: parseObject(parts[1]),
    signingInput: Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'),
    signature: Buffer.from(parts[2], 'base64url'),
  };
}

function parseObject(part: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidToken('malformed');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidToken('malformed');
  return Object.fromEntries(Object.entries(value));
}

export interface ClaimExpectations {
  issuer: string;
  audience: string;
  clockToleranceSeconds: number;
  /** Milliseconds since the epoch. */
  now: number;
  /** Which claims carry the role and the organisation (an external issuer may name them differently). */
  roleClaim: string;
  organisationClaim: string;
  /** OIDC providers often put roles in a list; the embedded tokens always carry one string. */
  roleMayBeList: boolean;
}

/** Checks lifetime, issuer, audience and the application's claims; returns the user they name. */
export function authenticatedUser(payload: JsonObject, expect: ClaimExpectations): AuthenticatedUser {
  const now = expect.now / 1000;
  const tolerance = expect.clockToleranceSeconds;
  const exp = numericDate(payload, 'exp');
  if (exp === undefined) throw new InvalidToken('missing claim exp');
  if (now - tolerance >= exp) throw new InvalidToken('expired');
  const nbf = numericDate(payload, 'nbf');
  if (nbf !== undefined && nbf > now + tolerance) throw new InvalidToken('not yet valid');
  const iat = numericDate(payload, 'iat');
  if (iat !== undefined && iat > now + tolerance) throw new InvalidToken('issued in the future');
  if (payload.iss !== expect.issuer) throw new InvalidToken('wrong issuer');
  const aud = payload.aud;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(expect.audience)) throw new InvalidToken('wrong audience');

  const sub = payload.sub;
  if (typeof sub !== 'string' || sub.length === 0) throw new InvalidToken('missing claim sub');
  const organisationId = payload[expect.organisationClaim];
  if (typeof organisationId !== 'string' || organisationId.trim().length === 0) throw new InvalidToken(`missing claim ${expect.organisationClaim}`);
  return { userId: sub, role: roleFrom(payload[expect.roleClaim], expect), organisationId, expiresAt: new Date(exp * 1000) };
}

function numericDate(payload: JsonObject, claim: string): number | undefined {
  const value = payload[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidToken(`malformed claim ${claim}`);
  return value;
}

function roleFrom(value: unknown, expect: ClaimExpectations): Role {
  if (value === undefined) throw new InvalidToken(`missing claim ${expect.roleClaim}`);
  if (Array.isArray(value) && expect.roleMayBeList) {
    // A provider's list mixes our roles with its own (offline_access ...): ignore those, but
    // two of ours is ambiguous and we will not guess which one the caller meant.
    const known = value.filter(isRole);
    if (known.length === 1) return known[0];
    throw new InvalidToken(known.length === 0 ? `no known role (expected one of ${ROLES.join(', ')})` : 'several roles');
  }
  if (isRole(value)) return value;
  // Echo only a short, printable prefix: the value comes from the token.
  const shown = typeof value === 'string' ? value.replace(/[^\w.:-]/g, '?').slice(0, 40) : typeof value;
  throw new InvalidToken(`unknown role ${shown}`);
}
