/**
 * Runs shell scripts inside throwaway userns labs (`unshare --user --map-root-user --net`): loopback up,
 * the lab's sysctls written, the open-files limit raised to its hard limit. The namespace dies with the
 * script, so nothing is left behind; traffic never leaves the lab's loopback.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root (dist/bench -> two folders up). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface LabResult {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/** Shell lines that prepare a lab: loopback, sysctls (as /proc/sys writes), open-files limit. */
export function labPrelude(sysctls: Record<string, string>): string {
  const writes = Object.entries(sysctls).map(([key, value]) => `echo "${value}" > /proc/sys/${key.replace(/\./g, '/')}`);
  return ['set -e', 'ip link set lo up', ...writes, 'ulimit -n "$(ulimit -Hn)"', 'set +e'].join('\n');
}

/** A bash snippet that waits (up to 5 s) until 127.0.0.1:PORT accepts connections. */
export function waitForPort(port: number): string {
  return `for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null && break; sleep 0.1; done`;
}

/** Runs `script` with bash inside a new lab; `input` goes to its stdin. Never rejects for a non-zero exit. */
export function runInLab(script: string, options: { input?: string; timeoutMs?: number } = {}): Promise<LabResult> {
  const started = Date.now();
  const child = spawn('unshare', ['--user', '--map-root-user', '--net', '--', 'bash', '-c', script], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.on('error', () => {});
  child.stdin.end(options.input ?? '');
  // The whole process group would be cleaner, but the lab's processes die with its namespace anyway.
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  return new Promise((resolve) => {
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: `${stderr}${err.message}`, wallMs: Date.now() - started });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, wallMs: Date.now() - started });
    });
  });
}

/** The last stdout line that parses as a JSON object with `key`, or null. */
export function lastJsonLine<T>(stdout: string, key: string): T | null {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (key in parsed) return parsed as T;
    } catch {
      // not JSON: keep looking
    }
  }
  return null;
}

/** Whether a command exists on PATH (peers are optional). */
export async function hasCommand(name: string): Promise<boolean> {
  const result = await new Promise<number | null>((resolve) => {
    const child = spawn('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    child.once('error', () => resolve(127));
    child.once('close', resolve);
  });
  return result === 0;
}
