/** The driver process's entry, run inside the lab: the config on the first stdin line, events on stdout. */
import { createInterface } from 'node:readline';
import { driverProcessIo, failDriver, readDriverConfig } from './process-io.js';
import { runDriver } from './run-driver.js';

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
readDriverConfig(lines)
  .then((config) => (config ? runDriver(config, driverProcessIo(lines)) : null))
  .then(() => process.exit(0), (err: unknown) => failDriver(err));
