/**
 * The only place that opens client sockets. A connector opens one TCP connection per call and reports how
 * the connect() ended, with Node's error code (EADDRNOTAVAIL, EADDRINUSE, ECONNREFUSED ...) or ETIMEDOUT for
 * its own timeout. Built by a factory, as undici's buildConnector, so a load can be handed another one (tests
 * give one over fake sockets) and so its timeout queues belong to the connector, not to the module.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { errnoCode, UNKNOWN_ERROR_CODE } from '../errors/index.js';
import { monoMs } from '../util/clock.js';
import { DeadlineQueue, unrefTimers, type Timers } from './deadlines.js';

/** A client socket as the loads use it: net.Socket in a run, a fake in tests. A Duplex, as http.Agent needs. */
export interface ClientSocket extends Duplex {
  /** Closes with RST instead of FIN: no TIME_WAIT on either side. */
  resetAndDestroy(): this;
}

/** What the connector does with a socket before handing it over: net.Socket's own methods. */
export interface ConnectingSocket extends ClientSocket {
  setNoDelay(noDelay?: boolean): this;
  connect(options: { host: string; port: number; localAddress?: string | undefined }): this;
}

export interface ConnectOptions {
  host: string;
  port: number;
  /** Bind to this source address first (bind(ip, 0) then connect: per-address port allocation). */
  localAddress?: string | undefined;
  timeoutMs: number;
  /**
   * TCP_NODELAY (default true). A connection that sends nothing can skip it: one setsockopt() less per
   * connect, which shows at tens of thousands of connects per second.
   */
  noDelay?: boolean;
}

export type ConnectResult<S extends ClientSocket = ClientSocket> =
  | { ok: true; socket: S; latencyUs: number }
  | { ok: false; code: string; latencyUs: number };

/**
 * Starts a connect and calls `done` exactly once. On success the socket is handed over; the caller owns it
 * from then on and adds its own 'error' listener to count errors (without one they are ignored). Returns the
 * socket at once, still connecting (http.Agent's createConnection must return it before it connects).
 */
export type Connect<S extends ClientSocket = ClientSocket> = (options: ConnectOptions, done: (result: ConnectResult<S>) => void) => S;

export interface ConnectorOptions<S extends ConnectingSocket> {
  /** An unconnected socket; by default a bare net.Socket. */
  createSocket: () => S;
  /** Monotonic ms for latencies and deadlines (default: the clock every thread shares). */
  now: () => number;
  /** The timers of the deadline queues (default: unref'd, so a settled connect keeps no thread alive). */
  timers: Timers;
  /**
   * Where a connect with a localAddress gets its socket, already bound (no-port.ts); it then connects without
   * binding again. Absent: Node binds (SO_REUSEADDR + bind(ip, 0), each port exclusive). Throws an errno
   * error (code EMFILE ...) when it cannot make one, which the connect reports as its outcome.
   */
  bindSocket?: (localAddress: string) => S;
  /**
   * Runs a callback once the I/O that is already done has been handled: setImmediate by default (the event
   * loop's check phase comes after its poll phase). Deadlines expire through it.
   */
  afterIo: (fn: () => void) => void;
}

/**
 * Not `new net.Socket(options)` nor net.connect(options): on Node 20 a Socket built with any options object
 * takes ~6 us (its constructor spreads the options, and V8 11.3 caches no map transitions for spread clones,
 * so every socket gets fresh maps and misses every inline cache), against ~0.3 us for a bare one (measured).
 */
const bareSocket = (): net.Socket => new net.Socket();

export function createConnector(options?: Partial<Omit<ConnectorOptions<net.Socket>, 'createSocket'>>): Connect<net.Socket>;
export function createConnector<S extends ConnectingSocket>(options: Partial<ConnectorOptions<S>> & Pick<ConnectorOptions<S>, 'createSocket'>): Connect<S>;
export function createConnector(options: Partial<ConnectorOptions<ConnectingSocket>> = {}): Connect<ConnectingSocket> {
  const createSocket = options.createSocket ?? bareSocket;
  const now = options.now ?? monoMs;
  const timers = options.timers ?? unrefTimers;
  const { bindSocket } = options;
  const afterIo = options.afterIo ?? setImmediate;
  // After a stall (a starved worker) the loop runs expired timers before the I/O that completed meanwhile,
  // so a connect already done would be reported as ETIMEDOUT (which the nat lab counts as exhaustion). The
  // queues' timer therefore expires its deadlines in the check phase, after that I/O has settled them: one
  // deferral per timer firing, nothing per connect.
  const deadlineTimers: Timers = {
    setTimeout: (fn, delayMs) => timers.setTimeout(() => afterIo(fn), delayMs),
    clearTimeout: (handle) => timers.clearTimeout(handle),
  };
  /** One queue per timeout length: deadlines in one queue expire in start order, so one timer serves it. */
  const deadlineQueues = new Map<number, DeadlineQueue>();

  const deadlinesFor = (timeoutMs: number): DeadlineQueue => {
    let queue = deadlineQueues.get(timeoutMs);
    if (!queue) deadlineQueues.set(timeoutMs, (queue = new DeadlineQueue(timeoutMs, now, deadlineTimers)));
    return queue;
  };

  return function connect(connectOptions, done) {
    const startedMs = now();
    const { localAddress } = connectOptions;
    const prebound = bindSocket !== undefined && localAddress !== undefined;
    let socket: ConnectingSocket;
    let bindError: unknown = null;
    try {
      socket = prebound ? bindSocket(localAddress) : createSocket();
    } catch (err) {
      // Reported like any failed connect: through 'error', on a later turn.
      bindError = err;
      socket = createSocket();
    }
    if (connectOptions.noDelay ?? true) socket.setNoDelay(true);
    if (bindError === null) socket.connect({ host: connectOptions.host, port: connectOptions.port, localAddress: prebound ? undefined : localAddress });
    else socket.destroy(bindError instanceof Error ? bindError : new Error(String(bindError)));
    let settled = false;
    const settle = (result: ConnectResult<ConnectingSocket>): void => {
      if (settled) return;
      settled = true;
      deadline.cancel();
      done(result);
    };
    const onConnect = (): void => settle({ ok: true, socket, latencyUs: (now() - startedMs) * 1000 });
    // Stays attached (no removal per connect): after settling it only swallows errors the owner does not
    // handle itself, such as a failed resetAndDestroy() on a socket closed right after connecting.
    const onError = (err: unknown): void => {
      if (settled) return;
      socket.destroy();
      settle({ ok: false, code: errnoCode(err, UNKNOWN_ERROR_CODE), latencyUs: (now() - startedMs) * 1000 });
    };
    // A SYN that nobody answers (full accept queue) would otherwise hang for the kernel's ~2 minutes.
    const deadline = deadlinesFor(connectOptions.timeoutMs).add(() => {
      socket.destroy();
      settle({ ok: false, code: 'ETIMEDOUT', latencyUs: (now() - startedMs) * 1000 });
    });
    socket.once('connect', onConnect);
    socket.on('error', onError);
    return socket;
  };
}
