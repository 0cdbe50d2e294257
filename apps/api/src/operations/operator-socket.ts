/**
 * The operator socket: a Unix domain socket through which the CLI asks this API process, which
 * holds the data folder's stores with exclusive locks, for an online backup taken on its own
 * connections (libs/backup; the protocol is in libs/backup/src/operator-protocol.ts).
 *
 * - Embedded default only (config.operatorSocketPath is null with external stores): at
 *   OPERATOR_SOCKET, by default DATA_DIR/operator.sock.
 * - Mode 0600, created so from the start (under a umask of 0177): only the user the API runs as
 *   may connect, and that user can read the data folder anyway.
 * - A socket file left by a process that died is stale: nothing answers on it, so it is removed
 *   and the socket made again. A socket another process answers on, or a file there that is not
 *   a socket, is left alone and this API serves none (a warning says why).
 * - Closed with the HTTP server, before the stores close (Nest closes the server first): a
 *   backup still running is abandoned (its folder emptied again) and the client told so; the
 *   socket file is removed.
 * It never stops the API from starting: without it, backups need the API stopped.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SqliteEventStore } from '../../../../libs/event-store/src/embedded/sqlite-event-store';
import { SqliteReadStore } from '../../../../libs/read-store/src/embedded/sqlite-read-store';
import { SqliteDataKeyStore } from '../../../../libs/personal-data/src/embedded/sqlite-data-key-store';
import { appVersion } from '../../../../libs/backup/src/app-version';
import type { BackupManifest } from '../../../../libs/backup/src/manifest';
import { MAX_REQUEST_BYTES, parseBackupRequest, REQUEST_TIMEOUT_MS, type BackupRequest, type OperatorMessage } from '../../../../libs/backup/src/operator-protocol';
import { takeBackup, type BackupProgress, type BackupSources } from '../../../../libs/backup/src/take-backup';
import type { AppConfig } from '../config';
import type { Stores } from '../infrastructure/stores';

/** The longest path a Unix domain socket may have on Linux (sun_path is 108 bytes with its NUL; macOS allows 103). */
const MAX_SOCKET_PATH_BYTES = 107;

/** How often progress lines are sent while a store is copied. */
const PROGRESS_EVERY_MS = 250;

/** Takes a backup for a request: the API's own stores, in production. */
export type BackupHandler = (request: BackupRequest, onProgress: (progress: BackupProgress) => void, signal: AbortSignal) => Promise<BackupManifest>;

export interface OperatorSocketLog {
  log(message: string): void;
  warn(message: string): void;
}

/** A listening operator socket. */
export class OperatorSocket {
  private readonly connections = new Set<net.Socket>();
  private running: { controller: AbortController; done: Promise<unknown> } | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: net.Server,
    readonly path: string,
    private readonly dataDir: string,
    private readonly backup: BackupHandler,
    private readonly log: OperatorSocketLog,
  ) {
    server.on('connection', (socket) => this.serve(socket));
  }

  /**
   * Listens at `socketPath`, owner-only, after removing a stale socket file there.
   * @throws Error when another process answers there, something other than a socket is there, or it cannot listen.
   */
  static async listen(socketPath: string, options: { dataDir: string; backup: BackupHandler; log?: OperatorSocketLog }): Promise<OperatorSocket> {
    // Longer paths do not fit a sockaddr_un, and Node would silently bind a truncated one.
    if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) throw new Error(`${socketPath} is longer than the ${MAX_SOCKET_PATH_BYTES} bytes a Unix socket's path may have`);
    await removeStaleSocket(socketPath);
    const server = net.createServer();
    const listening = new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    // The socket file is made by bind(), inside listen(), synchronously: with this umask it is
    // 0600 from its first instant, so no other user can slip in before a chmod.
    const umask = process.umask(0o177);
    try {
      server.listen(socketPath);
    } finally {
      process.umask(umask);
    }
    await listening;
    try {
      fs.chmodSync(socketPath, 0o600);
    } catch (error) {
      server.close();
      throw error;
    }
    return new OperatorSocket(server, socketPath, path.resolve(options.dataDir), options.backup, options.log ?? new Logger('OperatorSocket'));
  }

  /** Stops accepting, abandons a backup under way (telling its client), and removes the socket file. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.running?.controller.abort(new Error('the API is shutting down; the backup was abandoned'));
      await this.running?.done.catch(() => undefined);
      for (const socket of this.connections) socket.destroy();
      await closed;
      fs.rmSync(this.path, { force: true }); // the server removes it; a leftover would only be stale
    })();
    return this.closing;
  }

  private serve(socket: net.Socket): void {
    this.connections.add(socket);
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => undefined); // a client gone mid-answer: nothing to tell anyone
    socket.setEncoding('utf8');
    let buffer = '';
    let handled = false;
    const timer = setTimeout(() => refuse(`no request within ${REQUEST_TIMEOUT_MS / 1000} s`), REQUEST_TIMEOUT_MS);
    socket.on('close', () => clearTimeout(timer));
    const refuse = (message: string) => {
      handled = true;
      clearTimeout(timer);
      this.send(socket, { type: 'error', message });
      socket.end();
    };
    socket.on('data', (chunk: string) => {
      if (handled) return; // one request per connection; anything after it is ignored
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end < 0) {
        if (Buffer.byteLength(buffer) > MAX_REQUEST_BYTES) refuse(`the request is longer than ${MAX_REQUEST_BYTES} bytes`);
        return;
      }
      handled = true;
      clearTimeout(timer);
      let request: BackupRequest;
      try {
        request = parseBackupRequest(buffer.slice(0, end));
      } catch (error) {
        return refuse(error instanceof Error ? error.message : String(error));
      }
      void this.run(socket, request);
    });
    socket.on('end', () => {
      if (!handled) refuse('the connection ended before a whole request line');
    });
  }

  private async run(socket: net.Socket, request: BackupRequest): Promise<void> {
    if (this.closing) return this.finish(socket, { type: 'error', message: 'the API is shutting down' });
    if (path.resolve(request.dataDir) !== this.dataDir) {
      return this.finish(socket, { type: 'error', message: `this API serves the data folder ${this.dataDir}, not ${request.dataDir}` });
    }
    if (this.running) return this.finish(socket, { type: 'error', message: 'a backup is already running; try again when it is done' });
    const controller = new AbortController();
    // The client hanging up (Ctrl-C) abandons its backup: nobody would learn whether it completed.
    const hungUp = () => controller.abort(new Error('the client disconnected; the backup was abandoned'));
    socket.once('close', hungUp);
    let lastProgress = 0;
    const onProgress = (progress: BackupProgress) => {
      if (progress.type === 'progress') {
        const now = performance.now();
        if (now - lastProgress < PROGRESS_EVERY_MS && progress.copiedPages !== progress.totalPages) return;
        lastProgress = now;
      }
      this.send(socket, progress);
    };
    const started = performance.now();
    this.log.log(`Backup into ${request.out} requested on the operator socket`);
    const done = this.backup(request, onProgress, controller.signal);
    this.running = { controller, done };
    try {
      const manifest = await done;
      this.log.log(`Backup into ${request.out} done in ${((performance.now() - started) / 1000).toFixed(1)} s: head ${manifest.eventStore.head ?? '(empty)'}, ${manifest.files.reduce((sum, f) => sum + f.bytes, 0)} bytes`);
      this.finish(socket, { type: 'done', manifest });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.warn(`Backup into ${request.out} failed: ${message}`);
      this.finish(socket, { type: 'error', message });
    } finally {
      socket.off('close', hungUp);
      this.running = undefined;
    }
  }

  private send(socket: net.Socket, message: OperatorMessage): void {
    if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(message)}\n`);
  }

  private finish(socket: net.Socket, message: OperatorMessage): void {
    this.send(socket, message);
    socket.end();
  }
}

/**
 * Makes way for a new socket at `socketPath`: nothing there, or a socket nobody answers on (left
 * by a process that died), which is removed.
 * @throws Error when a live process answers there, or the path holds something other than a socket.
 */
export async function removeStaleSocket(socketPath: string): Promise<void> {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(socketPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (!stat.isSocket()) throw new Error(`${socketPath} exists and is not a socket; it is left alone`);
  const answered = await new Promise<boolean>((resolve) => {
    const probe = net.createConnection({ path: socketPath });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (answered) throw new Error(`another process answers on ${socketPath} (a second API with the same OPERATOR_SOCKET?)`);
  fs.rmSync(socketPath, { force: true });
}

/** The secrets this deployment takes from its configuration, not DATA_DIR/secrets: a backup does not hold them. */
export function secretsConfiguredElsewhere(config: AppConfig): string[] {
  return [
    ...(config.keyEncryptionKey ? ['KEY_ENCRYPTION_KEY'] : []),
    ...(config.keyEncryptionKeysPrevious.length ? ['KEY_ENCRYPTION_KEYS_PREVIOUS'] : []),
    ...(config.pseudonymKey ? ['PSEUDONYM_KEY'] : []),
    ...(config.auditSigningKey ? ['AUDIT_SIGNING_KEY'] : []),
    ...(config.oidc ? ['OIDC_ISSUER (sign-in tokens come from the issuer: no token secret is needed)'] : []),
  ];
}

/** The embedded stores a backup copies, or undefined when any of them is not embedded. */
export function backupSourcesOf(config: AppConfig, stores: Stores): BackupSources | undefined {
  const { events, readStore, dataKeys } = stores;
  if (!(events instanceof SqliteEventStore && readStore instanceof SqliteReadStore && dataKeys instanceof SqliteDataKeyStore)) return undefined;
  return { dataDir: config.dataDir, eventStore: events, readStore, keyStore: dataKeys };
}

/**
 * Serves the operator socket for as long as `app`'s HTTP server is open (the embedded default
 * only). Never throws: when the socket cannot be made, a warning says why and the API starts
 * without it.
 */
export async function serveOperatorSocket(app: NestFastifyApplication, config: AppConfig, stores: Stores): Promise<void> {
  const logger = new Logger('OperatorSocket');
  const socketPath = config.operatorSocketPath;
  if (!socketPath) return;
  const sources = backupSourcesOf(config, stores);
  if (!sources) {
    logger.log('No operator socket: not every store is embedded (back the others up with their own tools)');
    return;
  }
  let socket: OperatorSocket | undefined;
  try {
    socket = await OperatorSocket.listen(socketPath, {
      dataDir: config.dataDir,
      log: logger,
      backup: (request, onProgress, signal) =>
        takeBackup(sources, request.out, { appVersion: appVersion(), takenBy: 'api', configuredElsewhere: secretsConfiguredElsewhere(config), onProgress, signal }),
    });
    const serving = socket;
    // Nest closes the HTTP server (and so runs this) before the modules' shutdown hooks close the stores.
    app.getHttpAdapter().getInstance().addHook('onClose', async () => serving.close());
  } catch (error) {
    await socket?.close();
    logger.warn(`No operator socket at ${socketPath}: ${error instanceof Error ? error.message : String(error)}. ` +
      'Online backups need it (docs/operations.md, "Backups and the restore drill"); set OPERATOR_SOCKET to another path, or stop the API to back up.');
  }
}
