/**
 * Whether the sysctls a scenario sets exist and take its values, asked of the kernel itself: a prober
 * (lab/sysctl-probe.ts) writes each one in a throwaway network namespace and reads it back. The verdicts
 * become located problems here, so `portlab validate` reports a misspelt or removed key (tcp_tw_recycle)
 * or a value the kernel refuses at the line that sets it, and `portlab run` refuses it before any lab is
 * made instead of failing in the lab with exit 3 and no location.
 *
 * Not part of the pure loader: it runs a process. The prober is injected (config may not import lab/).
 */
import { withFoundProblems, type CheckResult } from './loader.js';
import { LAB_DEFAULT_SYSCTLS } from './resolve.js';
import type { Problem, Scenario } from './types.js';

/** What a fresh network namespace said about one sysctl, after writing the scenario's value. */
export type SysctlVerdict =
  | { key: string; status: 'ok' }
  /** No such file in a new network namespace: misspelt, removed from this kernel, or not per namespace. */
  | { key: string; status: 'missing' }
  /** The write (or the read back) failed with this errno code: the kernel refuses the value. */
  | { key: string; status: 'refused'; code: string }
  /** Not writable by an unprivileged namespace's root (EPERM, EACCES): a global, or a privileged, sysctl. */
  | { key: string; status: 'denied'; code: string }
  /** Accepted, but it reads back as something else (the kernel clamps or rewrites the value). */
  | { key: string; status: 'differs'; readBack: string };

export type SysctlProbe = { available: true; verdicts: SysctlVerdict[] } | { available: false; reason: string };

/** Tries `sysctls` (key -> value, in the order a lab writes them) somewhere that leaves the host untouched. */
export type SysctlProber = (sysctls: Readonly<Record<string, string>>) => Promise<SysctlProbe>;

const pathOf = (key: string): Problem['path'] => ['lab', 'sysctls', key];

function verdictProblem(verdict: SysctlVerdict, scenario: Scenario): Problem | null {
  const value = scenario.lab.sysctls[verdict.key] ?? '';
  const error = (message: string): Problem => ({ severity: 'error', path: pathOf(verdict.key), message });
  switch (verdict.status) {
    case 'ok':
      return null;
    case 'missing':
      return error('no such sysctl in a network namespace on this kernel (misspelt, removed, or not per namespace)');
    case 'refused':
      return error(`the kernel refuses "${value}" (${verdict.code}); see its documentation for the values it takes`);
    case 'differs':
      return error(`the kernel takes "${value}" but reads it back as "${verdict.readBack}"; give the value it keeps`);
    case 'denied': {
      // The userns lab is such a namespace (and auto picks it when the probe could run), so it will fail there.
      const kind = scenario.lab.kind;
      const message = `an unprivileged network namespace may not set it (${verdict.code}): it is global or needs real root`;
      if (kind === 'userns') return error(`${message}; the userns lab would refuse it`);
      if (kind === 'auto') return error(`${message}; the userns lab, which auto picks where this check can run, would refuse it`);
      return { severity: 'warning', path: pathOf(verdict.key), message: `${message}; not checked for the ${kind} lab` };
    }
  }
}

/** The problems of a resolved scenario's sysctls, by the prober's verdicts; none for the host lab (it sets none). */
export async function sysctlProblems(scenario: Scenario, prober: SysctlProber): Promise<Problem[]> {
  if (scenario.lab.kind === 'host') return [];
  const probe = await prober(scenario.lab.sysctls);
  if (!probe.available) {
    const own = Object.entries(scenario.lab.sysctls).some(([key, value]) => LAB_DEFAULT_SYSCTLS[key] !== value);
    if (!own) return [];
    return [{ severity: 'warning', path: ['lab', 'sysctls'], message: `not checked against the kernel: ${probe.reason}` }];
  }
  return probe.verdicts.flatMap((v) => verdictProblem(v, scenario) ?? []);
}

/**
 * A check result with its scenario's sysctls checked too: the verdicts are located like every other
 * problem and merged in order; an error among them takes the scenario away, as any error does.
 */
export async function withSysctlCheck(result: CheckResult, prober: SysctlProber): Promise<CheckResult> {
  return result.scenario && result.locator ? withFoundProblems(result, await sysctlProblems(result.scenario, prober)) : result;
}

/**
 * A prober that asks the kernel once per distinct set of sysctls: `validate scenarios/*.yaml` names the
 * same few sets many times, and each probe is a fresh namespace (about 0.1 s).
 */
export function memoizedProber(prober: SysctlProber): SysctlProber {
  const seen = new Map<string, Promise<SysctlProbe>>();
  return (sysctls) => {
    const key = JSON.stringify(Object.entries(sysctls).sort(([a], [b]) => a.localeCompare(b)));
    let probe = seen.get(key);
    if (!probe) seen.set(key, (probe = prober(sysctls)));
    return probe;
  };
}
