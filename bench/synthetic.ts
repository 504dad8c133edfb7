/**
 * Synthetic /proc/net/tcp text for timing the parser alone (labelled as such in the report): N client-side
 * TIME_WAIT rows to 127.0.0.1:9000 in the kernel's row format, one listener first.
 */

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const hexPort = (port: number): string => port.toString(16).toUpperCase().padStart(4, '0');

export function syntheticProcNetTcp(rows: number, firstPort = 1024): string {
  const lines = [HEADER, `   0: 0100007F:2328 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 10736 1 000000005a057f55 100 0 0 10 0\n`];
  for (let i = 0; i < rows; i++) {
    const port = firstPort + (i % (65536 - firstPort));
    lines.push(`${String(i + 1).padStart(4)}: 0100007F:${hexPort(port)} 0100007F:2328 06 00000000:00000000 03:0000175A 00000000     0        0 0 3 00000000bf6c8ab7\n`);
  }
  return lines.join('');
}
