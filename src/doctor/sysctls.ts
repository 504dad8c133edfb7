/**
 * Sysctls of another network namespace. /proc/sys/net shows the namespace of the process that opens it,
 * and Node cannot setns(), so a short `nsenter --net=<ns file> grep -H '' <files>` reads them from inside
 * (grep -H prints "path:value" per line, and an empty value as "path:"); in the current namespace they
 * are read directly.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { REPORTED_SYSCTLS, sysctlPath } from '../driver/sysctl.js';
import { PortlabError } from '../errors/index.js';

/** What doctor reads: the lab's reported set, which holds every setting that decides exhaustion. */
export const DOCTOR_SYSCTLS: readonly string[] = REPORTED_SYSCTLS;

/** "net.ipv4.tcp_tw_reuse" <- "/proc/sys/net/ipv4/tcp_tw_reuse". */
function keyOf(path: string): string {
  return path.replace(/^\/proc\/sys\//, '').replace(/\//g, '.');
}

/** `grep -H '' FILE...` output -> key -> value (first line of each file; a file grep could not read is absent). */
export function parseGrepH(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0 || !line.startsWith('/proc/sys/')) continue;
    const key = keyOf(line.slice(0, colon));
    values[key] ??= line.slice(colon + 1).trim();
  }
  return values;
}

/** Reads `keys` in the current namespace; a key this kernel lacks is left out. */
export function readOwnSysctls(keys: readonly string[], readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of keys) {
    try {
      values[key] = readFile(sysctlPath(key)).trim();
    } catch {
      // Not on this kernel (tcp_tw_reuse_delay before 6.14).
    }
  }
  return values;
}

function run(command: string, args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 10_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      // grep exits 2 when one file is missing and still prints the others.
      const code = err && typeof err.code === 'number' ? err.code : err ? -1 : 0;
      resolve({ ok: code === 0 || (code === 2 && stdout.length > 0), stdout, stderr });
    });
  });
}

/**
 * Reads `keys` inside the namespace of `nsFile` (/run/netns/NAME, /proc/PID/ns/net). As root `--net` is
 * enough; an unprivileged owner of a user namespace (a userns lab) gets in through that user namespace.
 * Throws NAMESPACE_UNAVAILABLE when neither works.
 */
export async function readSysctlsIn(nsFile: string, pid: number | null, keys: readonly string[]): Promise<Record<string, string>> {
  const files = keys.map(sysctlPath);
  const attempts = [['--net=' + nsFile, '--', 'grep', '-H', '', ...files]];
  if (pid !== null) attempts.push(['--target', String(pid), '--user', '--net', '--preserve-credentials', '--', 'grep', '-H', '', ...files]);
  let lastError = '';
  for (const args of attempts) {
    const result = await run('nsenter', args);
    if (result.ok) return parseGrepH(result.stdout);
    lastError = result.stderr.trim() || 'nsenter failed';
  }
  throw new PortlabError('NAMESPACE_UNAVAILABLE', `cannot read the namespace's sysctls: ${lastError}`, {
    hint: 'entering another network namespace needs root (or owning its user namespace) and nsenter (util-linux)',
  });
}
