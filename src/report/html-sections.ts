/**
 * The report's text sections: header, diagnosis, key figures, expectations, onset vs prediction, errors,
 * latency, lab and scenario. Every piece of text goes through escapeHtml: scenario names and descriptions
 * are user input.
 */
import { formatDurationMs, formatRate, trimNumber } from '../util/units.js';
import { escapeHtml, formatAtMs, formatCount, formatLatencyUs, formatPct, sortedErrorCodes } from './format.js';
import { keyFigures, ofRange, predictedOnsetMs, sustainableText } from './figures.js';
import type { Prediction } from '../model/types.js';
import type { ErrorCounts, Percentiles, RunSummary } from '../metrics/types.js';

/** A table cell: plain text (escaped here) or markup built by this module. */
type Cell = string | { html: string };

const cell = (c: Cell): string => (typeof c === 'string' ? escapeHtml(c) : c.html);

function table(className: string, head: string[] | null, rows: Cell[][], caption?: string): string {
  const out = [`<table class="${className}">`];
  if (caption) out.push(`<caption>${escapeHtml(caption)}</caption>`);
  if (head) out.push(`<thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`);
  out.push('<tbody>');
  for (const row of rows) {
    const [first, ...rest] = row;
    out.push(`<tr><th scope="row">${cell(first ?? '')}</th>${rest.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`);
  }
  out.push('</tbody></table>');
  return out.join('');
}

function section(id: string, title: string, body: string, className = 'card'): string {
  return `<section class="${className}" id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${escapeHtml(title)}</h2>${body}</section>`;
}

/** Title, description, the verdict badge and when/where it ran. */
export function headerSection(summary: RunSummary): string {
  const s = summary.scenario;
  const verdict = summary.expectations.length === 0 ? ['none', 'no expectations'] : summary.pass ? ['pass', 'passed'] : ['fail', 'failed'];
  const meta = [
    `run ${summary.runId}`,
    `started ${summary.startedAt}`,
    `${formatDurationMs(summary.durationMs)} of ${formatDurationMs(summary.plannedDurationMs)} planned${summary.interrupted ? ' (interrupted)' : ''}`,
    `lab: ${summary.lab.kind}`,
    s.sourceFile ? `file: ${s.sourceFile}` : 'ad-hoc scenario',
    `portlab ${summary.version}`,
  ];
  return [
    '<header class="top">',
    `<p class="verdict ${verdict[0]}" role="status">${escapeHtml(verdict[1]!)}</p>`,
    `<h1><span class="brand">portlab</span> ${escapeHtml(s.name)}</h1>`,
    s.description ? `<p class="description">${escapeHtml(s.description)}</p>` : '',
    `<p class="meta">${meta.map(escapeHtml).join(' · ')}</p>`,
    '</header>',
  ].join('\n');
}

/** The one-sentence diagnosis, set apart so it is read first. */
export function diagnosisSection(summary: RunSummary): string {
  return section('diagnosis', 'Diagnosis', `<p>${escapeHtml(summary.diagnosis)}</p>`, `diagnosis ${summary.onset ? 'exhausted' : 'healthy'}`);
}

/** The same key figures as report.md. */
export function figuresSection(summary: RunSummary): string {
  return section('figures', 'Key figures', table('figures', null, keyFigures(summary).map((f) => [f.label, f.value])));
}

/** Each expectation with a pass/fail badge and its measured detail. */
export function expectationsSection(summary: RunSummary): string {
  if (summary.expectations.length === 0) {
    return section('expectations', 'Expectations', '<p class="muted">The scenario sets no expectations (add an <code>expect:</code> block to gate CI on this run).</p>');
  }
  const rows: Cell[][] = summary.expectations.map((e) => [
    e.name,
    { html: `<span class="badge ${e.pass ? 'pass' : 'fail'}">${e.pass ? '✓ pass' : '✗ fail'}</span>` },
    e.detail,
  ]);
  return section('expectations', 'Expectations', table('expectations', ['Expectation', 'Result', 'Measured'], rows));
}

function capacityText(p: Prediction): string {
  return `${formatCount(p.capacity)} usable (${formatCount(p.usablePortsPerTuple)} ports × ${p.tuples} tuple${p.tuples === 1 ? '' : 's'})`;
}

/** Measured onset beside the model's prediction. */
export function onsetSection(summary: RunSummary): string {
  const { onset, prediction: p } = summary;
  const predicted = predictedOnsetMs(summary);
  const rows: Cell[][] = [
    ['First failure', onset ? `${onset.code} at ${formatAtMs(onset.atMs)}` : 'none', predicted === null ? 'none' : formatAtMs(predicted)],
    ['Client TIME_WAIT then', onset ? ofRange(onset.clientTimeWait, summary) : '–', `${formatCount(p.steadyStateClientTimeWait)} at steady state`],
    ['Ports in use then', onset ? ofRange(onset.portsInUse, summary) : '–', `needs ${formatCount(p.portsNeeded)} of ${capacityText(p)}`],
    ['Arrival rate then', onset ? formatRate(onset.ratePerSec) : '–', sustainableText(p)],
    ['Range use', `${ofRange(summary.peak.portsInUse, summary)} at peak`, `${formatPct(p.utilizationPct)} at steady state`],
  ];
  const advice = p.advice ? `<p class="advice">${escapeHtml(p.advice)}</p>` : '';
  const notes = p.notes.length > 0 ? `<ul class="notes">${p.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>` : '';
  return section('onset', 'Onset: measured vs predicted', table('onset', ['', 'Measured', 'Model'], rows) + advice + notes);
}

function errorRows(label: string, errors: ErrorCounts, total: number): Cell[][] {
  return sortedErrorCodes(errors).map((code) => {
    const count = errors[code] ?? 0;
    return [code, label, formatCount(count), total > 0 ? formatPct((count / total) * 100) : '–'];
  });
}

/** Errors by code, connect errors first, then request errors. */
export function errorsSection(summary: RunSummary): string {
  const t = summary.totals;
  const rows = [...errorRows('connect', t.errors, t.attempts), ...errorRows('request', t.requestErrors, t.requests)];
  const body = rows.length === 0 ? '<p class="muted">No errors.</p>' : table('errors', ['Code', 'Stage', 'Count', 'Share'], rows);
  return section('errors', 'Errors by code', body);
}

function percentileRow(label: string, p: Percentiles | null): Cell[] {
  if (!p || p.count === 0) return [label, '0', '–', '–', '–', '–', '–'];
  return [label, formatCount(p.count), ...[p.p50, p.p90, p.p99, p.max, p.mean].map(formatLatencyUs)];
}

/** Latency percentiles over the whole run. */
export function latencySection(summary: RunSummary): string {
  const l = summary.latency;
  const rows = [percentileRow('connect', l.connectUs), percentileRow('request', l.requestUs), percentileRow('schedule lag', l.scheduleLagUs)];
  return section('latency', 'Latency', table('latency', ['', 'Count', 'p50', 'p90', 'p99', 'Max', 'Mean'], rows));
}

/** Lab kind, port range, effective sysctls and the lab's notes. */
export function labSection(summary: RunSummary): string {
  const lab = summary.lab;
  const sysctlRows: Cell[][] = Object.keys(lab.sysctls)
    .sort()
    .map((key) => [key, lab.sysctls[key]!.replace(/\t/g, ' ')]);
  const parts = [
    `<p>Kind <strong>${escapeHtml(lab.kind)}</strong>, ephemeral ports <strong>${lab.portRange.low}–${lab.portRange.high}</strong> (${formatCount(lab.portRange.size)} ports).</p>`,
    sysctlRows.length > 0 ? table('sysctls', ['Sysctl', 'Effective value'], sysctlRows, 'Read back inside the lab') : '',
    lab.notes.length > 0 ? `<ul class="notes">${lab.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>` : '',
  ];
  return section('lab', 'Lab', parts.join(''));
}

/** How the load was shaped. */
export function scenarioSection(summary: RunSummary): string {
  const s = summary.scenario;
  const stages = s.stages.map((st) => `${formatRate(st.ratePerSec)} for ${formatDurationMs(st.durationMs)}`).join(', then ');
  const rows: Cell[][] = [
    ['Pattern', s.pattern === 'pool' ? `pool of ${s.poolSize ?? '?'} persistent connections` : `churn, a new connection per request; close: ${s.close}`],
    ['Protocol / engine', `${s.protocol} / ${s.engine}`],
    ['Rate', stages || formatRate(s.ratePerSec)],
    ['Workers', String(s.workers)],
    ['Source addresses', s.sourceAddresses.join(', ')],
    ['Destinations', s.destinations.join(', ')],
    ['Skipped starts (maxInFlight)', formatCount(summary.totals.skipped)],
  ];
  const netstat = Object.keys(summary.netstat)
    .filter((k) => summary.netstat[k] !== 0)
    .sort()
    .map((k): Cell[] => [k, trimNumber(summary.netstat[k]!, 0)]);
  const counters = netstat.length > 0 ? table('netstat', ['TcpExt counter', 'Change'], netstat, 'Kernel counters over the run') : '';
  return section('scenario', 'Scenario', table('scenario', null, rows) + counters);
}
