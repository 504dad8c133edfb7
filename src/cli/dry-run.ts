/**
 * `portlab run --dry-run`: what a run would do, from the resolved and checked scenario, without making a
 * lab: the lab kind and sysctls, the rate plan and how many connections it starts, and what the model
 * predicts for it. The prediction uses the scenario's port range, or Linux's default one (what a new
 * network namespace starts with) when it sets none.
 */
import type { LocatedProblem } from '../config/problems.js';
import type { Scenario } from '../config/types.js';
import { plannedStarts } from '../engine/schedule.js';
import { failureCode, formatAboutMs, formatRatePerSec } from '../model/advice.js';
import { planFor } from '../model/plan.js';
import { OS_PRESETS } from '../model/presets.js';
import { predictRun, type RunPrediction } from '../run/prediction.js';
import { formatHostPort } from '../util/host-port.js';
import { formatDurationMs, trimNumber, type PortRange } from '../util/units.js';

/** The plan as `--dry-run --json` prints it. */
export interface DryRunPlan {
  dryRun: true;
  scenario: Scenario;
  /** The range the prediction assumes, and where it comes from. */
  portRange: PortRange & { from: 'scenario' | 'kernel default' };
  /** Connection starts (churn) or requests (pool) the rate plan asks for over the run. */
  plannedStarts: number;
  peakRatePerSec: number;
  prediction: RunPrediction;
  warnings: LocatedProblem[];
}

export function dryRunPlan(scenario: Scenario, warnings: LocatedProblem[]): DryRunPlan {
  const range = scenario.lab.portRange ?? OS_PRESETS.linux.portRange;
  const plan = planFor(scenario.client.stages);
  return {
    dryRun: true,
    scenario,
    portRange: { ...range, from: scenario.lab.portRange ? 'scenario' : 'kernel default' },
    plannedStarts: plannedStarts(plan),
    peakRatePerSec: plan.peakRatePerSec,
    prediction: predictRun(scenario, scenario.lab.sysctls, range),
    warnings,
  };
}

const LAB_NOTES: Record<Scenario['lab']['kind'], string> = {
  auto: 'auto (userns where user namespaces work, else netns; chosen when the run starts)',
  userns: 'userns (an unprivileged user + network namespace)',
  netns: 'netns (ip netns, needs root)',
  docker: 'docker (a target and a driver container)',
  host: 'host (this machine, its own sysctls untouched)',
  nat: 'nat (clients, a source-NAT gateway and a backend: three namespaces in one user namespace)',
};

function stageLines(scenario: Scenario): string[] {
  const { stages } = scenario.client;
  if (stages.length === 1) return [`${formatRatePerSec(stages[0]!.ratePerSec)} for ${formatDurationMs(stages[0]!.durationMs)}`];
  let t = 0;
  return stages.map((stage, i) => {
    const from = i === 0 ? stage.ratePerSec : stages[i - 1]!.ratePerSec;
    const rate = from === stage.ratePerSec ? formatRatePerSec(stage.ratePerSec) : `${formatRatePerSec(from)} -> ${formatRatePerSec(stage.ratePerSec)}`;
    const line = `${t === 0 ? '0s' : formatDurationMs(t)}-${formatDurationMs(t + stage.durationMs)}  ${rate}`;
    t += stage.durationMs;
    return line;
  });
}

function predictionLine({ scenario, prediction }: DryRunPlan): string {
  const { onsetMs, prediction: p } = prediction;
  const capacity = `capacity ${trimNumber(p.capacity, 0)} ports, ${trimNumber(p.portsNeeded, 0)} needed`;
  if (onsetMs === null || onsetMs > scenario.durationMs) return `no exhaustion within ${formatDurationMs(scenario.durationMs)} (${capacity})`;
  const code = failureCode(prediction.input);
  return `the first ${code} after ~${formatAboutMs(onsetMs)} (${capacity})`;
}

/** The human form: one aligned row per part of the plan, then the model's advice (warnings go to stderr). */
export function renderDryRun(plan: DryRunPlan): string {
  const { scenario, portRange } = plan;
  const { client } = scenario;
  const sysctls = Object.entries(scenario.lab.sysctls).map(([key, value]) => `${key}=${value.replace(/\s+/g, ' ')}`);
  const rows: [string, string][] = [
    ['lab', LAB_NOTES[scenario.lab.kind]],
    ['sysctls', sysctls.join(', ') || '(none)'],
    ['port range', `${portRange.low}-${portRange.high} (${trimNumber(portRange.size, 0)} ports${portRange.from === 'scenario' ? '' : ", the kernel's default"})`],
    ['load', `${client.pattern} on the ${client.engine} engine, ${client.pattern === 'churn' ? `${client.close} closes, ` : ''}${client.workers} workers`],
    ['endpoints', `${client.sourceAddresses.join(', ')} -> ${client.destinations.map((d) => formatHostPort(d.host, d.port)).join(', ')}`],
    ...stageLines(scenario).map((line, i): [string, string] => [i === 0 ? 'rate plan' : '', line]),
    ['planned', `${trimNumber(plan.plannedStarts, 0)} ${client.pattern === 'pool' ? 'requests' : 'connections'} over ${formatDurationMs(scenario.durationMs)}`],
    ['model', predictionLine(plan)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const where = scenario.sourceFile ? ` (${scenario.sourceFile})` : '';
  const lines = [`portlab run --dry-run: ${scenario.name}${where}; no lab was made`, ''];
  for (const [label, value] of rows) lines.push(`  ${label.padEnd(width)}${value}`);
  lines.push('', plan.prediction.prediction.advice);
  return `${lines.join('\n')}\n`;
}
