/**
 * Every lab carries its owner, the portlab process that made it: host name, pid and the pid's start time (so
 * a pid reused by another program does not pass for the owner). `portlab lab prune` removes a lab only when
 * its owner is gone, and says so; it never takes a lab from under a run that is still going.
 */
import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';

export interface Owner {
  host: string;
  pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks after boot when the process started. */
  startTicks: number;
}

/** The start time of `pid` in clock ticks, or null when it is gone. */
export function startTicksOf(pid: number, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): number | null {
  try {
    const stat = readFile(`/proc/${pid}/stat`);
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

/** This process as an owner. */
export function currentOwner(): Owner {
  return { host: hostname(), pid: process.pid, startTicks: startTicksOf(process.pid) ?? 0 };
}

/** "host:pid:ticks", for a docker label. */
export function formatOwner(owner: Owner): string {
  return `${owner.host}:${owner.pid}:${owner.startTicks}`;
}

export function parseOwner(text: string | undefined): Owner | null {
  const match = /^(.+):(\d+):(\d+)$/.exec(text ?? '');
  return match ? { host: match[1]!, pid: Number(match[2]), startTicks: Number(match[3]) } : null;
}

/** A lab id that carries its owner's pid and start (base 36), then a random part: `<pid>-<ticks>-<rand>`. */
export function labIdFor(owner: Owner, random: () => number = Math.random): string {
  const rand = Math.floor(random() * 36 ** 4).toString(36).padStart(4, '0');
  return `${owner.pid.toString(36)}-${owner.startTicks.toString(36)}-${rand}`;
}

/** The owner (on this host) that a lab id made by labIdFor names; null for ids of another form. */
export function ownerOfLabId(id: string, host = hostname()): Owner | null {
  const match = /^([0-9a-z]+)-([0-9a-z]+)-[0-9a-z]+$/.exec(id);
  if (!match) return null;
  return { host, pid: parseInt(match[1]!, 36), startTicks: parseInt(match[2]!, 36) };
}

export type OwnerState = 'running' | 'gone' | 'elsewhere';

/** Whether the owner still runs: 'elsewhere' when it ran on another host (a remote docker engine's client). */
export function ownerState(owner: Owner, host = hostname(), ticksOf: (pid: number) => number | null = startTicksOf): OwnerState {
  if (owner.host !== host) return 'elsewhere';
  return ticksOf(owner.pid) === owner.startTicks ? 'running' : 'gone';
}
