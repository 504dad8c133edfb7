/** Test helper: reads /proc fixtures and parses the `ss -tan` output captured beside them. */
import { readFileSync } from 'node:fs';

const FIXTURES = new URL('../../../test/fixtures/proc/', import.meta.url);

/** Text of test/fixtures/proc/<name>/<file>. */
export function readFixture(name: string, file: string): string {
  return readFileSync(new URL(`${name}/${file}`, FIXTURES), 'utf8');
}

export interface SsRow {
  family: 4 | 6;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  state: string;
}

// ss prints short names; these are the kernel's (tcp_states.h), as /proc/net/tcp numbers them.
const SS_STATE: Record<string, string> = {
  ESTAB: 'ESTABLISHED',
  'SYN-SENT': 'SYN_SENT',
  'SYN-RECV': 'SYN_RECV',
  'FIN-WAIT-1': 'FIN_WAIT1',
  'FIN-WAIT-2': 'FIN_WAIT2',
  'TIME-WAIT': 'TIME_WAIT',
  UNCONN: 'CLOSE',
  'CLOSE-WAIT': 'CLOSE_WAIT',
  'LAST-ACK': 'LAST_ACK',
  LISTEN: 'LISTEN',
  CLOSING: 'CLOSING',
};

function endpoint(text: string): { address: string; port: number } {
  const colon = text.lastIndexOf(':');
  const address = text.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = text.slice(colon + 1);
  return { address, port: port === '*' ? 0 : Number(port) };
}

/** Rows of `ss -tan` output (header skipped). */
export function parseSsTan(text: string): SsRow[] {
  return text
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [state, , , local, peer] = line.trim().split(/\s+/);
      const l = endpoint(local!);
      const r = endpoint(peer!);
      const kernelState = SS_STATE[state!];
      if (kernelState === undefined) throw new Error(`unknown ss state ${state}`);
      return {
        family: local!.startsWith('[') ? 6 : 4,
        localAddress: l.address,
        localPort: l.port,
        remoteAddress: r.address,
        remotePort: r.port,
        state: kernelState,
      };
    });
}
