/** Cheap checks of what this machine allows, so `auto` can choose and errors can say what is missing. */
import { spawnSync } from 'node:child_process';

export interface ProbeResult {
  ok: boolean;
  /** Why not, in words a user can act on. */
  reason?: string;
}

function run(command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });
  if (result.error) return { ok: false, output: result.error.message };
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

/** Can we make an unprivileged user + network namespace? Tried for real: kernels and LSMs differ. */
export function probeUserns(): ProbeResult {
  const attempt = run('unshare', ['--user', '--map-root-user', '--net', '--', 'ip', 'link', 'set', 'lo', 'up']);
  if (attempt.ok) return { ok: true };
  if (/ENOENT|not found/.test(attempt.output)) {
    return { ok: false, reason: 'unshare or ip is not installed (packages util-linux and iproute2)' };
  }
  return {
    ok: false,
    reason: `user namespaces are not allowed here (${attempt.output || 'unshare failed'}); check sysctl user.max_user_namespaces and kernel.unprivileged_userns_clone`,
  };
}

/** Can we use `ip netns`? Needs root (CAP_SYS_ADMIN) and iproute2. */
export function probeNetns(): ProbeResult {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return { ok: false, reason: 'the netns lab needs root (ip netns add); run as root or use the userns lab' };
  }
  const attempt = run('ip', ['netns', 'list']);
  if (!attempt.ok) return { ok: false, reason: `ip netns does not work here (${attempt.output || 'iproute2 missing'})` };
  return { ok: true };
}
