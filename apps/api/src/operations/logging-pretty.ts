import type { DestinationStream } from 'pino';

/**
 * LOG_FORMAT=pretty: each JSON line pino writes becomes one readable line for a developer's
 * terminal (pino-pretty is not a dependency, and this is all a terminal needs):
 *
 *   14:03:07.123 INFO  [NestApplication] Nest application successfully started
 *   14:03:09.861 INFO  POST /journeys/:id/consents 201 3.2 ms  reqId=… correlationId=… userId=worker-7 role=support_worker commandId=…
 *   14:03:10.002 ERROR [Errors] request failed  code=INTERNAL_ERROR err="TypeError: x is not a function (at record (journey.ts:12:3))"
 */

export interface PrettyOptions {
  /** ANSI colours for the level (a terminal; not a file or pipe). */
  colours?: boolean;
}

/** Fields every line has, or that the layout already shows. */
const SHOWN = new Set(['time', 'level', 'msg', 'context', 'service', 'pid', 'hostname']);
const REQUEST_SHOWN = new Set([...SHOWN, 'method', 'route', 'statusCode', 'responseTime']);

const COLOURS: Record<string, string> = { fatal: '\x1b[35m', error: '\x1b[31m', warn: '\x1b[33m', info: '\x1b[32m', debug: '\x1b[36m', trace: '\x1b[90m' };
const RESET = '\x1b[0m';

/** One JSON log line (with or without its newline) as one readable line, newline included. */
export function formatPretty(line: string, options: PrettyOptions = {}): string {
  let entry: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return ensureNewline(line);
    entry = parsed as Record<string, unknown>;
  } catch {
    return ensureNewline(line); // not ours: as it came
  }
  const level = String(entry.level ?? 'info');
  const label = level.toUpperCase().padEnd(5);
  const parts = [clock(entry.time), options.colours && COLOURS[level] ? `${COLOURS[level]}${label}${RESET}` : label];
  if (typeof entry.context === 'string' && entry.context) parts.push(`[${entry.context}]`);
  const isRequest = typeof entry.method === 'string' && 'statusCode' in entry;
  if (isRequest) {
    const took = typeof entry.responseTime === 'number' ? `${entry.responseTime} ms` : '';
    parts.push([entry.method, entry.route ?? '(no route)', entry.statusCode, took].filter((p) => p !== '').join(' '));
    if (typeof entry.msg === 'string' && entry.msg !== 'request completed') parts.push(entry.msg);
  } else if (entry.msg !== undefined) {
    parts.push(oneLine(String(entry.msg)));
  }
  const skip = isRequest ? REQUEST_SHOWN : SHOWN;
  const fields = Object.entries(entry)
    .filter(([key, value]) => !skip.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${key === 'err' ? quote(describeError(value)) : valueText(value)}`);
  return `${parts.join(' ')}${fields.length ? `  ${fields.join(' ')}` : ''}\n`;
}

/** A destination that writes each entry to `out` as `formatPretty` lays it out. */
export function prettyDestination(out: DestinationStream, options: PrettyOptions = {}): DestinationStream {
  return { write: (line: string) => out.write(formatPretty(line, options)) };
}

function clock(time: unknown): string {
  const date = typeof time === 'string' || typeof time === 'number' ? new Date(time) : new Date();
  if (Number.isNaN(date.getTime())) return String(time);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : quote(value);
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function quote(text: string): string {
  return JSON.stringify(oneLine(text));
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** `Type: message (at the first frame)`: the whole stack is in the JSON format. */
function describeError(value: unknown): string {
  if (!value || typeof value !== 'object') return String(value);
  const { type, message, stack, code } = value as { type?: unknown; message?: unknown; stack?: unknown; code?: unknown };
  const frame = typeof stack === 'string' ? /\n\s*at (.+)/.exec(stack)?.[1] : undefined;
  return `${type ?? 'Error'}: ${message ?? ''}${code !== undefined ? ` [${code}]` : ''}${frame ? ` (at ${frame})` : ''}`;
}

function ensureNewline(line: string): string {
  return line.endsWith('\n') ? line : `${line}\n`;
}
