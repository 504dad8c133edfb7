/**
 * The load generators a user would otherwise pick, run against the bundled HTTP target in the same kind
 * of lab: their command lines and parsers of their output. Pure; bench/sections/peers.ts runs them.
 */

export type PeerName = 'wrk' | 'hey' | 'autocannon';

export interface PeerResult {
  /** Completed requests (= connections, without keep-alive) per second. */
  requestsPerSec: number;
  errors: number;
  /** How the number was read, when it needs saying. */
  note?: string;
}

export interface PeerRun {
  peer: PeerName;
  keepAlive: boolean;
  connections: number;
  durationS: number;
  url: string;
  /** Repository root, for the bundled autocannon. */
  root: string;
}

/** The shell command for one peer run (quoted for sh). */
export function peerCommand(run: PeerRun): string {
  const { connections: c, durationS: d, url } = run;
  switch (run.peer) {
    case 'wrk':
      // Two threads like the engine's two workers; "Connection: close" makes every request a new connection.
      return `wrk -t2 -c${c} -d${d}s ${run.keepAlive ? '' : '-H "Connection: close" '}${url}`;
    case 'hey':
      return `hey -z ${d}s -c ${c} ${run.keepAlive ? '' : '-disable-keepalive '}${url}`;
    case 'autocannon':
      return `node ${run.root}/node_modules/autocannon/autocannon.js -j -c ${c} -d ${d} ${run.keepAlive ? '' : '-D 1 '}${url}`;
  }
}

/** The binary each peer needs on PATH (autocannon ships with portlab). */
export function peerBinary(peer: PeerName): string | null {
  return peer === 'autocannon' ? null : peer;
}

function number(match: RegExpMatchArray | null): number | null {
  return match ? Number(match[1]) : null;
}

/** wrk: "Requests/sec:   9177.62"; socket errors and non-2xx responses count as errors. */
export function parseWrk(text: string): PeerResult | null {
  const rate = number(text.match(/Requests\/sec:\s+([\d.]+)/));
  if (rate === null) return null;
  const socket = text.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const errors = (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0) + (number(text.match(/Non-2xx or 3xx responses: (\d+)/)) ?? 0);
  return { requestsPerSec: rate, errors };
}

/** hey: "Requests/sec:\t8922.1220"; every line of its "Error distribution" counts. */
export function parseHey(text: string): PeerResult | null {
  const rate = number(text.match(/Requests\/sec:\s+([\d.]+)/));
  if (rate === null) return null;
  let errors = 0;
  const section = text.split('Error distribution:')[1];
  if (section) for (const m of section.matchAll(/\[(\d+)\]/g)) errors += Number(m[1]);
  const non200 = [...text.matchAll(/\[(\d{3})\]\s+(\d+) responses/g)].filter((m) => m[1] !== '200').reduce((s, m) => s + Number(m[2]), 0);
  return { requestsPerSec: rate, errors: errors + non200 };
}

interface AutocannonJson {
  duration: number;
  connections: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: { average: number; sent: number };
}

/**
 * autocannon -j. With reconnectRate 1 (-D 1) it resets the connection at each response without counting
 * the response (lib/httpClient.js), so its own rate reads 0: the rate is then requests sent minus the
 * ones still in flight at the end, over the duration.
 */
export function parseAutocannon(text: string, reconnectEach: boolean): PeerResult | null {
  const start = text.indexOf('{');
  if (start === -1) return null;
  let json: AutocannonJson;
  try {
    json = JSON.parse(text.slice(start)) as AutocannonJson;
  } catch {
    return null;
  }
  const errors = json.errors + json.timeouts + json.non2xx;
  if (!reconnectEach) return { requestsPerSec: json.requests.average, errors };
  const completed = Math.max(0, json.requests.sent - json.connections);
  return { requestsPerSec: completed / json.duration, errors, note: 'autocannon -D 1 counts no responses; rate from requests sent' };
}

export function parsePeer(peer: PeerName, text: string, keepAlive: boolean): PeerResult | null {
  switch (peer) {
    case 'wrk':
      return parseWrk(text);
    case 'hey':
      return parseHey(text);
    case 'autocannon':
      return parseAutocannon(text, !keepAlive);
  }
}
