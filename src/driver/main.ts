/** The driver process's entry, run inside the lab: the config on the first stdin line, events on stdout. */
import { createInterface } from 'node:readline';
import { driverProcessIo, failDriver, readDriverConfig } from './process-io.js';
import { runDriver } from './run-driver.js';

// A thread that fails after start-up (the target: TARGET_FAILED) surfaces here: report it as the last event.
process.on('uncaughtException', (err) => failDriver(err));
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
readDriverConfig(lines)
  .then((config) => (config ? runDriver(config, driverProcessIo(lines)) : null))
  .then(() => process.exit(0), (err: unknown) => failDriver(err));
