/**
 * Section 7: `portlab doctor` on a busy host. One refresh (read + analysis) at 100,000 sockets, IPv4 and
 * IPv6, against the 150 ms, with each of doctor's readers (/proc/net/tcp and the sock_diag netlink
 * dump through koffi), and the other ways to read the socket table, measured in the same lab: `ss -tan`
 * (sock_diag netlink, then text), `ss` with the kernel filtering by state, and a native sock_diag dump (a
 * small C program, built here with the system's cc when there is one), the floor of any netlink reader.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from '../context.js';
import { hasCommand, labPrelude, lastJsonLine, ROOT, runInLab } from '../lab.js';
import type { DoctorCostOutput } from '../lab/doctor-cost.js';
import { formatNumber, ratio } from '../table.js';

const SECTION = 'portlab doctor';
const SOCKETS = 100_000;

/** Builds the native sock_diag helper; null without a C compiler or when the build fails. */
async function buildNativeHelper(ctx: BenchContext): Promise<string | null> {
  if (!(await hasCommand('cc'))) return null;
  const out = join(mkdtempSync(join(tmpdir(), 'portlab-bench-')), 'sock-diag-count');
  const result = spawnSync('cc', ['-O2', '-o', out, join(ROOT, 'bench', 'native', 'sock-diag-count.c')], { encoding: 'utf8' });
  if (result.status !== 0) {
    ctx.log(`doctor: cc failed, no native netlink figure: ${result.stderr.trim().slice(-200)}`);
    return null;
  }
  return out;
}

export async function doctorSection(ctx: BenchContext): Promise<void> {
  const helper = await buildNativeHelper(ctx);
  ctx.log(`doctor: filling a lab with ${formatNumber(SOCKETS)} TIME_WAIT sockets (IPv4 and IPv6)`);
  const lab = await runInLab(`${labPrelude({})}\nnode dist/bench/lab/doctor-cost.js ${SOCKETS} ${helper ?? ''}`, { timeoutMs: 300_000 });
  const out = lastJsonLine<DoctorCostOutput>(lab.stdout, 'runner');
  ctx.raw.doctor = out ?? { error: lab.stderr.slice(-2000) };
  const failed = `failed: ${lab.stderr.trim().slice(-200)}`;
  const rows = out ? `${formatNumber(out.sockets)} rows (${formatNumber(out.timeWait)} TIME_WAIT)` : failed;
  const procRead = out ? out.tcpReadMs + out.tcp6ReadMs : null;
  const procTotal = out && procRead !== null ? procRead + out.censusMs : null;
  ctx.rows.push(
    {
      section: SECTION,
      name: `one refresh, ${formatNumber(SOCKETS)} sockets (read + analysis, /proc)`,
      value: out?.refreshMs ?? null,
      unit: 'ms',
      target: { op: '<=', value: 150 },
      note: out ? `${rows}; read ${formatNumber(out.readMs)} ms (sysctls, tcp, tcp6, sockstat, snmp, netstat), analysis ${formatNumber(out.analyzeMs)} ms` : failed,
    },
    {
      section: SECTION,
      name: `one refresh, ${formatNumber(SOCKETS)} sockets (read + analysis, netlink: the default)`,
      value: out?.netlinkRefreshMs ?? null,
      unit: 'ms',
      target: { op: '<=', value: 150 },
      note: out ? (out.netlinkNote ?? `read ${formatNumber(out.netlinkReadMs ?? 0)} ms, analysis ${formatNumber(out.netlinkAnalyzeMs ?? 0)} ms`) : failed,
    },
    { section: SECTION, name: 'netlink refresh / /proc refresh', value: ratio(out?.netlinkRefreshMs, out?.refreshMs), unit: '×', note: 'same lab, taken in turns; below 1: netlink is faster' },
    { section: SECTION, name: 'netlink dump into rows (koffi), all states', value: out?.netlinkDumpMs ?? null, unit: 'ms', note: out ? `${formatNumber(out.netlinkSockets ?? 0)} rows; then census ${formatNumber(out.netlinkCensusMs ?? 0)} ms` : failed },
    { section: SECTION, name: 'netlink dump into rows (koffi), TIME_WAIT only (kernel filter)', value: out?.netlinkTimeWaitDumpMs ?? null, unit: 'ms', note: 'idiag_states = 1 << TCP_TIME_WAIT' },
    { section: SECTION, name: 'netlink dump (koffi) / /proc kernel read', value: ratio(out?.netlinkDumpMs, procRead), unit: '×', note: 'below 1: the dump, decoded, costs less than reading the text' },
    { section: SECTION, name: '/proc/net/tcp + tcp6: kernel read', value: procRead, unit: 'ms', note: out ? `tcp ${formatNumber(out.tcpReadMs)} ms + tcp6 ${formatNumber(out.tcp6ReadMs)} ms` : failed },
    { section: SECTION, name: '/proc/net/tcp + tcp6: census (parse, sides, tuples)', value: out?.censusMs ?? null, unit: 'ms', note: 'sampler/socket-census.ts' },
    { section: SECTION, name: 'ss -tan: netlink dump, text, parse (all states)', value: out?.ssMs ?? null, unit: 'ms', note: out ? `${formatNumber(out.ssRows)} rows, same census` : failed },
    { section: SECTION, name: 'ss -tan state time-wait: kernel-filtered dump, text, parse', value: out?.ssTimeWaitMs ?? null, unit: 'ms', note: out ? `${formatNumber(out.ssTimeWaitRows)} rows; TIME_WAIT only, not enough for doctor` : failed },
    {
      section: SECTION,
      name: 'native sock_diag dump, all states (C, counts only)',
      value: out?.nativeMs ?? null,
      unit: 'ms',
      note: helper ? `the floor of a netlink reader: no process start, no decoding into JS` : 'no C compiler here',
    },
    { section: SECTION, name: 'native sock_diag dump, TIME_WAIT only (kernel filter)', value: out?.nativeTimeWaitMs ?? null, unit: 'ms', note: helper ? 'state mask 1 << TCP_TIME_WAIT' : 'no C compiler here' },
    { section: SECTION, name: 'ss -tan route / /proc route (read + census)', value: ratio(out?.ssMs, procTotal), unit: '×', note: 'above 1: /proc is faster' },
    { section: SECTION, name: 'native dump / /proc kernel read', value: ratio(out?.nativeMs, procRead), unit: '×', note: 'the most a native netlink reader could save on the kernel side' },
    { section: SECTION, name: 'netlink dump (koffi) / native dump', value: ratio(out?.netlinkDumpMs, out?.nativeMs), unit: '×', note: 'what decoding in JavaScript through koffi adds to the C floor' },
  );
  ctx.notes.push(
    'doctor reads the socket table with a sock_diag netlink dump through koffi (an optional dependency; Node has no netlink sockets) and falls back to /proc/net/tcp and tcp6 without it; `ss` is slower than both (it formats text that is parsed again); the native dump is the floor of a netlink reader.',
  );
}
