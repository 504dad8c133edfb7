/**
 * The node-agent engine: what a user's own Node service does. Every scheduled start issues one
 * `http.request` through this worker's `http.Agent({keepAlive, maxSockets})`, and the agent decides whether
 * the request gets a new connection or reuses one. Every TCP connection the agent opens is one connect
 * attempt (connected, or failed with its code), so attempts = connected + sum(errors) holds; failures after
 * the connect are request errors.
 *
 * Measured (Node 20, node:http target): with keepAlive false and maxSockets unlimited the request says
 * "Connection: close", the server closes first and TIME_WAIT lands on the server side; with keepAlive false
 * and a finite maxSockets the request says "keep-alive" and the agent destroys the idle socket after the
 * response, so the client closes first and keeps TIME_WAIT.
 */
import http from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { connectErrorCode } from '../../net/connect.js';
import { monoMs } from '../../util/clock.js';
import { share } from '../coordinator.js';
import type { WorkerRuntime } from './runtime.js';
import { destinationLabel, endpointCycle, type Endpoint } from './endpoints.js';

type CreateCallback = (err: Error | null, stream: Duplex) => void;

/** Called with every socket the agent creates, right after it is created (still connecting). */
type OnSocket = (socket: net.Socket, options: http.ClientRequestArgs) => void;

/**
 * An http.Agent that reports each new connection. Overriding createConnection is the documented way to
 * customise an agent; the socket still comes from the agent's own default (net.createConnection).
 */
class CountingAgent extends http.Agent {
  constructor(
    options: http.AgentOptions,
    private readonly onSocket: OnSocket,
  ) {
    super(options);
  }

  override createConnection(options: http.ClientRequestArgs, callback?: CreateCallback): Duplex | null | undefined {
    const socket = super.createConnection(options, callback);
    if (socket) this.onSocket(socket as net.Socket, options);
    return socket;
  }
}

/** This worker's share of maxSockets (per destination, as http.Agent counts); unlimited stays unlimited. */
export function workerMaxSockets(maxSockets: number | undefined, workers: number, index: number): number {
  if (maxSockets === undefined) return Infinity;
  return Math.max(1, share(maxSockets, workers, index));
}

interface Outcome {
  /** null: the response ended. */
  errorCode: string | null;
}

export class AgentLoad {
  private readonly cycle: Endpoint[];
  private readonly agent: CountingAgent;
  /** Sockets that have connected; a request error on a socket that never did was a connect error. */
  private readonly connected = new WeakSet<net.Socket>();
  private readonly open = new Map<http.ClientRequest, (outcome: Outcome) => void>();

  constructor(private readonly runtime: WorkerRuntime) {
    const { config } = runtime;
    if (config.protocol !== 'http') throw new Error('the node-agent engine speaks HTTP: set target.protocol to http');
    this.cycle = endpointCycle(config.sourceAddresses, config.destinations);
    this.agent = new CountingAgent(
      { keepAlive: config.agent.keepAlive, maxSockets: workerMaxSockets(config.agent.maxSockets, config.workers, config.index) },
      (socket, options) => this.observe(socket, options),
    );
  }

  /** Issues request k (its global index), unless maxInFlight is reached. */
  start(k: number): void {
    const { runtime } = this;
    if (!runtime.admit()) return;
    const endpoint = this.cycle[k % this.cycle.length]!;
    const issuedMs = monoMs();
    const req = http.request({
      agent: this.agent,
      host: endpoint.destination.host,
      port: endpoint.destination.port,
      path: '/',
      method: 'GET',
      localAddress: runtime.config.bindSource ? endpoint.source : undefined,
    });
    const finish = (outcome: Outcome): void => {
      if (!this.open.delete(req)) return;
      runtime.inFlight--;
      if (outcome.errorCode === null) runtime.request((monoMs() - issuedMs) * 1000);
      // A socket that never connected already counted this failure as its connect attempt.
      else if (!req.socket || this.connected.has(req.socket as net.Socket)) runtime.requestError(outcome.errorCode);
    };
    this.open.set(req, finish);
    req.on('response', (res) => {
      res.on('error', (err) => finish({ errorCode: connectErrorCode(err) }));
      res.once('end', () => finish({ errorCode: null }));
      res.resume();
    });
    req.on('error', (err) => finish({ errorCode: connectErrorCode(err) }));
    // Closed before the response ended and without an error of its own.
    req.once('close', () => finish({ errorCode: 'ECONNRESET' }));
    req.end();
  }

  /** Counts one connect attempt per new socket, with its latency, and bounds the connect. */
  private observe(socket: net.Socket, options: http.ClientRequestArgs): void {
    const { runtime } = this;
    const source = options.localAddress ?? runtime.config.sourceAddresses[0]!;
    const destination = destinationLabel({ host: String(options.host), port: Number(options.port) });
    const startedMs = monoMs();
    let settled = false;
    const settle = (errorCode: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (errorCode === null) this.connected.add(socket);
      runtime.attempt(source, destination, errorCode, (monoMs() - startedMs) * 1000);
    };
    // A SYN that nobody answers (full accept queue) would otherwise hang for the kernel's ~2 minutes.
    const timer = setTimeout(() => {
      socket.destroy(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' }));
    }, runtime.config.connectTimeoutMs);
    socket.once('connect', () => settle(null));
    socket.once('error', (err) => settle(connectErrorCode(err)));
    // Destroyed before it connected without an error (the run ended): still one attempt.
    socket.once('close', () => settle('EABORTED'));
  }

  /** Ends whatever is still in flight after the drain deadline (request errors) and closes the agent's sockets. */
  abort(): void {
    for (const [req, finish] of this.open) {
      finish({ errorCode: 'EABORTED' });
      req.destroy();
    }
    // Idle keep-alive sockets close here, client first, as a service's shutdown would.
    this.agent.destroy();
  }
}
