/**
 * Test helper: a scripted network for the connector and the loads. A FakeNetwork hands out FakeSockets (the
 * connector's `createSocket`); the test decides how each connect ends and what the peer answers, and reads
 * back what every socket did: where it connected, what it wrote, who closed it. Nothing touches the kernel.
 * Every step is taken on a later turn of the event loop (setImmediate), as a real socket's events are.
 */
import { Duplex } from 'node:stream';
import type { ConnectingSocket } from '../../src/net/connect.js';

/** How a connect ends: connected, never answered (until the connector's timeout), or failed with a code. */
export type ConnectOutcome = 'connect' | 'hang' | { code: string | undefined };

export interface ConnectTarget {
  host: string;
  port: number;
  localAddress?: string | undefined;
}

export interface PeerOptions {
  /** How connect number `index` (from 0) to `target` ends; default: it connects. */
  outcome?: (target: ConnectTarget, index: number) => ConnectOutcome;
  /** The peer answers each request with this many bytes; 0: it never answers. Default 16. */
  responseBytes?: number;
  /** The peer closes (FIN) right after its first response, as the target does for close: server. */
  closeAfterResponse?: boolean;
  /** Requests and responses are HTTP/1.1 (for http.Agent) instead of portlab's line protocol. */
  http?: boolean;
}

/** Who ended a connection that was up: FIN from us, FIN from the peer first, or RST from us. */
export type ClosedBy = 'client' | 'server' | 'reset';

export class FakeSocket extends Duplex implements ConnectingSocket {
  target: ConnectTarget | undefined;
  noDelay = false;
  /** Bytes written by the client, as text. */
  written = '';
  state: 'new' | 'connecting' | 'connected' | 'failed' = 'new';
  closedBy: ClosedBy | null = null;
  private peerEnded = false;
  private resetting = false;

  constructor(private readonly network: FakeNetwork) {
    // Like net.Socket: the peer's FIN ends our side too.
    super({ allowHalfOpen: false });
  }

  setNoDelay(noDelay = true): this {
    this.noDelay = noDelay;
    return this;
  }

  connect(target: ConnectTarget): this {
    this.target = { ...target };
    this.state = 'connecting';
    this.network.connecting(this);
    return this;
  }

  resetAndDestroy(): this {
    this.resetting = true;
    return this.destroy();
  }

  // http.Agent calls these on sockets it keeps alive.
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  setTimeout(): this {
    return this;
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.written += chunk.toString();
    this.network.received(this);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.state === 'connected' && this.closedBy === null) this.closedBy = this.resetting ? 'reset' : this.peerEnded ? 'server' : 'client';
    callback(error);
  }

  /** The peer accepts: 'connect' is emitted. */
  accept(): void {
    if (this.destroyed) return;
    this.state = 'connected';
    this.emit('connect');
  }

  /** The connect fails with this code (undefined: an error without one). */
  fail(code: string | undefined): void {
    if (this.destroyed) return;
    this.state = 'failed';
    this.destroy(Object.assign(new Error(`connect ${code ?? 'failed'}`), code === undefined ? {} : { code }));
  }

  /** The peer sends bytes. */
  peerSend(data: string): void {
    if (!this.destroyed) this.push(data);
  }

  /** The peer closes its side (FIN). */
  peerEnd(): void {
    if (this.destroyed || this.peerEnded) return;
    this.peerEnded = true;
    this.push(null);
  }
}

export class FakeNetwork {
  /** Every socket handed out, in order. */
  readonly sockets: FakeSocket[] = [];
  private connects = 0;

  constructor(private readonly peer: PeerOptions = {}) {}

  /** The connector's createSocket. */
  readonly createSocket = (): FakeSocket => {
    const socket = new FakeSocket(this);
    this.sockets.push(socket);
    return socket;
  };

  connecting(socket: FakeSocket): void {
    const outcome = this.peer.outcome?.(socket.target!, this.connects++) ?? 'connect';
    if (outcome === 'hang') return;
    setImmediate(() => (outcome === 'connect' ? socket.accept() : socket.fail(outcome.code)));
  }

  received(socket: FakeSocket): void {
    const bytes = this.peer.responseBytes ?? 16;
    if (bytes === 0) return;
    if (this.peer.http && !socket.written.endsWith('\r\n\r\n')) return;
    setImmediate(() => {
      const body = 'x'.repeat(bytes);
      const close = this.peer.closeAfterResponse ?? false;
      socket.peerSend(this.peer.http ? `HTTP/1.1 200 OK\r\nContent-Length: ${bytes}\r\nConnection: ${close ? 'close' : 'keep-alive'}\r\n\r\n${body}` : body);
      if (close) socket.peerEnd();
    });
  }

  /** Sockets that connected, in order. */
  connected(): FakeSocket[] {
    return this.sockets.filter((s) => s.state === 'connected');
  }
}

/** Lets every step already queued on the event loop run (each fake step takes one turn). */
export async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}
