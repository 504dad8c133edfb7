/**
 * The flag readers `portlab predict` and `predict --nat` share: values arrive as text (yargs strings) so every
 * check and its message is ours; a bad value is PortlabError('USAGE') naming the flag.
 */
import { isIP } from 'node:net';
import { PortlabError } from '../errors/index.js';
import { parseHostPort } from '../util/host-port.js';

/** A bad flag: exit code 2. */
export function usage(message: string, hint?: string): PortlabError {
  return new PortlabError('USAGE', message, hint === undefined ? {} : { hint });
}

const WHOLE_NUMBER = /^\s*\d+\s*$/;

/** A whole number above 0 (or 0 with allowZero); undefined when the flag was not given. */
export function positiveInt(flag: string, text: string | undefined, allowZero = false): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!WHOLE_NUMBER.test(text) || (!allowZero && value === 0)) {
    throw usage(`--${flag}: expected a whole number${allowZero ? '' : ' above 0'}, got "${text}"`);
  }
  return value;
}

/**
 * How many distinct entries a list flag names: `run`'s form, a comma list (each entry checked by `isEntry`),
 * or the older bare count. The models need only the count.
 */
function distinctCount(flag: string, text: string | undefined, isEntry: (entry: string) => boolean, example: string): number | undefined {
  if (text === undefined || WHOLE_NUMBER.test(text)) return positiveInt(flag, text);
  const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const bad = entries.find((entry) => !isEntry(entry));
  if (bad !== undefined || entries.length === 0) {
    throw usage(`--${flag}: expected a list like ${example} or a count, got "${bad ?? text}"`);
  }
  return new Set(entries).size;
}

/** --destinations: HOST:PORT,... as `run` takes them, or a count. */
export function destinationCount(text: string | undefined): number | undefined {
  return distinctCount('destinations', text, (d) => parseHostPort(d) !== null, '127.0.0.1:9000,127.0.0.1:9001');
}

/** --source-addresses: ADDRESS,... as `run` takes them, or a count. */
export function sourceAddressCount(text: string | undefined): number | undefined {
  return distinctCount('source-addresses', text, (a) => isIP(a) !== 0, '127.0.0.1,127.0.0.2');
}
