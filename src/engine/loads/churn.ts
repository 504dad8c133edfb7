/**
 * The churn pattern: a new connection per start. Connect, exchange `requestsPerConnection` requests (0:
 * none, a pure connect-rate load), then close the way the scenario says: client (FIN first: the client
 * keeps TIME_WAIT), server (the target closes first: TIME_WAIT moves to the server) or reset (RST: no
 * TIME_WAIT anywhere).
 */
import { LOAD_SPECS } from '../../config/engine-problems.js';
import { errnoCode, UNKNOWN_ERROR_CODE } from '../../errors/index.js';
import type { ClientSocket, ConnectOptions } from '../../net/connect.js';
import { assertNever } from '../../util/assert.js';
import type { WorkerRuntime } from '../worker/runtime.js';
import { endpointCycle, type Endpoint } from '../worker/endpoints.js';
import type { Load, LoadContext, LoadEntry, Running } from './load.js';

const REQUEST = Buffer.from('R\n');

/** One endpoint's connect options, built once: the hot path only reads them. */
interface Route {
  endpoint: Endpoint;
  options: ConnectOptions;
}

export class ChurnLoad implements Load {
  private readonly runtime: WorkerRuntime;
  private readonly routes: Route[];
  private readonly open = new Set<ClientSocket>();
  private readonly requests: number;

  constructor(private readonly context: LoadContext) {
    this.runtime = context.runtime;
    const { config } = context.runtime;
    this.requests = config.requestsPerConnection ?? 1;
    this.routes = endpointCycle(config.sourceAddresses, config.destinations).map((endpoint) => ({
      endpoint,
      options: {
        host: endpoint.destination.host,
        port: endpoint.destination.port,
        localAddress: config.bindSource ? endpoint.source : undefined,
        timeoutMs: config.connectTimeoutMs,
        noDelay: this.requests > 0,
      },
    }));
  }

  run(): Running {
    return this.context.arrivals((k) => this.start(k));
  }

  /** Starts connection k (its global index), unless maxInFlight is reached. */
  start(k: number): void {
    const { runtime } = this;
    if (!runtime.admit()) return;
    const { endpoint, options } = this.routes[k % this.routes.length]!;
    this.context.connect(options, (result) => {
      runtime.attempt(endpoint.source, endpoint.destinationLabel, result.ok ? null : result.code, result.latencyUs);
      if (!result.ok) runtime.inFlight--;
      else if (this.requests === 0) this.closeAtOnce(result.socket);
      else this.exchange(result.socket);
    });
  }

  /**
   * No request: close right after connecting. close() on the fd happens inside destroy(), so the
   * connection no longer holds its port when this returns and needs no 'close' listener.
   */
  private closeAtOnce(socket: ClientSocket): void {
    const { close } = this.runtime.config;
    switch (close) {
      case 'reset':
        socket.resetAndDestroy();
        break;
      case 'client':
        socket.destroy();
        break;
      case 'server':
        // Rejected by config (the target closes after a response, and none is asked for); a client close
        // keeps the count right if it ever gets here.
        socket.destroy();
        break;
      default:
        assertNever(close);
    }
    this.runtime.inFlight--;
  }

  private exchange(socket: ClientSocket): void {
    const { runtime, context } = this;
    const { responseBytes, close } = runtime.config;
    this.open.add(socket);
    let sentMs = context.now();
    let received = 0;
    let answered = 0;
    socket.on('error', (err) => {
      runtime.requestError(errnoCode(err, UNKNOWN_ERROR_CODE));
      socket.destroy();
    });
    socket.once('close', () => {
      this.open.delete(socket);
      runtime.inFlight--;
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (answered === this.requests || received < responseBytes) return;
      // One request is in flight at a time, so a response never shares bytes with the next one.
      received = 0;
      answered++;
      const nowMs = context.now();
      runtime.request((nowMs - sentMs) * 1000);
      if (answered < this.requests) {
        sentMs = nowMs;
        socket.write(REQUEST);
        return;
      }
      switch (close) {
        case 'client':
          // destroy() with nothing unread sends FIN: the client closes first and keeps TIME_WAIT.
          socket.destroy();
          break;
        case 'reset':
          socket.resetAndDestroy();
          break;
        case 'server':
          // The target ends the connection after its response; closing on its FIN keeps us passive.
          if (socket.readableEnded) socket.destroy();
          else socket.once('end', () => socket.destroy());
          break;
        default:
          assertNever(close);
      }
    });
    socket.write(REQUEST);
  }

  /** Ends whatever is still open after the drain deadline; counted as request errors. */
  close(): void {
    for (const socket of this.open) {
      this.runtime.requestError('EABORTED');
      socket.destroy();
    }
  }
}

export const churn: LoadEntry = { spec: LOAD_SPECS.churn, create: (context) => new ChurnLoad(context) };
