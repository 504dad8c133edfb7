/**
 * Instruments one autocannon Client (handed over by its public `setupClient` hook) so its connections and
 * responses are counted like the raw engine's. autocannon has no connect or per-response event that works
 * in every mode, so this wraps two members of autocannon 9's Client, checked at runtime:
 * - `_connect()`: every socket it opens is one connect attempt (connected, or failed with Node's code);
 *   and after a failed connect the retry is delayed, because autocannon retries at once, and EADDRNOTAVAIL
 *   fails inside a nextTick chain: without a pause the event loop starves and the run never ends (measured).
 * - `pipelinedRequests.terminateRequest()`: called once per complete response with its duration. autocannon
 *   emits no 'response' event with reconnectRate (measured: 0 responses counted at reconnectRate 1).
 */
import type { EventEmitter } from 'node:events';
import type net from 'node:net';
import { errnoCode, UNKNOWN_ERROR_CODE } from '../../../errors/index.js';
import { monoMs } from '../../../util/clock.js';

/** The parts of autocannon 9's (private) Client that portlab relies on. */
interface AutocannonClient extends EventEmitter {
  conn: net.Socket | undefined;
  destroyed: boolean;
  opts: { hostname: string; port: number | string };
  pipelinedRequests: { terminateRequest(): { duration: number } | undefined; clear(): void; size(): number };
  _connect(): void;
}

export interface ClientObserver {
  /** A socket's connect ended: connected (errorCode null) or failed. */
  connectAttempt(destination: { host: string; port: number }, errorCode: string | null, latencyUs: number): void;
  /** A complete response; latency from the request's write (for churn: includes the connect). */
  response(latencyUs: number): void;
  /** A request failed after its connection was up (reset, timeout, or cut by the end of the run). */
  requestError(code: string): void;
}

function isAutocannonClient(client: unknown): client is AutocannonClient {
  const c = client as Partial<AutocannonClient> | null;
  return (
    typeof c?._connect === 'function' &&
    typeof c.pipelinedRequests?.terminateRequest === 'function' &&
    typeof c.pipelinedRequests.clear === 'function' &&
    typeof c.opts?.hostname === 'string'
  );
}

export function instrumentClient(client: unknown, observer: ClientObserver, retryAfterMs: number): void {
  if (!isAutocannonClient(client)) {
    throw new Error('this autocannon version is not supported: portlab instruments autocannon 9 clients (_connect, pipelinedRequests)');
  }
  const destination = { host: client.opts.hostname.replace(/^\[|\]$/g, ''), port: Number(client.opts.port) };
  const failed = new WeakSet<net.Socket>();
  const connected = new WeakSet<net.Socket>();
  let replaced: net.Socket | undefined;

  const watch = (socket: net.Socket | undefined): void => {
    if (!socket) return;
    const startedMs = monoMs();
    let settled = false;
    const settle = (errorCode: string | null): void => {
      settled = true;
      observer.connectAttempt(destination, errorCode, (monoMs() - startedMs) * 1000);
    };
    // Prepended: the outcome must be known before autocannon's own handlers reconnect.
    socket.prependOnceListener('connect', () => {
      connected.add(socket);
      settle(null);
    });
    socket.prependListener('error', (err: unknown) => {
      if (settled) return observer.requestError(errnoCode(err, UNKNOWN_ERROR_CODE));
      failed.add(socket);
      settle(errnoCode(err, UNKNOWN_ERROR_CODE));
    });
    // Destroyed while connecting: autocannon's request timeout, or the end of the run.
    socket.once('close', () => {
      if (!settled) settle(client.destroyed ? 'EABORTED' : 'ETIMEDOUT');
    });
  };

  const connect = client._connect.bind(client);
  let retry: NodeJS.Timeout | undefined;
  client._connect = () => {
    const previous = client.conn;
    replaced = previous;
    if (retry) return;
    if (previous && failed.has(previous)) {
      retry = setTimeout(() => {
        retry = undefined;
        if (client.destroyed) return;
        // Requests written to the dead socket died with it; their start times must not date new responses.
        client.pipelinedRequests.clear();
        connect();
        watch(client.conn);
      }, retryAfterMs);
      return;
    }
    connect();
    watch(client.conn);
  };

  const queue = client.pipelinedRequests;
  const terminate = queue.terminateRequest.bind(queue);
  queue.terminateRequest = () => {
    const data = terminate();
    if (data) observer.response(data.duration * 1000);
    return data;
  };

  // autocannon's timeout handler has already swapped in a new connection: `replaced` is the one that timed out.
  client.on('timeout', () => {
    if (replaced && connected.has(replaced)) observer.requestError('ETIMEDOUT');
  });
  // The run ends with requests still in flight on live connections: they are cut, not answered.
  client.on('done', () => {
    const conn = client.conn;
    if (!conn || !connected.has(conn) || conn.destroyed) return;
    for (let i = queue.size(); i > 0; i--) observer.requestError('EABORTED');
  });
}
