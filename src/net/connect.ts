/**
 * The only place that calls net.connect. Opens one TCP connection and reports how the connect() ended,
 * with Node's error code (EADDRNOTAVAIL, EADDRINUSE, ECONNREFUSED ...) or ETIMEDOUT for our own timeout.
 */
import net from 'node:net';
import { monoMs } from '../util/clock.js';

export interface ConnectOptions {
  host: string;
  port: number;
  /** Bind to this source address first (bind(ip, 0) then connect: per-address port allocation). */
  localAddress?: string;
  timeoutMs: number;
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

/**
 * Starts a connect and calls `done` exactly once. On success the socket is handed over with its connect
 * listeners removed; the caller owns it from then on (and must handle its 'error').
 */
export function openConnection(options: ConnectOptions, done: (result: ConnectResult) => void): void {
  const startedMs = monoMs();
  const socket = net.connect({
    host: options.host,
    port: options.port,
    localAddress: options.localAddress,
    noDelay: true,
  });
  let settled = false;
  const settle = (result: ConnectResult): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    socket.removeListener('connect', onConnect);
    socket.removeListener('error', onError);
    done(result);
  };
  const onConnect = (): void => settle({ ok: true, socket, latencyUs: (monoMs() - startedMs) * 1000 });
  const onError = (err: unknown): void => {
    socket.destroy();
    settle({ ok: false, code: connectErrorCode(err), latencyUs: (monoMs() - startedMs) * 1000 });
  };
  // A SYN that nobody answers (full accept queue) would otherwise hang for the kernel's ~2 minutes.
  const timer = setTimeout(() => {
    socket.destroy();
    settle({ ok: false, code: 'ETIMEDOUT', latencyUs: (monoMs() - startedMs) * 1000 });
  }, options.timeoutMs);
  socket.once('connect', onConnect);
  socket.once('error', onError);
}
