/**
 * /proc/net/nf_conntrack: one line per connection tracked by this network namespace (the table is per
 * namespace; only nf_conntrack_max is global). A NATed TCP line reads
 *   "ipv4 2 tcp 6 118 TIME_WAIT src=C dst=B sport=52864 dport=9000 src=B dst=N sport=9000 dport=40008 [ASSURED] mark=0 zone=0 use=2"
 * The first src/dst/sport/dport group is the original direction (client -> backend), the second the reply
 * (backend -> the NAT address and port the gateway chose). [UNREPLIED] sits between the groups.
 */
import { PortlabError } from '../errors/index.js';

export interface ConntrackTuple {
  src: string;
  dst: string;
  sport: number;
  dport: number;
}

export interface ConntrackEntry {
  /** "ipv4" or "ipv6". */
  family: string;
  /** "tcp", "udp", "icmp" ... */
  protocol: string;
  /** Seconds until the entry expires. */
  timeoutSec: number;
  /** TCP state as conntrack names it (SYN_SENT, ESTABLISHED, TIME_WAIT, CLOSE ...); null for other protocols. */
  state: string | null;
  original: ConntrackTuple;
  reply: ConntrackTuple;
  assured: boolean;
  unreplied: boolean;
}

function tupleAt(pairs: Map<string, string>[], index: number, line: string): ConntrackTuple {
  const group = pairs[index];
  const src = group?.get('src');
  const dst = group?.get('dst');
  if (src === undefined || dst === undefined) {
    throw new PortlabError('INTERNAL', `/proc/net/nf_conntrack: no ${index === 0 ? 'original' : 'reply'} tuple in "${line}"`);
  }
  return { src, dst, sport: Number(group!.get('sport') ?? 0), dport: Number(group!.get('dport') ?? 0) };
}

/** Parses one line; throws PortlabError INTERNAL when it is not a conntrack entry. */
export function parseConntrackLine(line: string): ConntrackEntry {
  const words = line.trim().split(/\s+/);
  const [family, , protocol, , timeout] = words;
  const timeoutSec = Number(timeout);
  if (protocol === undefined || !Number.isFinite(timeoutSec)) {
    throw new PortlabError('INTERNAL', `/proc/net/nf_conntrack: cannot read "${line}"`);
  }
  let state: string | null = null;
  let assured = false;
  let unreplied = false;
  // src=... starts a tuple group: the first is the original direction, the second the reply.
  const groups: Map<string, string>[] = [];
  for (const word of words.slice(5)) {
    if (word === '[ASSURED]') assured = true;
    else if (word === '[UNREPLIED]') unreplied = true;
    else {
      const eq = word.indexOf('=');
      if (eq < 0) {
        if (groups.length === 0 && !word.startsWith('[')) state = word;
        continue;
      }
      const key = word.slice(0, eq);
      if (key === 'src') groups.push(new Map());
      if (groups.length > 0 && groups.length <= 2 && ['src', 'dst', 'sport', 'dport'].includes(key)) {
        const group = groups[groups.length - 1]!;
        if (!group.has(key)) group.set(key, word.slice(eq + 1));
      }
    }
  }
  return {
    family: family!,
    protocol,
    timeoutSec,
    state,
    original: tupleAt(groups, 0, line),
    reply: tupleAt(groups, 1, line),
    assured,
    unreplied,
  };
}

/** Every entry of the table. */
export function parseConntrack(text: string): ConntrackEntry[] {
  const entries: ConntrackEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() !== '') entries.push(parseConntrackLine(line));
  }
  return entries;
}
