/** Test helper: doctor readings built from the captured /proc fixtures (test/fixtures/proc/). */
import type { NamespaceReading, WindowCounters } from '../../src/doctor/analyze.js';
import { analyze, countersOf } from '../../src/doctor/analyze.js';
import type { DoctorReport } from '../../src/doctor/types.js';
import { readFixture } from '../sampler/fixtures.js';

/** The doctor-churn capture: its sysctls, its two readings 999 ms apart. */
export function churnReading(sysctls: Record<string, string> = {}): { reading: NamespaceReading; previous: WindowCounters } {
  const captured = JSON.parse(readFixture('doctor-churn', 'sysctls.json')) as Record<string, string>;
  const { windowMs } = JSON.parse(readFixture('doctor-churn', 'window.json')) as { windowMs: number };
  const reading: NamespaceReading = {
    tMs: 10_000 + windowMs,
    wallMs: Date.UTC(2026, 11, 1, 12, 0, 0),
    tcp: readFixture('doctor-churn', 'tcp'),
    tcp6: readFixture('doctor-churn', 'tcp6'),
    sockstat: readFixture('doctor-churn', 'sockstat'),
    snmp: readFixture('doctor-churn', 'snmp'),
    netstat: readFixture('doctor-churn', 'netstat'),
    sysctls: { ...captured, ...sysctls },
    readMs: 1,
  };
  const before = { ...reading, tMs: 10_000, snmp: readFixture('doctor-churn', 'snmp.before'), netstat: readFixture('doctor-churn', 'netstat.before') };
  return { reading, previous: countersOf(before) };
}

/** A fixture read once (no window): counts only, rates 0. */
export function stillReading(name: string, sysctls: Record<string, string>): NamespaceReading {
  const churn = churnReading().reading;
  return { ...churn, tcp: readFixture(name, 'tcp'), tcp6: readFixture(name, 'tcp6'), sockstat: readFixture(name, 'sockstat'), sysctls };
}

export const TARGET = { kind: 'netns', label: 'netns test' } as const;

export function reportOf(reading: NamespaceReading, previous: WindowCounters | null = null): DoctorReport {
  return analyze(reading, previous, { target: TARGET, version: '0.0.0-test', topN: 10 });
}

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');
const hex8 = (n: number): string => n.toString(16).toUpperCase().padStart(8, '0');

/** One /proc/net/tcp row from 127.0.0.1:localPort to 127.0.0.1:remotePort (state code, timer ticks left). */
export function procRow(i: number, localPort: number, remotePort: number, state: number, ticksLeft = 0): string {
  const timer = state === 6 ? `03:${hex8(ticksLeft)}` : '00:00000000';
  return `${String(i).padStart(4)}: 0100007F:${hex4(localPort)} 0100007F:${hex4(remotePort)} ${state.toString(16).toUpperCase().padStart(2, '0')} 00000000:00000000 ${timer} 00000000     0        0 0 3 0000000000000000\n`;
}

export interface SyntheticLoad {
  /** ip_local_port_range as "LOW HIGH". */
  range: string;
  /** Client closes per second to each destination (their TIME_WAIT entered during the window). */
  ratePerSec: number;
  /** Destinations 127.0.0.1:9000, :9001 ... */
  destinations?: number;
  /** Older TIME_WAIT per destination (entered 10 s before the reading). */
  olderTimeWait?: number;
  /** ESTABLISHED client connections per destination. */
  established?: number;
  /** ActiveOpens per second; default ratePerSec x destinations. */
  opensPerSec?: number;
  resetsPerSec?: number;
  sysctls?: Record<string, string>;
}

const snmpText = (activeOpens: number, outRsts: number): string =>
  'Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\n' +
  `Tcp: 1 200 120000 -1 ${activeOpens} 0 0 0 0 0 0 0 0 ${outRsts} 0\n`;
const NETSTAT = 'TcpExt: TW TWRecycled TCPTimeWaitOverflow\nTcpExt: 0 0 0\n';

/** A reading of a load with known figures, 1 s after the previous one, and its report. */
export function syntheticReport(load: SyntheticLoad): DoctorReport {
  const destinations = load.destinations ?? 1;
  const low = Number(load.range.split(/\s+/)[0]);
  const rows: string[] = [];
  for (let d = 0; d < destinations; d++) {
    rows.push(procRow(rows.length, 9000 + d, 0, 10));
  }
  for (let d = 0; d < destinations; d++) {
    const remote = 9000 + d;
    let p = low;
    for (let i = 0; i < load.ratePerSec; i++) rows.push(procRow(rows.length, p++, remote, 6, 5950));
    for (let i = 0; i < (load.olderTimeWait ?? 0); i++) rows.push(procRow(rows.length, p++, remote, 6, 5000));
    for (let i = 0; i < (load.established ?? 0); i++) rows.push(procRow(rows.length, p++, remote, 1));
  }
  const opens = load.opensPerSec ?? load.ratePerSec * destinations;
  const reading: NamespaceReading = {
    tMs: 2000,
    wallMs: Date.UTC(2026, 11, 1, 12, 0, 0),
    tcp: HEADER + rows.join(''),
    tcp6: '',
    sockstat: null,
    snmp: snmpText(1000 + opens, 50 + (load.resetsPerSec ?? 0)),
    netstat: NETSTAT,
    sysctls: { 'net.ipv4.ip_local_port_range': load.range, 'net.ipv4.tcp_tw_reuse': '0', 'net.ipv4.tcp_timestamps': '1', ...load.sysctls },
    readMs: 1,
  };
  return reportOf(reading, { tMs: 1000, activeOpens: 1000, outRsts: 50, twRecycled: 0, twOverflow: 0 });
}
