/**
 * The bundled HTTP/1.1 target (node:http): answers every request with a `responseBytes` body after
 * `responseDelayMs`, keeps connections alive until they are idle for `keepAliveTimeoutMs` (then the server
 * closes first, which is where the keep-alive reset race lives; keep-alive.ts), or, with `closeAfterResponse`, answers
 * "Connection: close" and closes first, so TIME_WAIT lands on the server side. With `maxRequestsPerSocket`
 * it closes after that many requests on a connection, as Node's server option of that name does.
 */
import http from 'node:http';
import type net from 'node:net';
import { createIdleCloser, keepAliveHint } from './keep-alive.js';
import { ignoreAcceptError, type RunningTarget, type TcpTargetOptions } from './tcp-server.js';

/** The TCP target's knobs, and the keep-alive behaviour of the server. */
export interface HttpTargetOptions extends TcpTargetOptions {
  keepAliveTimeoutMs?: number;
  /** Send "Keep-Alive: timeout=N" (Node's server does, N = floor(keepAliveTimeout / 1 s)); false: none. */
  keepAliveHint?: boolean;
  maxRequestsPerSocket?: number;
}

/**
 * The default: longer than any run's idle gap, so the server never closes an idle keep-alive connection
 * first and a keep-alive client sees no churn that it did not cause. 65 s is also the common load-balancer value.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

function bodyOf(bytes: number): Buffer {
  const buffer = Buffer.alloc(bytes, 'x');
  buffer[bytes - 1] = 0x0a;
  return buffer;
}

function createHandler(body: Buffer, options: HttpTargetOptions): http.RequestListener {
  const contentLength = String(body.length);
  const maxRequests = options.maxRequestsPerSocket ?? 0;
  const keepAliveTimeoutMs = options.keepAliveTimeoutMs ?? KEEP_ALIVE_TIMEOUT_MS;
  const hint = options.keepAliveHint === false ? null : keepAliveHint(keepAliveTimeoutMs);
  const idle = createIdleCloser(keepAliveTimeoutMs);
  const served = new WeakMap<net.Socket, number>();
  return (req, res) => {
    // Drain any request body so the parser can move on to the next (pipelined) request.
    req.resume();
    const { socket } = req;
    const count = (served.get(socket) ?? 0) + 1;
    served.set(socket, count);
    idle.requestStarted(socket);
    res.once('finish', () => idle.responseFinished(socket));
    const last = options.closeAfterResponse || (maxRequests > 0 && count >= maxRequests);
    const answer = (): void => {
      if (res.destroyed) return;
      res.statusCode = 200;
      res.setHeader('Content-Type', 'text/plain');
      res.setHeader('Content-Length', contentLength);
      // node:http then ends the socket after this response: the server means to close first.
      if (last) res.setHeader('Connection', 'close');
      else if (req.headers.connection?.toLowerCase() !== 'close') {
        // Node's own header logic is off with its keep-alive timer (keep-alive.ts), so the target writes both.
        res.setHeader('Connection', 'keep-alive');
        if (hint !== null) res.setHeader('Keep-Alive', hint);
      }
      res.end(body);
    };
    if (options.responseDelayMs > 0) setTimeout(answer, options.responseDelayMs);
    else answer();
  };
}

/** Listens on one address with a deep backlog; resolves once listening (also for the proxy's servers). */
export function listen(server: net.Server, address: { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // A deep backlog: bursts of connects must queue, not be dropped into connect timeouts.
    server.listen({ ...address, backlog: 65535 }, () => {
      server.removeListener('error', reject);
      server.on('error', ignoreAcceptError);
      resolve();
    });
  });
}

/** Closes every server; an http.Server's idle keep-alive connections would otherwise hold close() open for 65 s. */
export async function closeServers(servers: net.Server[]): Promise<void> {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          if (server instanceof http.Server) server.closeAllConnections();
        }),
    ),
  );
}

/** Listens on every address; resolves once all are listening. */
export async function startHttpTarget(options: HttpTargetOptions): Promise<RunningTarget> {
  const handler = createHandler(bodyOf(options.responseBytes), options);
  let accepted = 0;
  const servers = options.listen.map(() => {
    const server = http.createServer({ noDelay: true }, handler);
    // 0: Node's own idle timer (and its hint) off; the handler closes idle connections (keep-alive.ts).
    server.keepAliveTimeout = 0;
    server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
    // A slow response (responseDelay) must not be cut by the per-request timeout.
    server.requestTimeout = 0;
    // 0: no limit on request headers; clients here send few, and a limit would only add a failure mode.
    server.maxHeadersCount = 0;
    // maxRequestsPerSocket is counted by the handler, which says "Connection: close" on the last response.
    server.maxRequestsPerSocket = 0;
    server.on('connection', () => accepted++);
    // Clients reset or vanish all the time here; that is the experiment, not a fault.
    server.on('clientError', (_err: Error, socket: net.Socket) => socket.destroy());
    return server;
  });
  await Promise.all(servers.map((server, i) => listen(server, options.listen[i]!)));
  return {
    accepted: () => accepted,
    close: () => closeServers(servers),
  };
}
