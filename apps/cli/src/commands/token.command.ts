import { Command, CommandRunner, Option } from 'nest-commander';
import { isRole, ROLES } from '../../../api/src/auth/tokens/claims';
import { loadOrCreateSigningSecret } from '../../../api/src/auth/tokens/embedded-secret';
import { mintHs256Token } from '../../../api/src/auth/tokens/hs256-minter';
import { decodeJws } from '../../../api/src/auth/tokens/jwt';
import { CliStores, report } from '../cli-stores';

/**
 * `token --role R --user U --organisation O [--ttl SECONDS]`: mints an HS256 JWT for the
 * embedded default, signed with the secret kept in DATA_DIR/secrets (created on first use,
 * readable by its owner only), which Hs256TokenVerifier checks. Every role needs an
 * organisation: the verifier refuses tokens without one. Production verifies tokens from an
 * OIDC issuer instead.
 */
@Command({ name: 'token', description: 'Mint a signed access token (HS256) for the embedded default' })
export class TokenCommand extends CommandRunner {
  constructor(private readonly stores: CliStores) {
    super();
  }

  async run(_args: string[], options: { role?: string; user?: string; organisation?: string; ttl?: number; json?: boolean }): Promise<void> {
    if (!isRole(options.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
    if (!options.user) throw new Error('--user is required');
    if (!options.organisation) throw new Error('--organisation is required');
    const secret = loadOrCreateSigningSecret(this.stores.config.dataDir);
    const token = mintHs256Token(secret, { userId: options.user, role: options.role, organisationId: options.organisation, ttlSeconds: options.ttl ?? 8 * 3600 });
    report(!!options.json, { token, claims: decodeJws(token).payload }, () => [token]);
  }

  @Option({ flags: '-r, --role <role>', description: `One of ${ROLES.join(', ')}` })
  parseRole(value: string): string {
    return value;
  }

  @Option({ flags: '-u, --user <id>', description: 'The user id the token is for' })
  parseUser(value: string): string {
    return value;
  }

  @Option({ flags: '-o, --organisation <id>', description: 'The user’s organisation (required: the API refuses tokens without one)' })
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
