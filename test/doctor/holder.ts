/** Test helper: starts hold-sockets.js under a command that puts it in a namespace, and waits until it holds. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';

export const HOLDER = join(ROOT, 'dist', 'test', 'doctor', 'hold-sockets.js');

/** Waits for the holder's ready line; rejects if it dies first. Resolves with the holder's own pid. */
export function ready(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = out.split('\n').find((l) => l.includes('"ready":true'));
      if (line) resolve((JSON.parse(line) as { pid: number }).pid);
    });
    child.once('exit', (code) => reject(new Error(`holder exited ${code}: ${err}`)));
  });
}

/**
 * `prefix` (e.g. ['ip', 'netns', 'exec', NAME]) then node hold-sockets.js with `counts` (TIME_WAIT v4,
 * TIME_WAIT v6, ESTABLISHED, CLOSE_WAIT). Ends when its stdin closes: `stop()`.
 */
export async function startHolder(prefix: string[], counts: [number, number, number, number]): Promise<{ child: ChildProcess; pid: number; stop: () => void }> {
  const [command, ...args] = prefix;
  const child = spawn(command!, [...args, process.execPath, HOLDER, ...counts.map(String)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stop = (): void => {
    child.stdin?.end();
    child.kill();
  };
  try {
    return { child, pid: await ready(child), stop };
  } catch (err) {
    stop();
    throw err;
  }
}
