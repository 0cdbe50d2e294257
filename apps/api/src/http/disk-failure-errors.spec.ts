/**
 * How the error filter answers the embedded stores' disk failures: 503 with a stable code and a
 * plain message (no stack, no file path; the log line has those), and Retry-After when a retry
 * can help. test/resilience/disk-faults.spec.ts checks the same over HTTP with a failing disk.
 */
import { Logger, type ArgumentsHost } from '@nestjs/common';
import Database from 'better-sqlite3';
import { EventStoreWriteFailed, StoreDurabilityLost } from '../../../../libs/event-store/src/errors';
import { KeyStoreWriteFailed } from '../../../../libs/personal-data/src/errors';
import { ReadStoreWriteFailed } from '../../../../libs/read-store/src/read-store.port';
import { ErrorFilter } from './error.filter';

function answer(error: unknown) {
  const sent: { status?: number; body?: any; headers: Record<string, string> } = { headers: {} };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return reply;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  new ErrorFilter().catch(error, host);
  return sent;
}

describe('the error filter on disk failures', () => {
  const cause = new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
  let logged: jest.SpyInstance;
  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => logged.mockRestore());

  it.each([
    ['EventStoreWriteFailed', new EventStoreWriteFailed('/data/events.sqlite', 'SQLITE_FULL', { cause }), 'EVENT_STORE_WRITE_FAILED', /nothing was recorded/],
    ['KeyStoreWriteFailed', new KeyStoreWriteFailed('/data/keys/data-keys.sqlite', 'SQLITE_IOERR_WRITE'), 'KEY_STORE_WRITE_FAILED', /did not complete/],
    ['ReadStoreWriteFailed', new ReadStoreWriteFailed('/data/read-models.sqlite', 'SQLITE_FULL'), 'READ_STORE_WRITE_FAILED', /did not complete/],
  ])('%s is a 503 with its code and Retry-After', (_name, error, code, message) => {
    const sent = answer(error);
    expect(sent).toEqual({ status: 503, body: { statusCode: 503, code, message: expect.stringMatching(message) }, headers: { 'Retry-After': '5' } });
    expect(JSON.stringify(sent.body)).not.toMatch(/sqlite|SQLITE|\/data|\bat /);
    // The operator's log line names the file and SQLite's code.
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/\/data\/.*sqlite.*\(SQLITE_/));
  });

  it('answers a lost durability as an unknown outcome, should it ever get to answer', () => {
    const sent = answer(new StoreDurabilityLost('event store', '/data/events.sqlite', 'SQLITE_IOERR_FSYNC'));
    expect(sent.status).toBe(503);
    expect(sent.body).toEqual({ statusCode: 503, code: 'STORE_DURABILITY_LOST', message: expect.stringMatching(/whether it was recorded is unknown/) });
    expect(sent.body.message).not.toMatch(/nothing was recorded/);
  });

  it('still answers an unknown SQLite error as a 500 that promises nothing', () => {
    const sent = answer(new Database.SqliteError('constraint failed', 'SQLITE_CONSTRAINT'));
    expect(sent.body).toMatchObject({ statusCode: 500, code: 'INTERNAL_ERROR' });
  });
});
