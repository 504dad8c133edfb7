/**
 * Sockets bound with IP_BIND_ADDRESS_NO_PORT (Linux 4.2): bind(ip, 0) takes the source address but leaves
 * the port to connect(), which picks one free for the whole 4-tuple, as Cloudflare and Envoy do. Without it
 * (Node's `localAddress`: SO_REUSEADDR + bind(ip, 0)) bind() must pick a port free for every destination, so
 * each port serves one connection at a time and exhaustion shows as EADDRINUSE.
 *
 * Node has no setsockopt(), so the socket is made through libc with the optional FFI package koffi: socket(),
 * setsockopt(), bind(), then the fd is handed to `new net.Socket({ fd })`, and Node's connect() does the rest
 * (measured on Linux 6.18: 2 sources x 2 destinations on 100 ports gave 400 connections, then EADDRNOTAVAIL,
 * where bind gave 200, then EADDRINUSE).
 */
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import { PortlabError } from '../errors/index.js';

/** The few koffi calls used here (its own types are not needed to build portlab without it). */
export interface Koffi {
  load(path: string): { func(definition: string): (...args: unknown[]) => unknown };
  errno(): number;
}

const AF_INET = 2;
const AF_INET6 = 10;
const SOCK_STREAM = 1;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
/** SOL_IP: the level of IP_BIND_ADDRESS_NO_PORT, for IPv4 and IPv6 sockets alike (include/uapi/linux/in.h). */
const SOL_IP = 0;
const IP_BIND_ADDRESS_NO_PORT = 24;
/** Linux 6.3: a per-socket port range, (high << 16) | low; the kernel keeps it within the namespace's range. */
const IP_LOCAL_PORT_RANGE = 51;

/** A sockaddr_in or sockaddr_in6 for (ip, port 0). */
function socketAddress(ip: string): Buffer {
  if (net.isIPv6(ip)) {
    const address = Buffer.alloc(28);
    address.writeUInt16LE(AF_INET6, 0);
    // Only ::1 is allowed as a source: fifteen zero bytes and a one.
    if (ip !== '::1') throw new PortlabError('INTERNAL', `no-port binding supports IPv6 source ::1 only, got ${ip}`);
    address[8 + 15] = 1;
    return address;
  }
  const address = Buffer.alloc(16);
  address.writeUInt16LE(AF_INET, 0);
  ip.split('.').forEach((octet, i) => (address[4 + i] = Number(octet)));
  return address;
}

/** errno -> Node's code ('EADDRINUSE' ...), as Node names a failed syscall's error. */
function errnoError(syscall: string, errno: number): NodeJS.ErrnoException {
  const code = Object.entries(os.constants.errno).find(([, value]) => value === errno)?.[0] ?? 'UNKNOWN_ERROR';
  return Object.assign(new Error(`${syscall} ${code}`), { code, errno: -errno, syscall });
}

/** Makes a socket bound to `localAddress` with its port left to connect(); throws an errno error when a call fails. */
export type BindSocket = (localAddress: string) => net.Socket;

const requireKoffi = (): Koffi => createRequire(import.meta.url)('koffi') as Koffi;

/**
 * Loads libc through koffi (`loadKoffi` for tests). Throws PortlabError('LAB_UNAVAILABLE') when koffi is
 * missing or cannot load libc, so the run stops with a clear reason instead of failing every connect.
 */
export function createNoPortBinder(loadKoffi: () => Koffi = requireKoffi, portRange: { low: number; high: number } | null = null): BindSocket {
  let koffi: Koffi;
  let libc: ReturnType<Koffi['load']>;
  try {
    koffi = loadKoffi();
    libc = koffi.load('libc.so.6');
  } catch (err) {
    throw new PortlabError('LAB_UNAVAILABLE', 'bindStrategy no-port needs the optional package koffi and libc, which could not be loaded', {
      hint: 'install it (`npm install koffi`), or use bindStrategy: bind',
      cause: err,
    });
  }
  const socket = libc.func('int socket(int, int, int)');
  const setsockopt = libc.func('int setsockopt(int, int, int, const void *, uint32_t)');
  const bind = libc.func('int bind(int, const void *, uint32_t)');
  const close = libc.func('int close(int)');
  const one = Buffer.alloc(4);
  one.writeInt32LE(1);
  const range = Buffer.alloc(4);
  if (portRange) range.writeUInt32LE(((portRange.high << 16) | portRange.low) >>> 0);

  return (localAddress) => {
    const address = socketAddress(localAddress);
    const family = address.readUInt16LE(0);
    const fd = Number(socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (fd < 0) throw errnoError('socket', koffi.errno());
    const fail = (syscall: string): never => {
      const errno = koffi.errno();
      close(fd);
      throw errnoError(syscall, errno);
    };
    if (Number(setsockopt(fd, SOL_IP, IP_BIND_ADDRESS_NO_PORT, one, 4)) !== 0) fail('setsockopt');
    if (portRange && Number(setsockopt(fd, SOL_IP, IP_LOCAL_PORT_RANGE, range, 4)) !== 0) fail('setsockopt');
    if (Number(bind(fd, address, address.length)) !== 0) fail('bind');
    // manualStart: no read on a socket that is not connected yet; Node starts reading once it connects.
    return new net.Socket({ fd, manualStart: true } as net.SocketConstructorOpts);
  };
}
