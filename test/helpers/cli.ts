/** Runs the real CLI (bin/portlab.js) as a user would, for end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunSummary } from '../../src/metrics/types.js';

/** The repository root (dist/test/helpers -> three folders up). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'portlab.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface StartedCli {
  child: ChildProcess;
  result: Promise<CliResult>;
}

/** Starts `portlab ARGS...`; the result resolves when it exits (killed after timeoutMs). */
export function startCli(args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; ownGroup?: boolean } = {}): StartedCli {
  // ownGroup: the CLI leads its own process group, so a test can signal the group like a terminal's Ctrl-C.
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownGroup === true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  const result = new Promise<CliResult>((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, result };
}

export function runCli(args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return startCli(args, options).result;
}

export function tempDir(prefix = 'portlab-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The one run folder a run wrote under `out`. */
export function onlyRunDir(out: string): string {
  const dirs = readdirSync(out);
  if (dirs.length !== 1) throw new Error(`expected one run in ${out}, found ${dirs.join(', ') || 'none'}`);
  return join(out, dirs[0]!);
}

export function readSummary(dir: string): RunSummary {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
}

/** Runs a scenario (file or flags) with --json and returns the parsed summary and the exit code. */
export async function runJson(args: string[], options: { timeoutMs?: number } = {}): Promise<{ code: number | null; summary: RunSummary; stderr: string }> {
  const out = tempDir();
  const result = await runCli(['run', ...args, '--json', '--out', out], options);
  let summary: RunSummary;
  try {
    summary = JSON.parse(result.stdout) as RunSummary;
  } catch {
    throw new Error(`no JSON summary (exit ${result.code}); stderr:\n${result.stderr}`);
  }
  return { code: result.code, summary, stderr: result.stderr };
}
