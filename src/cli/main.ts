/** The portlab entry point, and the only place that reads process.argv or calls process.exit. */
import { hideBin } from 'yargs/helpers';
import { runCli } from './program.js';

/** Resolves once everything written to `stream` so far has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

const code = await runCli(hideBin(process.argv), { stdout: process.stdout, stderr: process.stderr, env: process.env }, process.env.PORTLAB_DEBUG === '1');
// A pipe to a slow reader (`portlab compare --json | jq`) can still hold output: exiting now would cut it.
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
