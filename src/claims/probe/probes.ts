/**
 * The dedicated checks a load cannot make, run inside a lab (see main.ts): which ports connect() chose, in
 * order; and whether a service can bind a port of the ephemeral range while an outgoing connection holds
 * it. Both talk only to a target on the lab's own loopback, and both stop after at most one range's worth
 * of connects.
 */
import type net from 'node:net';
import { errnoCode } from '../../errors/index.js';
import { createConnector, type ConnectResult } from '../../net/connect.js';
import { startTcpTarget } from '../../target/tcp-server.js';
import type { PortRange } from '../../util/units.js';
import type { Figures } from '../types.js';

const TARGET = { host: '127.0.0.1', port: 9000 };
const CONNECT_TIMEOUT_MS = 2000;
/** How many chosen ports the `ports` figure lists: enough to see the pattern, short enough to print. */
const LISTED_PORTS = 20;

/** One connector for the probe process: the real sockets, its own deadline queue. */
const openConnection = createConnector();
const connect = (): Promise<ConnectResult<net.Socket>> => new Promise((resolve) => openConnection({ ...TARGET, timeoutMs: CONNECT_TIMEOUT_MS }, resolve));

const target = () => startTcpTarget({ listen: [TARGET], responseBytes: 1, responseDelayMs: 0, closeAfterResponse: false });

/** Figures of the ports connect() chose, in order, in `range`. Pure. */
export function portOrderFigures(ports: readonly number[], range: PortRange): Figures {
  const parity = (port: number): number => port % 2;
  let ascendingSteps = 0;
  let paritySwitches = 0;
  for (let i = 1; i < ports.length; i++) {
    if (ports[i] === ports[i - 1]! + 1) ascendingSteps++;
    if (parity(ports[i]!) !== parity(ports[i - 1]!)) paritySwitches++;
  }
  const half = Math.floor(ports.length / 2);
  return {
    connected: ports.length,
    ports: ports.slice(0, LISTED_PORTS).join(' ') + (ports.length > LISTED_PORTS ? ' ...' : ''),
    firstPort: ports[0] ?? null,
    lowestFirst: ports[0] === range.low ? 1 : 0,
    sequential: ports.length > 0 && ascendingSteps === ports.length - 1 ? 1 : 0,
    ascendingSteps,
    paritySwitches,
    half,
    lowParityFirst: ports.slice(0, half).filter((p) => parity(p) === parity(range.low)).length,
  };
}

/**
 * Opens `count` connections one after another, each closed by the client at once so its port stays in
 * TIME_WAIT (with tcp_tw_reuse=0) and the next connect() must choose another.
 */
export async function portsChosen(count: number, range: PortRange): Promise<Figures> {
  const server = await target();
  const ports: number[] = [];
  let exhaustedWith: string | null = null;
  try {
    for (let i = 0; i < count; i++) {
      const result = await connect();
      if (!result.ok) {
        exhaustedWith = result.code;
        break;
      }
      ports.push(result.socket.localPort ?? -1);
      result.socket.destroy();
    }
  } finally {
    // Not awaited: the probe's process ends right after, and a lingering close must not hold it up.
    void server.close();
  }
  return { ...portOrderFigures(ports, range), exhaustedWith };
}

/** Where range-fill's rounds start; each round takes the next ports up, below 60999. */
const FILL_BASE_PORT = 40000;
const FILL_TOP_PORT = 60999;

/**
 * Fills `rounds` fresh ranges of `rangeSize` ports, one after another: each round sets the range to ports no
 * earlier round used (their TIME_WAIT would block them), then connects and closes at once until connect()
 * fails or every port is used. A failure ends the round: the kernel changes its scan's start only after a
 * success, so every later connect() would scan the same ports and fail too.
 */
export async function rangeFill(rangeSize: number, rounds: number, setRange: (low: number, high: number) => void): Promise<Figures> {
  // An even stride keeps every round's low end even, so only the range's size differs between claims.
  const stride = rangeSize + (rangeSize % 2 === 0 ? 2 : 1);
  const fitting = Math.min(rounds, Math.floor((FILL_TOP_PORT - FILL_BASE_PORT + 1) / stride));
  const server = await target();
  const got: number[] = [];
  try {
    for (let round = 0; round < fitting; round++) {
      const low = FILL_BASE_PORT + round * stride;
      setRange(low, low + rangeSize - 1);
      let connected = 0;
      while (connected < rangeSize) {
        const result = await connect();
        if (!result.ok) break;
        result.socket.destroy();
        connected++;
      }
      got.push(connected);
    }
  } finally {
    void server.close();
  }
  const lostRounds = got.filter((n) => n === rangeSize - 1).length;
  return {
    rounds: got.length,
    fullRounds: got.filter((n) => n === rangeSize).length,
    lostRounds,
    shortRounds: got.filter((n) => n < rangeSize - 1).length,
    connected: got.reduce((a, b) => a + b, 0),
    lostPct: got.length === 0 ? null : Math.round((lostRounds / got.length) * 1000) / 10,
  };
}

/**
 * Holds connections open until connect() fails (at most the range's size + 1), then starts a service on
 * `bindPort` (all addresses, as services do) while they are still open.
 */
export async function bindInRange(bindPort: number, range: PortRange): Promise<Figures> {
  const server = await target();
  const held: net.Socket[] = [];
  try {
    let exhaustedWith: string | null = null;
    for (let i = 0; i <= range.size; i++) {
      const result = await connect();
      if (!result.ok) {
        exhaustedWith = result.code;
        break;
      }
      result.socket.on('error', () => {});
      held.push(result.socket);
    }
    let bindError: string | null = null;
    try {
      const service = await startTcpTarget({ listen: [{ host: '0.0.0.0', port: bindPort }], responseBytes: 1, responseDelayMs: 0, closeAfterResponse: false });
      await service.close();
    } catch (err) {
      bindError = errnoCode(err) ?? 'EUNKNOWN';
    }
    return { held: held.length, heldBindPort: held.some((s) => s.localPort === bindPort) ? 1 : 0, exhaustedWith, bindError };
  } finally {
    for (const socket of held) socket.destroy();
    // Not awaited: the probe's process ends right after, and a lingering close must not hold it up.
    void server.close();
  }
}
