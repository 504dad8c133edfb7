/**
 * How doctor reads a namespace's socket table: a sock_diag netlink dump (sampler/sock-diag.ts, through
 * koffi) or /proc/net/tcp + tcp6. `auto` takes netlink and falls back to /proc when koffi is missing or the
 * kernel refuses (no CAP_SYS_ADMIN over another namespace, no inet_diag), saying why; `netlink` fails
 * instead; `proc` never tries netlink. Netlink is the default because it is the faster at 100,000 sockets
 * (bench/sections/doctor.ts measures both).
 */
import { errnoCode, PortlabError } from '../errors/index.js';
import { openSockDiag, SockDiagError } from '../sampler/sock-diag.js';
import type { SocketRows } from '../sampler/socket-rows.js';
import type { NamespaceSource } from './namespace.js';
import type { ReaderInfo } from './types.js';

export const SOCKET_READERS = ['auto', 'netlink', 'proc'] as const;
export type SocketReaderChoice = (typeof SOCKET_READERS)[number];

/** One read of the table: the rows of a netlink dump, or /proc's texts (rows null). */
export interface SocketTable {
  rows: SocketRows | null;
  tcp: string;
  tcp6: string;
  reader: ReaderInfo;
}

export interface SocketTableReader {
  read(): SocketTable;
  close(): void;
}

/** Without IPv6 there is no tcp6 (no IPv6 sockets, not a failure). */
export function readOptional(read: () => string): string | null {
  try {
    return read();
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw err;
  }
}

/** /proc/net/tcp and tcp6 of `procNetDir`. */
export function readProcTable(procNetDir: string, readText: (path: string) => string, reader: ReaderInfo = { name: 'proc', note: null }): SocketTable {
  const tcp = readText(`${procNetDir}/tcp`);
  const tcp6 = readOptional(() => readText(`${procNetDir}/tcp6`)) ?? '';
  return { rows: null, tcp, tcp6, reader };
}

function refused(reason: string): PortlabError {
  return new PortlabError('NAMESPACE_UNAVAILABLE', `--reader netlink: ${reason}`, { hint: 'use --reader auto (falls back to /proc/net/tcp) or --reader proc' });
}

/** Opens the reader `choice` asks for on `source`'s namespace. */
export async function openSocketReader(source: NamespaceSource, choice: SocketReaderChoice, readText: (path: string) => string): Promise<SocketTableReader> {
  const proc = (note: string | null): SocketTableReader => ({ read: () => readProcTable(source.procNetDir, readText, { name: 'proc', note }), close: () => {} });
  if (choice === 'proc') return proc('chosen with --reader proc');
  const opened = await openSockDiag(source.nsFile);
  if (!opened.ok) {
    if (choice === 'netlink') throw refused(opened.reason);
    return proc(`netlink unavailable: ${opened.reason}`);
  }
  const { diag } = opened;
  let fallback: SocketTableReader | null = null;
  // Sized from the last dump: one allocation for a table of steady size.
  let lastRows = 1024;
  return {
    read() {
      if (fallback) return fallback.read();
      try {
        const rows = diag.dump(undefined, Math.ceil(lastRows * 1.1));
        lastRows = rows.count;
        return { rows, tcp: '', tcp6: '', reader: { name: 'netlink', note: null } };
      } catch (err) {
        if (!(err instanceof SockDiagError) || choice === 'netlink') throw err instanceof SockDiagError ? refused(err.message) : err;
        fallback = proc(`netlink failed: ${err.message}`);
        return fallback.read();
      }
    },
    close: () => diag.close(),
  };
}
