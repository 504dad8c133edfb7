/**
 * Connected UDP sockets against the UDP echo target (target.protocol: udp). churn: per start, a new socket
 * connect()s to the destination, sends `requestsPerConnection` datagrams one at a time, each waiting for
 * its echo (at most connectTimeout, else a request error ETIMEDOUT), then closes (close: client) or is
 * kept open (close: never). pool: `poolSize` connected sockets held for the whole run, requests spread
 * over them; a socket that cannot be made is tried again after a pause, as a TCP pool does.
 *
 * Each socket's connect is one attempt in the same counters as a TCP connect. Node's dgram connect() binds
 * to port 0 first (libuv), so the ephemeral port is taken there, from ip_local_port_range, and a full range
 * fails that bind with EADDRINUSE. Closing a UDP socket frees its port at once: there is no TIME_WAIT.
 * The sockets are made here rather than in net/connect.ts, whose connector is TCP's (net.Socket, deadlines).
 */
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { LOAD_SPECS } from '../../config/engine-problems.js';
import { errnoCode, UNKNOWN_ERROR_CODE } from '../../errors/index.js';
import type { WorkerRuntime } from '../worker/runtime.js';
import { endpointCycle, type Endpoint } from '../worker/endpoints.js';
import type { Load, LoadContext, LoadEntry, Running } from './load.js';

const REQUEST = Buffer.from('R\n');
/** Pause before a pool slot tries again after its socket could not be made (as the TCP pool's). */
const REOPEN_BACKOFF_MS = 100;

/** A request waiting for its echo. */
interface Pending {
  sentMs: number;
  timer: unknown;
  done: (answered: boolean) => void;
}

/** One connected socket and its requests in the order sent (loopback keeps datagrams in order). */
interface Flow {
  socket: dgram.Socket;
  pending: Pending[];
}

/** Closes a socket that may already be closed (close() throws then). */
function closeQuietly(socket: dgram.Socket): void {
  try {
    socket.close();
  } catch {
    // Already closed: nothing holds its port any more.
  }
}

export class UdpLoad implements Load {
  private readonly runtime: WorkerRuntime;
  private readonly cycle: Endpoint[];
  /** Every socket open: churn sockets in flight or kept (close: never), pool sockets. */
  private readonly flows = new Set<Flow>();
  /** pool: the connected sockets requests go to, round-robin. */
  private readonly pool: Flow[] = [];
  /** pool: requests that came while no socket was connected (bounded by maxInFlight). */
  private readonly waiting: number[] = [];
  /** pool: round-robin position. */
  private next = 0;
  private stopped = false;
  private closing = false;

  constructor(private readonly context: LoadContext) {
    this.runtime = context.runtime;
    this.cycle = endpointCycle(this.runtime.config.sourceAddresses, this.runtime.config.destinations);
  }

  run(): Running {
    const { pattern, poolSize, poolOffset } = this.runtime.config;
    if (pattern === 'pool') for (let slot = 0; slot < poolSize; slot++) this.openSlot(this.cycle[(poolOffset + slot) % this.cycle.length]!);
    const running = this.context.arrivals((k) => (pattern === 'pool' ? this.request() : this.churn(k)));
    void running.finished.then(() => {
      this.stopped = true;
    });
    return running;
  }

  /**
   * Makes one connected socket and counts the attempt: `opened` gets the flow, or null when the connect
   * (its bind to port 0) failed.
   */
  private open(endpoint: Endpoint, opened: (flow: Flow | null) => void): void {
    const { runtime, context } = this;
    const { host, port } = endpoint.destination;
    const startMs = context.now();
    const socket = dgram.createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    const flow: Flow = { socket, pending: [] };
    const latencyUs = (): number => (context.now() - startMs) * 1000;
    const failConnect = (err: Error): void => {
      runtime.attempt(endpoint.source, endpoint.destinationLabel, errnoCode(err, UNKNOWN_ERROR_CODE), latencyUs());
      closeQuietly(socket);
      opened(null);
    };
    socket.once('error', failConnect);
    socket.connect(port, host, () => {
      socket.off('error', failConnect);
      runtime.attempt(endpoint.source, endpoint.destinationLabel, null, latencyUs());
      this.flows.add(flow);
      socket.on('message', () => this.answered(flow));
      // A connected socket learns of ICMP errors (port unreachable: ECONNREFUSED): the oldest request failed.
      socket.on('error', (err) => this.settle(flow, errnoCode(err, UNKNOWN_ERROR_CODE)));
      opened(flow);
    });
  }

  /** Sends one request on a flow; `done` says whether its echo came in time. */
  private send(flow: Flow, done: (answered: boolean) => void): void {
    const pending: Pending = { sentMs: this.context.now(), timer: undefined, done };
    pending.timer = this.context.timers.setTimeout(() => {
      const at = flow.pending.indexOf(pending);
      if (at === -1) return;
      flow.pending.splice(at, 1);
      this.runtime.requestError('ETIMEDOUT');
      done(false);
    }, this.runtime.config.connectTimeoutMs);
    flow.pending.push(pending);
    flow.socket.send(REQUEST);
  }

  private answered(flow: Flow): void {
    const pending = flow.pending.shift();
    if (!pending) return;
    this.context.timers.clearTimeout(pending.timer);
    this.runtime.request((this.context.now() - pending.sentMs) * 1000);
    pending.done(true);
  }

  /** The oldest request of a flow failed with `code`. */
  private settle(flow: Flow, code: string): void {
    const pending = flow.pending.shift();
    if (!pending) return;
    this.context.timers.clearTimeout(pending.timer);
    this.runtime.requestError(code);
    pending.done(false);
  }

  /** churn: start k opens a socket, exchanges its requests, then closes it or keeps it. */
  private churn(k: number): void {
    const { runtime } = this;
    if (!runtime.admit()) return;
    this.open(this.cycle[k % this.cycle.length]!, (flow) => {
      if (!flow) {
        runtime.inFlight--;
        return;
      }
      let left = runtime.config.requestsPerConnection ?? 1;
      const next = (answered: boolean): void => {
        if (answered && left > 0) {
          left--;
          this.send(flow, next);
          return;
        }
        runtime.inFlight--;
        // close: never holds the socket, and its port, until the run ends.
        if (runtime.config.close === 'never') return;
        this.flows.delete(flow);
        closeQuietly(flow.socket);
      };
      next(true);
    });
  }

  /** pool: a slot's socket; one that cannot be made is tried again after a pause, until the arrivals end. */
  private openSlot(endpoint: Endpoint): void {
    if (this.stopped || this.closing) return;
    this.open(endpoint, (flow) => {
      if (!flow) {
        this.context.timers.setTimeout(() => this.openSlot(endpoint), REOPEN_BACKOFF_MS);
        return;
      }
      this.pool.push(flow);
      while (this.waiting.length > 0) {
        this.waiting.shift();
        this.poolSend();
      }
    });
  }

  /** pool: a request arrives on the schedule. */
  private request(): void {
    if (!this.runtime.admit()) return;
    if (this.pool.length === 0) this.waiting.push(this.context.now());
    else this.poolSend();
  }

  private poolSend(): void {
    const flow = this.pool[this.next++ % this.pool.length]!;
    this.send(flow, () => this.runtime.inFlight--);
  }

  /** Ends requests still waiting (request errors EABORTED) and closes every socket. */
  close(): void {
    this.closing = true;
    for (const _ of this.waiting) this.runtime.requestError('EABORTED');
    this.waiting.length = 0;
    for (const flow of this.flows) {
      for (const pending of flow.pending) {
        this.context.timers.clearTimeout(pending.timer);
        this.runtime.requestError('EABORTED');
      }
      flow.pending.length = 0;
      closeQuietly(flow.socket);
    }
    this.flows.clear();
    this.pool.length = 0;
  }
}

export const udpLoad: LoadEntry = { spec: LOAD_SPECS.udp, create: (context) => new UdpLoad(context) };
