/**
 * In-lab load runner for the bench: the driver's engine (target thread, coordinator and its workers,
 * sampler) without the NDJSON stream, plus what a benchmark needs and a run does not report: schedule lag
 * after the warm-up, CPU of the whole process, peak RSS, and what the sampler cost. Reads a RunnerInput
 * from stdin, prints one RunnerOutput JSON line. Run it only inside a lab (it writes sysctls).
 */
import { Coordinator } from '../../src/engine/coordinator.js';
import { plannedStarts } from '../../src/engine/schedule.js';
import { applySysctls } from '../../src/lab/sysctl.js';
import { createLatencyHistogram, decodeHistogram, percentiles, type Histogram } from '../../src/metrics/histogram.js';
import { compilePlan } from '../../src/model/plan.js';
import { createSampler } from '../../src/sampler/poller.js';
import { listenAddresses } from '../../src/target/listen.js';
import { targetOptionsFor, waitForListeners } from '../../src/target/start.js';
import { startTargetThread } from '../../src/target/thread-start.js';
import { monoMs } from '../../src/util/clock.js';
import { readProcText } from '../../src/util/read-proc.js';
import { parsePortRange } from '../../src/util/units.js';
import type { RunnerInput, RunnerOutput, SamplerCost } from './runner-types.js';

const RSS_SAMPLE_MS = 250;

async function readInput(): Promise<RunnerInput> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return JSON.parse(text) as RunnerInput;
}

function percentilesOf(encoded: string | null): RunnerOutput['lagAllUs'] {
  if (!encoded) return null;
  const h = decodeHistogram(encoded);
  const p = percentiles(h);
  h.destroy();
  return p;
}

async function main(): Promise<void> {
  const { scenario, warmupMs, externalTarget } = await readInput();
  const sysctls = applySysctls('write', scenario.lab.sysctls);
  const range = parsePortRange(sysctls['net.ipv4.ip_local_port_range'] ?? '32768 60999');
  if (!range.ok) throw new Error(range.message);
  const target = externalTarget ? null : await startTargetThread(targetOptionsFor(scenario));
  if (externalTarget) await waitForListeners(listenAddresses(scenario), 15_000);

  let t0Ms = 0;
  const cost = { sockstat: { samples: 0, totalMs: 0 } as SamplerCost, tcp: { samples: 0, totalMs: 0 } as SamplerCost };
  const sampler = createSampler({
    readFile: readProcText,
    now: () => monoMs() - t0Ms,
    ephemeral: range.value,
    targetPorts: scenario.target.ports,
    sockstatIntervalMs: scenario.sampler.sockstatIntervalMs,
    tcpIntervalMs: scenario.sampler.tcpIntervalMs,
    breakdowns: false,
    onSample: (sample) => {
      cost[sample.type].samples++;
      cost[sample.type].totalMs += sample.costMs;
    },
  });

  const steadyLag: Histogram = createLatencyHistogram();
  let onset: { tMs: number; code: string } | null = null;
  const coordinator = new Coordinator(scenario, {
    onInterval: () => {},
    onOnset: (tMs, code) => {
      if (!onset || tMs < onset.tMs) onset = { tMs, code };
    },
    onWorkerInterval: (interval) => {
      if (!interval.lagHist || interval.index * scenario.sampler.reportIntervalMs < warmupMs) return;
      const part = decodeHistogram(interval.lagHist);
      steadyLag.add(part);
      part.destroy();
    },
  });
  t0Ms = await coordinator.start();
  const cpu0 = process.cpuUsage();
  sampler.start();
  let peakRssBytes = process.memoryUsage.rss();
  const rssTimer = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss())), RSS_SAMPLE_MS);
  const result = await coordinator.finished;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(rssTimer);
  await sampler.stop();

  const { totals } = result;
  const found = onset as { tMs: number; code: string } | null;
  const output: RunnerOutput = {
    runner: 'load',
    sysctls,
    durationMs: result.durationMs,
    planned: plannedStarts(compilePlan(scenario.client.stages)),
    attempts: totals.attempts,
    connected: totals.connected,
    skipped: totals.skipped,
    requests: totals.requests,
    errors: totals.errors,
    requestErrors: totals.requestErrors,
    lagAllUs: percentilesOf(result.lagHist),
    lagSteadyUs: percentiles(steadyLag),
    connectUs: percentilesOf(result.connectHist),
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    peakRssBytes,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    sampler: cost,
    onsetAtMs: found?.tMs ?? null,
    onsetCode: found?.code ?? null,
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
  await Promise.all([coordinator.terminate(), target?.terminate()]);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`load runner: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
