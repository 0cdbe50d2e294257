import { formatPretty, prettyDestination } from './logging-pretty';

describe('the pretty log format (LOG_FORMAT=pretty)', () => {
  const at = new Date(2026, 0, 5, 14, 3, 7, 123).toISOString(); // 14:03:07.123 local time

  it('lays a Nest line out as time, level, [context] and message', () => {
    const line = JSON.stringify({ level: 'info', time: at, service: 'api', pid: 7, context: 'NestApplication', msg: 'Nest application successfully started' });
    expect(formatPretty(`${line}\n`)).toBe('14:03:07.123 INFO  [NestApplication] Nest application successfully started\n');
  });

  it('lays a request line out as method, route, status and time, then its ids', () => {
    const line = JSON.stringify({
      level: 'info', time: at, service: 'api', pid: 7, reqId: 'r-1', correlationId: 'c-1', method: 'POST', route: '/journeys/:id/consents',
      statusCode: 201, responseTime: 3.2, userId: 'worker-7', role: 'support_worker', commandId: 'k-1', replayed: false, msg: 'request completed',
    });
    expect(formatPretty(line)).toBe(
      '14:03:07.123 INFO  POST /journeys/:id/consents 201 3.2 ms  reqId=r-1 correlationId=c-1 userId=worker-7 role=support_worker commandId=k-1 replayed=false\n',
    );
  });

  it('says when no route matched', () => {
    const line = JSON.stringify({ level: 'info', time: at, method: 'GET', route: null, statusCode: 404, responseTime: 1, msg: 'request completed' });
    expect(formatPretty(line)).toBe('14:03:07.123 INFO  GET (no route) 404 1 ms\n');
  });

  it('keeps an error on its one line: type, message, code and where it was thrown', () => {
    const err = { type: 'TypeError', message: 'x is not a function', code: 'E1', stack: 'TypeError: x is not a function\n    at record (journey.ts:12:3)\n    at next (bus.ts:4:1)' };
    const line = JSON.stringify({ level: 'error', time: at, context: 'Errors', code: 'INTERNAL_ERROR', err, msg: 'request failed' });
    const pretty = formatPretty(line);
    expect(pretty).toBe('14:03:07.123 ERROR [Errors] request failed  code=INTERNAL_ERROR err="TypeError: x is not a function [E1] (at record (journey.ts:12:3))"\n');
    expect(pretty.trimEnd()).not.toContain('\n');
  });

  it('quotes values with spaces, writes objects as JSON, and flattens a multi-line message', () => {
    const line = JSON.stringify({ level: 'warn', time: at, msg: 'first\n  second', detail: 'two words', counts: { a: 1 } });
    expect(formatPretty(line)).toBe('14:03:07.123 WARN  first second  detail="two words" counts={"a":1}\n');
  });

  it('colours the level for a terminal only when asked', () => {
    const line = JSON.stringify({ level: 'error', time: at, msg: 'boom' });
    expect(formatPretty(line, { colours: true })).toBe('14:03:07.123 \x1b[31mERROR\x1b[0m boom\n');
  });

  it('passes a line that is not a JSON object through as it came', () => {
    expect(formatPretty('plain text')).toBe('plain text\n');
    expect(formatPretty('[1,2]\n')).toBe('[1,2]\n');
  });

  it('writes each entry to the destination it wraps', () => {
    const out: string[] = [];
    const destination = prettyDestination({ write: (text: string) => void out.push(text) });
    destination.write(`${JSON.stringify({ level: 'debug', time: at, msg: 'hello' })}\n`);
    expect(out).toEqual(['14:03:07.123 DEBUG hello\n']);
  });
});
