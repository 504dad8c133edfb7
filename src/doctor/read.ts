/** One reading of a namespace: its socket table, /proc/net counters and sysctls, with when and how long it took. */
import { readProcText } from '../util/read-proc.js';
import type { NamespaceReading } from './analyze.js';
import type { NamespaceSource } from './namespace.js';
import { readOptional, readProcTable, type SocketTableReader } from './socket-reader.js';
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

export interface ReadOptions {
  /** Skip the socket table and sysctls (a window's first reading). */
  countersOnly?: boolean;
  /** Where the socket table comes from (socket-reader.ts); default /proc/net/tcp + tcp6. */
  sockets?: SocketTableReader;
}

/** Reads everything one refresh needs. Sysctls first: in another namespace they come from another process. */
export async function readNamespace(source: NamespaceSource, options: ReadOptions = {}, deps: ReadDeps = procReadDeps): Promise<NamespaceReading> {
  const all = options.countersOnly !== true;
  const sysctls = all ? await source.readSysctls(DOCTOR_SYSCTLS) : {};
  const dir = source.procNetDir;
  const tMs = deps.now();
  const wallMs = deps.wallNow();
  const table = all ? (options.sockets?.read() ?? readProcTable(dir, deps.readText)) : null;
  // sockstat is only a cross-check.
  const sockstat = readOptional(() => deps.readText(`${dir}/sockstat`));
  const snmp = deps.readText(`${dir}/snmp`);
  const netstat = deps.readText(`${dir}/netstat`);
  return {
    tMs,
    wallMs,
    tcp: table?.tcp ?? '',
    tcp6: table?.tcp6 ?? '',
    rows: table?.rows ?? null,
    ...(table ? { reader: table.reader } : {}),
    sockstat,
    snmp,
    netstat,
    sysctls,
    readMs: deps.now() - tMs,
  };
}
