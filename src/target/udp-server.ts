/**
 * The bundled UDP target: an echo server on every target address. Each datagram is answered with
 * `responseBytes` bytes (after `responseDelayMs`) to the address and port it came from; there is no
 * connection, so nothing to close and no TIME_WAIT on either side.
 */
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { ListenAddress, RunningTarget } from './tcp-server.js';

export interface UdpTargetOptions {
  listen: ListenAddress[];
  responseBytes: number;
  responseDelayMs: number;
}

/** Binds one echo socket per address; resolves once all are bound. */
export async function startUdpTarget(options: UdpTargetOptions): Promise<RunningTarget> {
  const response = Buffer.alloc(options.responseBytes, 'x');
  let received = 0;
  const sockets = options.listen.map(({ host }) => dgram.createSocket(isIPv6(host) ? 'udp6' : 'udp4'));
  await Promise.all(
    options.listen.map(
      (address, i) =>
        new Promise<void>((resolve, reject) => {
          const socket = sockets[i]!;
          socket.once('error', reject);
          socket.bind(address.port, address.host, () => {
            socket.off('error', reject);
            // An answer to a client that has closed meets ICMP port unreachable: the experiment, not a fault.
            socket.on('error', () => {});
            resolve();
          });
          socket.on('message', (_msg, from) => {
            received++;
            const answer = (): void => socket.send(response, from.port, from.address);
            if (options.responseDelayMs > 0) setTimeout(answer, options.responseDelayMs);
            else answer();
          });
        }),
    ),
  );
  return {
    // No connection is accepted over UDP: the datagrams received stand for them.
    accepted: () => received,
    close: async () => {
      await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
