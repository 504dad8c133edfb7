/** SysctlProbers for tests: verdicts chosen by the test, no namespace, no kernel. */
import type { SysctlProber, SysctlVerdict } from '../../src/config/sysctl-check.js';

/** A verdict without its key (distributed over the union, so each status keeps its own fields). */
type VerdictBody = SysctlVerdict extends infer V ? (V extends SysctlVerdict ? Omit<V, 'key'> : never) : never;
type Special = Record<string, VerdictBody>;

/** Every key is fine unless `special` says otherwise; `calls` records what each probe was asked. */
export function fakeProber(special: Special = {}): SysctlProber & { calls: Record<string, string>[] } {
  const calls: Record<string, string>[] = [];
  const prober = async (sysctls: Readonly<Record<string, string>>) => {
    calls.push({ ...sysctls });
    const verdicts = Object.keys(sysctls).map((key): SysctlVerdict => ({ key, ...(special[key] ?? { status: 'ok' }) }) as SysctlVerdict);
    return { available: true as const, verdicts };
  };
  return Object.assign(prober, { calls });
}

/** A machine where no namespace can be made. */
export const unavailableProber: SysctlProber = async () => ({ available: false, reason: 'unshare is not installed (package util-linux)' });
