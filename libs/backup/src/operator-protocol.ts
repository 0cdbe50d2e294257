/**
 * The operator socket's protocol: how `npm run cli -- backup` asks the running API, which holds
 * the data folder's stores (each opened with an exclusive lock), to take the backup on its own
 * connections. A Unix domain socket at OPERATOR_SOCKET (default DATA_DIR/operator.sock), mode
 * 0600: only the user the API runs as may connect.
 *
 * One connection, one request. The client sends one line of JSON:
 *
 *   {"op":"backup","version":1,"dataDir":"/abs/data","out":"/abs/backup-dir"}
 *
 * `dataDir` is the folder the client means (the API refuses if it serves another); `out` is an
 * absolute path, missing or empty, that the API process creates and writes. The API answers
 * with lines of JSON, then closes:
 *
 *   {"type":"progress","step":"event store","copiedPages":4096,"totalPages":9000}   (any number)
 *   {"type":"step","step":"event store","seconds":0.41}                              (any number)
 *   {"type":"done","manifest":{...}}            (last: the backup is complete, as manifest.json says)
 *   {"type":"error","message":"..."}            (last: nothing usable was written)
 *
 * Anything else (not JSON, another op or version, a line over 64 KiB, nothing within 10 s) gets
 * an error line and the connection is closed. One backup runs at a time. A client that
 * disconnects abandons its backup (the API empties `out` again).
 */
import * as net from 'node:net';
import * as path from 'node:path';
import type { BackupManifest } from './manifest';
import type { BackupProgress } from './take-backup';

export const OPERATOR_PROTOCOL_VERSION = 1;
export const MAX_REQUEST_BYTES = 64 * 1024;
export const REQUEST_TIMEOUT_MS = 10_000;

export interface BackupRequest {
  op: 'backup';
  version: typeof OPERATOR_PROTOCOL_VERSION;
  dataDir: string;
  out: string;
}

export type OperatorMessage = BackupProgress | { type: 'done'; manifest: BackupManifest } | { type: 'error'; message: string };

/**
 * The request in one line of text, or why it is not one.
 * @throws Error naming what is wrong.
 */
export function parseBackupRequest(line: string): BackupRequest {
  let value: any;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error('the request is not JSON: send one line {"op":"backup","version":1,"dataDir":...,"out":...}');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('the request must be a JSON object');
  if (value.op !== 'backup') throw new Error(`unknown op ${JSON.stringify(value.op)}: the only op is "backup"`);
  if (value.version !== OPERATOR_PROTOCOL_VERSION) throw new Error(`protocol version ${JSON.stringify(value.version)} is not spoken here (version ${OPERATOR_PROTOCOL_VERSION})`);
  const extra = Object.keys(value).filter((key) => !['op', 'version', 'dataDir', 'out'].includes(key));
  if (extra.length) throw new Error(`unknown field ${extra.map((k) => JSON.stringify(k)).join(', ')}`);
  for (const field of ['dataDir', 'out'] as const) {
    if (typeof value[field] !== 'string' || !path.isAbsolute(value[field]) || value[field].includes('\0')) throw new Error(`${field} must be an absolute path`);
  }
  return { op: 'backup', version: OPERATOR_PROTOCOL_VERSION, dataDir: value.dataDir, out: value.out };
}

/** The socket was there but nobody answered on it (a stale file), or it was not there at all. */
export class OperatorSocketUnavailableError extends Error {
  readonly type = 'operator_socket_unavailable' as const;
  constructor(readonly socketPath: string, readonly code: string) {
    super(`Nothing answers on the operator socket ${socketPath} (${code})`);
    this.name = 'OperatorSocketUnavailableError';
  }
}

/**
 * Sends a backup request to the API listening on `socketPath` and resolves with the manifest
 * once the API reports the backup done; `onProgress` hears every progress line.
 * @throws OperatorSocketUnavailableError when nothing listens there; Error with the API's message when it refused or failed.
 */
export function requestBackup(socketPath: string, request: Omit<BackupRequest, 'op' | 'version'>, onProgress: (progress: BackupProgress) => void = () => undefined): Promise<BackupManifest> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ path: socketPath });
    let connected = false;
    let settled = false;
    let buffer = '';
    const settle = (outcome: { manifest: BackupManifest } | { error: Error }) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if ('manifest' in outcome) resolve(outcome.manifest);
      else reject(outcome.error);
    };
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify({ op: 'backup', version: OPERATOR_PROTOCOL_VERSION, ...request } satisfies BackupRequest)}\n`);
    });
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        let message: OperatorMessage;
        try {
          message = JSON.parse(line) as OperatorMessage;
        } catch {
          settle({ error: new Error(`The API answered something that is not the operator protocol: ${line.slice(0, 200)}`) });
          return;
        }
        if (message.type === 'done') settle({ manifest: message.manifest });
        else if (message.type === 'error') settle({ error: new Error(`The API refused or failed the backup: ${message.message}`) });
        else onProgress(message);
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!connected && ['ENOENT', 'ECONNREFUSED', 'ENOTSOCK'].includes(error.code ?? '')) settle({ error: new OperatorSocketUnavailableError(socketPath, error.code!) });
      else settle({ error });
    });
    socket.on('close', () => settle({ error: new Error('The API closed the operator socket before the backup was done (is it shutting down?); no complete backup was written') }));
  });
}
