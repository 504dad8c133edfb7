/** The portlab entry point, and the only place that reads process.argv or calls process.exit. */
import { hideBin } from 'yargs/helpers';
import { runCli } from './program.js';

const code = await runCli(hideBin(process.argv), { stdout: process.stdout, stderr: process.stderr, env: process.env }, process.env.PORTLAB_DEBUG === '1');
process.exit(code);
