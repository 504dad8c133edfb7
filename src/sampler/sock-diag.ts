/**
 * A NETLINK_SOCK_DIAG reader of a namespace's TCP sockets, the way `ss` reads them, through koffi (an
 * optional dependency: Node has no netlink sockets). The kernel filters by state (idiag_states) and sends
 * fixed-size binary messages, where /proc/net/tcp formats every socket as text for us to parse back.
 *
 * A netlink socket belongs to the namespace it was created in, and Node runs in its own: for another
 * namespace the calling thread enters it (setns) just long enough to create the socket, then returns. That
 * needs CAP_SYS_ADMIN over the target; without it, or without koffi, or when the kernel refuses the socket
 * or the dump, open/dump say why and the caller reads /proc instead.
 */
import { closeSync, openSync } from 'node:fs';
import { constants, endianness } from 'node:os';
import { PortlabError } from '../errors/index.js';
import { AF_INET, AF_INET6, ALL_STATES, dumpRequest, parseDumpChunk } from './sock-diag-parse.js';
import { SocketRows } from './socket-rows.js';

const AF_NETLINK = 16;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const NETLINK_SOCK_DIAG = 4;
const CLONE_NEWNET = 0x40000000;
const SOL_SOCKET = 1;
const SO_RCVTIMEO = 20;
const MSG_TRUNC = 0x20;
/** A reply chunk is at most 32 KiB (netlink_dump); twice that leaves room. */
const CHUNK_BYTES = 64 * 1024;
/** A dump never waits on the network; a second without a reply means something is wrong. */
const RECV_TIMEOUT_SEC = 1;

export interface SockDiag {
  /** IPv4 then IPv6 TCP sockets whose state bit is in `states` (default every state). Throws SockDiagError. */
  dump(states?: number, expectedRows?: number): SocketRows;
  close(): void;
}

export type SockDiagOpen = { ok: true; diag: SockDiag } | { ok: false; reason: string };

/** A dump the kernel refused or cut short: the caller falls back to /proc with this message. */
export class SockDiagError extends Error {}

type Fn = (...args: unknown[]) => unknown;
interface Libc {
  socket: Fn;
  send: Fn;
  recv: Fn;
  close: Fn;
  setns: Fn;
  setsockopt: Fn;
  errno: () => number;
}

const ERRNO_NAMES = new Map<number, string>(Object.entries(constants.errno).map(([name, n]) => [n, name]));
const errnoName = (n: number): string => ERRNO_NAMES.get(n) ?? `errno ${n}`;

let libc: Libc | string | null = null;

/** libc through koffi, once; a string saying why when koffi or libc cannot be loaded. */
async function loadLibc(): Promise<Libc | string> {
  if (libc !== null) return libc;
  try {
    const koffi = (await import('koffi')).default;
    const lib = koffi.load('libc.so.6');
    libc = {
      socket: lib.func('int socket(int, int, int)'),
      send: lib.func('long send(int, void *, size_t, int)'),
      recv: lib.func('long recv(int, void *, size_t, int)'),
      close: lib.func('int close(int)'),
      setns: lib.func('int setns(int, int)'),
      setsockopt: lib.func('int setsockopt(int, int, int, void *, uint32_t)'),
      errno: () => koffi.errno(),
    };
  } catch (err) {
    libc = `koffi is not available (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
  }
  return libc;
}

/** Creates the netlink socket, inside `nsFile`'s network namespace when given. */
function createSocket(c: Libc, nsFile: string | null): number | string {
  const create = (): number | string => {
    const fd = Number(c.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    return fd >= 0 ? fd : `socket(AF_NETLINK, NETLINK_SOCK_DIAG): ${errnoName(c.errno())}`;
  };
  if (nsFile === null) return create();
  let own: number;
  let target: number;
  try {
    own = openSync('/proc/thread-self/ns/net', 'r');
  } catch (err) {
    return `cannot open this thread's namespace: ${(err as Error).message}`;
  }
  try {
    target = openSync(nsFile, 'r');
  } catch (err) {
    closeSync(own);
    return `cannot open ${nsFile}: ${(err as Error).message}`;
  }
  try {
    if (Number(c.setns(target, CLONE_NEWNET)) !== 0) return `setns into the target namespace: ${errnoName(c.errno())}`;
    const fd = create();
    // Staying in the other namespace would make every later read of this process wrong: stop instead.
    if (Number(c.setns(own, CLONE_NEWNET)) !== 0) throw new PortlabError('INTERNAL', `setns back into doctor's own namespace failed: ${errnoName(c.errno())}`);
    return fd;
  } finally {
    closeSync(own);
    closeSync(target);
  }
}

/** Opens a sock_diag reader of the current namespace (nsFile null) or of the namespace of `nsFile`. */
export async function openSockDiag(nsFile: string | null): Promise<SockDiagOpen> {
  const c = await loadLibc();
  if (typeof c === 'string') return { ok: false, reason: c };
  const fd = createSocket(c, nsFile);
  if (typeof fd === 'string') return { ok: false, reason: fd };
  const littleEndian = endianness() === 'LE';
  const timeout = new DataView(new ArrayBuffer(16));
  timeout.setBigInt64(0, BigInt(RECV_TIMEOUT_SEC), littleEndian);
  c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, new Uint8Array(timeout.buffer), 16);
  const chunk = new Uint8Array(CHUNK_BYTES);
  let seq = 0;
  let open = true;
  const close = (): void => {
    if (open) c.close(fd);
    open = false;
  };
  const dumpFamily = (family: typeof AF_INET | typeof AF_INET6, states: number, rows: SocketRows): void => {
    const request = dumpRequest(family, states, ++seq, littleEndian);
    if (Number(c.send(fd, request, request.length, 0)) !== request.length) throw new SockDiagError(`sock_diag request: ${errnoName(c.errno())}`);
    for (;;) {
      // MSG_TRUNC: n is the message's whole length, so a chunk cut to fit the buffer shows.
      const n = Number(c.recv(fd, chunk, chunk.length, MSG_TRUNC));
      if (n <= 0) throw new SockDiagError(`sock_diag reply: ${n === 0 ? 'end of stream' : errnoName(c.errno())}`);
      if (n > chunk.length) throw new SockDiagError(`sock_diag reply of ${n} bytes does not fit ${chunk.length}`);
      const result = parseDumpChunk(chunk, n, rows, littleEndian);
      if (result.kind === 'done') return;
      if (result.kind === 'error') throw new SockDiagError(`sock_diag dump of ${family === AF_INET ? 'IPv4' : 'IPv6'}: ${errnoName(result.errno)}`);
    }
  };
  return {
    ok: true,
    diag: {
      dump(states = ALL_STATES, expectedRows = 1024) {
        if (!open) throw new SockDiagError('sock_diag socket closed');
        const rows = new SocketRows(expectedRows);
        try {
          dumpFamily(AF_INET, states, rows);
          // Without IPv6 (ipv6.disable=1) the kernel has no AF_INET6 handler: no IPv6 sockets, not a failure.
          try {
            dumpFamily(AF_INET6, states, rows);
          } catch (err) {
            if (!(err instanceof SockDiagError && /ENOENT/.test(err.message))) throw err;
          }
        } catch (err) {
          // What is left of a torn dump would be read as the next one's reply.
          close();
          throw err;
        }
        return rows;
      },
      close,
    },
  };
}
