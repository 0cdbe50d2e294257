import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackupManifest } from '../../../../libs/backup/src/manifest';
import { MAX_REQUEST_BYTES, requestBackup } from '../../../../libs/backup/src/operator-protocol';
import { OperatorSocket, type BackupHandler } from './operator-socket';

const quiet = { log: () => undefined, warn: () => undefined };
const manifest = { eventStore: { head: '9' }, files: [] } as unknown as BackupManifest;

/** Sends `text` as is (ending the connection after it unless it is a whole line) and collects every line answered until the socket closes. */
function exchange(socketPath: string, text: string): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ path: socketPath });
    let received = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => (text.endsWith('\n') || text.length > MAX_REQUEST_BYTES ? socket.write(text) : socket.end(text)));
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(received.split('\n').filter(Boolean).map((line) => JSON.parse(line))));
  });
}

describe('the operator socket', () => {
  let dir: string;
  let socketPath: string;
  let open: OperatorSocket[] = [];
  const listen = async (backup: BackupHandler = async () => manifest) => {
    const socket = await OperatorSocket.listen(socketPath, { dataDir: dir, backup, log: quiet });
    open.push(socket);
    return socket;
  };
  const request = (extra: Record<string, unknown> = {}) => `${JSON.stringify({ op: 'backup', version: 1, dataDir: dir, out: path.join(dir, 'backup'), ...extra })}\n`;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vjt-opsock-'));
    socketPath = path.join(dir, 'operator.sock');
  });
  afterEach(async () => {
    await Promise.all(open.map((s) => s.close()));
    open = [];
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is owner-only (0600) from the start, and its file is gone once closed', async () => {
    const umask = process.umask();
    const socket = await listen();
    expect(fs.lstatSync(socketPath).isSocket()).toBe(true);
    expect(fs.statSync(socketPath).mode & 0o777).toBe(0o600);
    expect(process.umask()).toBe(umask); // given back
    await socket.close();
    expect(fs.existsSync(socketPath)).toBe(false);
  });

  it('takes the documented request and answers progress lines, then the manifest', async () => {
    const requests: unknown[] = [];
    await listen(async (req, onProgress) => {
      requests.push(req);
      onProgress({ type: 'progress', step: 'read store', copiedPages: 10, totalPages: 10 });
      onProgress({ type: 'step', step: 'read store', seconds: 0.1 });
      return manifest;
    });
    const progress: unknown[] = [];
    await expect(requestBackup(socketPath, { dataDir: dir, out: path.join(dir, 'backup') }, (p) => progress.push(p))).resolves.toEqual(manifest);
    expect(requests).toEqual([{ op: 'backup', version: 1, dataDir: dir, out: path.join(dir, 'backup') }]);
    expect(progress).toEqual([{ type: 'progress', step: 'read store', copiedPages: 10, totalPages: 10 }, { type: 'step', step: 'read store', seconds: 0.1 }]);
  });

  it.each([
    ['not JSON', () => 'hello\n', /not JSON/],
    ['another op', () => request({ op: 'shutdown' }), /unknown op "shutdown"/],
    ['another version', () => request({ version: 2 }), /protocol version 2/],
    ['an unknown field', () => request({ command: 'rm -rf /' }), /unknown field "command"/],
    ['a relative folder', () => request({ out: 'backup' }), /out must be an absolute path/],
    ['another data folder', () => request({ dataDir: '/somewhere/else' }), /serves the data folder .*, not \/somewhere\/else/],
    ['a line too long', () => 'x'.repeat(MAX_REQUEST_BYTES + 10), /longer than/],
    ['a connection ended before a whole line', () => '{"op":', /ended before a whole request line/],
  ])('answers %s with one error line and closes, taking no backup', async (_what, text, message) => {
    let taken = 0;
    await listen(async () => {
      taken++;
      return manifest;
    });
    expect(await exchange(socketPath, text())).toEqual([{ type: 'error', message: expect.stringMatching(message) }]);
    expect(taken).toBe(0);
  });

  it('runs one backup at a time', async () => {
    let release!: () => void;
    await listen(() => new Promise((resolve) => (release = () => resolve(manifest))));
    const first = requestBackup(socketPath, { dataDir: dir, out: path.join(dir, 'one') });
    await new Promise((r) => setTimeout(r, 50));
    await expect(requestBackup(socketPath, { dataDir: dir, out: path.join(dir, 'two') })).rejects.toThrow(/a backup is already running/);
    release();
    await expect(first).resolves.toEqual(manifest);
  });

  it('abandons the backup of a client that hangs up, and the one under way when it closes', async () => {
    const signals: AbortSignal[] = [];
    const waitForAbort: BackupHandler = (_req, _progress, signal) => {
      signals.push(signal);
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    };
    await listen(waitForAbort);
    const client = net.createConnection({ path: socketPath }, () => client.write(request()));
    await new Promise((r) => setTimeout(r, 50));
    client.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(signals[0].aborted).toBe(true);
    expect(String(signals[0].reason)).toMatch(/client disconnected/);

    const pending = requestBackup(socketPath, { dataDir: dir, out: path.join(dir, 'backup') });
    await new Promise((r) => setTimeout(r, 50));
    await open[0].close();
    await expect(pending).rejects.toThrow(/shutting down/);
    expect(fs.existsSync(socketPath)).toBe(false);
  });

  it('refuses a path too long for a Unix socket rather than binding a truncated one', async () => {
    const long = path.join(dir, `${'x'.repeat(120)}.sock`);
    await expect(OperatorSocket.listen(long, { dataDir: dir, backup: async () => manifest, log: quiet })).rejects.toThrow(/longer than the 107 bytes/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('replaces a stale socket file left by a process that died, but not a live socket or another file', async () => {
    // A process that listens there and is killed: its socket file stays, and nothing answers on it.
    const died = spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    expect(died.signal).toBe('SIGKILL');
    expect(fs.lstatSync(socketPath).isSocket()).toBe(true);
    await listen();
    await expect(requestBackup(socketPath, { dataDir: dir, out: path.join(dir, 'backup') })).resolves.toEqual(manifest);

    await expect(OperatorSocket.listen(socketPath, { dataDir: dir, backup: async () => manifest, log: quiet })).rejects.toThrow(/another process answers/);
    await open[0].close();

    fs.writeFileSync(socketPath, 'not a socket');
    await expect(OperatorSocket.listen(socketPath, { dataDir: dir, backup: async () => manifest, log: quiet })).rejects.toThrow(/is not a socket/);
    expect(fs.readFileSync(socketPath, 'utf8')).toBe('not a socket');
  });
});
