/**
 * The driver: runs inside the lab. Applies and reads back sysctls, starts the target (own thread), the
 * sampler and the coordinator on one clock, and streams DriverEvents as NDJSON on stdout. Reads its
 * config from the first stdin line; "stop" or the end of stdin ends the load early.
 */
import { createInterface } from 'node:readline';
import { isPortlabError } from '../errors/index.js';
import { applySysctls } from '../lab/sysctl.js';
import { createSampler } from '../sampler/poller.js';
import type { TcpSample } from '../sampler/samples.js';
import { listenAddresses } from '../target/listen.js';
import { targetOptionsFor, waitForListeners } from '../target/start.js';
import { startTargetThread } from '../target/thread-start.js';
import { monoMs } from '../util/clock.js';
import { readProcText } from '../util/read-proc.js';
import { parsePortRange } from '../util/units.js';
import { planFor } from '../model/plan.js';
import { Coordinator } from './coordinator.js';
import { buildInterval, NetstatTracker } from './interval.js';
import { STOP_LINE, type DriverConfig, type DriverEvent } from './protocol.js';
import { plannedStarts } from './schedule.js';

/** How long an external target (another container) may take to start listening. */
const TARGET_WAIT_MS = 15_000;

function emit(event: DriverEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) return;
  const config = JSON.parse(first.value) as DriverConfig;
  const { scenario } = config;
  const sysctls = applySysctls(config.sysctlMode, config.sysctls);
  const range = parsePortRange(sysctls['net.ipv4.ip_local_port_range'] ?? '32768 60999');
  if (!range.ok) throw new Error(`unreadable ip_local_port_range: ${range.message}`);
  const portRange = range.value;
  emit({ type: 'ready', sysctls, portRange });

  const target = config.externalTarget ? null : await startTargetThread(targetOptionsFor(scenario));
  if (config.externalTarget) await waitForListeners(listenAddresses(scenario), TARGET_WAIT_MS);

  let t0Ms = 0;
  let latestTimeWait = 0;
  let latestTcp: TcpSample | null = null;
  const netstat = new NetstatTracker();
  const sampler = createSampler({
    // Sync reads: a sockstat read is ~15 us sync but ~240 us through the thread pool (measured).
    readFile: readProcText,
    now: () => monoMs() - t0Ms,
    ephemeral: portRange,
    targetPorts: scenario.target.ports,
    sockstatIntervalMs: scenario.sampler.sockstatIntervalMs,
    tcpIntervalMs: scenario.sampler.tcpIntervalMs,
    breakdowns: false,
    onSample: (sample) => {
      if (sample.type === 'sockstat') latestTimeWait = sample.timeWait;
      else {
        latestTcp = sample;
        netstat.observe(sample.netstat);
      }
    },
    onError: (err) => emit({ type: 'log', level: 'warn', message: `sampler: ${(err as Error).message}` }),
  });

  let onsetAtMs: number | null = null;
  // The state of the ports right when connect() first failed, not up to a second later.
  const snapshotOnset = async (tMs: number, code: string): Promise<void> => {
    const { sockstat, tcp } = await sampler.sampleNow();
    emit({
      type: 'onset',
      atMs: tMs,
      code,
      clientTimeWait: tcp?.clientTimeWait ?? latestTcp?.clientTimeWait ?? 0,
      portsInUse: tcp?.portsInUse ?? latestTcp?.portsInUse ?? 0,
      timeWait: sockstat?.timeWait ?? latestTimeWait,
    });
  };

  const coordinator = new Coordinator(scenario, {
    onInterval: (merged) => {
      emit({ type: 'interval', interval: buildInterval(merged, scenario, latestTimeWait, latestTcp, netstat.take()) });
    },
    onOnset: (tMs, code) => {
      // Workers report their own first error; the earliest wins, only the first is snapshotted.
      if (onsetAtMs !== null && onsetAtMs <= tMs) return;
      const first = onsetAtMs === null;
      onsetAtMs = tMs;
      if (first) void snapshotOnset(tMs, code);
      else emit({ type: 'log', level: 'info', message: `earlier onset from another worker at ${tMs.toFixed(1)} ms` });
    },
  });
  t0Ms = await coordinator.start();
  sampler.start();
  emit({ type: 'started', plannedStarts: plannedStarts(planFor(scenario.client.stages)) });

  let interrupted = false;
  const stop = (): void => {
    interrupted = true;
    coordinator.stop();
  };
  // A terminal's Ctrl-C reaches the whole process group, this driver included: stop and report, as for "stop".
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  void (async () => {
    for (;;) {
      const next = await lines.next();
      if (next.done || next.value.trim() === STOP_LINE) break;
    }
    stop();
  })();

  const result = await coordinator.finished;
  await sampler.stop();
  emit({
    type: 'done',
    interrupted,
    durationMs: result.durationMs,
    totals: result.totals,
    connectHist: result.connectHist,
    requestHist: result.requestHist,
    lagHist: result.lagHist,
    netstat: netstat.total(),
  });
  target?.postMessage('close');
  await coordinator.terminate();
  await target?.terminate();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    if (isPortlabError(err)) emit({ type: 'error', code: err.code, message: err.message, hint: err.hint });
    else emit({ type: 'error', code: 'DRIVER_FAILED', message: err instanceof Error ? err.stack ?? err.message : String(err) });
    process.exit(1);
  },
);
