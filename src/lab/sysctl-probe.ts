/**
 * The real SysctlProber: writes each sysctl in a throwaway user + network namespace (`unshare --user
 * --map-root-user --net`, as the userns lab does) and reads it back. The namespace dies with the probe;
 * the host's own namespace is never written. Lives in lab/ because it creates a namespace; the verdicts
 * become problems in config/sysctl-check.ts.
 */
import { execFile } from 'node:child_process';
import { z } from 'zod';
import type { SysctlProbe, SysctlProber, SysctlVerdict } from '../config/sysctl-check.js';
import { sameSysctlValue } from '../config/sysctl-value.js';
import { sysctlPath } from '../driver/sysctl.js';
import { errnoCode } from '../errors/index.js';

/**
 * Runs inside the namespace (plain Node, CommonJS under -e): argv[1] is a JSON list of [key, path, value];
 * prints one JSON list of {key, stage, code} (what failed) or {key, readBack}. A key is written in the
 * given order, as a lab writes them, so one value may depend on an earlier one.
 */
const PROBE_SCRIPT = `
const fs = require('fs');
const out = [];
for (const [key, path, value] of JSON.parse(process.argv[1])) {
  try { fs.readFileSync(path); } catch (e) { out.push({ key, stage: 'read', code: e.code || 'EUNKNOWN' }); continue; }
  try { fs.writeFileSync(path, value); } catch (e) { out.push({ key, stage: 'write', code: e.code || 'EUNKNOWN' }); continue; }
  try { out.push({ key, readBack: fs.readFileSync(path, 'utf8').trim() }); } catch (e) { out.push({ key, stage: 'readBack', code: e.code || 'EUNKNOWN' }); }
}
process.stdout.write(JSON.stringify(out));
`;

const answerSchema = z.array(
  z.union([
    z.strictObject({ key: z.string(), stage: z.enum(['read', 'write', 'readBack']), code: z.string() }),
    z.strictObject({ key: z.string(), readBack: z.string() }),
  ]),
);

export type ProbeAnswer = z.infer<typeof answerSchema>[number];

const DENIED = new Set(['EPERM', 'EACCES', 'EROFS']);

/** One line of the probe's answer as a verdict; `wanted` is the value that was written. */
export function verdictOf(answer: ProbeAnswer, wanted: string): SysctlVerdict {
  const { key } = answer;
  if ('readBack' in answer) return sameSysctlValue(answer.readBack, wanted) ? { key, status: 'ok' } : { key, status: 'differs', readBack: answer.readBack };
  if (answer.stage === 'read' && answer.code === 'ENOENT') return { key, status: 'missing' };
  if (answer.stage === 'write' && DENIED.has(answer.code)) return { key, status: 'denied', code: answer.code };
  return { key, status: 'refused', code: answer.code };
}

/** The probe's stdout as verdicts, checked (never cast); null when it does not fit. */
export function parseProbeAnswer(stdout: string, sysctls: Readonly<Record<string, string>>): SysctlVerdict[] | null {
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch {
    return null;
  }
  const parsed = answerSchema.safeParse(data);
  if (!parsed.success) return null;
  return parsed.data.map((answer) => verdictOf(answer, sysctls[answer.key] ?? ''));
}

const PROBE_TIMEOUT_MS = 10_000;

export interface SysctlProberOptions {
  /** The command that enters a fresh namespace; the probe's node command follows it. */
  unshare?: readonly string[];
  timeoutMs?: number;
}

/** A prober that asks this machine's kernel; unavailable (with the reason) where unshare cannot run. */
export function createSysctlProber(options: SysctlProberOptions = {}): SysctlProber {
  const [command, ...prefix] = options.unshare ?? ['unshare', '--user', '--map-root-user', '--net', '--'];
  return (sysctls) =>
    new Promise<SysctlProbe>((resolve) => {
      const entries = Object.entries(sysctls).map(([key, value]) => [key, sysctlPath(key), value]);
      if (entries.length === 0) return resolve({ available: true, verdicts: [] });
      const args = [...prefix, process.execPath, '-e', PROBE_SCRIPT, JSON.stringify(entries)];
      execFile(command!, args, { timeout: options.timeoutMs ?? PROBE_TIMEOUT_MS, encoding: 'utf8' }, (err, stdout, stderr) => {
        if (err) {
          const code = errnoCode(err);
          const exit = typeof err.code === 'number' ? `exit ${err.code}` : err.killed ? 'timed out' : (code ?? 'failed');
          const why = code === 'ENOENT' ? `${command} is not installed (package util-linux)` : stderr.trim().split('\n').pop() || exit;
          return resolve({ available: false, reason: `a throwaway network namespace could not be made (${why})` });
        }
        const verdicts = parseProbeAnswer(stdout, sysctls);
        resolve(verdicts ? { available: true, verdicts } : { available: false, reason: 'the namespace probe answered something unexpected' });
      });
    });
}
