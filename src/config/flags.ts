/**
 * The scenario flags, as one vocabulary: every scenario key has a flag (`--rate`, `--port-range` ...), and a
 * flag overrides the file. This table is what `portlab run --help` shows (cli/scenario-options.ts builds the
 * yargs options from it) and what turns a flag's text into an override (`overridesForFlag`, usable without
 * yargs, e.g. for a matrix keyed by flag names), so a flag cannot exist in the help without also reaching the
 * scenario. Values stay as the user typed them (strings) unless the schema wants a number or a boolean;
 * validation happens on the merged document, and a problem in a value that a flag set is reported against
 * that flag (see loader.ts).
 */
import { PortlabError } from '../errors/index.js';
import { PORT_RANGE_SYSCTL } from './types.js';
import { didYouMean } from '../util/suggest.js';

/** One value set by a flag at a path of the raw scenario document. */
export interface FlagOverride {
  /** Path inside the scenario, e.g. ["client", "rate"] or ["lab", "sysctls", "net.ipv4.tcp_tw_reuse"]. */
  path: string[];
  value: unknown;
  /** The flag as the user wrote it, e.g. "--rate"; problems in this value are located here. */
  flag: string;
}

export type FlagOverrides = FlagOverride[];

export type FlagKind =
  | 'string'
  | 'number'
  | 'boolean'
  /** A boolean flag that sets its path to false (--expect-no-eaddrnotavail). */
  | 'false'
  | 'list'
  | 'numberList'
  | 'stages'
  /** Repeatable KEY=VALUE: the key extends the path (--sysctl). */
  | 'keyValue'
  /** Repeatable CODE or CODE=false: the code extends the path, the value is a boolean (--expect-error). */
  | 'keyBoolean';

/** One scenario flag: its name without dashes, the scenario path it sets, how its text is read, its help. */
export interface FlagSpec {
  flag: string;
  path: readonly string[];
  kind: FlagKind;
  describe: string;
}

/** Flags shown together in the help, under `group`. */
export interface FlagGroup {
  group: string;
  flags: readonly FlagSpec[];
}

const sysctl = (name: string) => ['lab', 'sysctls', name];

/** Every scenario flag, grouped as the help shows them. Order matters: a later flag wins on the same path. */
export const SCENARIO_FLAG_GROUPS: readonly FlagGroup[] = [
  {
    group: 'Scenario:',
    flags: [
      { flag: 'name', path: ['name'], kind: 'string', describe: 'scenario name (letters, digits, ".", "_", "-"); names the results folder' },
      { flag: 'description', path: ['description'], kind: 'string', describe: 'one line saying what the scenario shows' },
      { flag: 'duration', path: ['duration'], kind: 'string', describe: 'how long the load runs, like "10s" (required unless --stages is given)' },
    ],
  },
  {
    group: 'Lab:',
    flags: [
      { flag: 'lab', path: ['lab', 'kind'], kind: 'string', describe: 'lab kind: auto | userns | netns | docker | host | nat (default auto)' },
      { flag: 'sysctl', path: ['lab', 'sysctls'], kind: 'keyValue', describe: 'set a net.* sysctl inside the lab, KEY=VALUE (repeatable)' },
      { flag: 'port-range', path: sysctl(PORT_RANGE_SYSCTL), kind: 'string', describe: 'ephemeral port range LOW-HIGH, like 40000-40199 (use an even size)' },
      { flag: 'tw-reuse', path: sysctl('net.ipv4.tcp_tw_reuse'), kind: 'string', describe: 'net.ipv4.tcp_tw_reuse: 0 off, 1 on, 2 loopback only (labs default to 0)' },
      { flag: 'tw-reuse-delay', path: sysctl('net.ipv4.tcp_tw_reuse_delay'), kind: 'string', describe: 'net.ipv4.tcp_tw_reuse_delay in ms (kernel 6.14+, default 1000)' },
      { flag: 'max-tw-buckets', path: sysctl('net.ipv4.tcp_max_tw_buckets'), kind: 'string', describe: 'net.ipv4.tcp_max_tw_buckets: TIME_WAIT sockets above this are destroyed' },
      { flag: 'fin-timeout', path: sysctl('net.ipv4.tcp_fin_timeout'), kind: 'string', describe: 'net.ipv4.tcp_fin_timeout in s (FIN_WAIT2 only; it does not shorten TIME_WAIT)' },
      { flag: 'timestamps', path: sysctl('net.ipv4.tcp_timestamps'), kind: 'string', describe: 'net.ipv4.tcp_timestamps: 0 disables them, and with them TIME_WAIT reuse' },
      { flag: 'cpus', path: ['lab', 'cpus'], kind: 'number', describe: 'docker lab: CPU limit per container' },
      { flag: 'memory', path: ['lab', 'memory'], kind: 'string', describe: 'docker lab: memory limit per container, like 512m' },
      { flag: 'image', path: ['lab', 'image'], kind: 'string', describe: 'docker lab: image to run' },
      // nat lab
      { flag: 'nat-port-range', path: ['lab', 'nat', 'portRange'], kind: 'string', describe: 'nat lab: the ports the gateway SNATs to, LOW-HIGH (default 40000-40099)' },
      { flag: 'nat-addresses', path: ['lab', 'nat', 'addresses'], kind: 'number', describe: 'nat lab: NAT addresses, 198.18.1.101 upward (default 1)' },
      { flag: 'nat-random-fully', path: ['lab', 'nat', 'randomFully'], kind: 'boolean', describe: 'nat lab: SNAT --random-fully (a random NAT port per connection)' },
    ],
  },
  {
    group: 'Target:',
    flags: [
      { flag: 'protocol', path: ['target', 'protocol'], kind: 'string', describe: 'target server protocol: tcp | http | udp (default tcp)' },
      { flag: 'ports', path: ['target', 'ports'], kind: 'numberList', describe: 'target ports, comma-separated, like 9000,9001 (default 9000)' },
      { flag: 'response-delay', path: ['target', 'responseDelay'], kind: 'string', describe: 'delay before each response, like 5ms (default 0ms)' },
      { flag: 'response-bytes', path: ['target', 'responseBytes'], kind: 'number', describe: 'bytes in each response (default 16)' },
      { flag: 'connection-close', path: ['target', 'connectionClose'], kind: 'boolean', describe: 'http: answer with "Connection: close" (server closes first)' },
      { flag: 'server-keep-alive-timeout', path: ['target', 'keepAliveTimeout'], kind: 'string', describe: 'http: the server closes keep-alive connections idle this long, like 5s (default 65s)' },
      { flag: 'server-keep-alive-hint', path: ['target', 'keepAliveHint'], kind: 'boolean', describe: 'http: send "Keep-Alive: timeout=N" (default true; --no-server-keep-alive-hint: none)' },
      { flag: 'server-max-requests-per-socket', path: ['target', 'maxRequestsPerSocket'], kind: 'number', describe: 'http: the server closes after this many requests per connection (default 0: never)' },
      { flag: 'proxy', path: ['target', 'proxy', 'upstream'], kind: 'string', describe: 'put the bundled proxy in front: per-connection | per-request | pooled' },
      { flag: 'proxy-pool-size', path: ['target', 'proxy', 'poolSize'], kind: 'number', describe: 'proxy: upstream connections of a pooled proxy (default 10)' },
      { flag: 'backend-ports', path: ['target', 'proxy', 'backendPorts'], kind: 'numberList', describe: 'proxy: where the backend listens, like 9900 (default 9900)' },
    ],
  },
  {
    group: 'Client:',
    flags: [
      { flag: 'engine', path: ['client', 'engine'], kind: 'string', describe: 'load engine: raw | autocannon | node-agent | undici (default raw)' },
      { flag: 'pattern', path: ['client', 'pattern'], kind: 'string', describe: 'churn (a new connection per request) | pool (persistent connections)' },
      { flag: 'close', path: ['client', 'close'], kind: 'string', describe: 'churn: who closes first: client | server | reset | never (a leak) (default client)' },
      { flag: 'rate', path: ['client', 'rate'], kind: 'string', describe: 'connections/s (churn) or requests/s (pool), like 200 or 200/s' },
      { flag: 'stages', path: ['client', 'stages'], kind: 'stages', describe: 'a ramp instead of --rate: DURATION:RATE,..., like "5s:50/s,5s:200/s"' },
      { flag: 'arrival', path: ['client', 'arrival'], kind: 'string', describe: 'uniform (evenly spaced) | poisson (random gaps, same mean rate) (default uniform)' },
      { flag: 'seed', path: ['client', 'seed'], kind: 'number', describe: 'seed of the poisson arrivals, for a run that repeats exactly (default 1)' },
      { flag: 'pool-size', path: ['client', 'pool', 'size'], kind: 'number', describe: 'pool: persistent connections (default 10)' },
      { flag: 'max-requests-per-connection', path: ['client', 'pool', 'maxRequestsPerConnection'], kind: 'number', describe: 'pool: recycle a connection after this many requests (0 never)' },
      { flag: 'max-lifetime', path: ['client', 'pool', 'maxLifetime'], kind: 'string', describe: 'pool: recycle a connection after this long, like 30s (0s never)' },
      { flag: 'agent-defaults', path: ['client', 'agent', 'defaults'], kind: 'string', describe: "node-agent engine: start from new http.Agent()'s defaults (new) or http.globalAgent's (global)" },
      { flag: 'keep-alive', path: ['client', 'agent', 'keepAlive'], kind: 'boolean', describe: 'node-agent engine: http.Agent keepAlive' },
      { flag: 'max-sockets', path: ['client', 'agent', 'maxSockets'], kind: 'number', describe: 'node-agent engine: http.Agent maxSockets' },
      { flag: 'agent-timeout', path: ['client', 'agent', 'timeout'], kind: 'string', describe: 'node-agent engine: http.Agent timeout (idle sockets close after it), like 4s' },
      { flag: 'undici-api', path: ['client', 'undici', 'api'], kind: 'string', describe: 'undici engine: request | fetch (default request)' },
      { flag: 'connections', path: ['client', 'undici', 'connections'], kind: 'number', describe: 'undici engine: connections per origin (default unlimited)' },
      { flag: 'undici-keep-alive-timeout', path: ['client', 'undici', 'keepAliveTimeout'], kind: 'string', describe: 'undici engine: idle keep-alive timeout without a server hint (default 4s)' },
      { flag: 'requests-per-connection', path: ['client', 'requestsPerConnection'], kind: 'number', describe: 'churn: requests per connection before the close; 0 connects and closes at once (default 1)' },
      { flag: 'pipelining', path: ['client', 'pipelining'], kind: 'number', describe: 'autocannon, undici: requests in flight per connection (default 1)' },
      { flag: 'source-addresses', path: ['client', 'sourceAddresses'], kind: 'list', describe: 'loopback source addresses, like 127.0.0.1,127.0.0.2 (bind before connect)' },
      { flag: 'socket-port-range', path: ['client', 'socketPortRange'], kind: 'string', describe: 'no-port: each socket draws its port from LOW-HIGH (IP_LOCAL_PORT_RANGE, Linux 6.3)' },
      { flag: 'bind-strategy', path: ['client', 'bindStrategy'], kind: 'string', describe: 'bound sources: bind (bind(ip, 0)) | no-port (IP_BIND_ADDRESS_NO_PORT, needs koffi) (default bind)' },
      { flag: 'destinations', path: ['client', 'destinations'], kind: 'list', describe: 'HOST:PORT list, like 127.0.0.1:9000,127.0.0.1:9001 (default: every target port)' },
      { flag: 'max-in-flight', path: ['client', 'maxInFlight'], kind: 'number', describe: 'most connections open at once (default 1000)' },
      { flag: 'retries', path: ['client', 'retries'], kind: 'number', describe: 'node-agent, undici: resend a request whose keep-alive connection was reset, up to N times (default 0)' },
      { flag: 'connect-timeout', path: ['client', 'connectTimeout'], kind: 'string', describe: 'give up on a connect after this long (default 2s)' },
      { flag: 'workers', path: ['client', 'workers'], kind: 'number', describe: 'worker threads driving the load (default 2)' },
    ],
  },
  {
    group: 'Expectations (a failed one exits 1):',
    flags: [
      { flag: 'expect-eaddrnotavail', path: ['expect', 'eaddrnotavail'], kind: 'boolean', describe: 'exhaustion (EADDRNOTAVAIL) must happen; =false: must not' },
      { flag: 'expect-no-eaddrnotavail', path: ['expect', 'eaddrnotavail'], kind: 'false', describe: 'exhaustion must not happen (same as --expect-eaddrnotavail=false)' },
      { flag: 'expect-exhaustion', path: ['expect', 'exhaustion'], kind: 'boolean', describe: 'like --expect-eaddrnotavail, but EADDRINUSE from bound sources counts too' },
      { flag: 'expect-onset-within', path: ['expect', 'onsetWithin'], kind: 'list', describe: 'the first EADDRNOTAVAIL comes between MIN,MAX, like 1s,3s' },
      { flag: 'expect-max-errors', path: ['expect', 'maxErrors'], kind: 'number', describe: 'at most this many failed connects' },
      { flag: 'expect-min-connected', path: ['expect', 'minConnected'], kind: 'number', describe: 'at least this many connects succeed' },
      { flag: 'expect-max-client-time-wait', path: ['expect', 'maxClientTimeWait'], kind: 'number', describe: 'client-side TIME_WAIT never exceeds this' },
      { flag: 'expect-min-client-time-wait', path: ['expect', 'minClientTimeWait'], kind: 'number', describe: 'client-side TIME_WAIT reaches at least this' },
      { flag: 'expect-max-server-time-wait', path: ['expect', 'maxServerTimeWait'], kind: 'number', describe: 'server-side TIME_WAIT never exceeds this' },
      { flag: 'expect-min-server-time-wait', path: ['expect', 'minServerTimeWait'], kind: 'number', describe: 'server-side TIME_WAIT reaches at least this' },
      { flag: 'expect-max-connections-opened', path: ['expect', 'maxConnectionsOpened'], kind: 'number', describe: 'pool: at most this many connections opened' },
      { flag: 'expect-max-request-errors', path: ['expect', 'maxRequestErrors'], kind: 'number', describe: 'at most this many failed requests (resets, timeouts ...)' },
      { flag: 'expect-min-request-errors', path: ['expect', 'minRequestErrors'], kind: 'number', describe: 'at least this many failed requests' },
      { flag: 'expect-error', path: ['expect', 'errors'], kind: 'keyBoolean', describe: 'an error code must appear (CODE) or not (CODE=false), repeatable' },
      { flag: 'expect-nat-drops', path: ['expect', 'natDrops'], kind: 'boolean', describe: 'nat lab: the gateway drops new connections; =false: never' },
    ],
  },
  {
    group: 'Sampler:',
    flags: [
      { flag: 'sockstat-interval', path: ['sampler', 'sockstatInterval'], kind: 'string', describe: 'how often to read /proc/net/sockstat (default 100ms)' },
      { flag: 'tcp-interval', path: ['sampler', 'tcpInterval'], kind: 'string', describe: 'how often to read /proc/net/tcp for the breakdown (default 1s)' },
      { flag: 'report-interval', path: ['sampler', 'reportInterval'], kind: 'string', describe: 'width of one report interval (default 250ms)' },
    ],
  },
];

const ALL_FLAGS: readonly FlagSpec[] = SCENARIO_FLAG_GROUPS.flatMap((g) => g.flags);

/** A flag given alone (`--keep-alive`, `--no-keep-alive`), not followed by a value. */
export const isSwitchFlag = (spec: FlagSpec): boolean => spec.kind === 'boolean' || spec.kind === 'false';

/** Every scenario flag name, in the table's order. */
export function scenarioFlagNames(): string[] {
  return ALL_FLAGS.map((s) => s.flag);
}

/** The flag that sets a scenario path, for messages like "set it with --duration". */
export function flagForPath(path: readonly (string | number)[]): string | undefined {
  const key = path.join('\0');
  const spec = ALL_FLAGS.find((s) => s.path.join('\0') === key && s.kind !== 'false');
  return spec ? `--${spec.flag}` : undefined;
}

/** A whole-number or decimal text becomes a number; anything else stays text so the schema names it. */
function numberish(text: string): number | string {
  return /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text;
}

const splitList = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

function parseStages(text: string): Array<{ duration: string; rate?: string }> {
  return splitList(text).map((item) => {
    const colon = item.indexOf(':');
    // A stage without ":" keeps only its duration, so the schema reports the missing rate against --stages.
    return colon < 0 ? { duration: item } : { duration: item.slice(0, colon).trim(), rate: item.slice(colon + 1).trim() };
  });
}

function splitKeyValue(flag: string, text: string): [string, string | undefined] {
  const eq = text.indexOf('=');
  const key = (eq < 0 ? text : text.slice(0, eq)).trim();
  if (key === '') throw new PortlabError('USAGE', `--${flag} expects KEY=VALUE, got "${text}"`);
  return [key, eq < 0 ? undefined : text.slice(eq + 1).trim()];
}

function keyedOverrides(spec: FlagSpec, values: readonly string[]): FlagOverride[] {
  const flag = `--${spec.flag}`;
  return values.map((text) => {
    const [key, value] = splitKeyValue(spec.flag, text);
    if (spec.kind === 'keyValue') {
      if (value === undefined) throw new PortlabError('USAGE', `${flag} expects KEY=VALUE, like net.ipv4.tcp_tw_reuse=0; got "${text}"`);
      return { path: [...spec.path, key], value, flag };
    }
    if (value !== undefined && value !== 'true' && value !== 'false') {
      throw new PortlabError('USAGE', `${flag} expects CODE or CODE=false, like EADDRINUSE=false; got "${text}"`);
    }
    return { path: [...spec.path, key], value: value !== 'false', flag };
  });
}

function convert(kind: FlagKind, text: string): unknown {
  switch (kind) {
    case 'string':
      return text;
    case 'number':
      return numberish(text);
    case 'list':
      return splitList(text);
    case 'numberList':
      return splitList(text).map(numberish);
    case 'stages':
      return parseStages(text);
    default:
      throw new Error(`flag kind ${kind} has no text form`);
  }
}

const TRUE_TEXTS = ['true', '1', 'yes', 'on'];
const FALSE_TEXTS = ['false', '0', 'no', 'off'];

/** A switch's text (yargs hands "true"/"false"; a compare matrix may say 1/0): a boolean, or the text itself so the schema names it. */
function switchValue(text: string): boolean | string {
  const word = text.trim().toLowerCase();
  if (TRUE_TEXTS.includes(word)) return true;
  return FALSE_TEXTS.includes(word) ? false : text;
}

/** The overrides one flag sets from its texts (a repeated flag: keyed kinds keep each, the others the last). */
function overridesOf(spec: FlagSpec, texts: readonly string[]): FlagOverrides {
  const flag = `--${spec.flag}`;
  const last = texts[texts.length - 1];
  if (last === undefined) return [];
  switch (spec.kind) {
    case 'keyValue':
    case 'keyBoolean':
      return keyedOverrides(spec, texts);
    case 'boolean':
      return [{ path: [...spec.path], value: switchValue(last), flag }];
    case 'false': {
      // Set means "must not": it writes false; unset writes nothing; anything else goes on for the schema to name.
      const on = switchValue(last);
      return on === false ? [] : [{ path: [...spec.path], value: on === true ? false : on, flag }];
    }
    default:
      return [{ path: [...spec.path], value: convert(spec.kind, last), flag }];
  }
}

/**
 * The overrides a flag sets, from its name (`port-range` or `--port-range`) and its text as typed
 * (`40000-40199`; a switch takes true/false, 1/0, yes/no, on/off; a repeatable flag a list of texts). Throws
 * PortlabError('USAGE') for a flag that is not a scenario flag.
 */
export function overridesForFlag(name: string, text: string | readonly string[]): FlagOverrides {
  const bare = name.replace(/^--/, '');
  const spec = ALL_FLAGS.find((s) => s.flag === bare);
  if (!spec) {
    const guess = didYouMean(bare, scenarioFlagNames());
    throw new PortlabError('USAGE', `--${bare} is not a scenario flag`, guess === undefined ? {} : { hint: `did you mean --${guess}?` });
  }
  return overridesOf(spec, typeof text === 'string' ? [text] : text);
}

/** yargs gives a repeated flag as an array; the last one wins, as on most command lines. */
const asStrings = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).map((v) => String(v));

/** Maps parsed `portlab run` argv onto scenario overrides, in the table's order (later wins). */
export function flagsToOverrides(argv: Readonly<Record<string, unknown>>): FlagOverrides {
  return ALL_FLAGS.flatMap((spec) => (argv[spec.flag] === undefined ? [] : overridesOf(spec, asStrings(argv[spec.flag]))));
}

/** The scenario paths that have a flag, for the test that every schema key is reachable from the CLI. */
export function flaggedPaths(): string[][] {
  return ALL_FLAGS.map((s) => [...s.path]);
}
