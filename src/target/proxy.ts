/**
 * The bundled proxy: clients connect to it, it connects to the backend (the bundled target) in the same
 * lab. Upstream modes:
 * - per-connection (L4): a backend connection per client connection, bytes piped both ways; any protocol;
 * - per-request (HTTP): a backend connection per request, closed by the proxy after the response (no
 *   upstream keep-alive), so each request leaves a TIME_WAIT on the proxy's side of the backend hop;
 * - pooled (HTTP): at most poolSize backend connections, kept alive and reused.
 *
 * The proxy connects without binding a source address: connect() then picks the port per four-tuple and
 * exhaustion shows as EADDRNOTAVAIL, as for any client (binding would make every port exclusive and turn
 * it into EADDRINUSE, kernel-facts.md). The sampler tells the hops apart by the remote port: the proxy's
 * ports (target.ports) on the client hop, the backend ports on the backend hop.
 */
import http from 'node:http';
import net from 'node:net';
import type { ProxyUpstream } from '../config/proxy.js';
import type { Protocol } from '../config/types.js';
import { errnoCode, UNKNOWN_ERROR_CODE } from '../errors/index.js';
import { closeServers, KEEP_ALIVE_TIMEOUT_MS, listen } from './http-server.js';
import { ProxyCounters } from './proxy-stats.js';
import type { ProxyStats } from '../metrics/proxy.js';
import type { ListenAddress, RunningTarget } from './tcp-server.js';

export interface ProxyOptions {
  upstream: ProxyUpstream;
  poolSize: number;
  protocol: Protocol;
  /** Where clients connect (the scenario's target ports). */
  listen: ListenAddress[];
  /** The backend's addresses, used round-robin. */
  backends: ListenAddress[];
  /** An upstream connect not done by then fails with ETIMEDOUT (the client gets 504, or a reset). */
  connectTimeoutMs: number;
}

export interface RunningProxy extends RunningTarget {
  stats(): ProxyStats;
}

/** Headers that describe one hop only (RFC 9110 7.6.1): never forwarded. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_HEADERS.has(name) && value !== undefined) out[name] = value;
  return out;
}

/** Fails a socket still connecting after `ms` with ETIMEDOUT; a connected socket keeps no timeout. */
function connectDeadline(socket: net.Socket, ms: number): void {
  socket.setTimeout(ms, () => {
    if (socket.connecting) socket.destroy(Object.assign(new Error('upstream connect timed out'), { code: 'ETIMEDOUT' }));
  });
  socket.once('connect', () => socket.setTimeout(0));
}

class Backends {
  private next = 0;
  constructor(private readonly list: ListenAddress[]) {}
  pick(): ListenAddress {
    const address = this.list[this.next % this.list.length]!;
    this.next++;
    return address;
  }
}

/** per-connection: one upstream socket per client socket; the proxy closes the upstream when the client is done. */
function l4Handler(options: ProxyOptions, counters: ProxyCounters, backends: Backends, sockets: Set<net.Socket>): (client: net.Socket) => void {
  return (client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    const upstream = net.connect(backends.pick());
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    counters.stats.upstreamOpened++;
    connectDeadline(upstream, options.connectTimeoutMs);
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      counters.stats.upstreamConnected++;
      client.pipe(upstream);
      upstream.pipe(client);
    });
    upstream.on('error', (err) => {
      if (!connected) {
        counters.connectFailed(errnoCode(err, UNKNOWN_ERROR_CODE));
        counters.answered('reset');
        // An L4 proxy has nothing to answer with: the client's connection is reset.
        if (!client.destroyed) client.resetAndDestroy();
      } else client.destroy();
    });
    // Clients reset or vanish all the time here; that is the experiment, not a fault.
    client.on('error', () => upstream.destroy());
    // pipe() ends the upstream when the client ends: the proxy sends FIN first and keeps the TIME_WAIT.
    client.once('close', () => upstream.end());
    upstream.once('close', () => client.end());
  };
}

/** per-request and pooled: node:http on both sides; the agent decides when a backend connection opens. */
function httpHandler(options: ProxyOptions, counters: ProxyCounters, backends: Backends, agent: http.Agent): http.RequestListener {
  return (req, res) => {
    const backend = backends.pick();
    const upstream = http.request({ agent, host: backend.host, port: backend.port, method: req.method, path: req.url, headers: endToEnd(req.headers) });
    let connected = false;
    upstream.on('socket', (socket) => {
      if (upstream.reusedSocket) {
        connected = true;
        return;
      }
      counters.stats.upstreamOpened++;
      connectDeadline(socket, options.connectTimeoutMs);
      socket.once('connect', () => {
        connected = true;
        counters.stats.upstreamConnected++;
      });
    });
    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
      answer.pipe(res);
    });
    upstream.on('error', (err) => {
      const code = errnoCode(err, UNKNOWN_ERROR_CODE);
      if (!connected) counters.connectFailed(code);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const status = code === 'ETIMEDOUT' ? 504 : 502;
      counters.answered(String(status));
      res.writeHead(status, { 'content-length': '0' }).end();
    });
    req.pipe(upstream);
  };
}

/** The agent of a mode: per-request closes after each response (proxy first), pooled keeps poolSize alive. */
function agentFor(options: ProxyOptions): http.Agent {
  if (options.upstream === 'pooled') {
    return new http.Agent({ keepAlive: true, maxSockets: options.poolSize, maxTotalSockets: options.poolSize, maxFreeSockets: options.poolSize, scheduling: 'fifo' });
  }
  // keepAlive false with a finite maxSockets: the request says "keep-alive" and the agent destroys the socket
  // after the response, so the proxy closes first (measured, engine/loads/node-agent.ts). Unlimited
  // maxSockets would send "Connection: close" and move the TIME_WAIT to the backend.
  return new http.Agent({ keepAlive: false, maxSockets: 1_000_000 });
}

/** Starts the proxy on every listen address; the backend must already listen. */
export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const counters = new ProxyCounters();
  const backends = new Backends(options.backends);
  const sockets = new Set<net.Socket>();
  const l4 = options.upstream === 'per-connection';
  const agent = l4 ? null : agentFor(options);
  let accepted = 0;
  const servers = options.listen.map(() => {
    if (!agent) return net.createServer({ noDelay: true }, l4Handler(options, counters, backends, sockets));
    const server = http.createServer({ noDelay: true }, httpHandler(options, counters, backends, agent));
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
    server.requestTimeout = 0;
    server.on('clientError', (_err: Error, socket: net.Socket) => socket.destroy());
    return server;
  });
  for (const server of servers) server.on('connection', () => accepted++);
  await Promise.all(servers.map((server, i) => listen(server, options.listen[i]!)));
  return {
    accepted: () => accepted,
    stats: () => counters.snapshot(),
    close: async () => {
      await closeServers(servers);
      for (const socket of sockets) socket.destroy();
      agent?.destroy();
    },
  };
}
