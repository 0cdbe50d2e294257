/**
 * gRPC wiring and lifecycle of the EventStoreDB test double (see index.ts).
 *
 * ServerFeatures.GetSupportedMethods reports server version 23.10.0 and lists Streams Read and
 * Append only. @eventstore/db-client 6.x keeps the version for logging and only asks
 * `supports(BatchAppend)`; BatchAppend is not listed, so appendToStream uses Streams.Append.
 * Methods of the registered services without a handler, and unregistered services, answer
 * UNIMPLEMENTED (grpc-js does that for unknown paths).
 */
import type { Server as NetServer, Socket } from 'node:net';
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { createAppendHandler } from './append-handler';
import type { EventLog } from './log';
import { createReadHandler } from './read-handler';
import type { SubscriptionRegistry } from './subscription';

export const SERVER_VERSION = '23.10.0';
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export class GrpcHost {
  private server?: Server;
  private boundPort = 0;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly log: EventLog,
    private readonly subscriptions: SubscriptionRegistry,
    private readonly maxAppendSize: number,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  async listen(port: number): Promise<void> {
    if (this.server) throw new Error('EsdbTestServer is already running.');
    // A port freed by a forced shutdown can take a moment to become bindable again.
    for (let attempt = 0; ; attempt++) {
      const server = this.createServer();
      try {
        this.boundPort = await bind(server, port);
        this.server = server;
        this.trackConnections(server);
        return;
      } catch (error) {
        server.forceShutdown();
        if (attempt >= 50 || port === 0) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  /**
   * A crash: the TCP connections are dropped (the client's open calls fail with
   * `14 UNAVAILABLE: Connection dropped`), then the server is force-shut, which cuts any call
   * left (`1 CANCELLED`) and frees the port.
   */
  async shutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    server.forceShutdown();
    await new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * grpc-js does not expose its sockets; its http2 servers are an internal field. If a future
   * grpc-js renames it, connections are simply not tracked and shutdown() still force-shuts.
   */
  private trackConnections(server: Server): void {
    const http2Servers = (server as unknown as { http2Servers?: unknown }).http2Servers;
    if (!(http2Servers instanceof Map)) return;
    for (const http2Server of http2Servers.keys() as Iterable<NetServer>) {
      http2Server.on('connection', (socket: Socket) => {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
      });
    }
  }

  private createServer(): Server {
    const server = new Server({
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    });
    server.addService(ServerFeaturesService, {
      getSupportedMethods: (_call: ServerUnaryCall<Empty, SupportedMethods>, callback: sendUnaryData<SupportedMethods>) =>
        callback(null, supportedMethods()),
    });
    server.addService(StreamsService, {
      read: createReadHandler(this.log, this.subscriptions),
      append: createAppendHandler(this.log, this.maxAppendSize),
      // delete, tombstone, batchAppend: left out, so grpc-js answers UNIMPLEMENTED.
    });
    return server;
  }
}

function supportedMethods(): SupportedMethods {
  const method = (service: string, name: string) =>
    new SupportedMethod().setServiceName(service).setMethodName(name).setFeaturesList([]);
  return new SupportedMethods()
    .setEventStoreServerVersion(SERVER_VERSION)
    .setMethodsList([
      method('event_store.client.streams.streams', 'read'),
      method('event_store.client.streams.streams', 'append'),
      method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
    ]);
}

function bind(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
}
