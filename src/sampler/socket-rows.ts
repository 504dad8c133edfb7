/**
 * The TCP socket table of a namespace as columns, whichever way it was read (/proc/net/tcp(6) text or a
 * sock_diag netlink dump), so that one census counts both. Addresses are kept as /proc prints them: each
 * 32-bit word of the address as a host-order number (127.0.0.1 is 0x0100007F on little-endian hosts), IPv4
 * in the first of four words. Typed columns, grown by doubling: 100,000 rows allocate a handful of arrays,
 * not 100,000 objects.
 */
import { fieldOffsets, hexAt, scanProcNetTcp } from './scan-proc-net-tcp.js';

/** Row layout after the state field: " %08X:%08X %02X:%08lX" (tx:rx queues, timer kind:when). */
const WHEN_FROM_STATE = 24;

export class SocketRows {
  count = 0;
  /** 1 for an AF_INET6 row (tcp6), 0 for AF_INET. */
  v6: Uint8Array;
  /** Kernel state code (TCP_ESTABLISHED = 1 ... TCP_CLOSING = 11). */
  state: Uint8Array;
  localPort: Uint16Array;
  remotePort: Uint16Array;
  /** Time left on a TIME_WAIT socket's timer in USER_HZ ticks (what /proc prints); 0 for other states. */
  timerTicks: Int32Array;
  /** 4 words a row. */
  local: Uint32Array;
  remote: Uint32Array;

  constructor(capacity = 1024) {
    const n = Math.max(16, capacity);
    this.v6 = new Uint8Array(n);
    this.state = new Uint8Array(n);
    this.localPort = new Uint16Array(n);
    this.remotePort = new Uint16Array(n);
    this.timerTicks = new Int32Array(n);
    this.local = new Uint32Array(4 * n);
    this.remote = new Uint32Array(4 * n);
  }

  /** Index of a new, zeroed row. */
  add(): number {
    if (this.count === this.state.length) this.grow();
    return this.count++;
  }

  private grow(): void {
    const n = this.state.length * 2;
    const bigger = <T extends Uint8Array | Uint16Array | Int32Array | Uint32Array>(old: T, make: (size: number) => T, size: number): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.v6 = bigger(this.v6, (s) => new Uint8Array(s), n);
    this.state = bigger(this.state, (s) => new Uint8Array(s), n);
    this.localPort = bigger(this.localPort, (s) => new Uint16Array(s), n);
    this.remotePort = bigger(this.remotePort, (s) => new Uint16Array(s), n);
    this.timerTicks = bigger(this.timerTicks, (s) => new Int32Array(s), n);
    this.local = bigger(this.local, (s) => new Uint32Array(s), 4 * n);
    this.remote = bigger(this.remote, (s) => new Uint32Array(s), 4 * n);
  }
}

const TIME_WAIT = 6;

/**
 * The rows of /proc/net/tcp and /proc/net/tcp6 texts (either may be ''). Throws PortlabError INTERNAL on a
 * layout it does not know (scanProcNetTcp).
 */
export function rowsOfProcText(tcp: string, tcp6: string): SocketRows {
  // A row is about 150 characters: one allocation for the usual table.
  const rows = new SocketRows(Math.ceil((tcp.length + tcp6.length) / 140));
  for (const text of [tcp, tcp6]) {
    scanProcNetTcp(text, (start, addrLen) => {
      const at = fieldOffsets(addrLen);
      const i = rows.add();
      const words = addrLen / 8;
      rows.v6[i] = words === 4 ? 1 : 0;
      const state = hexAt(text, start + at.state, 2);
      rows.state[i] = state < 0 ? 0 : state;
      rows.localPort[i] = Math.max(0, hexAt(text, start + at.localPort, 4));
      rows.remotePort[i] = Math.max(0, hexAt(text, start + at.remotePort, 4));
      for (let w = 0; w < words; w++) {
        rows.local[4 * i + w] = Math.max(0, hexAt(text, start + w * 8, 8));
        rows.remote[4 * i + w] = Math.max(0, hexAt(text, start + at.remoteAddress + w * 8, 8));
      }
      if (state === TIME_WAIT) rows.timerTicks[i] = Math.max(0, hexAt(text, start + at.state + WHEN_FROM_STATE, 8));
    });
  }
  return rows;
}
