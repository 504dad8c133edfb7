/**
 * The nat lab's backend: the bundled target, run inside the backend namespace (lab.ts starts it through
 * nsenter). Its first stdin line is the TargetOptions as JSON; it answers "listening" on stdout once every
 * address accepts, and stops when its stdin ends (the lab is going, or the orchestrator died).
 */
import { createInterface } from 'node:readline';
import { parseTargetOptions } from '../../target/messages.js';
import { startTarget } from '../../target/start.js';

// A terminal's Ctrl-C reaches the whole process group: the backend serves until the driver has drained.
process.on('SIGINT', () => {});

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) return;
  // It crossed a process boundary: checked, never cast (as the target thread checks its workerData).
  const options = parseTargetOptions(JSON.parse(first.value));
  const target = await startTarget(options);
  process.stdout.write('listening\n');
  while (!(await lines.next()).done) {
    // Nothing else is sent; only the end matters.
  }
  await target.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`portlab nat backend: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
