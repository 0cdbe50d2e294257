/**
 * Checks a backup folder without changing it, stopping at the first problem: the manifest is
 * there (a folder without one is partial) and readable; every file it lists is there with its
 * size and SHA-256; each SQLite copy passes `PRAGMA integrity_check` (opened read-only); the
 * event store's head and count are the manifest's; and the read store's checkpoints and audit
 * ledger are at or before that head. A restore runs it first and refuses on any problem.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checksumOf, under } from './files';
import { eventStoreFigures, integrityCheck, journalModeOf, readStoreFigures } from './inspect';
import { COPY_ORDER, MANIFEST_FILE, parseManifest, STORE_FILES, type BackupManifest } from './manifest';

export interface BackupCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface BackupVerification {
  ok: boolean;
  /** The first problem found, named; null when the backup is whole. */
  problem: string | null;
  checks: BackupCheck[];
  /** The manifest, once it could be read. */
  manifest: BackupManifest | null;
}

class Failed extends Error {}

export async function verifyBackup(dir: string): Promise<BackupVerification> {
  const checks: BackupCheck[] = [];
  let manifest: BackupManifest | null = null;
  const pass = (check: string, detail: string) => checks.push({ check, ok: true, detail });
  const fail = (check: string, detail: string): never => {
    checks.push({ check, ok: false, detail });
    throw new Failed(detail);
  };
  try {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) fail('folder', `${dir} is not a folder`);
    const manifestFile = path.join(dir, MANIFEST_FILE);
    if (!fs.existsSync(manifestFile)) fail('manifest', `${MANIFEST_FILE} is missing: the backup is partial (a backup writes its manifest last) or this is not a backup`);
    try {
      manifest = parseManifest(fs.readFileSync(manifestFile, 'utf8'));
    } catch (error) {
      fail('manifest', error instanceof Error ? error.message : String(error));
    }
    const m = manifest!;
    pass('manifest', `format ${m.formatVersion}, taken ${m.completedAt} by ${m.takenBy === 'api' ? 'the running API' : 'the CLI'} (version ${m.appVersion}) from ${m.source.dataDir}`);

    for (const file of m.files) {
      const at = under(dir, file.name);
      if (!fs.existsSync(at)) fail('files', `${file.name} is missing`);
      const bytes = fs.statSync(at).size;
      if (bytes !== file.bytes) fail('files', `${file.name} is ${bytes} bytes; the manifest says ${file.bytes} (truncated or changed)`);
      const { sha256 } = await checksumOf(at);
      if (sha256 !== file.sha256) fail('files', `${file.name} does not match its SHA-256 in the manifest (corrupted or changed)`);
    }
    pass('files', `${m.files.length} files, ${m.files.reduce((sum, f) => sum + f.bytes, 0)} bytes, sizes and SHA-256 as in the manifest`);

    for (const store of COPY_ORDER) {
      const name = STORE_FILES[store];
      // A journal beside a copy would be rolled back into it when opened: the copy would change.
      for (const suffix of ['-journal', '-wal', '-shm']) if (fs.existsSync(under(dir, name + suffix))) fail('sqlite', `${name}${suffix} is beside ${name}: a backup's copies stand alone`);
      let result: string;
      try {
        result = integrityCheck(under(dir, name));
        if (journalModeOf(under(dir, name)) === 'wal') result = 'in WAL mode (a backup copy is not)';
      } catch (error) {
        result = error instanceof Error ? error.message : String(error);
      }
      if (result !== 'ok') fail('sqlite', `${name} fails SQLite's integrity check: ${result}`);
    }
    pass('sqlite', 'each store passes PRAGMA integrity_check');

    const events = eventStoreFigures(under(dir, STORE_FILES.eventStore));
    const head = events.head === null ? null : events.head.toString();
    if (head !== m.eventStore.head) fail('event store', `the event store's head is ${head ?? '(empty)'}; the manifest says ${m.eventStore.head ?? '(empty)'}`);
    if (events.events !== (events.head === null ? 0 : Number(events.head) + 1) || events.events !== m.eventStore.events) {
      fail('event store', `the event store holds ${events.events} events up to head ${head ?? '(empty)'}; the manifest says ${m.eventStore.events}`);
    }
    pass('event store', `head ${head ?? '(empty)'}, ${events.events} events, ${events.journeys} journeys`);

    const reads = readStoreFigures(under(dir, STORE_FILES.readStore));
    for (const [name, position] of [...Object.entries(reads.checkpoints), ['the audit ledger', reads.auditLedger] as const]) {
      if (position !== null && (head === null || BigInt(position) > BigInt(head))) fail('read store', `${name} is at ${position}, past the event store's head ${head ?? '(empty)'}`);
    }
    if (JSON.stringify(reads.checkpoints) !== JSON.stringify(m.readStore.checkpoints)) fail('read store', `the read store's checkpoints ${JSON.stringify(reads.checkpoints)} are not the manifest's ${JSON.stringify(m.readStore.checkpoints)}`);
    pass('read store', `${Object.keys(reads.checkpoints).length} checkpoints and the audit ledger (${reads.auditLedger ?? 'not started'}) at or before the head`);

    pass('secrets', m.secrets.included.length
      ? `included: ${m.secrets.included.join(', ')}${m.secrets.configuredElsewhere.length ? `; configured elsewhere (not in the backup): ${m.secrets.configuredElsewhere.join(', ')}` : ''}`
      : `none included${m.secrets.configuredElsewhere.length ? `; configured elsewhere: ${m.secrets.configuredElsewhere.join(', ')}` : ''}`);
    return { ok: true, problem: null, checks, manifest };
  } catch (error) {
    if (!(error instanceof Failed)) throw error;
    return { ok: false, problem: error.message, checks, manifest };
  }
}
