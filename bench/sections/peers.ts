/**
 * Sections 1 and 2 against peers: wrk, hey and autocannon against the bundled HTTP target in the same
 * kind of lab (same sysctls), without keep-alive (a new connection per request) and with it; portlab's
 * HTTP engine and keep-alive pool beside them; ratios of portlab's rates to each peer's.
 */
import type { BenchContext } from '../context.js';
import { hasCommand, labPrelude, ROOT, runInLab, waitForPort } from '../lab.js';
import { parsePeer, peerBinary, peerCommand, type PeerName, type PeerResult } from '../peers.js';
import { ratio, type BenchRow } from '../table.js';
import { outcomeNote, searchCase } from './churn.js';

const PEERS: PeerName[] = ['wrk', 'hey', 'autocannon'];
const PORT = 9000;
const CONNECTIONS = 50;
const SYSCTLS = { 'net.ipv4.ip_local_port_range': '1024 65535', 'net.ipv4.tcp_tw_reuse': '1' };

/** One peer run in a fresh lab beside `portlab target --protocol http`; a 1-s run first warms the target up. */
async function runPeer(peer: PeerName, keepAlive: boolean, durationS: number): Promise<PeerResult | { error: string }> {
  const run = (d: number): string => peerCommand({ peer, keepAlive, connections: CONNECTIONS, durationS: d, url: `http://127.0.0.1:${PORT}/`, root: ROOT });
  const script = [
    labPrelude(SYSCTLS),
    `node bin/portlab.js target --protocol http --ports ${PORT} > /dev/null 2>&1 & T=$!`,
    waitForPort(PORT),
    `${run(1)} > /dev/null 2>&1`,
    `${run(durationS)} 2>&1`,
    'kill $T',
  ].join('\n');
  const lab = await runInLab(script, { timeoutMs: (durationS + 30) * 1000 });
  return parsePeer(peer, lab.stdout, keepAlive) ?? { error: `no result (exit ${lab.code}): ${(lab.stdout + lab.stderr).trim().slice(-300)}` };
}

export interface PeerRates {
  churn: Partial<Record<PeerName, number>>;
  keepAlive: Partial<Record<PeerName, number>>;
}

/** Runs every installed peer both ways; a missing one is a row that says so. */
export async function peersSection(ctx: BenchContext): Promise<PeerRates> {
  const durationS = ctx.options.quick ? 3 : 5;
  const rates: PeerRates = { churn: {}, keepAlive: {} };
  const raw: Record<string, unknown> = {};
  for (const peer of PEERS) {
    const binary = peerBinary(peer);
    const installed = binary === null || (await hasCommand(binary));
    for (const keepAlive of [false, true]) {
      const section = keepAlive ? 'Keep-alive: requests/s over persistent connections' : 'Peers without keep-alive: a new connection per request (HTTP target)';
      const name = `${peer} ${keepAlive ? 'keep-alive' : peer === 'wrk' ? '-H "Connection: close"' : peer === 'hey' ? '-disable-keepalive' : 'reconnectRate 1 (-D 1)'}, ${CONNECTIONS} connections`;
      const row: BenchRow = { section, name, value: null, unit: keepAlive ? 'requests/s' : 'conns/s' };
      if (!installed) {
        row.note = `not installed (apt-get install ${binary}); skipped`;
      } else {
        ctx.log(`peers: ${name}`);
        const result = await runPeer(peer, keepAlive, durationS);
        raw[`${peer}-${keepAlive ? 'keepalive' : 'close'}`] = result;
        if ('error' in result) row.note = result.error;
        else {
          row.value = result.requestsPerSec;
          row.note = [`closed loop, ${durationS} s`, result.errors ? `${result.errors} errors` : '', result.note ?? ''].filter(Boolean).join('; ');
          (keepAlive ? rates.keepAlive : rates.churn)[peer] = result.requestsPerSec;
        }
      }
      ctx.rows.push(row);
    }
  }
  ctx.raw.peers = raw;
  return rates;
}

/** portlab's own HTTP numbers: node-agent churn (HTTP, no keep-alive) and the raw keep-alive pool. */
export async function portlabHttpAndPool(ctx: BenchContext): Promise<{ agentChurn: number | null; pool: number | null }> {
  ctx.log('portlab: node-agent engine, HTTP target, no keep-alive');
  const agent = await searchCase(ctx, { protocol: 'http', engine: 'node-agent', workers: 2 }, 4000, 'node-agent http');
  ctx.rows.push({
    section: 'Peers without keep-alive: a new connection per request (HTTP target)',
    name: 'portlab node-agent engine (http.Agent, no keep-alive), 2 workers',
    value: agent.best?.stats.ratePerSec ?? null,
    unit: 'conns/s',
    note: `open loop, held on schedule; ${outcomeNote(agent)}`,
  });
  ctx.log('portlab: keep-alive pool of 50, raw TCP target');
  const pool = await searchCase(ctx, { pattern: 'pool', 'pool-size': CONNECTIONS, workers: 2 }, 20000, 'pool');
  ctx.rows.push({
    section: 'Keep-alive: requests/s over persistent connections',
    name: `portlab pool of ${CONNECTIONS} (raw TCP target), 2 workers`,
    value: pool.best?.stats.ratePerSec ?? null,
    unit: 'requests/s',
    note: `open loop, held on schedule; ${outcomeNote(pool)}`,
  });
  ctx.raw.portlabHttp = { agent: agent.trials.map((t) => t.stats), pool: pool.trials.map((t) => t.stats) };
  return { agentChurn: agent.best?.stats.ratePerSec ?? null, pool: pool.best?.stats.ratePerSec ?? null };
}

/** Ratio rows: portlab's rate over each peer's, measured in this run. */
export function ratioRows(churn: Record<string, number | null>, http: { agentChurn: number | null; pool: number | null }, peers: PeerRates): BenchRow[] {
  const section = 'Ratios against peers (same run, same lab)';
  const rows: BenchRow[] = [];
  for (const peer of PEERS) {
    const base = peers.churn[peer] ?? null;
    const missing = base === null ? `${peer} not measured` : undefined;
    const pure: BenchRow = { section, name: `raw churn (reset, 0 requests, 2 workers) ÷ ${peer} without keep-alive`, value: ratio(churn['reset0-w2'], base), unit: '×', note: missing ?? 'TCP connect+RST vs HTTP request per connection' };
    if (peer === 'hey') pure.target = { op: '>=', value: 1 };
    rows.push(pure);
    rows.push({ section, name: `raw churn (reset, 1 request, 2 workers) ÷ ${peer} without keep-alive`, value: ratio(churn['reset1-w2'], base), unit: '×', note: missing ?? 'TCP request vs HTTP request per connection' });
    rows.push({ section, name: `node-agent engine ÷ ${peer} without keep-alive`, value: ratio(http.agentChurn, base), unit: '×', note: missing ?? 'both HTTP against the same target' });
    const keepBase = peers.keepAlive[peer] ?? null;
    rows.push({ section, name: `pool ÷ ${peer} keep-alive`, value: ratio(http.pool, keepBase), unit: '×', note: keepBase === null ? `${peer} not measured` : 'raw TCP pool vs HTTP keep-alive' });
  }
  return rows;
}
