import { Logger } from '@nestjs/common';
import { createLogger, errorForLog, nestLoggerFor, pinoLevel, standardOutput, useStructuredLogs } from './logging';

function capture(logLevel: 'error' | 'warn' | 'log' | 'debug' = 'debug', logFormat: 'json' | 'pretty' = 'json') {
  const lines: string[] = [];
  const logger = createLogger({ logLevel, logFormat }, { service: 'test', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line)) };
}

describe('the application logger', () => {
  it('writes one JSON object per line: time, level by name, service, message and fields', () => {
    const { logger, lines, entries } = capture();
    logger.info({ reqId: 'r-1' }, 'hello');
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(entries()[0]).toEqual({ level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), service: 'test', pid: process.pid, reqId: 'r-1', msg: 'hello' });
  });

  it('maps LOG_LEVEL to pino levels (log is info) and drops what is below', () => {
    expect(['error', 'warn', 'log', 'debug'].map((level) => pinoLevel(level as 'log'))).toEqual(['error', 'warn', 'info', 'debug']);
    const { logger, entries } = capture('warn');
    logger.info('quiet');
    logger.debug('quieter');
    logger.warn('loud');
    expect(entries().map((e) => e.msg)).toEqual(['loud']);
  });

  it('redacts personal details, free text, bodies and credentials should an object holding them be logged', () => {
    const { logger, lines, entries } = capture();
    logger.info({
      personalDetails: { name: 'Canary Name' }, notes: 'canary notes', reason: 'canary reason', changes: [{ field: 'personalDetails.name', value: 'Canary' }],
      data: { personalDetails: { name: 'Canary' } }, command: { type: 'IdentifyVictim', data: {} }, authorization: 'Bearer canary', headers: { authorization: 'Bearer canary' },
      req: { url: '/journeys?from=canary', body: { name: 'Canary' }, headers: { authorization: 'canary' }, query: { q: 'canary' } }, body: 'canary', query: 'canary',
      params: { anything: 'canary' }, reqId: 'kept',
    }, 'defended');
    expect(lines.join('').toLowerCase()).not.toContain('canary');
    expect(entries()[0]).toMatchObject({ reqId: 'kept', personalDetails: '[redacted]', req: { body: '[redacted]', url: '[redacted]' } });
  });

  it('logs an error as its type, message, code, stack and cause: none of the other properties it may carry', () => {
    class ValidationLike extends Error {
      readonly code = 'VALIDATION_FAILED';
      readonly problems = [{ field: 'name', value: 'Canary' }];
    }
    const error = new ValidationLike('refused', { cause: Object.assign(new Error('disk'), { code: 'SQLITE_FULL', path: '/data/x' }) });
    expect(errorForLog(error)).toEqual({
      type: 'ValidationLike', message: 'refused', code: 'VALIDATION_FAILED', stack: expect.stringContaining('refused'),
      cause: { type: 'Error', message: 'disk', code: 'SQLITE_FULL', stack: expect.any(String) },
    });
    const { logger, lines } = capture();
    logger.error({ err: error }, 'failed');
    expect(lines.join('')).not.toContain('Canary');
    expect(lines.join('')).toContain('VALIDATION_FAILED');
  });

  it('writes readable lines with LOG_FORMAT=pretty', () => {
    const { logger, lines } = capture('log', 'pretty');
    logger.info({ context: 'Stores', reqId: 'r-1' }, 'opened');
    expect(lines).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[Stores\] opened {2}reqId=r-1\n$/)]);
  });

  it("is Nest's logger too: a context, and the error contract of Nest's exception handlers", () => {
    const { logger, entries } = capture();
    const nest = nestLoggerFor(logger);
    nest.log('Nest application successfully started', 'NestApplication');
    nest.error('boom', 'Error: boom\n    at somewhere (file.ts:1:1)', 'ExceptionsHandler');
    nest.debug?.('detail');
    expect(entries()).toEqual([
      expect.objectContaining({ level: 'info', context: 'NestApplication', msg: 'Nest application successfully started' }),
      expect.objectContaining({ level: 'error', context: 'ExceptionsHandler', msg: 'boom', err: expect.objectContaining({ message: 'boom', stack: expect.stringContaining('at somewhere') }) }),
      expect.objectContaining({ level: 'debug', msg: 'detail' }),
    ]);
  });

  it("carries Nest's static Logger (every `new Logger(context)` of the code) once overridden, one logger per app", () => {
    const first = capture();
    const second = capture();
    Logger.overrideLogger(nestLoggerFor(first.logger));
    new Logger('Projector').log('first app');
    Logger.overrideLogger(nestLoggerFor(second.logger));
    new Logger('Projector').warn('second app');
    Logger.overrideLogger(false);
    expect(first.entries()).toEqual([expect.objectContaining({ context: 'Projector', msg: 'first app' })]);
    expect(second.entries()).toEqual([expect.objectContaining({ level: 'warn', context: 'Projector', msg: 'second app' })]);
  });

  it("gives a process without a Nest app (the projector's own) the same JSON lines through Nest's Logger", () => {
    const lines: string[] = [];
    useStructuredLogs({ logLevel: 'log', logFormat: 'json' }, 'projector', { write: (line: string) => void lines.push(line) });
    try {
      new Logger('Projector').log('Projecting journeys');
    } finally {
      Logger.overrideLogger(false);
    }
    expect(lines.map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ service: 'projector', context: 'Projector', msg: 'Projecting journeys' })]);
  });

  it('writes to standard output as it is at each write (a test may capture it after the logger was made)', () => {
    const written: string[] = [];
    const original = process.stdout.write;
    process.stdout.write = ((chunk: unknown) => (written.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      createLogger({ logLevel: 'log', logFormat: 'json' }, { service: 'test' }).info('to stdout');
      standardOutput.write('direct\n');
    } finally {
      process.stdout.write = original;
    }
    expect(written).toEqual([expect.stringContaining('"msg":"to stdout"'), 'direct\n']);
  });
});
