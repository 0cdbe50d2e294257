import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import type { AppConfig } from '../../../api/src/config';
import { backupSourcesOf, secretsConfiguredElsewhere } from '../../../api/src/operations/operator-socket';
import { closeStores, openStores, type Stores } from '../../../api/src/infrastructure/stores';
import { StoreLockedError } from '../../../../libs/event-store/src/errors';
import { ReadStoreLockedError } from '../../../../libs/read-store/src/embedded/sqlite-file';
import { KeyStoreLockedError } from '../../../../libs/personal-data/src/errors';
import { appVersion } from '../../../../libs/backup/src/app-version';
import { STORE_FILES, type BackupManifest } from '../../../../libs/backup/src/manifest';
import { OperatorSocketUnavailableError, requestBackup } from '../../../../libs/backup/src/operator-protocol';
import { checkBackupFolder, takeBackup, type BackupProgress } from '../../../../libs/backup/src/take-backup';
import { CliStores, report } from '../cli-stores';
import { Progress } from '../progress';

export interface BackupOutcome {
  manifest: BackupManifest;
  /** 'api': the running API took it on its connections (asked on the operator socket); 'cli': this process, on a folder nobody held. */
  via: 'api' | 'cli';
  out: string;
  seconds: number;
}

/**
 * Backs up the data folder into `out`: through the running API's operator socket when the API
 * holds the folder (its stores' locks), else by opening the stores here. Used by `backup` and
 * by the tests.
 */
export async function backupDataFolder(config: AppConfig, outPath: string, onProgress: (progress: BackupProgress) => void = () => undefined): Promise<BackupOutcome> {
  if (!config.operatorSocketPath) {
    throw new Error('backup copies the embedded default\u2019s data folder; with EVENTSTORE_CONNECTION_STRING or MONGODB_URI, back those up with their own tools (docs/operations.md, "Backups and the restore drill")');
  }
  const out = resolve(outPath);
  checkBackupFolder(out);
  if (!existsSync(join(config.dataDir, STORE_FILES.eventStore))) throw new Error(`There is no event store in ${config.dataDir} (DATA_DIR): nothing to back up`);
  const started = performance.now();
  let stores: Stores;
  try {
    stores = await openStores(config);
  } catch (error) {
    if (!(error instanceof StoreLockedError || error instanceof ReadStoreLockedError || error instanceof KeyStoreLockedError)) throw error;
    // The folder is held, normally by the running API: ask it to take the backup.
    let manifest: BackupManifest;
    try {
      manifest = await requestBackup(config.operatorSocketPath, { dataDir: config.dataDir, out }, onProgress);
    } catch (socketError) {
      if (!(socketError instanceof OperatorSocketUnavailableError)) throw socketError;
      throw new Error(`The data folder ${config.dataDir} is held by another process, and nothing answers on its operator socket ${config.operatorSocketPath} (${socketError.code}). ` +
        'If the API holds it, check its log for why it has no operator socket (or whether it was given another OPERATOR_SOCKET); ' +
        'if a CLI command holds it, wait for that to finish; or stop the process and back up again.');
    }
    return { manifest, via: 'api', out, seconds: (performance.now() - started) / 1000 };
  }
  try {
    const sources = backupSourcesOf(config, stores);
    if (!sources) throw new Error('backup needs every store embedded (a key store in MongoDB is backed up with MongoDB\u2019s tools)');
    const manifest = await takeBackup(sources, out, { appVersion: appVersion(), takenBy: 'cli', configuredElsewhere: secretsConfiguredElsewhere(config), onProgress });
    return { manifest, via: 'cli', out, seconds: (performance.now() - started) / 1000 };
  } finally {
    await closeStores(stores);
  }
}

/**
 * `backup --out DIR`: an online, consistent copy of the embedded stores (read store, event
 * store, key store, in that order) and DATA_DIR/secrets into DIR, which must be missing or
 * empty, with DIR/manifest.json written last. While the API runs it takes the backup itself,
 * asked on its operator socket; the API keeps serving meanwhile.
 */
@Command({ name: 'backup', description: 'Take an online, consistent backup of the embedded data folder (stores and secrets) into a new folder' })
export class BackupCommand extends CommandRunner {
  constructor(private readonly stores: CliStores) {
    super();
  }

  async run(_args: string[], options: { out?: string; json?: boolean }): Promise<void> {
    if (!options.out) throw new Error('backup needs --out DIR: a new or empty folder');
    const json = !!options.json;
    let bar: { step: string; progress: Progress } | undefined;
    const onProgress = (progress: BackupProgress) => {
      if (json) return;
      if (progress.type === 'progress') {
        if (bar?.step !== progress.step) bar = { step: progress.step, progress: new Progress(`backup ${progress.step}`, progress.totalPages, 'pages', { json }) };
        bar.progress.update(progress.copiedPages, progress.totalPages);
      } else {
        if (bar?.step === progress.step) bar.progress.finish();
        process.stderr.write(`${progress.step}: ${progress.seconds.toFixed(2)} s\n`);
      }
    };
    const outcome = await backupDataFolder(this.stores.config, options.out, onProgress);
    const { manifest } = outcome;
    const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
    report(json, { ...outcome, bytes }, () => [
      `Backed up ${manifest.source.dataDir} into ${outcome.out} in ${outcome.seconds.toFixed(1)} s (${outcome.via === 'api' ? 'taken by the running API' : 'taken by the CLI: no process held the folder'})`,
      `  event store head ${manifest.eventStore.head ?? '(empty)'}: ${manifest.eventStore.events} events, ${manifest.eventStore.journeys} journeys`,
      `  ${manifest.files.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB: ${manifest.files.map((f) => f.name).join(', ')}`,
      `  secrets included: ${manifest.secrets.included.join(', ') || 'none'}${manifest.secrets.configuredElsewhere.length ? `; NOT included (configured elsewhere, keep them apart): ${manifest.secrets.configuredElsewhere.join(', ')}` : ''}`,
      '  This backup opens every person\u2019s data: keep it as safe as the data folder. Check it with `verify-backup --in DIR`.',
    ]);
  }

  @Option({ flags: '-o, --out <dir>', description: 'A new or empty folder for the backup (written by the API process when it runs)' })
  parseOut(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'Machine-readable result (the manifest)' })
  parseJson(): boolean {
    return true;
  }
}
