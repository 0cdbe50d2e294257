/**
 * A backup's manifest, `DIR/manifest.json`: what the backup holds and how to check it. It is
 * written last, after every file is copied and fsynced, so a folder without one is a partial
 * backup (interrupted, or still being written) and nothing restores it.
 */

export const BACKUP_FORMAT = 'victim-journey-tracker-backup';
/** Bumped when the layout or the manifest changes in a way an older restore would misread. */
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

/** The embedded default's store files, by their place in a data folder (and in a backup, the same). */
export const STORE_FILES = {
  readStore: 'read-models.sqlite',
  eventStore: 'events.sqlite',
  keyStore: 'keys/data-keys.sqlite',
} as const;

/** The order a backup copies the stores in, and why: see take-backup.ts. */
export const COPY_ORDER = ['readStore', 'eventStore', 'keyStore'] as const;
export type StoreName = (typeof COPY_ORDER)[number];

/** Where the embedded default keeps its generated secrets, in a data folder and in a backup. */
export const SECRETS_FOLDER = 'secrets';

export type BackupFileRole = 'read store' | 'event store' | 'key store' | 'secret';

export const STORE_ROLES: Record<StoreName, BackupFileRole> = { readStore: 'read store', eventStore: 'event store', keyStore: 'key store' };

export interface BackupFile {
  /** Relative to the backup folder (and to a data folder), with '/' separators. */
  name: string;
  role: BackupFileRole;
  bytes: number;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  /** When the backup started and when its last file was copied (ISO 8601). */
  createdAt: string;
  completedAt: string;
  /** The version (package.json) of the code that took it. */
  appVersion: string;
  /** Taken by the running API on its own connections, or by the CLI on a data folder nobody held. */
  takenBy: 'api' | 'cli';
  source: { dataDir: string; hostname: string };
  eventStore: {
    /** The last event's position in the backup (decimal), null for an empty log. */
    head: string | null;
    events: number;
    streams: number;
    journeys: number;
  };
  readStore: {
    /** Each projection collection's checkpoint (decimal position), all at or before the head. */
    checkpoints: Record<string, string>;
    /** How far the audit ledger had got (decimal position), null before its first event. */
    auditLedger: string | null;
  };
  keyStore: {
    /** Live data keys and tombstones of erased journeys. */
    keys: number;
    erased: number;
    /** How far the key store had applied erasures from the log (may be past the event store's head: it is copied last). */
    erasureCheckpoint: string | null;
  };
  files: BackupFile[];
  secrets: {
    /** Files of DATA_DIR/secrets copied into the backup (under secrets/). */
    included: string[];
    /** Secrets this deployment takes from its configuration instead: not in the backup, keep them apart. */
    configuredElsewhere: string[];
    note: string;
  };
  /** How the three stores were made consistent with one another. */
  consistency: string;
  /** Seconds each step took. */
  steps: Array<{ step: string; seconds: number }>;
}

export const SECRETS_NOTE =
  'The secrets are needed to read anything in this backup: the key-encryption key unwraps the data keys that open personal data, ' +
  'the pseudonym key keeps analysts\u2019 ids stable, the audit key signs heads, the token secret signs sign-in tokens. ' +
  'With them, this backup opens every person\u2019s data: keep it as safe as the data folder itself.';

export const CONSISTENCY_NOTE =
  'Copied in the order read store, event store, key store, each with SQLite\u2019s online backup on the running connection: ' +
  'the read models, checkpoints and audit ledger are at or before the event store\u2019s head (the projector catches up after a restore), ' +
  'and every data key an event in the backup needs exists (keys are stored before their events are appended).';

/** A backup that cannot be used, with the first problem found. */
export class BackupInvalidError extends Error {
  readonly type = 'backup_invalid' as const;
  constructor(readonly dir: string, readonly problem: string) {
    super(`${dir} is not a usable backup: ${problem}`);
    this.name = 'BackupInvalidError';
  }
}

/** A file name a manifest may list: the three stores, and secrets/<plain name>. Nothing else, so no name escapes the folder. */
export function isAllowedFileName(name: string): boolean {
  if ((Object.values(STORE_FILES) as string[]).includes(name)) return true;
  const [folder, file, ...rest] = name.split('/');
  return folder === SECRETS_FOLDER && rest.length === 0 && /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(file ?? '');
}

const isDecimal = (value: unknown): value is string => typeof value === 'string' && /^(0|[1-9]\d*)$/.test(value);

/**
 * Parses and checks a manifest's text: the format and version this code reads, every field a
 * restore relies on, and file names that stay inside the backup.
 * @throws Error naming the first problem.
 */
export function parseManifest(text: string): BackupManifest {
  let value: any;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${MANIFEST_FILE} is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!value || typeof value !== 'object') throw new Error(`${MANIFEST_FILE} is not a JSON object`);
  if (value.format !== BACKUP_FORMAT) throw new Error(`${MANIFEST_FILE} is not a Victim Journey Tracker backup manifest (format ${JSON.stringify(value.format)})`);
  if (value.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new Error(`${MANIFEST_FILE} has format version ${JSON.stringify(value.formatVersion)}; this code reads version ${BACKUP_FORMAT_VERSION}`);
  }
  const head = value.eventStore?.head;
  if (head !== null && !isDecimal(head)) throw new Error(`${MANIFEST_FILE}: eventStore.head must be a decimal position or null`);
  for (const field of ['events', 'streams', 'journeys'] as const) {
    if (!Number.isInteger(value.eventStore?.[field])) throw new Error(`${MANIFEST_FILE}: eventStore.${field} must be a whole number`);
  }
  const checkpoints = value.readStore?.checkpoints;
  if (!checkpoints || typeof checkpoints !== 'object' || !Object.values(checkpoints).every(isDecimal)) {
    throw new Error(`${MANIFEST_FILE}: readStore.checkpoints must map collections to decimal positions`);
  }
  if (value.readStore.auditLedger !== null && !isDecimal(value.readStore.auditLedger)) throw new Error(`${MANIFEST_FILE}: readStore.auditLedger must be a decimal position or null`);
  if (!Array.isArray(value.files)) throw new Error(`${MANIFEST_FILE}: files must be a list`);
  const names = new Set<string>();
  for (const file of value.files) {
    if (!file || typeof file.name !== 'string' || !isAllowedFileName(file.name)) throw new Error(`${MANIFEST_FILE} lists a file it may not: ${JSON.stringify(file?.name)}`);
    if (names.has(file.name)) throw new Error(`${MANIFEST_FILE} lists ${file.name} twice`);
    names.add(file.name);
    if (!Number.isInteger(file.bytes) || file.bytes < 0 || typeof file.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(file.sha256)) {
      throw new Error(`${MANIFEST_FILE}: ${file.name} needs a size in bytes and a hex SHA-256`);
    }
  }
  for (const name of Object.values(STORE_FILES)) if (!names.has(name)) throw new Error(`${MANIFEST_FILE} does not list ${name}: the backup is incomplete`);
  if (!Array.isArray(value.secrets?.included) || !Array.isArray(value.secrets?.configuredElsewhere)) throw new Error(`${MANIFEST_FILE}: secrets must say which are included`);
  return value as BackupManifest;
}
