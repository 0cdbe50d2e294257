import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { CliStores, report } from '../cli-stores';

export const ROLES = ['support_worker', 'auditor', 'analyst', 'admin'] as const;

/**
 * `token --role R --user U --organisation O [--ttl SECONDS]`: mints an HS256 JWT for the
 * embedded default, signed with the secret kept in DATA_DIR/secrets (created on first use,
 * readable by its owner only). The API checks these tokens once authentication is in place
 * (issue 6); production verifies tokens from an OIDC issuer instead.
 */
@Command({ name: 'token', description: 'Mint a signed access token (HS256) for the embedded default' })
export class TokenCommand extends CommandRunner {
  constructor(private readonly stores: CliStores) {
    super();
  }

  async run(_args: string[], options: { role?: string; user?: string; organisation?: string; ttl?: number; json?: boolean }): Promise<void> {
    if (!options.role || !(ROLES as readonly string[]).includes(options.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
    if (!options.user) throw new Error('--user is required');
    if (options.role === 'support_worker' && !options.organisation) throw new Error('--organisation is required for a support worker');
    const issuedAt = Math.floor(Date.now() / 1000);
    const claims = {
      iss: 'victim-journey-tracker', aud: 'victim-journey-tracker', sub: options.user, role: options.role,
      ...(options.organisation ? { organisationId: options.organisation } : {}),
      iat: issuedAt, exp: issuedAt + (options.ttl ?? 8 * 3600),
    };
    const token = signHs256(claims, tokenSecret(this.stores.config.dataDir));
    report(!!options.json, { token, claims }, () => [token]);
  }

  @Option({ flags: '-r, --role <role>', description: `One of ${ROLES.join(', ')}` })
  parseRole(value: string): string {
    return value;
  }

  @Option({ flags: '-u, --user <id>', description: 'The user id the token is for' })
  parseUser(value: string): string {
    return value;
  }

  @Option({ flags: '-o, --organisation <id>', description: 'The user’s organisation (required for support workers)' })
  parseOrganisation(value: string): string {
    return value;
  }

  @Option({ flags: '--ttl <seconds>', description: 'Lifetime in seconds (default 8 hours)' })
  parseTtl(value: string): number {
    const ttl = Number(value);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 31 * 24 * 3600) throw new Error('--ttl must be whole seconds, at most 31 days');
    return ttl;
  }

  @Option({ flags: '--json', description: 'Print the token with its claims as JSON' })
  parseJson(): boolean {
    return true;
  }
}

/** The embedded default's token secret: 32 random bytes, created once, owner-readable only. */
export function tokenSecret(dataDir: string): Buffer {
  const dir = join(dataDir, 'secrets');
  const file = join(dir, 'jwt-hs256.key');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  return Buffer.from(readFileSync(file, 'utf8'), 'base64');
}

export function signHs256(claims: Record<string, unknown>, secret: Buffer): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
