import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { Command, CommandRunner, Option } from 'nest-commander';
import { keyIdOf, parsePublicKey } from '../../../../libs/audit/src/signing-key';
import { verifyEvidenceBundle } from '../../../../libs/audit/src/verify-bundle';
import type { BundleReport } from '../../../../libs/audit/src/evidence-bundle';
import { report } from '../cli-stores';

/**
 * `verify-bundle --in FILE [--public-key FILE]`: checks an evidence bundle (GET
 * /journeys/:id/evidence) offline, touching no store: recomputes every event's hash and the
 * stream chain from the bundled events, checks the statement names that chain's end and is
 * signed, and checks the latest head's signature. Without `--public-key` the bundle's own key
 * is taken on trust, which proves only that the bundle is intact, not who signed it. Exits 1
 * when any check fails or the key is not the trusted one.
 */
@Command({ name: 'verify-bundle', description: 'Check an evidence bundle offline: its events, stream chain, signed statement and head (give --public-key to trust)' })
export class VerifyBundleCommand extends CommandRunner {
  async run(_args: string[], options: { in?: string; publicKey?: string; json?: boolean }): Promise<void> {
    if (!options.in) throw new Error('verify-bundle needs --in FILE: a bundle from GET /journeys/:id/evidence');
    let bundle: unknown;
    try {
      bundle = JSON.parse(readFileSync(options.in, 'utf8'));
    } catch (error) {
      throw new Error(`${options.in} is not a readable JSON file: ${error instanceof Error ? error.message : error}`);
    }
    let trusted: KeyObject | undefined;
    if (options.publicKey) {
      try {
        trusted = parsePublicKey(readFileSync(options.publicKey, 'utf8'));
      } catch (error) {
        throw new Error(`${options.publicKey} is not an Ed25519 public key (PEM or JWK): ${error instanceof Error ? error.message : error}`);
      }
    }
    const result = verifyEvidenceBundle(bundle, trusted);
    if (!result.ok) process.exitCode = 1;
    report(!!options.json, { ...result, trustedKeyId: trusted ? keyIdOf(trusted) : null }, () => lines(result, trusted));
  }

  @Option({ flags: '-i, --in <file>', description: 'The evidence bundle (JSON)' })
  parseIn(value: string): string {
    return value;
  }

  @Option({ flags: '--public-key <file>', description: 'The audit public key you trust (PEM or JWK), e.g. from GET /audit/heads, obtained apart from the bundle' })
  parsePublicKey(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'Machine-readable output' })
  parseJson(): boolean {
    return true;
  }
}

function lines(result: BundleReport, trusted: KeyObject | undefined): string[] {
  const key = result.keyMatchesTrusted === null
    ? 'WARNING: no --public-key given: the bundle\u2019s own key was taken on trust. That proves the bundle is intact, not who signed it; compare its keyId with the key the system publishes (GET /audit/heads).'
    : result.keyMatchesTrusted ? `The bundle is signed by the trusted key ${keyIdOf(trusted!)}.` : `The bundle is NOT signed by the trusted key ${keyIdOf(trusted!)}.`;
  return [
    ...result.checks.map((c) => `${c.ok ? 'OK  ' : 'FAIL'} ${c.check}: ${c.detail}`),
    key,
    result.ok ? `Verified: ${result.events} events of ${result.streamId}.` : 'Verification FAILED.',
  ];
}
