/**
 * The MongoDB adapter's pure parts, with no server: database naming, the deployment check and
 * error mapping (on driver error objects built the way the driver builds them).
 */
import { MongoError, MongoErrorLabel, MongoServerError } from 'mongodb';
import { DuplicateKeyError } from '../read-store.port';
import { DEFAULT_DATABASE_NAME, databaseNameFromUri, deploymentProblem, resolveDatabaseName } from './deployment';
import { isTransactionRetryable, toBulkWriteError, toPortError } from './mongo-errors';

describe('database name resolution', () => {
  it.each([
    ['mongodb://localhost:27017/journeys', 'journeys'],
    ['mongodb://localhost/journeys?replicaSet=rs0', 'journeys'],
    ['mongodb://u:p%40ss@h1:27017,h2:27017,h3/reads?replicaSet=rs0&w=majority', 'reads'],
    ['mongodb+srv://user:secret@cluster0.example.net/vjt_prod?retryWrites=true', 'vjt_prod'],
    ['mongodb://%2Ftmp%2Fmongodb-27017.sock/local_db', 'local_db'],
    ['mongodb://h/my%20db', 'my db'],
  ])('reads the database of %s', (uri, name) => {
    expect(databaseNameFromUri(uri)).toBe(name);
  });

  it.each(['mongodb://localhost:27017', 'mongodb://localhost:27017/', 'mongodb://h1,h2/?replicaSet=rs0', 'mongodb://u:p@h?authSource=admin'])(
    'finds no database in %s',
    (uri) => {
      expect(databaseNameFromUri(uri)).toBeUndefined();
    },
  );

  it('prefers the explicit name, then the URI, then the default', () => {
    expect(resolveDatabaseName('mongodb://h/from_uri', 'explicit')).toBe('explicit');
    expect(resolveDatabaseName('mongodb://h/from_uri')).toBe('from_uri');
    expect(resolveDatabaseName('mongodb://h/?replicaSet=rs0')).toBe(DEFAULT_DATABASE_NAME);
    expect(DEFAULT_DATABASE_NAME).toBe('victim-journeys');
  });

  it('refuses a URI of another scheme and an empty explicit name', () => {
    expect(() => resolveDatabaseName('http://h/db')).toThrow(/mongodb:\/\/ or mongodb\+srv:\/\//);
    expect(() => resolveDatabaseName('mongodb://h/db', ' ')).toThrow(/must not be empty/);
  });
});

describe('deployment check', () => {
  it('accepts a replica set member and a mongos', () => {
    expect(deploymentProblem({ ok: 1, setName: 'rs0', isWritablePrimary: true, maxWireVersion: 21 })).toBeNull();
    expect(deploymentProblem({ ok: 1, msg: 'isdbgrid', maxWireVersion: 21 })).toBeNull();
  });

  it('refuses a standalone mongod, saying why and how to fix it', () => {
    const problem = deploymentProblem({ ok: 1, isWritablePrimary: true, maxWireVersion: 21 });
    expect(problem).toMatch(/needs a replica set or a sharded cluster/);
    expect(problem).toMatch(/standalone mongod/);
    expect(problem).toMatch(/--replSet rs0.*rs\.initiate\(\)/s);
  });
});

describe('error mapping', () => {
  const duplicate = () =>
    new MongoServerError({
      message: 'E11000 duplicate key error collection: vjt.journeys index: _id_ dup key: { _id: "j-1" }',
      code: 11000,
      keyPattern: { _id: 1 },
      keyValue: { _id: 'j-1' },
    });

  it('maps E11000 to DuplicateKeyError with the key, keeping the driver error as cause', () => {
    const original = duplicate();
    const mapped = toPortError(original, 'journeys');
    expect(mapped).toBeInstanceOf(DuplicateKeyError);
    expect(mapped).toMatchObject({ code: 11000, collection: 'journeys', key: { _id: 'j-1' } });
    expect((mapped as Error).cause).toBe(original);
  });

  it('leaves other errors, and any error labelled for a transaction retry, as the driver threw them', () => {
    const other = new MongoServerError({ message: 'bad', code: 2 });
    expect(toPortError(other, 'c')).toBe(other);
    const transient = duplicate();
    transient.addErrorLabel(MongoErrorLabel.TransientTransactionError);
    expect(isTransactionRetryable(transient)).toBe(true);
    expect(toPortError(transient, 'c')).toBe(transient);
    const unknownCommit = new MongoServerError({ message: 'timeout', code: 50 });
    unknownCommit.addErrorLabel(MongoErrorLabel.UnknownTransactionCommitResult);
    expect(toBulkWriteError(unknownCommit, 'c')).toBe(unknownCommit);
    const plain = new Error('not a driver error');
    expect(toPortError(plain, 'c')).toBe(plain);
    expect(isTransactionRetryable(new MongoError('no labels'))).toBe(false);
  });

  it('maps a plain driver error passed to toBulkWriteError like any other write', () => {
    expect(toBulkWriteError(duplicate(), 'c')).toBeInstanceOf(DuplicateKeyError);
  });
});
