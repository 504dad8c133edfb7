/**
 * Lab helper for doctor-lab.test.ts, run INSIDE a throwaway namespace (it writes that namespace's sysctls):
 * holds a known set of sockets and prints one JSON line when they are in place, then waits until its stdin
 * closes (at most 90 s):
 * - TIME_WAIT_V4 connections to 127.0.0.1:9000 and TIME_WAIT_V6 to [::1]:9000 that the client closed first;
 * - ESTABLISHED connections to 127.0.0.1:9001, left open;
 * - CLOSE_WAIT connections to 127.0.0.1:9002: the server ends them, the client never does.
 * Usage: node hold-sockets.js TIME_WAIT_V4 TIME_WAIT_V6 ESTABLISHED CLOSE_WAIT
 */
import { writeFileSync } from 'node:fs';
import net from 'node:net';

const [tw4, tw6, established, closeWait] = process.argv.slice(2).map(Number) as [number, number, number, number];
const MAX_LIFE_MS = 90_000;

writeFileSync('/proc/sys/net/ipv4/ip_local_port_range', '40000 40099');
writeFileSync('/proc/sys/net/ipv4/tcp_tw_reuse', '0');

const held: net.Socket[] = [];
function listen(host: string, port: number, onConnection: (socket: net.Socket) => void): Promise<void> {
  return new Promise((resolve) => {
    const server = net.createServer({ allowHalfOpen: true }, (socket) => {
      socket.on('error', () => {});
      onConnection(socket);
    });
    server.listen(port, host, resolve);
  });
}

/** One connection that the client closes first; resolves once both ends are closed (client in TIME_WAIT). */
function closedByClient(host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port: 9000 });
    socket.once('error', reject);
    socket.once('connect', () => socket.end());
    socket.resume();
    socket.once('close', () => resolve());
  });
}

function opened(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    socket.once('error', reject);
    socket.on('end', () => {});
    socket.once('connect', () => resolve(socket));
  });
}

async function main(): Promise<void> {
  // The server answers the client's FIN with its own at once, so the client ends in TIME_WAIT.
  const endOnEnd = (socket: net.Socket): void => void socket.on('end', () => socket.end()).resume();
  await listen('127.0.0.1', 9000, endOnEnd);
  // Without IPv6 sockets asked for, no IPv6 listener: a container without a network has no ::1.
  if (tw6 > 0) await listen('::1', 9000, endOnEnd);
  await listen('127.0.0.1', 9001, (socket) => void held.push(socket));
  await listen('127.0.0.1', 9002, (socket) => {
    held.push(socket);
    socket.end();
  });
  for (let i = 0; i < tw4; i++) await closedByClient('127.0.0.1');
  for (let i = 0; i < tw6; i++) await closedByClient('::1');
  for (let i = 0; i < established; i++) held.push(await opened(9001));
  for (let i = 0; i < closeWait; i++) held.push(await opened(9002));
  // Let the last FINs land: the server ends of 9002 reach FIN_WAIT2, the clients CLOSE_WAIT.
  await new Promise((r) => setTimeout(r, 200));
  process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
  setTimeout(() => process.exit(0), MAX_LIFE_MS).unref();
  process.stdin.on('end', () => process.exit(0)).resume();
}

main().catch((err: unknown) => {
  process.stderr.write(`hold-sockets: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
