/** What the benchmark ran on, for the report and the README. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Machine } from './table.js';

/** "model name : AMD EPYC 7B13" from /proc/cpuinfo text; "unknown" when absent. */
export function cpuModelOf(cpuinfo: string): string {
  return cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? 'unknown';
}

export function machineInfo(readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): Machine {
  let cpuinfo = '';
  try {
    cpuinfo = readFile('/proc/cpuinfo');
  } catch {
    // Not Linux: the model stays unknown.
  }
  return {
    nproc: os.availableParallelism(),
    cpuModel: cpuModelOf(cpuinfo),
    kernel: os.release(),
    node: process.version,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}
