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

function serve(socket: net.Socket, response: Buffer, options: TcpTargetOptions): void {
  // Clients reset or vanish all the time here; that is the experiment, not a fault.
  socket.on('error', () => socket.destroy());
  let pending = 0;
  const answer = (): void => {
    if (socket.destroyed) return;
    if (options.closeAfterResponse) socket.end(response);
    else socket.write(response);
  };
  socket.on('data', (chunk: Buffer) => {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) pending++;
    while (pending > 0) {
      pending--;
      if (options.responseDelayMs > 0) setTimeout(answer, options.responseDelayMs);
      else answer();
      if (options.closeAfterResponse) {
        pending = 0;
        break;
      }
    }
  });
}

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
          server.listen({ ...options.listen[i]!, backlog: 65535 }, () => resolve());
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
