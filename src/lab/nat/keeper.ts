/**
 * The nat lab's namespaces and the processes that keep them alive. One `unshare --user --map-root-user
 * --net` (the clients' namespace; no root needed) runs a shell, the keeper, that starts two children with a
 * network namespace each (the gateway's and the backend's) and then waits on its stdin. Nothing is named
 * or bind-mounted: a namespace lives exactly as long as a process in it, so the whole lab goes when:
 * - destroy() closes the keeper's stdin: it kills and reaps its children, then exits;
 * - the orchestrator dies, even by SIGKILL: the keeper gets SIGKILL (PR_SET_PDEATHSIG, set by setpriv
 *   after unshare, which clears it), and so do its children when it goes.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { PortlabError } from '../../errors/index.js';
import type { NatTools } from './tools.js';

/**
 * $1 ip, $2 setpriv, $3 unshare, $4 seconds the namespaces may live at most (a backstop). A terminal's Ctrl-C
 * reaches the whole process group: the keeper and its children ignore it (SIG_IGN survives exec), so the
 * orchestrator decides when the lab goes, after the driver has reported what it has.
 */
const KEEPER_SCRIPT = `set -e
trap '' INT
"$1" link set lo up
"$2" --pdeathsig KILL -- "$3" --net -- sleep "$4" </dev/null >/dev/null &
gateway=$!
"$2" --pdeathsig KILL -- "$3" --net -- sleep "$4" </dev/null >/dev/null &
backend=$!
echo "gateway $gateway"
echo "backend $backend"
read _ || true
kill -KILL "$gateway" "$backend" 2>/dev/null || true
wait`;

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const STDERR_TAIL_BYTES = 2000;

export interface Keeper {
  /** The keeper: its namespaces are the user namespace and the clients' network namespace. */
  pid: number;
  gatewayPid: number;
  backendPid: number;
  /** Ends the keeper and its children, and waits for them. Idempotent. */
  stop(): Promise<void>;
  stderrTail(): string;
}

/** readlink /proc/<pid>/ns/net ("net:[4026532290]"); null when the process is gone. */
export function netnsOf(pid: number | 'self'): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return null;
  }
}

function commOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/** True once `pid` runs sleep in a namespace of its own (unshare has done its work and exec'd). */
function settled(pid: number, keeperPid: number): boolean {
  const own = netnsOf(pid);
  return commOf(pid) === 'sleep' && own !== null && own !== netnsOf(keeperPid);
}

function waitExit(child: ChildProcessWithoutNullStreams, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Starts the keeper and waits until both child namespaces exist. Throws LAB_UNAVAILABLE when it cannot. */
export async function startKeeper(tools: NatTools, lifetimeSec: number): Promise<Keeper> {
  const child = spawn(
    tools.unshare,
    ['--user', '--map-root-user', '--net', '--', tools.setpriv, '--pdeathsig', 'KILL', '--', 'sh', '-c', KEEPER_SCRIPT, 'portlab-nat-keeper', tools.ip, tools.setpriv, tools.unshare, String(Math.ceil(lifetimeSec))],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
  });
  child.stdin.on('error', () => {});
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      child.stdin.end();
      if (!(await waitExit(child, STOP_TIMEOUT_MS))) {
        // Its children still die: they have PR_SET_PDEATHSIG.
        child.kill('SIGKILL');
        await waitExit(child, STOP_TIMEOUT_MS);
      }
    })());

  const pids: Record<string, number> = {};
  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
  const started = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the namespaces were not ready after ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`unshare exited (code ${code})`));
    });
    lines.on('line', (line) => {
      const [role, pid] = line.trim().split(' ');
      if ((role === 'gateway' || role === 'backend') && Number(pid) > 0) pids[role] = Number(pid);
      if (pids['gateway'] !== undefined && pids['backend'] !== undefined) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  try {
    await started;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!settled(pids['gateway']!, child.pid!) || !settled(pids['backend']!, child.pid!)) {
      if (Date.now() > deadline) throw new Error('the gateway and backend namespaces did not come up');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } catch (err) {
    await stop();
    throw new PortlabError('LAB_UNAVAILABLE', `the nat lab could not create its namespaces: ${stderr.trim() || (err as Error).message}`, {
      hint: 'the nat lab needs unprivileged user namespaces (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone) and util-linux',
      cause: err,
    });
  }
  return { pid: child.pid!, gatewayPid: pids['gateway']!, backendPid: pids['backend']!, stop, stderrTail: () => stderr.trim() };
}
