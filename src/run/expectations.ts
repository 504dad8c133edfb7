/** Evaluates a scenario's `expect:` gates against the measured run. A failed one makes the exit code 1. */
import type { Expectations } from '../config/types.js';
import { formatDurationMs } from '../util/units.js';
import type { Expectation, RunSummary } from '../metrics/types.js';

type Measured = Pick<RunSummary, 'totals' | 'onset' | 'peak'>;

function sum(errors: Record<string, number>): number {
  return Object.values(errors).reduce((a, b) => a + b, 0);
}

function errorList(errors: Record<string, number>): string {
  const entries = Object.entries(errors).filter(([, n]) => n > 0);
  return entries.length === 0 ? 'no errors' : entries.map(([code, n]) => `${code} ${n}`).join(', ');
}

function bound(name: string, measured: number, limit: number, kind: 'max' | 'min', what: string): Expectation {
  const pass = kind === 'max' ? measured <= limit : measured >= limit;
  return { name, pass, detail: `${what} ${measured} (expected ${kind === 'max' ? '<=' : '>='} ${limit})` };
}

export function evaluateExpectations(expect: Expectations, run: Measured): Expectation[] {
  const out: Expectation[] = [];
  const { totals, onset, peak } = run;
  if (expect.eaddrnotavail !== undefined) {
    const n = totals.errors['EADDRNOTAVAIL'] ?? 0;
    const pass = expect.eaddrnotavail ? n > 0 : n === 0;
    out.push({
      name: expect.eaddrnotavail ? 'eaddrnotavail: exhaustion happens' : 'eaddrnotavail: no exhaustion',
      pass,
      detail: `EADDRNOTAVAIL ${n} of ${totals.attempts} attempts`,
    });
  }
  if (expect.exhaustion !== undefined) {
    const pass = expect.exhaustion ? onset !== null : onset === null;
    out.push({
      name: expect.exhaustion ? 'exhaustion happens' : 'no exhaustion',
      pass,
      detail: onset ? `first ${onset.code} at ${formatDurationMs(onset.atMs)}` : `no exhaustion error (${errorList(totals.errors)})`,
    });
  }
  if (expect.onsetWithinMs) {
    const [low, high] = expect.onsetWithinMs;
    const pass = onset !== null && onset.atMs >= low && onset.atMs <= high;
    out.push({
      name: `onset within ${formatDurationMs(low)}..${formatDurationMs(high)}`,
      pass,
      detail: onset ? `onset at ${formatDurationMs(onset.atMs)}` : 'no onset',
    });
  }
  if (expect.maxErrors !== undefined) {
    out.push({ ...bound('maxErrors', sum(totals.errors), expect.maxErrors, 'max', 'errors'), detail: `${errorList(totals.errors)} (expected at most ${expect.maxErrors})` });
  }
  if (expect.minConnected !== undefined) out.push(bound('minConnected', totals.connected, expect.minConnected, 'min', 'connected'));
  if (expect.maxConnectionsOpened !== undefined) {
    out.push(bound('maxConnectionsOpened', totals.connected, expect.maxConnectionsOpened, 'max', 'connections opened'));
  }
  if (expect.maxRequestErrors !== undefined) {
    const n = sum(totals.requestErrors);
    out.push({ name: 'maxRequestErrors', pass: n <= expect.maxRequestErrors, detail: `request errors: ${errorList(totals.requestErrors)} (expected at most ${expect.maxRequestErrors})` });
  }
  if (expect.minRequestErrors !== undefined) {
    const n = sum(totals.requestErrors);
    out.push({ name: 'minRequestErrors', pass: n >= expect.minRequestErrors, detail: `request errors: ${errorList(totals.requestErrors)} (expected at least ${expect.minRequestErrors})` });
  }
  if (expect.maxClientTimeWait !== undefined) out.push(bound('maxClientTimeWait', peak.clientTimeWait, expect.maxClientTimeWait, 'max', 'peak client TIME_WAIT'));
  if (expect.minClientTimeWait !== undefined) out.push(bound('minClientTimeWait', peak.clientTimeWait, expect.minClientTimeWait, 'min', 'peak client TIME_WAIT'));
  if (expect.maxServerTimeWait !== undefined) out.push(bound('maxServerTimeWait', peak.serverTimeWait, expect.maxServerTimeWait, 'max', 'peak server TIME_WAIT'));
  if (expect.minServerTimeWait !== undefined) out.push(bound('minServerTimeWait', peak.serverTimeWait, expect.minServerTimeWait, 'min', 'peak server TIME_WAIT'));
  for (const [code, wanted] of Object.entries(expect.errors ?? {})) {
    const n = totals.errors[code] ?? 0;
    out.push({ name: `${code} ${wanted ? 'appears' : 'does not appear'}`, pass: wanted ? n > 0 : n === 0, detail: `${code} ${n}` });
  }
  return out;
}
