/**
 * The churn pattern: a new connection per request. Connect, send one request, read the response, then
 * close the way the scenario says: client (FIN first: the client keeps TIME_WAIT), server (the target
 * closes first: TIME_WAIT moves to the server) or reset (RST: no TIME_WAIT anywhere).
 */
import type net from 'node:net';
import { openConnection, connectErrorCode } from '../../net/connect.js';
import { assertNever } from '../../util/assert.js';
import { monoMs } from '../../util/clock.js';
import type { WorkerRuntime } from './runtime.js';
import { endpointCycle, type Endpoint } from './endpoints.js';

const REQUEST = Buffer.from('R\n');

export class ChurnLoad {
  private readonly cycle: Endpoint[];
  private readonly open = new Set<net.Socket>();

  constructor(private readonly runtime: WorkerRuntime) {
    this.cycle = endpointCycle(runtime.config.sourceAddresses, runtime.config.destinations);
  }

  /** Starts connection k (its global index), unless maxInFlight is reached. */
  start(k: number): void {
    const { runtime } = this;
    if (runtime.inFlight >= runtime.config.maxInFlight) {
      runtime.skipped();
      return;
    }
    runtime.inFlight++;
    const endpoint = this.cycle[k % this.cycle.length]!;
    openConnection(
      {
        host: endpoint.destination.host,
        port: endpoint.destination.port,
        localAddress: runtime.config.bindSource ? endpoint.source : undefined,
        timeoutMs: runtime.config.connectTimeoutMs,
      },
      (result) => {
        runtime.attempt(endpoint.source, endpoint.destinationLabel, result.ok ? null : result.code, result.latencyUs);
        if (result.ok) this.exchange(result.socket);
        else runtime.inFlight--;
      },
    );
  }

  private exchange(socket: net.Socket): void {
    const { runtime } = this;
    const { responseBytes, close } = runtime.config;
    this.open.add(socket);
    const sentMs = monoMs();
    let received = 0;
    let answered = false;
    socket.on('error', (err) => {
      runtime.requestError(connectErrorCode(err));
      socket.destroy();
    });
    socket.once('close', () => {
      this.open.delete(socket);
      runtime.inFlight--;
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (answered || received < responseBytes) return;
      answered = true;
      runtime.request((monoMs() - sentMs) * 1000);
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
  abort(): void {
    for (const socket of this.open) {
      this.runtime.requestError('EABORTED');
      socket.destroy();
    }
  }
}
