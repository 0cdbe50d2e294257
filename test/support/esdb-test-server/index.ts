/**
 * EsdbTestServer — a TEST DOUBLE of EventStoreDB, for tests only. It is NOT EventStoreDB.
 *
 * It is a small gRPC server, built on the generated service definitions that ship with
 * @eventstore/db-client, that speaks enough of EventStoreDB's gRPC protocol for the real client
 * (`esdb://127.0.0.1:<port>?tls=false`) to append, read and subscribe with EventStoreDB 23.x/24.x
 * semantics: expected revisions and idempotent retries, a transaction log with (commit, prepare)
 * positions, stream and $all reads, catch-up subscriptions with confirmation / caught_up /
 * filtered checkpoints, and a crash (stop) and restart on the same port with the same events.
 * Everything lives in memory; nothing is durable beyond the EsdbTestServer object.
 *
 * Implemented: ServerFeatures.GetSupportedMethods, Streams.Append, Streams.Read (reads and
 * subscriptions). Everything else — BatchAppend, Delete, Tombstone, persistent subscriptions,
 * projections ($ce-/$et- streams), users, gossip/cluster, operations, link resolution, stream
 * metadata enforcement (maxAge/maxCount/truncateBefore/ACLs), TLS and authentication — is not:
 * those calls answer UNIMPLEMENTED, and metadata streams ($$name) are plain streams here.
 * Proving code against this double is not proving it against EventStoreDB: also run the
 * adapter's contract suite against a real server whenever one is available.
 *
 * Files: log.ts + append-rules.ts (state, positions, expected revision, idempotency),
 * append-handler.ts, read-handler.ts, subscription.ts, filters.ts, wire.ts (protobuf helpers),
 * server.ts (gRPC wiring and lifecycle).
 */
import { EventLog, type LogLayout } from './log';
import { GrpcHost } from './server';
import { SubscriptionRegistry } from './subscription';

export type { LogLayout, Position, StoredEvent } from './log';

export interface EsdbTestServerOptions {
  /** Port to listen on; 0 (the default) picks a free port, kept across stop() / restart(). */
  port?: number;
  /**
   * 'commit-record' (default): all events of one append share one commit position (as if a
   * commit record followed their prepares). 'self-committed': commit === prepare for every event,
   * which is what EventStoreDB 20+ writes for gRPC appends. An adapter should work with both.
   */
  logLayout?: LogLayout;
  /** Log position of the first record (default 1024n). Start above 2^53 to catch lossy code. */
  initialLogPosition?: bigint;
  /**
   * EventStoreDB's MaxAppendSize: the most event data bytes one append may carry (default
   * 1_048_576, the server default; counted like 23.10, data bytes only — newer servers also count
   * metadata and twice the type length). A JSON event holding a 1 MiB string is over it, exactly
   * as on a default-configured EventStoreDB; raise it to mirror a server run with a larger limit.
   */
  maxAppendSize?: number;
}

export class EsdbTestServer {
  private readonly log: EventLog;
  private readonly subscriptions: SubscriptionRegistry;
  private readonly host: GrpcHost;
  private closed = false;

  private constructor(options: EsdbTestServerOptions) {
    this.log = new EventLog(options.logLayout ?? 'commit-record', options.initialLogPosition ?? 1024n);
    this.subscriptions = new SubscriptionRegistry(this.log);
    this.host = new GrpcHost(this.log, this.subscriptions, options.maxAppendSize ?? 1024 * 1024);
  }

  static async start(options: EsdbTestServerOptions = {}): Promise<EsdbTestServer> {
    const server = new EsdbTestServer(options);
    await server.host.listen(options.port ?? 0);
    return server;
  }

  get port(): number {
    return this.host.port;
  }

  get connectionString(): string {
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  /** Number of events stored (for tests). */
  get eventCount(): number {
    return this.log.all.length;
  }

  /** True while the gRPC server is accepting calls. */
  get running(): boolean {
    return this.host.running;
  }

  /** Open subscriptions (for tests). */
  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  /**
   * Simulates a crash: drops every TCP connection and force-shuts the gRPC server down. An open
   * subscription emits 'error' with the client's UnavailableError (`14 UNAVAILABLE: Connection
   * dropped`; a call the drop misses would see CancelledError, `1 CANCELLED`). Calls made while
   * stopped fail with code 14 (appendToStream rejects with the raw grpc error, whose message
   * starts `14 UNAVAILABLE: No connection established`). Either error makes the client open a
   * new channel for its next call, so after restart() the same client works again. Stored events
   * are kept; subscriptions are not resumed by the server — resubscribe from your checkpoint.
   */
  async stop(): Promise<void> {
    this.subscriptions.closeAll();
    await this.host.shutdown();
  }

  /** Starts again on the same port with the same stored events, as a restarted node would. */
  async restart(): Promise<void> {
    if (this.closed) throw new Error('EsdbTestServer was closed; start a new one.');
    if (this.host.running) await this.stop();
    await this.host.listen(this.port);
  }

  /** Stops for good. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stop();
  }
}
