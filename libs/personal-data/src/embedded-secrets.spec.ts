import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadOrCreateEmbeddedKek } from './key-encryption-keys';
import { loadOrCreateEmbeddedPseudonymKey } from './pseudonyms';

const ROUNDS = 200;

/**
 * A separate Node process that, from `start` ms, loads (or creates) the KEK of data folders
 * `<dataDir>/0` ... `<dataDir>/199` in turn; returns them as hex. Many rounds, so that
 * processes really do meet on some folder at the same instant.
 */
function keksFromAnotherProcess(dataDir: string, start: number): Promise<string[]> {
  const source = path.join(__dirname, 'embedded-secrets.ts');
  const script = `
    const swc = require('@swc/core'); const Module = require('node:module');
    const { code } = swc.transformFileSync(${JSON.stringify(source)}, { module: { type: 'commonjs' }, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } });
    const m = new Module(${JSON.stringify(source)}); m._compile(code, ${JSON.stringify(source)});
    while (Date.now() < ${start}) {}
    const keys = [];
    for (let i = 0; i < ${ROUNDS}; i++) keys.push(m.exports.loadOrCreateEmbeddedSecret(${JSON.stringify(dataDir)} + '/' + i, 'kek.key').toString('hex'));
    process.stdout.write(JSON.stringify(keys));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { cwd: path.join(__dirname, '..', '..', '..') });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(err))));
  });
}

describe('the embedded default secrets', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vjt-secrets-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates <dataDir>/secrets/kek.key once, owner-only, and returns the same 32 bytes afterwards', () => {
    const kek = loadOrCreateEmbeddedKek(dataDir);
    expect(kek).toHaveLength(32);
    expect(loadOrCreateEmbeddedKek(dataDir)).toEqual(kek);
    expect(fs.statSync(path.join(dataDir, 'secrets')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dataDir, 'secrets', 'kek.key')).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.join(dataDir, 'secrets'))).toEqual(['kek.key']); // no temporary file left
  });

  it('keeps the pseudonym key in its own file, unrelated to the KEK', () => {
    const kek = loadOrCreateEmbeddedKek(dataDir);
    const pseudonymKey = loadOrCreateEmbeddedPseudonymKey(dataDir);
    expect(pseudonymKey).toHaveLength(32);
    expect(pseudonymKey).not.toEqual(kek);
    expect(fs.readdirSync(path.join(dataDir, 'secrets')).sort()).toEqual(['kek.key', 'pseudonym.key']);
    expect(loadOrCreateEmbeddedPseudonymKey(dataDir)).toEqual(pseudonymKey);
  });

  it('tightens a secrets folder and file someone loosened', () => {
    const kek = loadOrCreateEmbeddedKek(dataDir);
    fs.chmodSync(path.join(dataDir, 'secrets', 'kek.key'), 0o644);
    fs.chmodSync(path.join(dataDir, 'secrets'), 0o755);
    expect(loadOrCreateEmbeddedKek(dataDir)).toEqual(kek);
    expect(fs.statSync(path.join(dataDir, 'secrets', 'kek.key')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dataDir, 'secrets')).mode & 0o777).toBe(0o700);
  });

  it('refuses a key file that was edited, without printing its content', () => {
    fs.mkdirSync(path.join(dataDir, 'secrets'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'secrets', 'kek.key'), 'c2hvcnQ=\n');
    expect(() => loadOrCreateEmbeddedKek(dataDir)).toThrow(/kek\.key must hold 32 bytes written as base64/);
    expect(() => loadOrCreateEmbeddedKek(dataDir)).not.toThrow(/c2hvcnQ/);
  });

  it('gives processes starting at the same moment one and the same KEK', async () => {
    const start = Date.now() + 1500; // every child has compiled the module and waits for this instant
    const byProcess = await Promise.all(Array.from({ length: 4 }, () => keksFromAnotherProcess(dataDir, start)));
    for (let round = 0; round < ROUNDS; round++) {
      const folder = path.join(dataDir, String(round));
      const seen = new Set(byProcess.map((keys) => keys[round]));
      expect({ round, keys: seen.size }).toEqual({ round, keys: 1 });
      expect(byProcess[0][round]).toBe(loadOrCreateEmbeddedKek(folder).toString('hex'));
      expect(fs.readdirSync(path.join(folder, 'secrets'))).toEqual(['kek.key']);
    }
  });
});
