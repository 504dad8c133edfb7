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
import type { Interval, Percentiles, RunSummary } from '../metrics/types.js';
import { natSummary, natExpectations } from './nat-summary.js';
import { diagnoseNat, natLabNotes } from './nat-diagnosis.js';

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
  interrupted: boolean;
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

export function buildSummary(scenario: Scenario, data: RunData): RunSummary {
  const { ready, intervals, done } = data;
  const run = predictRun(scenario, ready.sysctls, ready.portRange);
  const totals = done?.totals ?? totalsFromIntervals(intervals);
  const plan = compilePlan(scenario.client.stages);
  const nat = natSummary(scenario, data, totals);
  const onset = data.onset
    ? {
        atMs: data.onset.atMs,
        code: data.onset.code,
        clientTimeWait: data.onset.clientTimeWait,
        portsInUse: data.onset.portsInUse,
        ratePerSec: plan.rateAt(data.onset.atMs),
        predictedAtMs: nat ? nat.prediction.firstTimeoutMs : run.onsetMs,
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
  };
  const lab: RunSummary['lab'] = { kind: data.labKind, sysctls: ready.sysctls, portRange: ready.portRange, notes: [] };
  lab.notes = labNotes(lab, run.input);
  if (nat) lab.notes.push(...natLabNotes(nat, scenario));
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
    interrupted: data.interrupted || done === null || done.interrupted,
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
    diagnosis: nat ? diagnoseNat(facts, nat, done?.durationMs ?? scenario.durationMs, scenario.client.connectTimeoutMs) : diagnose(facts),
    intervals,
    expectations,
    pass: expectations.every((e) => e.pass),
    ...(nat && { nat }),
  };
}
