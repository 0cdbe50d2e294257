import { resolve } from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { verifyBackup } from '../../../../libs/backup/src/verify-backup';
import { report } from '../cli-stores';

/**
 * `verify-backup --in DIR`: checks a backup without touching any store: the manifest (a folder
 * without one is partial), every file's size and SHA-256, SQLite's integrity check on each
 * copy (opened read-only), the event store's head against the manifest's, and the read store's
 * checkpoints at or before it. Exits 1 naming the first problem. (`verify` checks the live log;
 * `verify-bundle` an evidence bundle.)
 */
@Command({ name: 'verify-backup', description: 'Check a backup folder: manifest, sizes and SHA-256, SQLite integrity, head and checkpoints' })
export class VerifyBackupCommand extends CommandRunner {
  async run(_args: string[], options: { in?: string; json?: boolean }): Promise<void> {
    if (!options.in) throw new Error('verify-backup needs --in DIR: a folder written by `backup`');
    const dir = resolve(options.in);
    const result = await verifyBackup(dir);
    if (!result.ok) process.exitCode = 1;
    const m = result.manifest;
    report(!!options.json, { dir, ...result }, () => [
      ...result.checks.map((c) => `${c.ok ? 'OK  ' : 'FAIL'} ${c.check}: ${c.detail}`),
      result.ok
        ? `Backup verified: head ${m!.eventStore.head ?? '(empty)'}, ${m!.eventStore.events} events, ${m!.eventStore.journeys} journeys, taken ${m!.completedAt}.`
        : `Backup NOT usable: ${result.problem}`,
    ]);
  }

  @Option({ flags: '-i, --in <dir>', description: 'The backup folder' })
  parseIn(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'Machine-readable result' })
  parseJson(): boolean {
    return true;
  }
}
