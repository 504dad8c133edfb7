/**
 * The open-file limit (RLIMIT_NOFILE) of this process. Node has no getrlimit/setrlimit: the limit is read from
 * /proc/self/limits, and the soft limit is raised (up to the hard one, which needs no privilege) with
 * util-linux's `prlimit --pid` on this process, as its own user may do.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface FileLimit {
  /** What open() and accept() are held to now (EMFILE beyond it). */
  soft: number;
  /** How far an unprivileged process may raise `soft`. */
  hard: number;
}

/** "Max open files  1024  4096  files" -> {soft: 1024, hard: 4096}; "unlimited" is Infinity; null if absent. */
export function parseFileLimit(limitsText: string): FileLimit | null {
  const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limitsText);
  if (!match) return null;
  const value = (text: string): number => (text === 'unlimited' ? Infinity : Number(text));
  const soft = value(match[1]!);
  const hard = value(match[2]!);
  return Number.isNaN(soft) || Number.isNaN(hard) ? null : { soft, hard };
}

/** This process's limit; null where /proc/self/limits cannot be read or parsed (not Linux). */
export function readFileLimit(readFile: (path: string) => string = (p) => readFileSync(p, 'latin1')): FileLimit | null {
  try {
    return parseFileLimit(readFile('/proc/self/limits'));
  } catch {
    return null;
  }
}

/**
 * Sets this process's soft limit to `soft` (at most the hard limit); returns the error text when prlimit is
 * missing or refused, else null. Every thread of the process gets it at once: the limit is per process.
 */
export function raiseSoftFileLimit(soft: number): string | null {
  const result = spawnSync('prlimit', ['--pid', String(process.pid), `--nofile=${soft}:`], { encoding: 'utf8', timeout: 10_000 });
  if (result.error) return result.error.message;
  if (result.status !== 0) return (result.stderr || `prlimit exited with ${result.status}`).trim();
  return null;
}
