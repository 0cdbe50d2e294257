import Database from 'better-sqlite3';
import { StoreDurabilityLost } from '../errors';
import { classifySqliteFailure, EXIT_CODE_DURABILITY_LOST, stopProcessOnDurabilityLost } from './sqlite-failures';

const sqliteError = (code: string) => new Database.SqliteError('disk trouble', code);

describe('what a failed SQLite write means', () => {
  it.each([
    ['SQLITE_IOERR_FSYNC', 'fsync'],
    ['SQLITE_IOERR_DIR_FSYNC', 'fsync'],
    ['SQLITE_IOERR_FDATASYNC', 'fsync'],
    ['SQLITE_FULL', 'write'],
    ['SQLITE_IOERR', 'write'],
    ['SQLITE_IOERR_WRITE', 'write'],
    ['SQLITE_IOERR_SHORT_READ', 'write'],
    ['SQLITE_IOERR_TRUNCATE', 'write'],
    ['SQLITE_READONLY', 'write'],
    ['SQLITE_READONLY_DBMOVED', 'write'],
    ['SQLITE_CONSTRAINT_PRIMARYKEY', undefined],
    ['SQLITE_BUSY', undefined],
    ['SQLITE_CORRUPT', undefined],
  ])('%s is %s', (code, kind) => {
    expect(classifySqliteFailure(sqliteError(code))).toBe(kind);
  });

  it('leaves errors that are not SQLite’s alone', () => {
    expect(classifySqliteFailure(new Error('SQLITE_FULL'))).toBeUndefined();
    expect(classifySqliteFailure({ code: 'ENOSPC' })).toBeUndefined();
    expect(classifySqliteFailure(undefined)).toBeUndefined();
  });

  it('stops the process by default, with one line saying durability cannot be guaranteed', () => {
    const written: string[] = [];
    const exits: number[] = [];
    stopProcessOnDurabilityLost(new StoreDurabilityLost('event store', '/data/events.sqlite', 'SQLITE_IOERR_FSYNC'), {
      writeLine: (line) => written.push(line),
      exit: (code) => exits.push(code),
    });
    expect(written).toEqual([
      expect.stringMatching(/^FATAL: An fsync of the event store at \/data\/events\.sqlite failed \(SQLITE_IOERR_FSYNC\): the store's durability cannot be guaranteed.*\n$/),
    ]);
    expect(exits).toEqual([EXIT_CODE_DURABILITY_LOST]);
    expect(EXIT_CODE_DURABILITY_LOST).toBe(70);
  });
});
