/** A CliIo that keeps what a command writes, with the terminal-ness and environment a test chooses. */
import type { CliIo } from '../../src/cli/command.js';
import type { SysctlProber } from '../../src/config/sysctl-check.js';

export interface FakeIo extends CliIo {
  out: () => string;
  err: () => string;
}

export function fakeIo(options: { isTTY?: boolean; env?: Record<string, string>; probeSysctls?: SysctlProber } = {}): FakeIo {
  const out: string[] = [];
  const err: string[] = [];
  const isTTY = options.isTTY ?? false;
  return {
    stdout: { write: (text: string) => out.push(text), isTTY, columns: 100 },
    stderr: { write: (text: string) => err.push(text), isTTY, columns: 100 },
    env: options.env ?? {},
    ...(options.probeSysctls ? { probeSysctls: options.probeSysctls } : {}),
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
