/**
 * Which network namespace doctor reads, and how, changing nothing in it. Node cannot setns(), but
 * /proc/PID/net shows the namespace of process PID, so every target comes down to a process inside it:
 * - the current namespace: /proc/self/net;
 * - `--pid PID`: /proc/PID/net;
 * - `--container ID`: the container's init process (docker inspect's State.Pid);
 * - `--netns NAME` (/run/netns/NAME, which may hold no process at all): a `cat` started inside it with
 *   nsenter, that waits on its stdin and so ends with doctor whatever way doctor ends.
 * Sysctls cannot be read through /proc/PID (see sysctls.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { PortlabError } from '../errors/index.js';
import { readOwnSysctls, readSysctlsIn } from './sysctls.js';
import type { DoctorTarget } from './types.js';

export interface NamespaceSource {
  target: DoctorTarget;
  /** Where the namespace's tcp, tcp6, sockstat, snmp and netstat are. */
  procNetDir: string;
  /** The namespace file a netlink socket is created in (setns); null: the current namespace. */
  nsFile: string | null;
  readSysctls(keys: readonly string[]): Promise<Record<string, string>>;
  /** Ends what opening started (the netns holder); safe to call twice. */
  close(): void;
}

export interface TargetChoice {
  netns?: string;
  pid?: number;
  container?: string;
}

const HOLDER_START_MS = 5000;

function unavailable(message: string, hint: string, cause?: unknown): PortlabError {
  return new PortlabError('NAMESPACE_UNAVAILABLE', message, { hint, cause });
}

/** The namespace inode a /proc/PID/ns/net or /run/netns file stands for; null when it cannot be read. */
function nsInode(path: string): number | null {
  try {
    return statSync(path).ino;
  } catch {
    return null;
  }
}

function forPid(pid: number, target: DoctorTarget): NamespaceSource {
  const nsFile = `/proc/${pid}/ns/net`;
  if (!existsSync(`/proc/${pid}`)) {
    throw new PortlabError('USAGE', `no process ${pid} on this machine`, { hint: 'give the pid of a running process (docker inspect, pgrep, ps)' });
  }
  if (nsInode(nsFile) === null) throw unavailable(`cannot see the network namespace of pid ${pid}`, 'run as root or as the owner of that process');
  return { target, procNetDir: `/proc/${pid}/net`, nsFile, readSysctls: (keys) => readSysctlsIn(nsFile, pid, keys), close: () => {} };
}

async function forNetns(name: string): Promise<NamespaceSource> {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new PortlabError('USAGE', `--netns: "${name}" is not a namespace name`, { hint: 'see `ip netns list`' });
  const nsFile = `/run/netns/${name}`;
  const want = nsInode(nsFile);
  if (want === null) throw new PortlabError('USAGE', `no network namespace "${name}" (no ${nsFile})`, { hint: 'see `ip netns list`' });
  const holder: ChildProcess = spawn('nsenter', [`--net=${nsFile}`, '--', 'cat'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  holder.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  holder.on('error', (err) => (stderr += err.message));
  const close = (): void => {
    holder.stdin?.destroy();
    if (holder.exitCode === null && holder.signalCode === null) holder.kill();
  };
  // nsenter execs cat after setns(): until then /proc/PID/net would show this namespace, not that one.
  const deadline = Date.now() + HOLDER_START_MS;
  while (holder.pid === undefined || nsInode(`/proc/${holder.pid}/ns/net`) !== want) {
    if (holder.exitCode !== null || stderr !== '' || Date.now() > deadline) {
      close();
      throw unavailable(`cannot enter network namespace "${name}": ${stderr.trim() || 'nsenter did not start'}`, 'entering a named namespace needs root and nsenter (util-linux)');
    }
    await sleep(5);
  }
  const pid = holder.pid;
  return {
    target: { kind: 'netns', label: `netns ${name}` },
    procNetDir: `/proc/${pid}/net`,
    nsFile,
    readSysctls: (keys) => readSysctlsIn(nsFile, null, keys),
    close,
  };
}

async function containerPid(id: string): Promise<{ pid: number; name: string }> {
  // Loaded only here, as the docker lab does: every other target starts without dockerode.
  const { connectDocker, dockerUnavailable, statusOf } = await import('../lab/docker/client.js');
  const { docker } = await connectDocker();
  try {
    const info = await docker.getContainer(id).inspect();
    if (!info.State.Running || !(info.State.Pid > 0)) {
      throw new PortlabError('USAGE', `container ${id} is not running`, { hint: 'start it, or pick a running one from `docker ps`' });
    }
    return { pid: info.State.Pid, name: info.Name.replace(/^\//, '') };
  } catch (err) {
    if (err instanceof PortlabError) throw err;
    if (statusOf(err) === 404) throw new PortlabError('USAGE', `no container "${id}"`, { hint: 'see `docker ps`' });
    throw dockerUnavailable(err);
  }
}

/** Opens the chosen namespace (at most one of netns, pid, container; none: the current one). */
export async function openNamespace(choice: TargetChoice): Promise<NamespaceSource> {
  const given = [choice.netns, choice.pid, choice.container].filter((v) => v !== undefined);
  if (given.length > 1) throw new PortlabError('USAGE', 'give at most one of --netns, --pid and --container');
  if (choice.netns !== undefined) return forNetns(choice.netns);
  if (choice.pid !== undefined) {
    if (!(Number.isInteger(choice.pid) && choice.pid > 0)) throw new PortlabError('USAGE', `--pid: expected a process id, got ${choice.pid}`);
    return forPid(choice.pid, { kind: 'pid', label: `pid ${choice.pid}` });
  }
  if (choice.container !== undefined) {
    const { pid, name } = await containerPid(choice.container);
    if (!existsSync(`/proc/${pid}`)) {
      throw unavailable(`container ${name}'s process ${pid} is not on this machine`, 'run doctor on the docker host itself (a remote DOCKER_HOST shows another machine)');
    }
    return forPid(pid, { kind: 'container', label: `container ${name} (pid ${pid})` });
  }
  return {
    target: { kind: 'self', label: 'the current network namespace' },
    procNetDir: '/proc/self/net',
    nsFile: null,
    readSysctls: async (keys) => readOwnSysctls(keys),
    close: () => {},
  };
}
