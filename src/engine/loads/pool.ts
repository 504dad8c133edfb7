/**
 * The pool pattern: `poolSize` persistent connections opened once, requests spread over them on the
 * arrival schedule. A connection is recycled (client closes, a new one opens) after
 * maxRequestsPerConnection requests or maxLifetimeMs; one that dies is reopened. Requests that find
 * every connection busy wait in a queue bounded by maxInFlight; beyond it they are skipped.
 */
import { LOAD_SPECS } from '../../config/engine-problems.js';
import { errnoCode, UNKNOWN_ERROR_CODE } from '../../errors/index.js';
import type { ClientSocket } from '../../net/connect.js';
import type { WorkerRuntime } from '../worker/runtime.js';
import { endpointCycle, type Endpoint } from '../worker/endpoints.js';
import type { Load, LoadContext, LoadEntry, Running } from './load.js';

const REQUEST = Buffer.from('R\n');
/** Pause before reopening a connection whose connect failed, so a refusing target is not hammered. */
const REOPEN_BACKOFF_MS = 100;

interface PooledConnection {
  slot: number;
  socket: ClientSocket;
  openedMs: number;
  requests: number;
  /** Issue time of the request in progress, or null when idle. */
  busySinceMs: number | null;
  received: number;
}

export class PoolLoad implements Load {
  private readonly runtime: WorkerRuntime;
  private readonly cycle: Endpoint[];
  private readonly idle: PooledConnection[] = [];
  private readonly live = new Set<PooledConnection>();
  /** Issue times of requests waiting for a free connection. */
  private readonly queue: number[] = [];
  private closing = false;
  private opens = 0;

  constructor(private readonly context: LoadContext) {
    this.runtime = context.runtime;
    this.cycle = endpointCycle(this.runtime.config.sourceAddresses, this.runtime.config.destinations);
  }

  /** Opens the pool, then spreads the arrivals over it. */
  run(): Running {
    void this.open();
    return this.context.arrivals((k) => this.start(k));
  }

  /** Connections opened so far (recycled and reopened ones included). */
  connectionsOpened(): number {
    return this.opens;
  }

  /** Opens the whole pool; resolves when every slot has connected or failed once. */
  async open(): Promise<void> {
    const { poolSize } = this.runtime.config;
    await Promise.all(Array.from({ length: poolSize }, (_, slot) => new Promise<void>((resolve) => this.connect(slot, resolve))));
  }

  /** A request arrives on the schedule. */
  start(_k: number): void {
    const { runtime } = this;
    if (!runtime.admit()) return;
    this.queue.push(this.context.now());
    this.dispatch();
  }

  private dispatch(): void {
    while (this.queue.length > 0 && this.idle.length > 0) {
      const connection = this.idle.pop()!;
      const issuedMs = this.queue.shift()!;
      connection.busySinceMs = issuedMs;
      connection.received = 0;
      connection.socket.write(REQUEST);
    }
  }

  private connect(slot: number, opened?: () => void): void {
    const { runtime } = this;
    const endpoint = this.cycle[(runtime.config.poolOffset + slot) % this.cycle.length]!;
    this.opens++;
    this.context.connect(
      {
        host: endpoint.destination.host,
        port: endpoint.destination.port,
        localAddress: runtime.config.bindSource ? endpoint.source : undefined,
        timeoutMs: runtime.config.connectTimeoutMs,
      },
      (result) => {
        runtime.attempt(endpoint.source, endpoint.destinationLabel, result.ok ? null : result.code, result.latencyUs);
        opened?.();
        if (!result.ok) {
          if (!this.closing) this.context.timers.setTimeout(() => this.connect(slot), REOPEN_BACKOFF_MS);
          return;
        }
        this.adopt(slot, result.socket);
      },
    );
  }

  private adopt(slot: number, socket: ClientSocket): void {
    const { runtime } = this;
    const connection: PooledConnection = { slot, socket, openedMs: this.context.now(), requests: 0, busySinceMs: null, received: 0 };
    this.live.add(connection);
    socket.on('error', (err) => {
      runtime.requestError(errnoCode(err, UNKNOWN_ERROR_CODE));
      socket.destroy();
    });
    socket.once('close', () => {
      this.live.delete(connection);
      const at = this.idle.indexOf(connection);
      if (at !== -1) this.idle.splice(at, 1);
      if (connection.busySinceMs !== null) {
        // The request in progress died with its connection.
        runtime.inFlight--;
        runtime.requestError(this.closing ? 'EABORTED' : 'ECONNRESET');
      }
      if (!this.closing) this.connect(slot);
    });
    socket.on('data', (chunk: Buffer) => this.onData(connection, chunk.length));
    this.idle.push(connection);
    this.dispatch();
  }

  private onData(connection: PooledConnection, bytes: number): void {
    const { runtime } = this;
    if (connection.busySinceMs === null) return;
    connection.received += bytes;
    if (connection.received < runtime.config.responseBytes) return;
    const nowMs = this.context.now();
    runtime.request((nowMs - connection.busySinceMs) * 1000);
    runtime.inFlight--;
    connection.busySinceMs = null;
    connection.requests++;
    const { maxRequestsPerConnection, maxLifetimeMs } = runtime.config;
    const spent = maxRequestsPerConnection > 0 && connection.requests >= maxRequestsPerConnection;
    const old = maxLifetimeMs > 0 && nowMs - connection.openedMs >= maxLifetimeMs;
    if (spent || old) {
      // Recycling: the client closes first, so each recycled connection leaves one client TIME_WAIT.
      connection.socket.destroy();
      return;
    }
    this.idle.push(connection);
    this.dispatch();
  }

  /** Closes every pooled connection (client first) and ends queued requests as aborted (request errors). */
  close(): void {
    this.closing = true;
    for (const _ of this.queue) {
      this.runtime.requestError('EABORTED');
      this.runtime.inFlight--;
    }
    this.queue.length = 0;
    for (const connection of this.live) connection.socket.destroy();
  }
}

export const pool: LoadEntry = { spec: LOAD_SPECS.pool, create: (context) => new PoolLoad(context) };
