/** Full rows of /proc/net/tcp(6), for tests, debugging and small tables; the poller uses classify-tcp. */
import { PortlabError } from '../errors/index.js';
import { hexToIpv4, hexToIpv6 } from './proc-address.js';
import { fieldOffsets, hexAt, scanProcNetTcp, type AddressHexLength } from './scan-proc-net-tcp.js';
import { tcpStateName, type TcpStateName } from './tcp-state.js';

export interface TcpRow {
  family: 4 | 6;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  state: TcpStateName;
}

/**
 * Parses every socket row. `family`, when given, asserts that every row is of that family (tcp holds only
 * IPv4, tcp6 holds IPv6 including v4-mapped). Address strings are decoded once per distinct address.
 */
export function parseProcNetTcp(text: string, family?: 4 | 6): TcpRow[] {
  const rows: TcpRow[] = [];
  const decoded = new Map<string, string>();
  const decode = (hex: string, addrLen: AddressHexLength): string => {
    let address = decoded.get(hex);
    if (address === undefined) {
      address = addrLen === 8 ? hexToIpv4(hex) : hexToIpv6(hex);
      decoded.set(hex, address);
    }
    return address;
  };
  scanProcNetTcp(text, (start, addrLen) => {
    const rowFamily = addrLen === 8 ? 4 : 6;
    if (family !== undefined && rowFamily !== family) {
      throw new PortlabError('INTERNAL', `expected IPv${family} rows, found an IPv${rowFamily} row`);
    }
    const at = fieldOffsets(addrLen);
    const localPort = hexAt(text, start + at.localPort, 4);
    const remotePort = hexAt(text, start + at.remotePort, 4);
    const stateCode = hexAt(text, start + at.state, 2);
    if (localPort < 0 || remotePort < 0 || stateCode < 0) {
      throw new PortlabError('INTERNAL', `unexpected /proc/net/tcp row ${rows.length + 1}: a port or state is not hex`);
    }
    rows.push({
      family: rowFamily,
      localAddress: decode(text.slice(start, start + addrLen), addrLen),
      localPort,
      remoteAddress: decode(text.slice(start + at.remoteAddress, start + at.remoteAddress + addrLen), addrLen),
      remotePort,
      state: tcpStateName(stateCode),
    });
  });
  return rows;
}
