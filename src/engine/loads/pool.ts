/**
 * The pool pattern: `poolSize` persistent connections opened once, requests spread over them on the
 * arrival schedule. A connection is recycled (client closes, a new one opens) after
 * maxRequestsPerConnection requests or maxLifetimeMs; one that dies is reopened. Requests that find
 * every connection busy wait in a queue bounded by maxInFlight; beyond it they are skipped.
 *
 * maxLifetime runs on a timer per connection, as HikariCP's does: an idle connection is retired when its
 * lifetime ends, a busy one right after its response. Checking the age only after a response is not enough:
 * idle connections are taken last-in-first-out, so under light load most of the pool sits idle, is never
 * asked, and never ages out (a pool of 20 with maxLifetime 500ms opened 37 connections in 8 s, not ~340).
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
  /** Its maxLifetime has passed: retire it as soon as it is idle. */
  expired: boolean;
  /** The maxLifetime timer, cleared when the connection closes first. */
  lifetimeTimer: unknown;
}

export class PoolLoad implements Load {
  private readonly runtime: WorkerRuntime;
  private readonly cycle: Endpoint[];
  private readonly idle: PooledConnection[] = [];
  private readonly live = new Set<PooledConnection>();
  /** Issue times of requests waiting for a free connection. */
  private readonly queue: number[] = [];
  private closing = false;
  /**
   * The arrivals have ended: no connection is opened any more and connects still under way are dropped. In
   * a drain, other workers close their pools, and the ports (or NAT tuples) they free would otherwise let
   * this worker's waiting connects through after the load stopped: connections the load never made.
   */
  private stopped = false;
  /** Connects under way, dropped when the arrivals end. */
  private readonly connecting = new Set<ClientSocket>();
  private opens = 0;

  constructor(private readonly context: LoadContext) {
    this.runtime = context.runtime;
    this.cycle = endpointCycle(this.runtime.config.sourceAddresses, this.runtime.config.destinations);
  }

  /** Opens the pool, then spreads the arrivals over it. */
  run(): Running {
    void this.open();
    const running = this.context.arrivals((k) => this.start(k));
    void running.finished.then(() => this.stopOpening());
    return running;
  }

  /** No more connections: the ones under way are destroyed, and their outcome (if any comes) is not counted. */
  private stopOpening(): void {
    this.stopped = true;
    for (const socket of this.connecting) socket.destroy();
    this.connecting.clear();
    this.abortUnservable();
  }

  /** After the end, requests queued with no connection left to serve them are aborted, not drained. */
  private abortUnservable(): void {
    if (!this.stopped || this.live.size > 0) return;
    this.abortQueue();
  }

  private abortQueue(): void {
    for (const _ of this.queue) {
      this.runtime.requestError('EABORTED');
      this.runtime.inFlight--;
    }
    this.queue.length = 0;
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
    if (this.stopped || this.closing) {
      opened?.();
      return;
    }
    this.opens++;
    const socket = this.context.connect(
      {
        host: endpoint.destination.host,
        port: endpoint.destination.port,
        localAddress: runtime.config.bindSource ? endpoint.source : undefined,
        timeoutMs: runtime.config.connectTimeoutMs,
      },
      (result) => {
        this.connecting.delete(socket);
        opened?.();
        if (this.stopped || this.closing) {
          // Dropped when the arrivals ended: neither a connection nor an error of the load.
          if (result.ok) result.socket.destroy();
          return;
        }
        runtime.attempt(endpoint.source, endpoint.destinationLabel, result.ok ? null : result.code, result.latencyUs);
        if (!result.ok) {
          this.context.timers.setTimeout(() => this.connect(slot), REOPEN_BACKOFF_MS);
          return;
        }
        this.adopt(slot, result.socket);
      },
    );
    this.connecting.add(socket);
  }

  private adopt(slot: number, socket: ClientSocket): void {
    const { runtime } = this;
    const connection: PooledConnection = {
      slot,
      socket,
      openedMs: this.context.now(),
      requests: 0,
      busySinceMs: null,
      received: 0,
      expired: false,
      lifetimeTimer: undefined,
    };
    this.live.add(connection);
    const { maxLifetimeMs } = runtime.config;
    if (maxLifetimeMs > 0) connection.lifetimeTimer = this.context.timers.setTimeout(() => this.expire(connection), maxLifetimeMs);
    socket.on('error', (err) => {
      runtime.requestError(errnoCode(err, UNKNOWN_ERROR_CODE));
      socket.destroy();
    });
    socket.once('close', () => {
      if (connection.lifetimeTimer !== undefined) this.context.timers.clearTimeout(connection.lifetimeTimer);
      this.live.delete(connection);
      const at = this.idle.indexOf(connection);
      if (at !== -1) this.idle.splice(at, 1);
      if (connection.busySinceMs !== null) {
        // The request in progress died with its connection.
        runtime.inFlight--;
        runtime.requestError(this.closing ? 'EABORTED' : 'ECONNRESET');
      }
      this.connect(slot);
      this.abortUnservable();
    });
    socket.on('data', (chunk: Buffer) => this.onData(connection, chunk.length));
    this.idle.push(connection);
    this.dispatch();
  }

  /** maxLifetime has passed: an idle connection is recycled now, a busy one after its response. */
  private expire(connection: PooledConnection): void {
    connection.lifetimeTimer = undefined;
    connection.expired = true;
    if (this.closing || connection.busySinceMs !== null) return;
    const at = this.idle.indexOf(connection);
    if (at !== -1) this.idle.splice(at, 1);
    // The client closes first: one client TIME_WAIT per recycled connection; 'close' opens its successor.
    connection.socket.destroy();
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
    const old = connection.expired || (maxLifetimeMs > 0 && nowMs - connection.openedMs >= maxLifetimeMs);
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
    this.abortQueue();
    for (const connection of this.live) {
      if (connection.lifetimeTimer !== undefined) this.context.timers.clearTimeout(connection.lifetimeTimer);
      connection.socket.destroy();
    }
  }
}

export const pool: LoadEntry = { spec: LOAD_SPECS.pool, create: (context) => new PoolLoad(context) };
