import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformFileSync } from '@swc/core';
import { loadOrCreateSigningSecret } from './embedded-secret';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('loadOrCreateSigningSecret', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'vjt-secret-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  const keyFile = () => join(dataDir, 'secrets', 'jwt-hs256.key');

  it('creates 32 random bytes as base64, owner-only, and returns the same secret afterwards', () => {
    const secret = loadOrCreateSigningSecret(dataDir);
    expect(secret).toHaveLength(32);
    expect(readFileSync(keyFile(), 'utf8')).toBe(secret.toString('base64'));
    expect(mode(join(dataDir, 'secrets'))).toBe(0o700);
    expect(mode(keyFile())).toBe(0o600);
    expect(loadOrCreateSigningSecret(dataDir).equals(secret)).toBe(true);
    expect(readdirSync(join(dataDir, 'secrets'))).toEqual(['jwt-hs256.key']); // no temporary file left behind
  });

  it('reads a secret written by the earlier CLI (base64, maybe with a newline) and tightens loose permissions', () => {
    const existing = randomBytes(32);
    mkdirSync(join(dataDir, 'secrets'), { mode: 0o755 });
    chmodSync(join(dataDir, 'secrets'), 0o755);
    writeFileSync(keyFile(), `${existing.toString('base64')}\n`, { mode: 0o644 });
    chmodSync(keyFile(), 0o644);
    expect(loadOrCreateSigningSecret(dataDir).equals(existing)).toBe(true);
    expect(mode(join(dataDir, 'secrets'))).toBe(0o700);
    expect(mode(keyFile())).toBe(0o600);
  });

  it('refuses a file that does not hold a 32-byte base64 secret', () => {
    mkdirSync(join(dataDir, 'secrets'));
    for (const content of ['', 'not base64 !', randomBytes(16).toString('base64')]) {
      writeFileSync(keyFile(), content);
      expect(() => loadOrCreateSigningSecret(dataDir)).toThrow(/at least 32 bytes/);
    }
  });

  it('gives processes that start together one and the same secret', async () => {
    // The module compiled on its own (it only needs node:), so real processes can race on it.
    const compiled = join(dataDir, 'embedded-secret.js');
    writeFileSync(compiled, transformFileSync(join(__dirname, 'embedded-secret.ts'), { module: { type: 'commonjs' }, jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }).code);
    // Each racer waits for the same instant after start-up, so their calls overlap for real.
    const racer = (dir: string, at: number) =>
      `const m = require(${JSON.stringify(compiled)}); while (Date.now() < ${at}); process.stdout.write(m.loadOrCreateSigningSecret(${JSON.stringify(dir)}).toString('hex'));`;
    const run = (script: string) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['-e', script]);
        let out = '';
        child.stdout.on('data', (chunk) => (out += chunk));
        child.stderr.on('data', (chunk) => process.stderr.write(chunk));
        child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`racer exited ${code}`))));
      });
    for (const round of ['a', 'b']) {
      const dir = join(dataDir, round);
      const at = Date.now() + 1000;
      const secrets = await Promise.all(Array.from({ length: 6 }, () => run(racer(dir, at))));
      expect(new Set(secrets).size).toBe(1);
      expect(secrets[0]).toBe(loadOrCreateSigningSecret(dir).toString('hex'));
      expect(readdirSync(join(dir, 'secrets'))).toEqual(['jwt-hs256.key']);
    }
  });
});
