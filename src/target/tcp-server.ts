/**
 * The bundled TCP target: reads newline-terminated requests and answers each with `responseBytes` bytes
 * (the last one a newline), after `responseDelayMs`. It keeps connections open for more requests unless
 * `closeAfterResponse` is set; then it closes first, so TIME_WAIT lands on the server side.
 */
import net from 'node:net';

export interface ListenAddress {
  host: string;
  port: number;
}

export interface TcpTargetOptions {
  /** Every (address, port) to accept on: the lab's loopback addresses that destinations name. */
  listen: ListenAddress[];
  responseBytes: number;
  responseDelayMs: number;
  closeAfterResponse: boolean;
}

export interface RunningTarget {
  /** Connections accepted so far, over every port. */
  accepted(): number;
  close(): Promise<void>;
}

function responseOf(bytes: number): Buffer {
  const buffer = Buffer.alloc(bytes, 'x');
  buffer[bytes - 1] = 0x0a;
  return buffer;
}

/**
 * Answers a connection may owe before the target stops reading it: a client that sends requests and never
 * reads the answers must meet TCP backpressure, not grow the target's memory until other clients suffer.
 */
const MAX_OWED_ANSWERS = 1024;

function serve(socket: net.Socket, response: Buffer, options: TcpTargetOptions): void {
  // Clients reset or vanish all the time here; that is the experiment, not a fault.
  socket.on('error', () => socket.destroy());
  let owed = 0;
  let paused = false;
  let closing = false;
  const throttle = (): void => {
    const full = owed >= MAX_OWED_ANSWERS || socket.writableNeedDrain;
    if (full !== paused) {
      paused = full;
      if (full) socket.pause();
      else socket.resume();
    }
  };
  socket.on('drain', throttle);
  const answer = (count: number): void => {
    owed -= count;
    if (socket.destroyed) return;
    const bytes = count === 1 ? response : Buffer.concat(Array.from({ length: count }, () => response));
    if (options.closeAfterResponse) socket.end(bytes);
    else socket.write(bytes);
    throttle();
  };
  socket.on('data', (chunk: Buffer) => {
    let requests = 0;
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) requests++;
    // Closing after a response answers one request; later bytes from that client are dropped.
    if (options.closeAfterResponse) {
      if (closing || requests === 0) return;
      closing = true;
      requests = 1;
    }
    if (requests === 0) return;
    owed += requests;
    // One timer and one write for every request in a chunk: a burst of requests costs the target one each.
    if (options.responseDelayMs > 0) setTimeout(() => answer(requests), options.responseDelayMs);
    else answer(requests);
    throttle();
  });
}

/**
 * accept() failing is reported on the server, and unhandled it would end the target and every other client's
 * connections with it. libuv absorbs EMFILE/ENFILE itself (it frees a reserve fd, accepts and closes the
 * pending connections: those clients see a reset) and reports only what that cannot absorb: keep serving.
 */
export function ignoreAcceptError(): void {}

/** Listens on every port; resolves once all are listening. */
export async function startTcpTarget(options: TcpTargetOptions): Promise<RunningTarget> {
  const response = responseOf(options.responseBytes);
  let accepted = 0;
  const servers = options.listen.map(() =>
    net.createServer({ noDelay: true }, (socket) => {
      accepted++;
      serve(socket, response, options);
    }),
  );
  await Promise.all(
    servers.map(
      (server, i) =>
        new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          // A deep backlog: bursts of connects must queue, not be dropped into connect timeouts.
          server.listen({ ...options.listen[i]!, backlog: 65535 }, () => {
            server.removeListener('error', reject);
            server.on('error', ignoreAcceptError);
            resolve();
          });
        }),
    ),
  );
  return {
    accepted: () => accepted,
    close: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
