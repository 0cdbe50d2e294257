import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { cliProjectorOptions, type AppConfig } from '../../../api/src/config';
import { projectToHead } from '../catch-up';
import { readCatalogEntry } from '../../../projector/src/projection-catalog';
import { ALL_PROJECTIONS } from '../../../../projections';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import type { ReadStore } from '../../../../libs/read-store/src/read-store.port';
import { SqliteEventStore } from '../../../../libs/event-store/src/embedded/sqlite-event-store';
import { SqliteReadStore } from '../../../../libs/read-store/src/embedded/sqlite-read-store';
import { SqliteDataKeyStore } from '../../../../libs/personal-data/src/embedded/sqlite-data-key-store';
import { fsyncPath, under } from '../../../../libs/backup/src/files';
import { eventIdAt } from '../../../../libs/backup/src/inspect';
import { STORE_FILES, type BackupManifest } from '../../../../libs/backup/src/manifest';
import { verifyBackup } from '../../../../libs/backup/src/verify-backup';
import { copyBackupFiles, discardStaging, moveIntoPlace, prepareTarget, RestoreRefusedError, type PreparedTarget } from '../../../../libs/backup/src/restore-target';
import { applyNewerErasures, readNewerErasures, reapplyLoggedErasures, type LoggedErasures, type NewerErasure, type NewerLog } from '../../../../libs/backup/src/erasures';
import { secretsConfiguredElsewhere } from '../../../api/src/operations/operator-socket';
import { CliStores, report } from '../cli-stores';
import { Progress } from '../progress';

/** Written into the restored data folder: what the restore did, for the record. */
export const RESTORE_LOG_FILE = 'restore-log.json';

export interface RestoreOptions {
  /** The backup folder. */
  in: string;
  /** The data folder to restore into; DATA_DIR when absent. */
  dataDir?: string;
  /** Move a non-empty target aside instead of refusing. */
  force?: boolean;
  /** A newer copy of the log (a stopped data folder, or an NDJSON export) whose erasures are re-applied. */
  erasuresFrom?: string;
  onStep?: (step: string, seconds: number) => void;
  /** Events applied by the slowest projection while read models catch up. */
  onCatchUp?: (done: number, total: number) => void;
  now?: () => Date;
}

export interface RestoreResult {
  from: string;
  target: string;
  /** Where the target's earlier contents were moved (--force), or null. */
  movedAside: string | null;
  backup: { createdAt: string; completedAt: string; appVersion: string; takenBy: string; source: string };
  /** The restored log: its head position, events and journeys. */
  position: string | null;
  events: number;
  journeys: number;
  erasures: {
    /** From the restored log itself (the erasure enforcer). */
    fromLog: LoggedErasures;
    /** From --erasures-from, when given. */
    fromNewerLog: null | {
      source: string;
      kind: NewerLog['kind'];
      eventsRead: number;
      /** Whether the newer log was seen to continue the backup's (it holds the backup's head event). */
      continuity: 'checked' | 'unchecked';
      found: number;
      applied: NewerErasure[];
      alreadyErased: number;
    };
  };
  readModels: { position: string | null; rebuilt: string[]; serving: Record<string, string> };
  secrets: { restored: string[]; configuredElsewhere: string[] };
  warnings: string[];
  steps: Array<{ step: string; seconds: number }>;
  log: string;
}

/**
 * Restores a backup into a data folder (no process may be using it):
 *  1. verifies the backup (refused when corrupt or partial: nothing is touched);
 *  2. reads the newer log's erasures, when given (refused when it does not continue the backup's log);
 *  3. prepares the target: refused when not empty, unless `force` moves its contents aside;
 *  4. copies the files into a staging folder inside it, checked against the manifest;
 *  5. re-applies erasures: the enforcer over the restored log, then the newer log's;
 *  6. brings the read models up to the restored head (rebuilding a projection whose version changed);
 *  7. moves the restored files into place and writes restore-log.json.
 * A failure after 3 leaves the target empty (and the old contents where they were moved).
 */
export async function restoreBackup(config: AppConfig, options: RestoreOptions): Promise<RestoreResult> {
  if (config.eventStoreConnectionString || config.mongodbUri || config.keyStoreMongodbUri) {
    throw new RestoreRefusedError('restore restores the embedded default\u2019s data folder; EventStoreDB and MongoDB are restored with their own tools (docs/operations.md, "Backups and the restore drill")');
  }
  const from = resolve(options.in);
  const target = resolve(options.dataDir ?? config.dataDir);
  const steps: RestoreResult['steps'] = [];
  const timed = async <T>(step: string, work: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    const result = await work();
    const seconds = Math.round(performance.now() - started) / 1000;
    steps.push({ step, seconds });
    options.onStep?.(step, seconds);
    return result;
  };

  const verification = await timed('verify the backup', () => verifyBackup(from));
  if (!verification.ok) throw new RestoreRefusedError(`Refusing to restore ${from}: ${verification.problem}`);
  const manifest = verification.manifest!;
  const head = manifest.eventStore.head === null ? null : BigInt(manifest.eventStore.head);
  const warnings = secretWarnings(config, manifest);

  let newer: NewerLog | null = null;
  let continuity: 'checked' | 'unchecked' = 'unchecked';
  if (options.erasuresFrom) {
    newer = await timed('read the newer log\u2019s erasures', () => readNewerErasures(resolve(options.erasuresFrom!), head));
    if (head !== null && newer.eventIdAtHead !== null) {
      const ours = eventIdAt(under(from, STORE_FILES.eventStore), head);
      if (newer.eventIdAtHead !== ours) {
        throw new RestoreRefusedError(`--erasures-from ${newer.path} does not continue this backup\u2019s log: at position ${head} it holds event ${newer.eventIdAtHead}, the backup ${ours}`);
      }
      continuity = 'checked';
    } else if (newer.erasures.length > 0) {
      warnings.push(`--erasures-from ${newer.path} does not reach the backup\u2019s head position, so it could not be checked to continue this log; its erasures were applied all the same (destroying a key is never wrong for an erased person)`);
    }
  }

  const prepared = await timed('prepare the target', () => prepareTarget(target, { force: !!options.force, backupDir: from, now: options.now?.() }));
  try {
    await timed('copy the files', () => copyBackupFiles(from, manifest, prepared.staging));
    const restored = await restoreStores(config, prepared, timed, newer, options);
    await timed('move into place', () => moveIntoPlace(prepared));
    const result: RestoreResult = {
      from, target, movedAside: prepared.movedAside,
      backup: { createdAt: manifest.createdAt, completedAt: manifest.completedAt, appVersion: manifest.appVersion, takenBy: manifest.takenBy, source: manifest.source.dataDir },
      position: manifest.eventStore.head, events: manifest.eventStore.events, journeys: manifest.eventStore.journeys,
      erasures: {
        fromLog: restored.fromLog,
        fromNewerLog: newer && {
          source: newer.path, kind: newer.kind, eventsRead: newer.events, continuity, found: newer.erasures.length,
          applied: restored.fromNewer!.applied, alreadyErased: restored.fromNewer!.alreadyErased,
        },
      },
      readModels: restored.readModels,
      secrets: { restored: manifest.secrets.included, configuredElsewhere: manifest.secrets.configuredElsewhere },
      warnings, steps, log: join(target, RESTORE_LOG_FILE),
    };
    writeFileSync(result.log, `${JSON.stringify({ restoredAt: (options.now?.() ?? new Date()).toISOString(), ...result }, null, 2)}\n`, { mode: 0o600 });
    fsyncPath(result.log);
    fsyncPath(target);
    return result;
  } catch (error) {
    discardStaging(prepared);
    if (error instanceof Error && prepared.movedAside) error.message += `\n(The target's earlier contents are in ${prepared.movedAside}.)`;
    throw error;
  }
}

type Timed = <T>(step: string, work: () => Promise<T> | T) => Promise<T>;

/** Steps 5 and 6, on the stores opened in the staging folder. */
async function restoreStores(config: AppConfig, prepared: PreparedTarget, timed: Timed, newer: NewerLog | null, options: RestoreOptions) {
  const events = SqliteEventStore.open({ directory: prepared.staging });
  const readStore = SqliteReadStore.open({ directory: prepared.staging, cachedDocuments: config.readStoreCachedDocuments });
  const keys = SqliteDataKeyStore.open({ dataDir: prepared.staging });
  try {
    const fromLog = await timed('re-apply erasures in the log', () => reapplyLoggedErasures(events, keys));
    const fromNewer = newer ? await timed('re-apply the newer log\u2019s erasures', () => applyNewerErasures(keys, newer.erasures)) : null;
    const readModels = await timed('bring read models up to date', () => catchUpReadModels(config, events, readStore, options.onCatchUp));
    return { fromLog, fromNewer, readModels };
  } finally {
    await keys.close();
    await readStore.close();
    await events.close();
  }
}

/**
 * Runs the projector until every projection has applied the whole log. A projection whose
 * version changed since its read model was built is rebuilt by the projector's start.
 * The audit ledger is left to the API, which catches it up when it starts (docs/audit.md).
 */
export async function catchUpReadModels(
  config: AppConfig, events: EventStore, readStore: ReadStore, onProgress?: (done: number, total: number) => void,
): Promise<RestoreResult['readModels']> {
  const rebuilt: string[] = [];
  for (const projection of ALL_PROJECTIONS) {
    const entry = await readCatalogEntry(readStore, projection.name);
    if (entry && entry.version !== projection.version) rebuilt.push(projection.name);
  }
  const { position, serving } = await projectToHead(events, readStore, { ...cliProjectorOptions(config), retireAfterMs: 0 }, onProgress);
  return { position, rebuilt, serving };
}

/** Secrets the backup did not hold because its deployment configured them, which this one does not. */
function secretWarnings(config: AppConfig, manifest: BackupManifest): string[] {
  const here = new Set(secretsConfiguredElsewhere(config));
  return manifest.secrets.configuredElsewhere.filter((name) => !here.has(name) && !name.startsWith('OIDC_ISSUER')).map((name) =>
    `The backup was taken with ${name} configured, which is not in the backup and not configured here: set it before starting the API, or the restored data cannot be read`);
}

/**
 * `restore --in DIR [--data-dir TARGET] [--force] [--erasures-from PATH]`: see restoreBackup.
 * Stop the API (and the projector) first: a folder in use is refused.
 */
@Command({ name: 'restore', description: 'Restore a verified backup into an empty data folder, re-apply erasures, and bring read models up to date' })
export class RestoreCommand extends CommandRunner {
  constructor(private readonly stores: CliStores) {
    super();
  }

  async run(_args: string[], options: { in?: string; dataDir?: string; force?: boolean; erasuresFrom?: string; json?: boolean }): Promise<void> {
    if (!options.in) throw new Error('restore needs --in DIR: a folder written by `backup`');
    const json = !!options.json;
    let progress: Progress | undefined;
    const result = await restoreBackup(this.stores.config, {
      in: options.in, dataDir: options.dataDir, force: options.force, erasuresFrom: options.erasuresFrom,
      onStep: (step, seconds) => {
        progress?.finish();
        progress = undefined;
        if (!json) process.stderr.write(`${step}: ${seconds.toFixed(2)} s\n`);
      },
      onCatchUp: (done, total) => (progress ??= new Progress('catch up', total, 'events', { json })).update(done, total),
    });
    report(json, result, () => restoreLines(result));
  }

  @Option({ flags: '-i, --in <dir>', description: 'The backup folder (verified first; a corrupt or partial one is refused)' })
  parseIn(value: string): string {
    return value;
  }

  @Option({ flags: '-d, --data-dir <dir>', description: 'The data folder to restore into (default: DATA_DIR)' })
  parseDataDir(value: string): string {
    return value;
  }

  @Option({ flags: '--force', description: 'Restore into a non-empty folder by moving its contents aside first (never deleted)' })
  parseForce(): boolean {
    return true;
  }

  @Option({ flags: '--erasures-from <path>', description: 'A newer data folder (stopped) or NDJSON export whose erasures are re-applied to the restored keys' })
  parseErasuresFrom(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'Machine-readable result' })
  parseJson(): boolean {
    return true;
  }
}

function restoreLines(r: RestoreResult): string[] {
  const newer = r.erasures.fromNewerLog;
  return [
    `Restored ${r.from} (taken ${r.backup.completedAt} from ${r.backup.source}) into ${r.target}`,
    ...(r.movedAside ? [`  the folder's earlier contents were moved to ${r.movedAside}`] : []),
    `  position ${r.position ?? '(empty log)'}: ${r.events} events, ${r.journeys} journeys`,
    `  erasures re-applied from the restored log: ${r.erasures.fromLog.applied}${r.erasures.fromLog.checkpointSetTo !== null ? ` (the key store's erasure checkpoint ${r.erasures.fromLog.checkpointWas} brought back to ${r.erasures.fromLog.checkpointSetTo})` : ''}`,
    ...(newer ? [
      `  erasures from ${newer.source} (${newer.kind}, ${newer.eventsRead} events, continuity ${newer.continuity}): ${newer.found} found, ${newer.applied.length} applied, ${newer.alreadyErased} already erased`,
      ...newer.applied.map((e) => `    journey ${e.journeyId}: key destroyed (erased at position ${e.position}${e.recordedAt ? `, ${e.recordedAt}` : ''})`),
      ...(newer.applied.length ? ['  The erasure events themselves are not in the restored log: they return when the newer log is imported (`import`).'] : []),
    ] : []),
    `  read models at ${r.readModels.position ?? '(nothing to project)'}${r.readModels.rebuilt.length ? `; rebuilt (projection version changed): ${r.readModels.rebuilt.join(', ')}` : ''}`,
    `  secrets restored: ${r.secrets.restored.join(', ') || 'none'}`,
    ...r.warnings.map((w) => `  WARNING: ${w}`),
    ...r.steps.map((s) => `  ${s.step}: ${s.seconds.toFixed(2)} s`),
    `  recorded in ${r.log}`,
  ];
}
