/**
 * A loopback HTTP server that plays the keep-alive race on purpose: it answers the first request on each
 * connection with keep-alive and resets the connection (RST) when a second request arrives on it, as a
 * server does when a request lands on a connection it is closing. Deterministic, unlike the real race.
 */
import net from 'node:net';

export interface ResetServer {
  port: number;
  /** Connections accepted so far. */
  accepted(): number;
}

export async function withResetServer(body: (server: ResetServer) => Promise<void>): Promise<void> {
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let text = '';
    let answered = 0;
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      while (text.includes('\r\n\r\n')) {
        text = text.slice(text.indexOf('\r\n\r\n') + 4);
        if (answered > 0) {
          socket.resetAndDestroy();
          return;
        }
        answered++;
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as net.AddressInfo;
  try {
    await body({ port, accepted: () => accepted });
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
