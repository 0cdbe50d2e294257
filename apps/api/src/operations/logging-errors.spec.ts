import type { ArgumentsHost } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { EventStoreWriteFailed } from '../../../../libs/event-store/src/errors';
import { ValidationFailed } from '../errors';
import { ErrorFilter } from '../http/error.filter';
import { createLogger } from './logging';
import { requestLogFieldsOf } from './logging-requests';

/** How the error filter logs what it answers: failures with their error, refusals as codes, never a value sent. */
describe('error lines', () => {
  function setUp(logLevel: 'debug' | 'error' = 'debug') {
    const lines: string[] = [];
    const logger = createLogger({ logLevel, logFormat: 'json' }, { service: 'api', destination: { write: (line: string) => void lines.push(line) } });
    const request = {
      id: 'req-1', method: 'POST', headers: { 'x-correlation-id': 'corr-1', authorization: 'Bearer CANARY-TOKEN' },
      routeOptions: { url: '/journeys/:id/corrections' }, params: { id: '4eee3d2b-1e94-45d2-ae41-932acc95f760' }, body: { reason: 'CANARY-REASON' },
    } as unknown as FastifyRequest;
    const reply = { request, status: () => reply, header: () => reply, send: () => reply };
    const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
    const filter = new ErrorFilter(logger);
    return { answer: (error: unknown) => filter.catch(error, host), request, lines, entries: () => lines.map((line) => JSON.parse(line)) };
  }
  const context = { reqId: 'req-1', correlationId: 'corr-1', method: 'POST', route: '/journeys/:id/corrections', journeyId: '4eee3d2b-1e94-45d2-ae41-932acc95f760' };

  it('logs a failure (500) at error with its request ids and the error with its stack', () => {
    const { answer, entries, request } = setUp();
    answer(new TypeError('x is not a function'));
    expect(entries()).toEqual([expect.objectContaining({
      level: 'error', context: 'Errors', msg: 'request failed', ...context, statusCode: 500, code: 'INTERNAL_ERROR',
      err: { type: 'TypeError', message: 'x is not a function', stack: expect.stringContaining('TypeError: x is not a function') },
    })]);
    expect(requestLogFieldsOf(request)).toEqual({ code: 'INTERNAL_ERROR' });
  });

  it('logs a disk failure at error with its file and code, without a stack', () => {
    const { answer, entries } = setUp('error');
    answer(new EventStoreWriteFailed('/data/events.sqlite', 'SQLITE_FULL'));
    const [line] = entries();
    expect(line).toMatchObject({ level: 'error', statusCode: 503, code: 'EVENT_STORE_WRITE_FAILED', err: { message: expect.stringMatching(/\/data\/events\.sqlite.*SQLITE_FULL/) } });
    expect(line.err.stack).toBeUndefined();
  });

  it('logs a refusal (4xx) at debug as its code and the fields at fault, never the values nor the messages', () => {
    const { answer, lines, entries, request } = setUp();
    answer(new ValidationFailed([
      { field: 'reason', rule: 'matches', message: 'reason must match, got CANARY-REASON' },
      { field: 'CANARY-FIELD', rule: 'unknownField', message: 'CANARY-FIELD is not a field of this request' },
    ]));
    expect(entries()).toEqual([expect.objectContaining({
      level: 'debug', msg: 'request refused', ...context, statusCode: 400, code: 'VALIDATION_FAILED',
      problems: [{ field: 'reason', rule: 'matches' }, { field: '(unknown field)', rule: 'unknownField' }],
    })]);
    expect(lines.join('')).not.toContain('CANARY');
    expect(requestLogFieldsOf(request)).toEqual({ code: 'VALIDATION_FAILED' });
  });

  it('logs nothing for a refusal above debug (the request line says it)', () => {
    const { answer, lines } = setUp('error');
    answer(new ValidationFailed([{ field: 'reason', rule: 'matches', message: 'no' }]));
    expect(lines).toEqual([]);
  });
});
