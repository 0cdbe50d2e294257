import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvidenceBundle } from '../../../../libs/audit/src/evidence';
import type { EvidenceBundle } from '../../../../libs/audit/src/evidence-bundle';
import { LedgerKeeper } from '../../../../libs/audit/src/ledger-keeper';
import { AuditSigningKey } from '../../../../libs/audit/src/signing-key';
import { anEvent, appendInterleaved, settled } from '../../../../libs/audit/src/testing/audit-fixtures';
import { auditKeeperOptions, auditSigningKey } from '../../../api/src/audit/audit-keys';
import { loadConfig } from '../../../api/src/config';
import { closeStores, openStores } from '../../../api/src/infrastructure/stores';
import type { CliStores } from '../cli-stores';
import { VerifyBundleCommand } from './verify-bundle.command';
import { VerifyCommand } from './verify.command';

/** Runs a command, capturing what it prints and the exit code it sets. */
async function capture(run: () => Promise<void>): Promise<{ out: string; exitCode: number }> {
  const printed: string[] = [];
  const write = process.stdout.write;
  const errWrite = process.stderr.write;
  process.stdout.write = ((chunk: unknown) => (printed.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  process.exitCode = undefined;
  try {
    await run();
    return { out: printed.join(''), exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.stdout.write = write;
    process.stderr.write = errWrite;
    process.exitCode = undefined;
  }
}

describe('the CLI\u2019s tamper evidence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vjt-cli-audit-'));
  const config = loadConfig({ DATA_DIR: dir });
  const streamId = 'journey-4b1e2c3d-0000-4000-8000-000000000001';
  let bundle: EvidenceBundle;
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const cliStores = { config, use: async (work: (s: unknown) => Promise<unknown>) => {
    const stores = await openStores(config);
    try {
      return await work(stores);
    } finally {
      await closeStores(stores);
    }
  } } as unknown as CliStores;

  beforeAll(async () => {
    const stores = await openStores(config);
    try {
      await appendInterleaved(stores.events, 30, 3);
      await stores.events.append(streamId, [anEvent('VictimIdentified'), anEvent('ConsentRecorded')], 'no_stream');
      const keeper = new LedgerKeeper(stores.events, stores.readStore, { ...auditKeeperOptions(config), headIntervalMs: 0 });
      await keeper.start();
      await settled(keeper, stores.events);
      await keeper.stop();
      bundle = (await buildEvidenceBundle(stores.events, stores.readStore, auditSigningKey(config), streamId))!;
    } finally {
      await closeStores(stores);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('verify-bundle', () => {
    const trustedKey = () => file('trusted.pem', auditSigningKey(config).describe().pem);

    it('passes an intact bundle, saying the key is the trusted one', async () => {
      const run = await capture(() => new VerifyBundleCommand().run([], { in: file('intact.json', JSON.stringify(bundle)), publicKey: trustedKey() }));
      expect(run.exitCode).toBe(0);
      expect(run.out).toContain(`The bundle is signed by the trusted key ${auditSigningKey(config).keyId}.`);
      expect(run.out).toContain('Verified: 2 events');
    });

    it('accepts the trusted key as a JWK too, and warns when none is given', async () => {
      const jwk = file('trusted.jwk', JSON.stringify(auditSigningKey(config).describe().jwk));
      expect((await capture(() => new VerifyBundleCommand().run([], { in: file('intact.json', JSON.stringify(bundle)), publicKey: jwk }))).exitCode).toBe(0);
      const unchecked = await capture(() => new VerifyBundleCommand().run([], { in: file('intact.json', JSON.stringify(bundle)) }));
      expect(unchecked.out).toContain('WARNING: no --public-key given');
    });

    it('fails a bundle with one byte changed in an event', async () => {
      const forged = JSON.stringify(bundle).replace('"note 3', '"note 4');
      expect(forged).not.toBe(JSON.stringify(bundle));
      const run = await capture(() => new VerifyBundleCommand().run([], { in: file('forged.json', forged), publicKey: trustedKey(), json: true }));
      expect(run.exitCode).toBe(1);
      expect(JSON.parse(run.out)).toMatchObject({ ok: false, keyMatchesTrusted: true });
    });

    it('fails a bundle re-signed, with its key, by someone else', async () => {
      const forger = AuditSigningKey.generate();
      const forged: EvidenceBundle = JSON.parse(JSON.stringify(bundle));
      forged.statement.signedAt = '2020-01-01T00:00:00.000Z';
      forged.signature = { algorithm: 'Ed25519', keyId: forger.keyId, value: forger.signCanonical({ kind: 'vjt.stream-statement.v1', ...forged.statement }) };
      forged.publicKey = forger.describe();
      const run = await capture(() => new VerifyBundleCommand().run([], { in: file('resigned.json', JSON.stringify(forged)), publicKey: trustedKey(), json: true }));
      expect(run.exitCode).toBe(1);
      expect(JSON.parse(run.out)).toMatchObject({ ok: false, keyMatchesTrusted: false });
    });
  });

  describe('verify', () => {
    it('reports the chain, ledger and heads intact, for the whole log or a range', async () => {
      const whole = await capture(() => new VerifyCommand(cliStores).run([], { json: true }));
      const chain = JSON.parse(whole.out.slice(whole.out.lastIndexOf('{\n  "ok"'))).findings.find((f: any) => f.check.startsWith('hash chain'));
      expect(chain).toMatchObject({ ok: true, report: { eventsVerified: 33, headsVerified: 1 } });
      const range = await capture(() => new VerifyCommand(cliStores).run([], { json: true, from: 10n, to: 19n }));
      expect(JSON.parse(range.out.slice(range.out.lastIndexOf('{\n  "ok"'))).findings[1]).toMatchObject({ ok: true, report: { eventsVerified: 10 } });
    });

    it('names the first broken link and exits 1 when an event was altered in the file', async () => {
      const db = new Database(join(dir, 'events.sqlite'));
      db.prepare(`UPDATE events SET data = json_set(data, '$.note', 'rewritten') WHERE position = 17`).run();
      db.close();
      const run = await capture(() => new VerifyCommand(cliStores).run([], { json: true }));
      expect(run.exitCode).toBe(1);
      expect(JSON.parse(run.out.slice(run.out.lastIndexOf('{\n  "ok"'))).findings[1]).toMatchObject({ ok: false, detail: expect.stringMatching(/^first broken link at position 17: /) });
    });
  });
});
