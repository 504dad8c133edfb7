/** One reading of a namespace: its /proc/net texts and sysctls, with when and how long it took. */
import { errnoCode } from '../errors/index.js';
import { readProcText } from '../util/read-proc.js';
import type { NamespaceReading } from './analyze.js';
import type { NamespaceSource } from './namespace.js';
import { DOCTOR_SYSCTLS } from './sysctls.js';

export interface ReadDeps {
  /** Whole file as text; throws like fs (ENOENT). */
  readText: (path: string) => string;
  /** Monotonic ms. */
  now: () => number;
  /** Wall-clock ms. */
  wallNow: () => number;
}

export const procReadDeps: ReadDeps = { readText: readProcText, now: () => performance.now(), wallNow: () => Date.now() };

/** Without IPv6 there is no tcp6 (no IPv6 sockets, not a failure); sockstat is only a cross-check. */
function optional(read: () => string): string | null {
  try {
    return read();
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Reads everything one refresh needs; `countersOnly` skips the socket tables and sysctls (a window's first
 * reading). Sysctls first: in another namespace they come from another process.
 */
export async function readNamespace(source: NamespaceSource, options: { countersOnly?: boolean } = {}, deps: ReadDeps = procReadDeps): Promise<NamespaceReading> {
  const all = options.countersOnly !== true;
  const sysctls = all ? await source.readSysctls(DOCTOR_SYSCTLS) : {};
  const dir = source.procNetDir;
  const tMs = deps.now();
  const wallMs = deps.wallNow();
  const tcp = all ? deps.readText(`${dir}/tcp`) : '';
  const tcp6 = all ? (optional(() => deps.readText(`${dir}/tcp6`)) ?? '') : '';
  const sockstat = optional(() => deps.readText(`${dir}/sockstat`));
  const snmp = deps.readText(`${dir}/snmp`);
  const netstat = deps.readText(`${dir}/netstat`);
  return { tMs, wallMs, tcp, tcp6, sockstat, snmp, netstat, sysctls, readMs: deps.now() - tMs };
}
