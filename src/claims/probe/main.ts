/**
 * A probe's entry, run inside its own lab (a fresh network namespace): applies the sysctls, runs the
 * probe, writes one ProbeReply line and exits. The request arrives as the first stdin line.
 */
import { createInterface } from 'node:readline';
import { applySysctls, portRangeOf } from '../../driver/sysctl.js';
import { isPortlabError } from '../../errors/index.js';
import type { Figures } from '../types.js';
import { bindInRange, portsChosen, rangeFill } from './probes.js';
import { parseProbeRequest, type ProbeReply, type ProbeRequest } from './protocol.js';

async function probe(request: ProbeRequest): Promise<Figures> {
  const sysctls = applySysctls('write', request.sysctls);
  const range = portRangeOf(sysctls);
  const lab: Figures = { portRangeLow: range.low, portRangeHigh: range.high, portRangeSize: range.size, failure: null };
  switch (request.kind) {
    case 'ports-chosen':
      return { ...lab, ...(await portsChosen(request.connections ?? range.size, range)) };
    case 'bind-in-range':
      return { ...lab, reservedPorts: sysctls['net.ipv4.ip_local_reserved_ports'] ?? null, ...(await bindInRange(request.bindPort ?? range.low, range)) };
    case 'range-fill': {
      const setRange = (low: number, high: number): void => void applySysctls('write', { 'net.ipv4.ip_local_port_range': `${low} ${high}` });
      return { ...lab, ...(await rangeFill(request.rangeSize ?? 2, request.rounds ?? 1, setRange)) };
    }
  }
}

async function answer(line: string | undefined): Promise<ProbeReply> {
  try {
    if (line === undefined) throw new Error('no probe request on stdin');
    return { ok: true, figures: await probe(parseProbeRequest(line)) };
  } catch (err) {
    if (isPortlabError(err)) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: 'DRIVER_FAILED', message: err instanceof Error ? err.message : String(err) };
  }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
const first = await lines.next();
const message = await answer(first.done ? undefined : first.value);
// Exit once the line is out: the probe's servers and sockets would otherwise keep the process alive.
process.stdout.write(`${JSON.stringify(message)}\n`, () => process.exit(0));
