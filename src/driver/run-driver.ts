/**
 * The driver: runs inside the lab. Applies and reads back sysctls, starts the target (own thread), the
 * sampler and the coordinator on one clock, and streams DriverEvents through `io.emit`. Everything it
 * touches outside the lab's kernel comes through `io`, so the bench and tests run the same code as a lab.
 */
import type { WorkerInterval } from '../engine/messages.js';
import type { FinalState } from '../metrics/types.js';
import { Coordinator } from '../engine/coordinator.js';
import { plannedStarts } from '../engine/schedule.js';
import { planFor } from '../model/plan.js';
import { createSampler } from '../sampler/poller.js';
import { NatGatewaySampler } from '../sampler/nat-gateway.js';
import type { Sample, SockstatSample, TcpSample } from '../sampler/samples.js';
import { listenAddresses } from '../target/listen.js';
import { targetOptionsFor, waitForListeners } from '../target/start.js';
import { startTargetThread } from '../target/thread-start.js';
import { PROXY_STATS_INTERVAL_MS } from '../target/messages.js';
import { monoMs } from '../util/clock.js';
import { readProcText } from '../util/read-proc.js';
import { buildInterval, finalStateOf, NetstatTracker } from './interval.js';
import { GO_LINE, STOP_LINE, type DriverConfig, type DriverDone, type DriverEvent } from './protocol.js';
import { ensureFileLimit } from './file-limit.js';
import { applySysctls, portRangeOf } from './sysctl.js';
import { ProxyTracker } from './proxy-tracker.js';

/**
 * Up to this many sockets the sampler reads the table at the sockstat cadence as well, so client and server
 * TIME_WAIT follow the load instead of a 1-s staircase: 25,000 rows read and parse in ~38 ms
 * (kernel-facts.md), so 1,000 take ~1.5 ms, under 2% of a core at the default 100 ms.
 */
const FAST_TCP_MAX_ROWS = 1000;

/** How long an external target (another container) may take to start listening. */
const TARGET_WAIT_MS = 15_000;

export interface DriverIo {
  /** Lines from the host after the config: "stop", or their end (the host is gone), ends the load early. */
  lines: AsyncIterator<string>;
  emit(event: DriverEvent): void;
  /** Wires `stop` to whatever should end the load early besides the lines (process signals); returns an undo. */
  onStopSignal?(stop: () => void): () => void;
}

/** What the bench observes beyond the events; a run leaves these unset. */
export interface DriverHooks {
  onSample?(sample: Sample): void;
  onWorkerInterval?(interval: WorkerInterval): void;
  /** The load begins (t0) and has ended (before the sampler's final read). */
  onLoadStart?(): void;
  onLoadEnd?(): void;
}

/** Runs one load in the current network namespace and returns its 'done' event (also emitted). */
export async function runDriver(config: DriverConfig, io: DriverIo, hooks: DriverHooks = {}): Promise<DriverDone> {
  const { scenario } = config;
  const raised = ensureFileLimit(scenario, !config.externalTarget);
  if (raised) io.emit({ type: 'log', level: 'info', message: raised });
  const sysctls = applySysctls(config.sysctlMode, config.sysctls);
  const portRange = portRangeOf(sysctls);
  io.emit({ type: 'ready', sysctls, portRange });

  // Set once the load starts; a proxy error is dated from it, and the onset handler exists by then.
  let onProxyError: ((monoMs: number, code: string) => void) | null = null;
  const proxyBackendPorts = scenario.target.proxy?.backendPorts ?? [];
  const proxy = scenario.target.proxy ? new ProxyTracker(proxyBackendPorts, (atMono, code) => onProxyError?.(atMono, code)) : null;
  const target = config.externalTarget ? null : await startTargetThread(targetOptionsFor(scenario), proxy ? (stats) => proxy.observe(stats) : undefined);
  // The nat lab waited for its backend itself: a probe from here would cost the NAT a tuple.
  if (config.externalTarget && !config.natGateway) await waitForListeners(listenAddresses(scenario), TARGET_WAIT_MS);
  const gateway = config.natGateway
    ? new NatGatewaySampler({
        ...config.natGateway,
        readFile: readProcText,
        intervalMs: scenario.sampler.reportIntervalMs,
        onError: (err) => io.emit({ type: 'log', level: 'warn', message: `gateway sampler: ${(err as Error).message}` }),
      })
    : null;

  let t0Ms = 0;
  let latestTimeWait = 0;
  let latestSockstat: SockstatSample | null = null;
  let latestTcp: TcpSample | null = null;
  const netstat = new NetstatTracker();
  const sampler = createSampler({
    // Sync reads: a sockstat read is ~15 us sync but ~240 us through the thread pool (measured).
    readFile: readProcText,
    now: () => monoMs() - t0Ms,
    ephemeral: portRange,
    // With a proxy, the backend ports too: the proxy's connections to them are connecting-side sockets.
    targetPorts: [...scenario.target.ports, ...proxyBackendPorts],
    sockstatIntervalMs: scenario.sampler.sockstatIntervalMs,
    tcpIntervalMs: scenario.sampler.tcpIntervalMs,
    fastTcpMaxRows: FAST_TCP_MAX_ROWS,
    // The proxy's hops are told apart by destination port.
    breakdowns: proxy !== null,
    udp: scenario.target.protocol === 'udp',
    onSample: (sample) => {
      if (sample.type === 'sockstat') {
        latestTimeWait = sample.timeWait;
        latestSockstat = sample;
      } else {
        latestTcp = sample;
        netstat.observe(sample.netstat);
      }
      hooks.onSample?.(sample);
    },
    onError: (err) => io.emit({ type: 'log', level: 'warn', message: `sampler: ${(err as Error).message}` }),
  });

  let onsetAtMs: number | null = null;
  let final: FinalState | undefined;
  // The state of the ports right when connect() first failed, not up to a second later.
  const snapshotOnset = async (tMs: number, code: string): Promise<void> => {
    const nat = gateway?.snapshot();
    const { sockstat, tcp } = await sampler.sampleNow();
    io.emit({
      type: 'onset',
      atMs: tMs,
      code,
      clientTimeWait: tcp?.clientTimeWait ?? latestTcp?.clientTimeWait ?? 0,
      portsInUse: tcp?.portsInUse ?? latestTcp?.portsInUse ?? 0,
      timeWait: sockstat?.timeWait ?? latestTimeWait,
      ...(nat && { nat }),
    });
  };

  const onOnset = (tMs: number, code: string): void => {
    // Workers (and the proxy) report their own first error; the earliest wins, only the first is snapshotted.
    if (onsetAtMs !== null && onsetAtMs <= tMs) return;
    const first = onsetAtMs === null;
    onsetAtMs = tMs;
    if (first) void snapshotOnset(tMs, code);
    else io.emit({ type: 'log', level: 'info', message: `earlier onset from another worker at ${tMs.toFixed(1)} ms` });
  };
  const coordinator = new Coordinator(scenario, {
    onInterval: (merged) => {
      const interval = buildInterval(merged, scenario, latestTimeWait, latestTcp, netstat.take());
      if (gateway) interval.nat = gateway.takeInterval();
      if (proxy) interval.proxy = proxy.takeInterval(latestTcp);
      io.emit({ type: 'interval', interval });
    },
    onOnset: (tMs, code) => onOnset(tMs, code),
    onWorkerInterval: hooks.onWorkerInterval,
    // The load has stopped (every start ended) and still holds its connections: the end state every gate
    // must see. A tcp sample up to tcpInterval old would miss what the load's last second left in TIME_WAIT,
    // and one after the workers' teardown would count a pool's closing as the load's TIME_WAIT.
    beforeClose: async () => {
      const now = await sampler.sampleNow();
      final = finalStateOf(now.sockstat ?? latestSockstat, now.tcp ?? latestTcp);
    },
  });
  let interrupted = false;
  let loadStarted = false;
  let release = (): void => {};
  const go = new Promise<void>((resolve) => (release = resolve));
  const stop = (): void => {
    interrupted = true;
    // A stop while the load is held releases it, and the load then stops at once.
    release();
    if (loadStarted) coordinator.stop();
  };
  const undoSignals = io.onStopSignal?.(stop);
  void (async () => {
    for (;;) {
      const next = await io.lines.next();
      if (next.done || next.value.trim() === STOP_LINE) break;
      if (next.value.trim() === GO_LINE) release();
    }
    stop();
  })();

  const hold = config.holdUntilGo
    ? async (): Promise<void> => {
        io.emit({ type: 'armed' });
        await go;
      }
    : undefined;
  // The gateway's counters are read before the load begins: their baseline.
  gateway?.start();
  t0Ms = await coordinator.start(hold);
  loadStarted = true;
  // The proxy's ports running out is the run's onset: its clients only see what the proxy makes of it.
  onProxyError = (atMono, code) => onOnset(atMono - t0Ms, code);
  if (interrupted) coordinator.stop();
  hooks.onLoadStart?.();
  sampler.start();
  io.emit({ type: 'started', plannedStarts: plannedStarts(planFor(scenario.client.stages)) });

  const result = await coordinator.finished;
  hooks.onLoadEnd?.();
  // The proxy's counters arrive every PROXY_STATS_INTERVAL_MS: wait for a post made after the load's last answer.
  if (proxy) await new Promise((resolve) => setTimeout(resolve, 2 * PROXY_STATS_INTERVAL_MS));
  await sampler.stop();
  undoSignals?.();
  const done: DriverDone = {
    type: 'done',
    interrupted,
    durationMs: result.durationMs,
    totals: result.totals,
    connectHist: result.connectHist,
    requestHist: result.requestHist,
    lagHist: result.lagHist,
    netstat: netstat.total(),
    ...(final && { final }),
    ...(gateway && { nat: gateway.stop() }),
    ...(proxy && { proxy: proxy.totals(t0Ms) }),
  };
  io.emit(done);
  target?.close();
  await coordinator.terminate();
  await target?.terminate();
  return done;
}
