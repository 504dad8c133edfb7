/**
 * Runs one probe from the host, in its own fresh lab: an unprivileged user + network namespace (the
 * userns lab's command), so its sysctls and ports touch nothing else. A probe makes at most one range's
 * worth of connects; the timeout is a backstop against a hang.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { usernsCommand } from '../../lab/userns.js';
import type { CellResult, ProbeSpec } from '../types.js';
import { parseProbeReply, type ProbeRequest } from './protocol.js';

/** The compiled probe entry, run inside the lab. */
export const PROBE_ENTRY = fileURLToPath(new URL('./main.js', import.meta.url));

const PROBE_TIMEOUT_MS = 30_000;
const STDERR_TAIL = 2000;

export interface ProbeRunner {
  /** Runs the command with `input` on stdin; resolves with its stdout, stderr and exit code. */
  (command: [string, ...string[]], input: string, timeoutMs: number): Promise<{ stdout: string; stderr: string; code: number | null }>;
}

/** Spawns the command; kills it at the timeout. */
export const spawnProbe: ProbeRunner = ([command, ...args], input, timeoutMs) =>
  new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_TAIL)));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ stdout, stderr: `${stderr}\n${err.message}`, code: 127 });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });

/** Runs one probe cell; a lab or probe failure becomes the cell's `failure` figure, never a throw. */
export async function runProbe(spec: ProbeSpec, run: ProbeRunner = spawnProbe): Promise<CellResult> {
  const { name, ...request } = spec;
  const input = `${JSON.stringify(request satisfies ProbeRequest)}\n`;
  const { stdout, stderr, code } = await run(usernsCommand(PROBE_ENTRY), input, PROBE_TIMEOUT_MS);
  const line = stdout.trim().split('\n').pop() ?? '';
  const reply = parseProbeReply(line);
  if (reply?.ok) return { name, kind: 'probe', figures: reply.figures };
  const failure = reply ? reply.code : 'LAB_UNAVAILABLE';
  const error = reply ? reply.message : `the probe's lab failed (exit ${code}): ${stderr.trim() || 'no output'}`;
  return { name, kind: 'probe', figures: { failure }, error };
}
