import { Logger as NestLogger, type LoggerService } from '@nestjs/common';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import type { AppConfig } from '../config';
import { prettyDestination } from './logging-pretty';

/**
 * Structured logs: one JSON object per line (pino), `time`, `level` (a name), `msg`, and
 * context fields; or, with LOG_FORMAT=pretty, one readable line per entry for a terminal.
 *
 * What is never logged: personal details (name, date of birth, contact, notes), free text
 * (notes, reasons, corrected values), request and response bodies, query strings, headers
 * (but for a well-formed X-Correlation-Id), tokens. Nothing logs those structures on purpose;
 * `REDACTED_PATHS` blanks them should one ever be passed to a log call all the same.
 */

/** Where log lines go: anything with `write(line)`. */
export type LogDestination = DestinationStream;

/**
 * Standard output, looked up at each write (not bound once), so that whoever replaces
 * `process.stdout.write` later (a test capturing output) sees every line. On Linux, writes to
 * a file or pipe are synchronous: a line logged just before `process.exit` is not lost.
 */
export const standardOutput: LogDestination = { write: (line: string) => process.stdout.write(line) };

export interface LoggerOptions {
  /** Which process logs: `api`, `projector`. */
  service: string;
  /** Standard output unless given. */
  destination?: LogDestination;
}

/**
 * Keys that could hold personal data, free text or credentials, at the top of an object passed
 * to a log call or under the usual containers of a request, are replaced by `[redacted]`: a
 * second line of defence, not a licence to log such objects. (No leading wildcards: pino
 * checks those against every key of every line, ten times the cost of the line itself.)
 */
export const REDACTED_PATHS: readonly string[] = [
  // Credentials.
  'authorization', 'token', 'accessToken', 'idToken', 'cookie', 'headers', 'idempotencyKey',
  // Bodies, query strings and raw URLs (which carry the query string), wherever a request or response sits.
  'body', 'query', 'url',
  ...['req', 'request', 'res', 'reply', 'response'].flatMap((at) => [`${at}.headers`, `${at}.body`, `${at}.query`, `${at}.url`]),
  'params.*',
  // Personal details (DOMAIN.md), free text, and whatever carries them before sealing: commands, events, their data.
  'personalDetails', 'name', 'dateOfBirth', 'contact', 'phone', 'email', 'address', 'notes', 'reason', 'changes', 'value',
  'data', 'command', 'step', 'event', 'events', 'dto',
];

/** The pino level for LOG_LEVEL (Nest's `log` is pino's `info`). */
export function pinoLevel(level: AppConfig['logLevel']): Level {
  return level === 'log' ? 'info' : level;
}

/** The process's root logger. */
export function createLogger(config: Pick<AppConfig, 'logLevel' | 'logFormat'>, options: LoggerOptions): Logger {
  const out = options.destination ?? standardOutput;
  return pino(
    {
      level: pinoLevel(config.logLevel),
      base: { service: options.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: errorForLog, error: errorForLog },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    },
    config.logFormat === 'pretty' ? prettyDestination(out, { colours: out === standardOutput && process.stdout.isTTY === true && !process.env.NO_COLOR }) : out,
  );
}

export interface LoggedError {
  type: string;
  message: string;
  code?: string | number;
  stack?: string;
  cause?: LoggedError;
}

/**
 * An error as logged: its type, message, code and stack, and its cause's, nothing else. (The
 * standard serializer copies every enumerable property, and an error may carry the request's
 * problems, a command or a store record.) Something thrown that is not an Error keeps the
 * same few fields, if it has them; it is also how an error already made ready is logged.
 */
export function errorForLog(error: unknown, depth = 0): LoggedError | unknown {
  if (error === null || typeof error !== 'object') return error;
  const { name, type, message, code, stack, cause } = error as Record<string, unknown>;
  const typeName = error instanceof Error ? (error.constructor?.name && error.constructor.name !== 'Error' ? error.constructor.name : error.name) : type ?? name;
  return {
    type: typeof typeName === 'string' ? typeName : 'object',
    message: typeof message === 'string' ? message : '',
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(typeof stack === 'string' ? { stack } : {}),
    ...(cause !== null && typeof cause === 'object' && depth < 3 ? { cause: errorForLog(cause, depth + 1) as LoggedError } : {}),
  };
}

/**
 * nestjs-pino's PinoLogger over this application's own root logger. nestjs-pino keeps one
 * root logger per process, made by whichever app asks first; the tests run several apps in one
 * process, each with its own destination, so each app's Nest logger answers with its own.
 */
class ApplicationPinoLogger extends PinoLogger {
  constructor(private readonly root: Logger) {
    super({ pinoHttp: { logger: root } });
  }

  override get logger(): Logger {
    return this.root;
  }
}

/**
 * The Nest application logger (nestjs-pino's Logger) writing through `root`: Nest's own lines
 * (bootstrap, routes) and every `new Logger(context)` of the code (stores, projector, access,
 * shutdown) become JSON lines with a `context` field. Give it to NestFactory.create as
 * `logger` (it exists before the app does, so nothing needs buffering), or outside Nest to
 * `Logger.overrideLogger`.
 */
export function nestLoggerFor(root: Logger): LoggerService {
  return new NestPinoLogger(new ApplicationPinoLogger(root), {});
}

/**
 * For a process without a Nest application (the projector's own, apps/projector/src/main.ts):
 * Nest's static Logger (`new Logger('Projector')`, the shutdown coordinator's) writes JSON lines
 * through a root logger of its own, as the API's do.
 */
export function useStructuredLogs(config: Pick<AppConfig, 'logLevel' | 'logFormat'>, service: string, destination?: LogDestination): Logger {
  const root = createLogger(config, { service, destination });
  NestLogger.overrideLogger(nestLoggerFor(root));
  return root;
}
