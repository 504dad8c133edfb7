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
import type { Duplex } from 'node:stream';
import { LOAD_SPECS } from '../../config/engine-problems.js';
import { RESET_CODES } from '../../model/keep-alive.js';
import { errnoCode, UNKNOWN_ERROR_CODE } from '../../errors/index.js';
import type { ClientSocket } from '../../net/connect.js';
import { share } from '../coordinator.js';
import type { WorkerRuntime } from '../worker/runtime.js';
import { admittedEndpoint, destinationLabel, endpointCycle, type Endpoint } from '../worker/endpoints.js';
import type { Load, LoadContext, LoadEntry, Running } from './load.js';

type CreateCallback = (err: Error | null, stream: Duplex) => void;

/**
 * An http.Agent whose sockets come from the load's connector. Overriding createConnection is the documented
 * way to customise an agent; the socket is returned at once, still connecting, as net.createConnection does.
 */
class ConnectorAgent extends http.Agent {
  constructor(
    options: http.AgentOptions,
    private readonly openSocket: (options: http.ClientRequestArgs) => ClientSocket,
  ) {
    super(options);
  }

  override createConnection(options: http.ClientRequestArgs, _callback?: CreateCallback): Duplex {
    return this.openSocket(options);
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

export class AgentLoad implements Load {
  private readonly runtime: WorkerRuntime;
  private readonly cycle: Endpoint[];
  private readonly agent: ConnectorAgent;
  /** Sockets that have connected; a request error on a socket that never did was a connect error. */
  private readonly connected = new WeakSet<Duplex>();
  /** Sockets still connecting, with how to count them if they are destroyed first. */
  private readonly connecting = new Set<ClientSocket>();
  private readonly open = new Map<http.ClientRequest, (outcome: Outcome) => void>();
  private closed = false;

  constructor(private readonly context: LoadContext) {
    this.runtime = context.runtime;
    const { config } = context.runtime;
    this.cycle = endpointCycle(config.sourceAddresses, config.destinations);
    const { keepAlive, maxSockets, timeoutMs } = config.agent;
    this.agent = new ConnectorAgent(
      // timeout: an idle kept-alive socket is destroyed after it (the agent's own idle timeout; see model/keep-alive.ts).
      { keepAlive, maxSockets: workerMaxSockets(maxSockets, config.workers, config.index), ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }) },
      (options) => this.openSocket(options),
    );
  }

  run(): Running {
    return this.context.arrivals((k) => this.start(k));
  }

  /** Issues request k (its global index), unless maxInFlight is reached. */
  start(k: number): void {
    const endpoint = admittedEndpoint(this.runtime, this.cycle, k);
    if (endpoint) this.issue(endpoint, this.context.now(), this.runtime.config.retries);
  }

  /**
   * Sends one request. A reset on a reused connection (the keep-alive race) is sent again while retries are
   * left, as Node's docs advise (request.reusedSocket): GET is idempotent. Latency counts from the first try.
   */
  private issue(endpoint: Endpoint, issuedMs: number, retriesLeft: number): void {
    const { runtime, context } = this;
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
      if (outcome.errorCode !== null && retriesLeft > 0 && req.reusedSocket && RESET_CODES.includes(outcome.errorCode)) {
        // After this turn's I/O: FINs already queued for other idle sockets close them first, so the retry
        // does not take another connection the server has closed (after a stall there can be many).
        setImmediate(() => (this.closed ? this.abandon() : this.issue(endpoint, issuedMs, retriesLeft - 1)));
        return;
      }
      runtime.inFlight--;
      if (outcome.errorCode === null) runtime.request((context.now() - issuedMs) * 1000);
      // A socket that never connected already counted this failure as its connect attempt.
      else if (!req.socket || this.connected.has(req.socket)) runtime.requestError(outcome.errorCode);
    };
    this.open.set(req, finish);
    req.on('response', (res) => {
      res.on('error', (err) => finish({ errorCode: errnoCode(err, UNKNOWN_ERROR_CODE) }));
      // A proxy in front answers 502/504 when it cannot reach the backend: the client saw a failure, by status.
      const status = res.statusCode ?? 0;
      res.once('end', () => finish({ errorCode: status >= 500 ? `HTTP_${status}` : null }));
      res.resume();
    });
    req.on('error', (err) => finish({ errorCode: errnoCode(err, UNKNOWN_ERROR_CODE) }));
    // Closed before the response ended and without an error of its own.
    req.once('close', () => finish({ errorCode: 'ECONNRESET' }));
    req.end();
  }

  /** Opens a socket for the agent through the connector: one connect attempt each, with its latency. */
  private openSocket(options: http.ClientRequestArgs): ClientSocket {
    const { runtime, context } = this;
    const { config } = runtime;
    const host = String(options.host);
    const port = Number(options.port);
    const source = options.localAddress ?? config.sourceAddresses[0]!;
    const destination = destinationLabel({ host, port });
    const startedMs = context.now();
    const socket = context.connect({ host, port, localAddress: options.localAddress, timeoutMs: config.connectTimeoutMs }, (result) => {
      // Not connecting any more: counted below, or already counted as aborted.
      if (!this.connecting.delete(socket)) return;
      if (result.ok) this.connected.add(result.socket);
      runtime.attempt(source, destination, result.ok ? null : result.code, result.latencyUs);
    });
    this.connecting.add(socket);
    // Destroyed before it connected, without an error (the run ended): still one attempt.
    socket.once('close', () => {
      if (this.connecting.delete(socket)) runtime.attempt(source, destination, 'EABORTED', (context.now() - startedMs) * 1000);
    });
    return socket;
  }

  /** Ends whatever is still in flight after the drain deadline (request errors) and closes the agent's sockets. */
  /** A retry that came due after close(): the request ends as aborted. */
  private abandon(): void {
    this.runtime.inFlight--;
    this.runtime.requestError('EABORTED');
  }

  close(): void {
    this.closed = true;
    for (const [req, finish] of this.open) {
      finish({ errorCode: 'EABORTED' });
      req.destroy();
    }
    // Idle keep-alive sockets close here, client first, as a service's shutdown would.
    this.agent.destroy();
  }
}

/** The node-agent load: what a user's own Node service does with http.request and an http.Agent. */
export const nodeAgent: LoadEntry = { spec: LOAD_SPECS['node-agent'], create: (context) => new AgentLoad(context) };
