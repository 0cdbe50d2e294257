import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { ROLES, type Role } from '../../../apps/api/src/auth/tokens/claims';
import { loadOrCreateSigningSecret } from '../../../apps/api/src/auth/tokens/embedded-secret';
import { EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from '../../../apps/api/src/auth/tokens/hs256-verifier';
import { tokenFor } from '../../support/running-app';

/** Who sends a fuzzed request: each role, nobody, or someone with a token that must not verify. */
export type Principal = Role | 'no token' | 'bad token';
export const PRINCIPALS: readonly Principal[] = [...ROLES, 'no token', 'bad token'];

/** The organisation whose caseload the fuzzed support worker holds. */
export const OWN_ORGANISATION = 'met-police';

function sign(claims: Record<string, unknown>, secret: Buffer, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode(header)}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** Authorization header values that must all be refused with 401. */
export function badAuthorizations(dataDir: string): string[] {
  const secret = loadOrCreateSigningSecret(dataDir);
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: EMBEDDED_ISSUER, aud: EMBEDDED_AUDIENCE, sub: 'intruder', role: 'support_worker', organisationId: OWN_ORGANISATION, iat: now, nbf: now, exp: now + 600, jti: 'j' };
  const good = tokenFor(dataDir, { role: 'support_worker', organisationId: OWN_ORGANISATION });
  const [header, payload] = good.split('.');
  return [
    'Bearer garbage',
    'Bearer ',
    'Bearer',
    'bearer',
    `Basic ${Buffer.from('admin:admin').toString('base64')}`,
    good, // no scheme
    `Bearer ${good}x`,
    `Bearer ${header}.${payload}.`, // signature stripped
    `Bearer ${header}.${payload}`,
    `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`,
    `Bearer ${sign(claims, Buffer.alloc(32, 7))}`, // another secret
    `Bearer ${sign({ ...claims, role: 'root' }, secret)}`,
    `Bearer ${sign({ ...claims, role: ['admin'] }, secret)}`,
    `Bearer ${sign({ ...claims, exp: now - 3600, nbf: now - 7200, iat: now - 7200 }, secret)}`, // expired
    `Bearer ${sign({ ...claims, nbf: now + 3600 }, secret)}`, // not yet valid
    `Bearer ${sign({ ...claims, aud: 'someone-else' }, secret)}`,
    `Bearer ${sign({ ...claims, iss: 'someone-else' }, secret)}`,
    `Bearer ${sign({ ...claims, organisationId: '' }, secret)}`,
    `Bearer ${sign({ ...claims, sub: undefined }, secret)}`,
    `Bearer ${sign(claims, secret, { alg: 'HS512', typ: 'JWT' })}`,
    `Bearer ${'a'.repeat(6000)}`,
    `Bearer ${good} ${good}`,
    'Bearer é.é.é',
  ];
}

/** The Authorization header (if any) for a principal; a bad token picks one of the bad values. */
export function authorizationFor(principal: Principal, dataDir: string): fc.Arbitrary<string | undefined> {
  if (principal === 'no token') return fc.constant(undefined);
  if (principal === 'bad token') return fc.constantFrom(...badAuthorizations(dataDir));
  const userId = principal === 'support_worker' ? 'worker-7' : `${principal}-1`;
  const organisationId = principal === 'support_worker' ? OWN_ORGANISATION : 'org-central';
  return fc.constant(`Bearer ${tokenFor(dataDir, { role: principal, organisationId, userId })}`);
}
