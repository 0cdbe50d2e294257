/**
 * A scripted MongoDB wire-protocol server for tests of the MongoDB adapter without a mongod
 * (none can run on these machines). It speaks just enough of the protocol for the real driver:
 * the OP_QUERY handshake (answered with OP_REPLY) and OP_MSG commands (body plus document
 * sequences). It stores nothing: each test answers commands itself and then inspects exactly
 * what the driver sent (sessions, transaction fields, write concerns, bulk batches).
 *
 * It proves the adapter's use of the driver, not MongoDB's semantics: that is the contract
 * suite's job against a real server (mongo-read-store.spec.ts with MONGODB_URI).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { BSON, Long, ObjectId, type Document } from 'mongodb';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

/** A command as the server received it: document sequences merged into the body as arrays. */
export interface ReceivedCommand {
  name: string;
  db: string;
  body: Document;
}

/** Answers one command; a reply without `ok` gets `ok: 1`; undefined means "no such command". */
export type CommandHandler = (command: ReceivedCommand) => Document | undefined;

/** A cursor reply holding all results in its first batch (cursor id 0: nothing left to fetch). */
export function cursorReply(ns: string, documents: Document[]): Document {
  return { cursor: { id: Long.ZERO, ns, firstBatch: documents } };
}

/** A command error as mongod sends it, e.g. `commandError(112, 'WriteConflict', ['TransientTransactionError'])`. */
export function commandError(code: number, codeName: string, errorLabels?: string[]): Document {
  return { ok: 0, code, codeName, errmsg: `${codeName} (fake mongod)`, ...(errorLabels ? { errorLabels } : {}) };
}

const HANDSHAKE = new Set(['hello', 'ismaster', 'isMaster']);

function readCString(buffer: Buffer, offset: number): [string, number] {
  const end = buffer.indexOf(0, offset);
  return [buffer.toString('utf8', offset, end), end + 1];
}

function decodeOpMsg(message: Buffer): Document {
  const flags = message.readUInt32LE(16);
  const end = message.length - (flags & 1 ? 4 : 0); // checksumPresent
  let body: Document = {};
  const sequences: Record<string, Document[]> = {};
  for (let at = 20; at < end; ) {
    const kind = message[at++];
    const size = message.readInt32LE(at);
    if (kind === 0) {
      body = BSON.deserialize(message.subarray(at, at + size));
    } else {
      const [identifier, docsAt] = readCString(message, at + 4);
      const docs: Document[] = [];
      for (let d = docsAt; d < at + size; d += message.readInt32LE(d)) docs.push(BSON.deserialize(message.subarray(d, d + message.readInt32LE(d))));
      sequences[identifier] = docs;
    }
    at += size;
  }
  return { ...body, ...sequences };
}

function frame(opCode: number, responseTo: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + payload.length, 0);
  header.writeInt32LE(responseTo + 1_000_000, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, payload]);
}

export class FakeMongod {
  /** Every command except the handshake and monitoring ones, in arrival order. */
  readonly commands: ReceivedCommand[] = [];
  private readonly sockets = new Set<Socket>();
  private address = '';

  private constructor(
    private readonly server: Server,
    /** `hello` fields on top of a writable primary's; see replicaSetHello. */
    private readonly helloFields: (address: string) => Document,
    public handler: CommandHandler,
  ) {}

  /** Starts on a free local port; `hello` decides the topology the driver sees. */
  static async start(hello: (address: string) => Document, handler: CommandHandler = () => undefined): Promise<FakeMongod> {
    let fake!: FakeMongod;
    const server = createServer((socket) => fake.serve(socket));
    fake = new FakeMongod(server, hello, handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  /** host:port the server listens on. */
  get host(): string {
    return this.address;
  }

  /** Commands named `name`, in order. */
  sent(name: string): Document[] {
    return this.commands.filter((c) => c.name === name).map((c) => c.body);
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private hello(): Document {
    return {
      helloOk: true, isWritablePrimary: true, ismaster: true, maxBsonObjectSize: 16 * 1024 * 1024,
      maxMessageSizeBytes: 48_000_000, maxWriteBatchSize: 100_000, localTime: new Date(),
      logicalSessionTimeoutMinutes: 30, connectionId: 1, minWireVersion: 0, maxWireVersion: 21, readOnly: false,
      ...this.helloFields(this.address), ok: 1,
    };
  }

  private answer(command: ReceivedCommand): Document {
    if (HANDSHAKE.has(command.name)) return this.hello();
    if (command.name === 'endSessions') return { ok: 1 };
    this.commands.push(command);
    const reply = this.handler(command) ?? commandError(59, 'CommandNotFound');
    return 'ok' in reply ? reply : { ...reply, ok: 1 };
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        const message = pending.subarray(0, pending.readInt32LE(0));
        pending = pending.subarray(message.length);
        this.respond(socket, message);
      }
    });
  }

  private respond(socket: Socket, message: Buffer): void {
    const requestId = message.readInt32LE(4);
    const opCode = message.readInt32LE(12);
    if (opCode === OP_QUERY) {
      const [collection, at] = readCString(message, 20);
      const query = BSON.deserialize(message.subarray(at + 8, at + 8 + message.readInt32LE(at + 8)));
      const reply = BSON.serialize(this.answer({ name: Object.keys(query)[0], db: collection.split('.')[0], body: query }));
      const prefix = Buffer.alloc(20); // responseFlags, cursorID (int64), startingFrom, numberReturned
      prefix.writeInt32LE(1, 16);
      socket.write(frame(OP_REPLY, requestId, Buffer.concat([prefix, reply])));
    } else if (opCode === OP_MSG) {
      const body = decodeOpMsg(message);
      const reply = BSON.serialize(this.answer({ name: Object.keys(body)[0], db: String(body.$db), body }));
      socket.write(frame(OP_MSG, requestId, Buffer.concat([Buffer.alloc(5), reply]))); // flagBits 0, section kind 0
    } else {
      socket.destroy(new Error(`fake mongod: unsupported opCode ${opCode}`));
    }
  }
}

/** `hello` of a single-node replica set primary named rs0. */
export function replicaSetHello(address: string): Document {
  return { setName: 'rs0', setVersion: 1, hosts: [address], primary: address, me: address, electionId: new ObjectId('7fffffff0000000000000001') };
}
