/** Builds the RunSummary (summary.json) from what the driver reported, the model and the scenario. */
import type { Scenario } from '../config/types.js';
import type { DriverDone, DriverOnset, DriverReady } from '../driver/protocol.js';
import { createCounters, mergeErrorCounts } from '../metrics/counters.js';
import { decodeHistogram, percentiles } from '../metrics/histogram.js';
import { compilePlan } from '../model/plan.js';
import { destinationLabel } from '../engine/worker/endpoints.js';
import { diagnose, labNotes } from './diagnosis.js';
import { evaluateExpectations } from './expectations.js';
import { predictRun } from './prediction.js';
import type { Interruption, Interval, Percentiles, RunSummary } from '../metrics/types.js';
import { strategyFacts, strategyNotes } from './strategy.js';
import { natSummary, natExpectations } from './nat-summary.js';
import { diagnoseNat, natLabNotes } from './nat-diagnosis.js';
import { diagnoseProxy, proxyLabNote, proxySummary } from './proxy-summary.js';

/** Everything the orchestrator collected from one driver. */
export interface RunData {
  runId: string;
  startedAt: string;
  labKind: string;
  ready: DriverReady;
  intervals: Interval[];
  onset: DriverOnset | null;
  /** null when the driver died before reporting its totals (a crash): the summary is then partial. */
  done: DriverDone | null;
  /** Why the host cut the run short (a signal, a failed part), or null. */
  interruption: Interruption | null;
  version: string;
}

function percentilesOf(encoded: string | null): Percentiles | null {
  if (!encoded) return null;
  const histogram = decodeHistogram(encoded);
  const result = percentiles(histogram);
  histogram.destroy();
  return result;
}

/** Totals from the intervals, for a run whose driver never said 'done'. */
function totalsFromIntervals(intervals: Interval[]): DriverDone['totals'] {
  const totals = createCounters();
  for (const i of intervals) {
    totals.attempts += i.attempts;
    totals.connected += i.connected;
    totals.skipped += i.skipped;
    totals.requests += i.requests;
    totals.errors = mergeErrorCounts(totals.errors, i.errors);
  }
  return totals;
}

/**
 * Why the run is partial: the host's reason, else what the driver's own report says (it stopped early on a
 * signal of its own, or never reported its totals: it died).
 */
export function interruptionOf(data: Pick<RunData, 'interruption' | 'done'>): Interruption | null {
  if (data.interruption) return data.interruption;
  if (data.done === null) return { reason: 'driver-crash', detail: 'the driver stopped before reporting its totals' };
  if (data.done.interrupted) return { reason: 'SIGINT', detail: 'the driver was stopped by a signal of its own' };
  return null;
}

/** A run cut short says so first: "No exhaustion" after a crashed target would mislead. */
function cutShort(interruption: Interruption | null, diagnosis: string): string {
  if (!interruption) return diagnosis;
  const label: Record<Interruption['reason'], string> = {
    SIGINT: 'Stopped early (Ctrl-C)',
    SIGTERM: 'Stopped early (SIGTERM)',
    'parent-exit': 'Stopped early: the process that started portlab went away',
    'target-failure': `The target failed: ${interruption.detail}`,
    'lab-failure': `The lab failed: ${interruption.detail}`,
    'driver-crash': `The driver crashed: ${interruption.detail}`,
  };
  return `${label[interruption.reason]}. Partial results: ${diagnosis}`;
}

export function buildSummary(scenario: Scenario, data: RunData): RunSummary {
  const { ready, intervals, done } = data;
  const run = predictRun(scenario, ready.sysctls, ready.portRange);
  const totals = done?.totals ?? totalsFromIntervals(intervals);
  const plan = compilePlan(scenario.client.stages);
  const nat = natSummary(scenario, data, totals);
  const proxy = proxySummary(scenario, done, { ...totals.errors, ...totals.requestErrors }, run, ready.portRange);
  const onset = data.onset
    ? {
        atMs: data.onset.atMs,
        code: data.onset.code,
        clientTimeWait: data.onset.clientTimeWait,
        portsInUse: data.onset.portsInUse,
        ratePerSec: plan.rateAt(data.onset.atMs),
        predictedAtMs: nat ? nat.prediction.firstTimeoutMs : proxy ? proxy.predicted.atMs : run.onsetMs,
      }
    : null;
  const peak = { timeWait: 0, clientTimeWait: 0, serverTimeWait: 0, portsInUse: 0 };
  for (const i of intervals) {
    peak.timeWait = Math.max(peak.timeWait, i.timeWait);
    peak.clientTimeWait = Math.max(peak.clientTimeWait, i.clientTimeWait);
    peak.serverTimeWait = Math.max(peak.serverTimeWait, i.serverTimeWait);
    peak.portsInUse = Math.max(peak.portsInUse, i.portsInUse);
  }
  if (data.onset) {
    peak.clientTimeWait = Math.max(peak.clientTimeWait, data.onset.clientTimeWait);
    peak.portsInUse = Math.max(peak.portsInUse, data.onset.portsInUse);
    peak.timeWait = Math.max(peak.timeWait, data.onset.timeWait);
  }
  // The end state counts too: TIME_WAIT only grows until the load stops, so it is often the peak.
  const final = done?.final;
  if (final) {
    peak.timeWait = Math.max(peak.timeWait, final.timeWait);
    peak.clientTimeWait = Math.max(peak.clientTimeWait, final.clientTimeWait);
    peak.serverTimeWait = Math.max(peak.serverTimeWait, final.serverTimeWait);
    peak.portsInUse = Math.max(peak.portsInUse, final.portsInUse);
  }
  const summaryTotals = {
    attempts: totals.attempts,
    connected: totals.connected,
    errors: totals.errors,
    skipped: totals.skipped,
    requests: totals.requests,
    requestErrors: totals.requestErrors,
    bySource: totals.bySource,
    byDestination: totals.byDestination,
  };
  const summaryScenario: RunSummary['scenario'] = {
    name: scenario.name,
    description: scenario.description,
    sourceFile: scenario.sourceFile ?? null,
    engine: scenario.client.engine,
    protocol: scenario.target.protocol,
    pattern: scenario.client.pattern,
    close: scenario.client.close,
    ratePerSec: run.input.ratePerSec,
    stages: scenario.client.stages,
    workers: scenario.client.workers,
    poolSize: scenario.client.pattern === 'pool' ? scenario.client.pool.size : null,
    sourceAddresses: scenario.client.sourceAddresses,
    destinations: scenario.client.destinations.map(destinationLabel),
    strategy: strategyFacts(scenario),
  };
  const lab: RunSummary['lab'] = { kind: data.labKind, sysctls: ready.sysctls, portRange: ready.portRange, notes: [] };
  lab.notes = [...labNotes(lab, run.input), ...strategyNotes(scenario)];
  if (nat) lab.notes.push(...natLabNotes(nat, scenario));
  if (proxy) lab.notes.push(proxyLabNote(proxy));
  if (!done) lab.notes.push('the driver stopped before reporting its totals: these are partial results from the intervals it sent.');
  const netstat = done?.netstat ?? {};
  const facts = { totals: summaryTotals, onset, peak, lab, scenario: summaryScenario, netstat, prediction: run.prediction, timeWaitMs: run.input.timeWaitMs };
  const expectations = [...evaluateExpectations(scenario.expect, { totals: summaryTotals, onset, peak }), ...natExpectations(scenario.expect, nat)];
  return {
    version: data.version,
    runId: data.runId,
    startedAt: data.startedAt,
    durationMs: done?.durationMs ?? (intervals.length > 0 ? intervals[intervals.length - 1]!.tMs + scenario.sampler.reportIntervalMs : 0),
    plannedDurationMs: scenario.durationMs,
    interrupted: interruptionOf(data) !== null,
    interruption: interruptionOf(data),
    scenario: summaryScenario,
    lab,
    totals: summaryTotals,
    onset,
    peak,
    ...(final && { final }),
    latency: {
      connectUs: percentilesOf(done?.connectHist ?? null),
      requestUs: percentilesOf(done?.requestHist ?? null),
      scheduleLagUs: percentilesOf(done?.lagHist ?? null),
    },
    netstat,
    prediction: run.prediction,
    diagnosis: cutShort(
      interruptionOf(data),
      nat
        ? diagnoseNat(facts, nat, done?.durationMs ?? scenario.durationMs, scenario.client.connectTimeoutMs)
        : proxy
          ? diagnoseProxy(proxy, summaryTotals, ready.portRange)
          : diagnose({ ...facts, intervals }),
    ),
    intervals,
    expectations,
    pass: expectations.every((e) => e.pass),
    ...(nat && { nat }),
    ...(proxy && { proxy }),
  };
}
