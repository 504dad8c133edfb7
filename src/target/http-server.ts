/**
 * The bundled HTTP/1.1 target (node:http): answers every request with a `responseBytes` body after
 * `responseDelayMs`, keeps connections alive for as long as clients want them, or, with
 * `closeAfterResponse`, answers "Connection: close" and closes first, so TIME_WAIT lands on the server side.
 */
import http from 'node:http';
import type net from 'node:net';
import { ignoreAcceptError, type RunningTarget, type TcpTargetOptions } from './tcp-server.js';

/** Same knobs as the TCP target; only the wire protocol differs. */
export type HttpTargetOptions = TcpTargetOptions;

/**
 * Longer than any run's idle gap, so the server never closes an idle keep-alive connection first: a
 * keep-alive client must see no churn that it did not cause. 65 s is also the common load-balancer value.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** Node requires headersTimeout to exceed keepAliveTimeout, or it may drop a connection between requests. */
const HEADERS_TIMEOUT_MS = KEEP_ALIVE_TIMEOUT_MS + 1_000;

function bodyOf(bytes: number): Buffer {
  const buffer = Buffer.alloc(bytes, 'x');
  buffer[bytes - 1] = 0x0a;
  return buffer;
}

function createHandler(body: Buffer, options: HttpTargetOptions): http.RequestListener {
  const contentLength = String(body.length);
  return (req, res) => {
    // Drain any request body so the parser can move on to the next (pipelined) request.
    req.resume();
    const answer = (): void => {
      if (res.destroyed) return;
      res.statusCode = 200;
      res.setHeader('Content-Type', 'text/plain');
      res.setHeader('Content-Length', contentLength);
      // node:http then ends the socket after this response: the server means to close first.
      if (options.closeAfterResponse) res.setHeader('Connection', 'close');
      res.end(body);
    };
    if (options.responseDelayMs > 0) setTimeout(answer, options.responseDelayMs);
    else answer();
  };
}

function listen(server: http.Server, address: { host: string; port: number }): Promise<void> {
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

/** Listens on every address; resolves once all are listening. */
export async function startHttpTarget(options: HttpTargetOptions): Promise<RunningTarget> {
  const handler = createHandler(bodyOf(options.responseBytes), options);
  let accepted = 0;
  const servers = options.listen.map(() => {
    const server = http.createServer({ noDelay: true }, handler);
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    server.headersTimeout = HEADERS_TIMEOUT_MS;
    // A slow response (responseDelay) must not be cut by the per-request timeout.
    server.requestTimeout = 0;
    // 0: no limit on request headers; clients here send few, and a limit would only add a failure mode.
    server.maxHeadersCount = 0;
    server.maxRequestsPerSocket = 0;
    server.on('connection', () => accepted++);
    // Clients reset or vanish all the time here; that is the experiment, not a fault.
    server.on('clientError', (_err: Error, socket: net.Socket) => socket.destroy());
    return server;
  });
  await Promise.all(servers.map((server, i) => listen(server, options.listen[i]!)));
  return {
    accepted: () => accepted,
    close: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              // Idle keep-alive connections would otherwise hold close() open for 65 s.
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}
