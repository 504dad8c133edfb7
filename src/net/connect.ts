/**
 * The only place that calls net.connect. Opens one TCP connection and reports how the connect() ended,
 * with Node's error code (EADDRNOTAVAIL, EADDRINUSE, ECONNREFUSED ...) or ETIMEDOUT for our own timeout.
 */
import net from 'node:net';
import { monoMs } from '../util/clock.js';
import { DeadlineQueue } from './deadlines.js';

export interface ConnectOptions {
  host: string;
  port: number;
  /** Bind to this source address first (bind(ip, 0) then connect: per-address port allocation). */
  localAddress?: string;
  timeoutMs: number;
  /**
   * TCP_NODELAY (default true). A connection that sends nothing can skip it: one setsockopt() less per
   * connect, which shows at tens of thousands of connects per second.
   */
  noDelay?: boolean;
}

export type ConnectResult =
  | { ok: true; socket: net.Socket; latencyUs: number }
  | { ok: false; code: string; latencyUs: number };

/** Error code of a failed connect: Node's `code`, else a stable fallback. */
export function connectErrorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return (err as { code: string }).code;
  }
  return 'EUNKNOWN';
}

/** This thread's timeout queues, one per timeout length (deadlines in one queue expire in start order). */
const deadlineQueues = new Map<number, DeadlineQueue>();

function deadlinesFor(timeoutMs: number): DeadlineQueue {
  let queue = deadlineQueues.get(timeoutMs);
  if (!queue) deadlineQueues.set(timeoutMs, (queue = new DeadlineQueue(timeoutMs, monoMs)));
  return queue;
}

/**
 * Starts a connect and calls `done` exactly once. On success the socket is handed over; the caller owns it
 * from then on and adds its own 'error' listener to count errors (without one they are ignored).
 */
export function openConnection(options: ConnectOptions, done: (result: ConnectResult) => void): void {
  const startedMs = monoMs();
  // Not net.connect(options): on Node 20 a Socket built with any options object takes ~6 us (its
  // constructor spreads the options, and V8 11.3 caches no map transitions for spread clones, so every
  // socket gets fresh maps and misses every inline cache), against ~0.3 us for a bare one (measured).
  const socket = new net.Socket();
  if (options.noDelay ?? true) socket.setNoDelay(true);
  socket.connect({ host: options.host, port: options.port, localAddress: options.localAddress });
  let settled = false;
  const settle = (result: ConnectResult): void => {
    if (settled) return;
    settled = true;
    deadline.cancel();
    done(result);
  };
  const onConnect = (): void => settle({ ok: true, socket, latencyUs: (monoMs() - startedMs) * 1000 });
  // Stays attached (no removal per connect): after settling it only swallows errors the owner does not
  // handle itself, such as a failed resetAndDestroy() on a socket closed right after connecting.
  const onError = (err: unknown): void => {
    if (settled) return;
    socket.destroy();
    settle({ ok: false, code: connectErrorCode(err), latencyUs: (monoMs() - startedMs) * 1000 });
  };
  // A SYN that nobody answers (full accept queue) would otherwise hang for the kernel's ~2 minutes.
  const deadline = deadlinesFor(options.timeoutMs).add(() => {
    // After a stall (a starved worker) the loop runs expired timers before the I/O that completed meanwhile:
    // the check phase comes after the poll phase, so a connect already done settles first, not as a timeout.
    setImmediate(() => {
      if (settled) return;
      socket.destroy();
      settle({ ok: false, code: 'ETIMEDOUT', latencyUs: (monoMs() - startedMs) * 1000 });
    });
  });
  socket.once('connect', onConnect);
  socket.on('error', onError);
}
