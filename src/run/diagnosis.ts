/**
 * One plain sentence that explains what the run showed, from what was measured (not what was expected),
 * plus notes about the lab that change how to read the numbers.
 */
import { formatDurationMs, formatRate, trimNumber } from '../util/units.js';
import type { RunSummary } from '../metrics/types.js';
import { keepAliveSentence, strategySentence } from './strategy-diagnosis.js';
import { udpSentence } from './udp-diagnosis.js';
import type { PredictInput } from '../model/types.js';
import { DEFAULT_TW_REUSE_DELAY_MS } from '../model/predict.js';
import { BOUND_SOURCES_NOTE, finTimeoutNote, fixesSentence, formatSpanMs } from '../model/advice.js';

/** What the diagnosis reads: the measured run, and how long TIME_WAIT lasts in the lab (the model's input). */
export type Facts = Pick<RunSummary, 'totals' | 'onset' | 'peak' | 'lab' | 'scenario' | 'netstat' | 'prediction'> & { timeWaitMs: number } & Partial<Pick<RunSummary, 'intervals'>>;

const n = (value: number): string => trimNumber(value, 0);

function rangeText(lab: Facts['lab']): string {
  return `${n(lab.portRange.size)} ports (${lab.portRange.low}-${lab.portRange.high})`;
}

function exhaustionSentence(f: Facts): string {
  const onset = f.onset!;
  const predicted = onset.predictedAtMs === null ? 'the model predicted none' : `predicted ${formatDurationMs(onset.predictedAtMs)}`;
  const failed = f.totals.errors[onset.code] ?? 0;
  const sustainable = f.prediction.maxSustainableRatePerSec;
  if (onset.code === 'EADDRINUSE') {
    return (
      `connect() failed with EADDRINUSE from ${formatDurationMs(onset.atMs)} (${predicted}; ${n(failed)} failures): binding each connection to a ` +
      `source address allocates ports per address, ${n(onset.clientTimeWait)} of them sat in TIME_WAIT, and bound ports are refused to ` +
      `every plain connect() too. ${fixesSentence(true, sustainable)}`
    );
  }
  return (
    `connect() failed with ${onset.code} from ${formatDurationMs(onset.atMs)} (${predicted}; ${n(failed)} failures): the client closes first, ` +
    `so each connection kept its port in TIME_WAIT for ${formatSpanMs(f.timeWaitMs)}, and ${n(onset.clientTimeWait)} client sockets in TIME_WAIT ` +
    `(${n(onset.portsInUse)} ports in use) had used up the ${rangeText(f.lab)} at ${formatRate(onset.ratePerSec)}. ` +
    fixesSentence(false, sustainable)
  );
}

function holdingSentence(f: Facts): string {
  const { scenario, peak, totals, netstat } = f;
  const errors = Object.entries(totals.errors).filter(([, count]) => count > 0);
  const errorText = errors.length === 0 ? 'no connect errors' : `connect errors: ${errors.map(([code, count]) => `${code} ${n(count)}`).join(', ')}`;
  if (scenario.pattern === 'pool') {
    return (
      `No exhaustion: ${n(totals.connected)} pooled connection(s) carried ${n(totals.requests)} requests, holding at most ` +
      `${n(peak.portsInUse)} ports and ${n(peak.clientTimeWait)} client TIME_WAIT; ${errorText}.`
    );
  }
  if ((netstat['TCPTimeWaitOverflow'] ?? 0) > 0) {
    return (
      `No exhaustion: tcp_max_tw_buckets (${f.lab.sysctls['net.ipv4.tcp_max_tw_buckets']}) was hit ${n(netstat['TCPTimeWaitOverflow']!)} times, ` +
      `so the kernel destroyed those TIME_WAIT sockets at once and freed their ports (TIME_WAIT peaked at ${n(peak.timeWait)}); ${errorText}.`
    );
  }
  if ((netstat['TWRecycled'] ?? 0) > 0) {
    return (
      `connect() reused ${n(netstat['TWRecycled']!)} TIME_WAIT tuples (tcp_tw_reuse=${f.lab.sysctls['net.ipv4.tcp_tw_reuse']}, after ` +
      `${f.lab.sysctls['net.ipv4.tcp_tw_reuse_delay'] ?? DEFAULT_TW_REUSE_DELAY_MS} ms), which kept ports coming back; ${errorText}.`
    );
  }
  // HTTP clients race the server's FIN even when it says "Connection: close": httpTimeWaitSentence tells.
  if (scenario.close === 'server' && scenario.protocol !== 'http') {
    return (
      `No exhaustion: the server closed first, so TIME_WAIT (peak ${n(peak.serverTimeWait)} sockets) sat on the server side and ` +
      `cost the client no ports (client TIME_WAIT peak ${n(peak.clientTimeWait)}); ${errorText}.`
    );
  }
  if (scenario.close === 'reset') {
    return `No exhaustion: connections ended with RST, so no socket entered TIME_WAIT (peak ${n(peak.timeWait)}); ${errorText}.`;
  }
  return (
    `No exhaustion: client TIME_WAIT peaked at ${n(peak.clientTimeWait)} of ${rangeText(f.lab)}` +
    ` (${n(f.prediction.portsNeeded)} predicted at steady state); ${errorText}.`
  );
}

/**
 * Which side held TIME_WAIT, from the measured peaks. With HTTP both sides often close right after a
 * response (Node's http.Agent and autocannon close as soon as it has arrived, the server after sending it),
 * so the side is measured, never assumed from who was meant to close.
 */
export function httpTimeWaitSentence(peak: Facts['peak'], timeWaitMs: number): string {
  const client = peak.clientTimeWait;
  const server = peak.serverTimeWait;
  if (client === 0 && server === 0) return 'Neither side held TIME_WAIT sockets during the run: no connection was closed while it was sampled.';
  if (server === 0) return `TIME_WAIT sat on the client side (peak ${n(client)}, server 0): the client closed first, and each close cost it a port for ${formatSpanMs(timeWaitMs)}.`;
  if (client === 0) return `TIME_WAIT sat on the server side (peak ${n(server)}, client 0): the server closed first, which costs the client no ports.`;
  return (
    `TIME_WAIT sat on both sides (peak client ${n(client)}, server ${n(server)}): after each response both ends close, and ` +
    `whichever FIN goes first keeps TIME_WAIT, so "Connection: close" alone does not keep it off the client.`
  );
}

/** Errors that mean a process ran out of file descriptors, not the kernel out of ports. */
const FILE_ERRORS = ['EMFILE', 'ENFILE'] as const;

/** Why EMFILE/ENFILE came, when they did: they look like a failing connect but no port was short. */
export function fileErrorSentence(totals: Facts['totals']): string | null {
  const found = FILE_ERRORS.map((code) => [code, (totals.errors[code] ?? 0) + (totals.requestErrors[code] ?? 0)] as const).filter(([, count]) => count > 0);
  if (found.length === 0) return null;
  const list = found.map(([code, count]) => `${code} ${n(count)}`).join(', ');
  return (
    `${list}: a process ran out of file descriptors (EMFILE: its open-file limit, ENFILE: the system's), not of ports; each ` +
    'open connection costs the client one and a target in the same process another. Raise `ulimit -n` or lower client.maxInFlight / pool.size.'
  );
}

/** The diagnosis sentence for a finished run. */
export function diagnose(f: Facts): string {
  const sentence = udpSentence(f) ?? strategySentence(f) ?? (f.onset ? exhaustionSentence(f) : holdingSentence(f));
  const files = fileErrorSentence(f.totals);
  const withFiles = files ? `${sentence} ${files}` : sentence;
  const keepAlive = keepAliveSentence(f);
  const full = keepAlive === null ? withFiles : `${withFiles} ${keepAlive}`;
  // Connections that are reused end on idle timeouts, not after each response: the keep-alive sentence tells.
  const reused = f.scenario.strategy?.keepAlive?.reuses === true;
  return f.scenario.protocol === 'http' && !reused ? `${full} ${httpTimeWaitSentence(f.peak, f.timeWaitMs)}` : full;
}

/**
 * Notes about the lab and the settings that change how to read the run, from the lab and the model's
 * inputs (bound sources, a tcp_fin_timeout the scenario set, how long TIME_WAIT lasts).
 */
export function labNotes(lab: RunSummary['lab'], input: Pick<PredictInput, 'boundSources' | 'bindStrategy' | 'finTimeoutSec' | 'timeWaitMs'>): string[] {
  const notes: string[] = [];
  const reuse = lab.sysctls['net.ipv4.tcp_tw_reuse'];
  if (reuse === '2') {
    notes.push(
      'tcp_tw_reuse=2 (the kernel default) turns TIME_WAIT reuse on for loopback only: this lab reuses ports that a real remote backend would not; set net.ipv4.tcp_tw_reuse: 0 to model one.',
    );
  }
  if (lab.kind === 'host') notes.push('host lab: this machine\'s own sysctls and traffic apply; nothing was changed.');
  // IP_BIND_ADDRESS_NO_PORT sources share ports per 4-tuple: the strategy notes say so instead.
  if (input.boundSources === true && input.bindStrategy !== 'no-port') notes.push(BOUND_SOURCES_NOTE);
  if (input.finTimeoutSec !== undefined) notes.push(finTimeoutNote(input.finTimeoutSec, input.timeWaitMs));
  return notes;
}
