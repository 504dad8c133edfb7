/**
 * In-lab load runner for the bench: the driver itself (runDriver, as a lab runs it), plus what a benchmark
 * needs and a run does not report: schedule lag after the warm-up, CPU of the whole process, peak RSS, and
 * what the sampler cost. Reads a RunnerInput from stdin, prints one RunnerOutput JSON line. Run it only
 * inside a lab (it writes sysctls).
 */
import type { DriverEvent } from '../../src/driver/protocol.js';
import { runDriver } from '../../src/driver/run-driver.js';
import { createLatencyHistogram, decodeHistogram, percentiles, type Histogram } from '../../src/metrics/histogram.js';
import type { MemorySample, RunnerInput, RunnerOutput, SamplerCost } from './runner-types.js';

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

/** Lines that never end: the bench stops by the plan, not by its host. */
const noLines: AsyncIterator<string> = { next: () => new Promise(() => {}) };

async function main(): Promise<void> {
  const { scenario, warmupMs, externalTarget, memorySampleMs } = await readInput();
  const memory: MemorySample[] = [];
  let memoryTimer: NodeJS.Timeout | undefined;
  let loadStartMs = 0;
  const cost = { sockstat: { samples: 0, totalMs: 0 } as SamplerCost, tcp: { samples: 0, totalMs: 0 } as SamplerCost };
  const steadyLag: Histogram = createLatencyHistogram();
  let sysctls: Record<string, string> = {};
  let planned = 0;
  let onset: { tMs: number; code: string } | null = null;
  let cpu0 = process.cpuUsage();
  let cpu = { user: 0, system: 0 };
  let peakRssBytes = process.memoryUsage.rss();
  let rssTimer: NodeJS.Timeout | undefined;
  const onEvent = (event: DriverEvent): void => {
    if (event.type === 'ready') sysctls = event.sysctls;
    else if (event.type === 'started') planned = event.plannedStarts;
    else if (event.type === 'onset' && (!onset || event.atMs < onset.tMs)) onset = { tMs: event.atMs, code: event.code };
    else if (event.type === 'error' || (event.type === 'log' && event.level === 'warn')) process.stderr.write(`driver: ${event.message}\n`);
  };
  const done = await runDriver(
    { scenario, sysctlMode: 'write', sysctls: scenario.lab.sysctls, externalTarget },
    { lines: noLines, emit: onEvent },
    {
      onSample: (sample) => {
        cost[sample.type].samples++;
        cost[sample.type].totalMs += sample.costMs;
      },
      onWorkerInterval: (interval) => {
        if (!interval.lagHist || interval.index * scenario.sampler.reportIntervalMs < warmupMs) return;
        const part = decodeHistogram(interval.lagHist);
        steadyLag.add(part);
        part.destroy();
      },
      onLoadStart: () => {
        cpu0 = process.cpuUsage();
        rssTimer = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss())), RSS_SAMPLE_MS);
        loadStartMs = performance.now();
        if (memorySampleMs) {
          const sample = (): void => {
            const { rss, heapUsed } = process.memoryUsage();
            memory.push({ tMs: performance.now() - loadStartMs, rssBytes: rss, heapUsedBytes: heapUsed });
          };
          sample();
          memoryTimer = setInterval(sample, memorySampleMs);
        }
      },
      onLoadEnd: () => {
        cpu = process.cpuUsage(cpu0);
        clearInterval(rssTimer);
        clearInterval(memoryTimer);
      },
    },
  );
  const { totals } = done;
  const found = onset as { tMs: number; code: string } | null;
  const output: RunnerOutput = {
    runner: 'load',
    sysctls,
    durationMs: done.durationMs,
    planned,
    attempts: totals.attempts,
    connected: totals.connected,
    skipped: totals.skipped,
    requests: totals.requests,
    errors: totals.errors,
    requestErrors: totals.requestErrors,
    lagAllUs: percentilesOf(done.lagHist),
    lagSteadyUs: percentiles(steadyLag),
    connectUs: percentilesOf(done.connectHist),
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    peakRssBytes,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    sampler: cost,
    onsetAtMs: found?.tMs ?? null,
    onsetCode: found?.code ?? null,
    ...(memorySampleMs && { memory }),
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`load runner: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
