/**
 * Pure decisions MongoReadStore.connect makes before it hands out a store: which database to
 * use, and whether the deployment can run the transactions the port promises. Kept free of
 * I/O so they are tested without a server.
 */
import type { Document } from 'mongodb';

/** Used when neither the options nor the URI name a database. */
export const DEFAULT_DATABASE_NAME = 'victim-journeys';

/**
 * The database path of a `mongodb://` or `mongodb+srv://` URI (`/name` before `?`), decoded,
 * or undefined when it has none. The driver's own `db()` cannot tell "no database in the URI"
 * from an explicit `test`, so the path is read here. Hosts may be a list (`h1,h2`) and user
 * info is percent-encoded, as the connection string spec requires.
 */
export function databaseNameFromUri(uri: string): string | undefined {
  const scheme = /^mongodb(\+srv)?:\/\//.exec(uri);
  if (!scheme) throw new Error('The MongoDB URI must start with mongodb:// or mongodb+srv://');
  const rest = uri.slice(scheme[0].length);
  const query = rest.indexOf('?');
  const beforeQuery = query === -1 ? rest : rest.slice(0, query);
  const hostsStart = beforeQuery.lastIndexOf('@') + 1; // after any user:password@
  const slash = beforeQuery.indexOf('/', hostsStart);
  if (slash === -1) return undefined;
  const name = decodeURIComponent(beforeQuery.slice(slash + 1));
  return name === '' ? undefined : name;
}

/** The explicit name, else the URI's database, else DEFAULT_DATABASE_NAME. */
export function resolveDatabaseName(uri: string, databaseName?: string): string {
  if (databaseName !== undefined) {
    if (databaseName.trim() === '') throw new Error('databaseName must not be empty');
    return databaseName;
  }
  return databaseNameFromUri(uri) ?? DEFAULT_DATABASE_NAME;
}

/**
 * Why the deployment that answered `hello` cannot back a MongoReadStore, or null if it can.
 * Transactions need a replica set member (`setName`) or a mongos (`msg: 'isdbgrid'`); a
 * standalone mongod refuses them, so connect fails at once with this message instead of at
 * the projector's first batch. (Server versions need no check here: driver 7 itself refuses
 * servers older than 4.4, the first to create collections inside a transaction.)
 */
export function deploymentProblem(hello: Document): string | null {
  const replicaSet = typeof hello.setName === 'string' && hello.setName !== '';
  const mongos = hello.msg === 'isdbgrid';
  if (!replicaSet && !mongos) {
    return (
      'MongoReadStore needs a replica set or a sharded cluster: the server is a standalone mongod, ' +
      'which does not support the transactions the read store uses. Run mongod as a replica set ' +
      '(a single node is enough: start it with --replSet rs0, then run rs.initiate() once) and add ' +
      '?replicaSet=rs0 to the URI.'
    );
  }
  return null;
}
