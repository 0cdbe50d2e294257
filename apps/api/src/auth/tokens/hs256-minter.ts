import { createHmac, randomUUID } from 'node:crypto';
import { isRole, ROLES } from './claims';
import { EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from './hs256-verifier';

export interface MintRequest {
  userId: string;
  /** Checked against ROLES at run time too: the CLI passes what the operator typed. */
  role: string;
  organisationId: string;
  ttlSeconds: number;
  /** Default: the current time. Lets tests mint tokens that are already expired. */
  now?: Date;
}

/** The claims of a minted token, as Hs256TokenVerifier expects them. */
interface MintedClaims {
  iss: string;
  aud: string;
  sub: string;
  role: string;
  organisationId: string;
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
}

/**
 * Mints an HS256 access token for the embedded default, with the claims Hs256TokenVerifier
 * checks: iss and aud 'victim-journey-tracker', sub, role, organisationId, iat, nbf, exp and a
 * random jti (so two tokens minted in the same second still differ, and can be told apart in
 * logs).
 *
 * @throws Error for a secret under 32 bytes, an unknown role, an empty user or organisation, or a ttl that is not a
 *   positive whole number of seconds: refusing to mint beats handing out a token the API
 *   will reject.
 */
export function mintHs256Token(secret: Buffer, request: MintRequest): string {
  if (secret.length < 32) throw new Error('The HS256 secret must be at least 32 bytes');
  return signHs256(claimsFor(request), secret);
}

function claimsFor(request: MintRequest): MintedClaims {
  if (!isRole(request.role)) throw new Error(`The role must be one of ${ROLES.join(', ')}`);
  if (!request.userId.trim()) throw new Error('The user id must not be empty');
  if (!request.organisationId.trim()) throw new Error('The organisation id must not be empty');
  if (!Number.isInteger(request.ttlSeconds) || request.ttlSeconds < 1) throw new Error('The ttl must be a positive whole number of seconds');
  const issuedAt = Math.floor((request.now ?? new Date()).getTime() / 1000);
  return {
    iss: EMBEDDED_ISSUER,
    aud: EMBEDDED_AUDIENCE,
    sub: request.userId,
    role: request.role,
    organisationId: request.organisationId,
    iat: issuedAt,
    nbf: issuedAt,
    exp: issuedAt + request.ttlSeconds,
    jti: randomUUID(),
  };
}

function signHs256(claims: MintedClaims, secret: Buffer): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
