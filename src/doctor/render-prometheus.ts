/**
 * `--format prometheus`: the report in the Prometheus text exposition format (version 0.0.4), for
 * node_exporter's textfile collector or a scrape. Every metric is a gauge named portlab_*; each family is
 * written whole (HELP, TYPE, then its samples) so the output parses strictly.
 */
import type { DoctorReport, Level } from './types.js';

type Labels = Record<string, string>;

interface Family {
  name: string;
  help: string;
  samples: { labels?: Labels; value: number }[];
}

const LEVEL_VALUE: Record<Level, number> = { ok: 0, warning: 1, critical: 2 };

/** Label values escape backslash, double quote and newline (the format's only escapes). */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function renderFamily(family: Family): string[] {
  const lines = [`# HELP portlab_${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE portlab_${family.name} gauge`];
  for (const { labels, value } of family.samples) {
    const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
    lines.push(`portlab_${family.name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${formatValue(value)}`);
  }
  return lines;
}

const tupleLabels = (t: { source: string; destination: string }): Labels => ({ source: t.source, destination: t.destination });

function families(report: DoctorReport): Family[] {
  const numericSysctls = Object.entries(report.sysctls).filter(([, v]) => /^-?\d+$/.test(v.trim()));
  const exhausting = report.tuples.filter((t) => t.exhaustsInMs !== null);
  return [
    { name: 'doctor_level', help: 'Worst finding: 0 ok, 1 warning, 2 critical.', samples: [{ value: LEVEL_VALUE[report.level] }] },
    { name: 'doctor_finding_level', help: 'Level of each finding: 0 ok, 1 warning, 2 critical.', samples: report.findings.map((f) => ({ labels: { finding: f.id }, value: LEVEL_VALUE[f.level] })) },
    { name: 'doctor_window_seconds', help: 'Time between the two readings the rates come from.', samples: [{ value: report.windowMs / 1000 }] },
    { name: 'doctor_refresh_seconds', help: 'Time one refresh took to read and analyze.', samples: [{ value: (report.costMs.read + report.costMs.analyze) / 1000 }] },
    { name: 'doctor_reader_info', help: 'How the socket table was read: netlink (sock_diag) or proc (/proc/net/tcp).', samples: [{ labels: { reader: report.reader.name }, value: 1 }] },
    { name: 'ephemeral_port_range_low', help: 'net.ipv4.ip_local_port_range, first port.', samples: [{ value: report.portRange.low }] },
    { name: 'ephemeral_port_range_high', help: 'net.ipv4.ip_local_port_range, last port.', samples: [{ value: report.portRange.high }] },
    { name: 'ephemeral_ports_usable', help: 'Ports connect() can use per tuple (range, less parity, reserved and listening ports).', samples: [{ value: report.portRange.usable }] },
    { name: 'reserved_ports_in_range', help: 'net.ipv4.ip_local_reserved_ports inside the ephemeral range.', samples: [{ value: report.reservedPorts.inRange }] },
    { name: 'sysctl', help: 'Numeric sysctls read in the namespace.', samples: numericSysctls.map(([name, v]) => ({ labels: { name }, value: Number(v) })) },
    { name: 'tcp_sockets', help: 'TCP sockets by state.', samples: Object.entries(report.sockets.byState).map(([state, n]) => ({ labels: { state: state.toLowerCase() }, value: n })) },
    {
      name: 'time_wait_sockets',
      help: 'TIME_WAIT sockets by side (client: local port from connect or bind; server: a listening port).',
      samples: [
        { labels: { side: 'client' }, value: report.timeWait.client },
        { labels: { side: 'server' }, value: report.timeWait.server },
      ],
    },
    { name: 'listeners_in_ephemeral_range', help: 'Listening sockets whose port lies inside the ephemeral range, unreserved.', samples: [{ value: report.listenersInRange.length }] },
    { name: 'new_connections_per_second', help: 'Tcp ActiveOpens per second over the window.', samples: [{ value: report.rates.newConnectionsPerSec }] },
    { name: 'client_closes_per_second', help: 'Client-side sockets entering TIME_WAIT per second over the window.', samples: [{ value: report.rates.clientClosesPerSec }] },
    { name: 'tuples', help: 'Tuples (source, destination) with client sockets.', samples: [{ value: report.tupleCount }] },
    { name: 'tuple_ports_in_use', help: 'Ports of the range held by a tuple (every state), busiest tuples.', samples: report.tuples.map((t) => ({ labels: tupleLabels(t), value: t.portsInUse })) },
    { name: 'tuple_utilization_ratio', help: 'Ports in use / usable ports, busiest tuples.', samples: report.tuples.map((t) => ({ labels: tupleLabels(t), value: t.utilizationPct / 100 })) },
    { name: 'tuple_time_wait_sockets', help: 'Client TIME_WAIT sockets, busiest tuples.', samples: report.tuples.map((t) => ({ labels: tupleLabels(t), value: t.timeWait })) },
    { name: 'tuple_new_connections_per_second', help: 'Connections per second the tuple closed first over the window.', samples: report.tuples.map((t) => ({ labels: tupleLabels(t), value: t.newPerSec })) },
    { name: 'tuple_seconds_to_exhaustion', help: 'Seconds until connect() finds no port at the current rate (only tuples that run out).', samples: exhausting.map((t) => ({ labels: tupleLabels(t), value: (t.exhaustsInMs ?? 0) / 1000 })) },
  ];
}

/** The exposition text, ending in a newline. */
export function renderDoctorPrometheus(report: DoctorReport): string {
  return `${families(report).flatMap(renderFamily).join('\n')}\n`;
}
