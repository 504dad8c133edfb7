/**
 * Watching a run from outside, as the leak checks need it: every process under the CLI (and the network
 * namespaces they sat in) recorded while it runs, then checked gone afterwards. Shared by the nat lab
 * tests and the fault harness (test/faults/).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTicksOf } from '../../src/lab/owner.js';
import type { RunSummary } from '../../src/metrics/types.js';
import { BIN, ROOT, onlyRunDir, readSummary, startCli, tempDir } from './cli.js';

export function children(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function descendants(pid: number): number[] {
  const out: number[] = [];
  for (const child of children(pid)) out.push(child, ...descendants(child));
  return out;
}

/** Alive and not a zombie (a zombie has ended; only its parent's wait is missing). */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

export function netnsOf(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return null;
  }
}

/** Processes still in one of these network namespaces (a namespace lives as long as one does). */
export function processesIn(namespaces: Set<string>): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => running(pid) && namespaces.has(netnsOf(pid) ?? ''));
}

/** Host interfaces whose line matches (the nat lab's pl-nat-*, anything named portlab). */
export function hostLinks(pattern = /pl-nat-|portlab/): string[] {
  const out = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => pattern.test(line));
}

export async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export interface Watched {
  code: number | null;
  stderr: string;
  /** The results folder's summary, or null when none was written. */
  summary: RunSummary | null;
  /** Files in the results folder (none, or the run's). */
  files: string[];
  /** Every process seen under the run, with its start time: a pid reused by another program is not the run's. */
  pids: Map<number, number | null>;
  namespaces: Set<string>;
}

/** The run's processes that still run (same pid and start time, not a zombie), as "pid command" for messages. */
export function stillRunning(run: Pick<Watched, 'pids'>): string[] {
  return [...run.pids]
    .filter(([pid, ticks]) => running(pid) && startTicksOf(pid) === ticks)
    .map(([pid]) => {
      try {
        return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`;
      } catch {
        return String(pid);
      }
    });
}

/** What a test may do while the run goes: its root pid, the namespaces seen so far, and stderr so far. */
export type Act = (rootPid: number, seen: () => number, stderr: () => string) => Promise<void>;

/** Records every process under `rootPid` and their namespaces until `done()` says stop. */
function watch(rootPid: number, pids: Map<number, number | null>, namespaces: Set<string>, done: () => boolean): Promise<void> {
  const hostNetns = netnsOf(process.pid);
  return (async () => {
    while (!done()) {
      for (const pid of descendants(rootPid)) {
        if (!pids.has(pid)) pids.set(pid, startTicksOf(pid));
        const ns = netnsOf(pid);
        if (ns && ns !== hostNetns) namespaces.add(ns);
      }
      await sleep(100);
    }
  })();
}

function resultsOf(out: string): { summary: RunSummary | null; files: string[] } {
  try {
    const dir = onlyRunDir(out);
    return { summary: readSummary(dir), files: readdirSync(dir).sort() };
  } catch {
    return { summary: null, files: readdirSync(out) };
  }
}

/** Runs `portlab run ARGS` (own process group) and records every process under it while it runs. */
export async function runWatched(args: string[], act?: Act, env?: NodeJS.ProcessEnv): Promise<Watched> {
  const out = tempDir();
  const started = startCli(['run', ...args, '--out', out], { ownGroup: true, env });
  let stderr = '';
  started.child.stderr!.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const pids = new Map<number, number | null>();
  const namespaces = new Set<string>();
  let done = false;
  const watching = watch(started.child.pid!, pids, namespaces, () => done);
  if (act) await act(started.child.pid!, () => namespaces.size, () => stderr);
  const result = await started.result;
  done = true;
  await watching;
  return { code: result.code, stderr: result.stderr, ...resultsOf(out), pids, namespaces };
}

/**
 * Runs `portlab run ARGS` under a wrapper shell (as npx or `timeout` would start it), SIGKILLs the wrapper
 * once `ready` says so, and waits for portlab itself to end. The exit code is nobody's to read: null.
 */
export async function runOrphaned(args: string[], ready: (stderr: string) => boolean, timeoutMs = 30_000): Promise<Watched & { portlabPid: number }> {
  const out = tempDir();
  const quoted = [process.execPath, BIN, 'run', ...args, '--out', out].map((a) => `'${a}'`).join(' ');
  // Not `exec`: the shell stays the parent, as npx does.
  const wrapper = spawn('sh', ['-c', `${quoted}; echo wrapper-done`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  wrapper.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  wrapper.stdout.resume();
  const pids = new Map<number, number | null>();
  const namespaces = new Set<string>();
  let done = false;
  const watching = watch(wrapper.pid!, pids, namespaces, () => done);
  await waitFor('portlab under the wrapper', () => children(wrapper.pid!).length > 0, 10_000);
  const portlabPid = children(wrapper.pid!)[0]!;
  await waitFor('the run to be under way', () => ready(stderr), 20_000);
  wrapper.kill('SIGKILL');
  // The watcher cannot follow orphans (their parent is gone): watch portlab's own tree from here on.
  done = true;
  await watching;
  const after = watch(portlabPid, pids, namespaces, () => !running(portlabPid));
  await waitFor('portlab to end after its parent went away', () => !running(portlabPid), timeoutMs);
  await after;
  return { code: null, stderr, ...resultsOf(out), pids, namespaces, portlabPid };
}

/** Nothing of the run is left: no process, no process in its namespaces, no lab interface, no temp file. */
export async function assertNothingLeft(run: Watched, namespaces = 1, links = /pl-nat-|portlab/): Promise<void> {
  assert.ok(run.namespaces.size >= namespaces, `the run's namespaces were seen (${run.namespaces.size})`);
  const deadline = Date.now() + 10_000;
  while (stillRunning(run).length > 0 && Date.now() < deadline) await sleep(100);
  assert.deepEqual(stillRunning(run), [], 'every process of the lab has ended');
  assert.deepEqual(processesIn(run.namespaces), [], 'no process keeps a lab namespace alive');
  assert.deepEqual(hostLinks(links), [], 'no lab interface in the host namespace');
  assert.deepEqual(run.files.filter((f) => f.startsWith('.')), [], `no temp file in the results folder (${run.files.join(', ')})`);
}
