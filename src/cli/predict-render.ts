/** The human output of `portlab predict`: a short aligned table, then the advice and any notes. */
import { formatAboutMs, formatRatePerSec } from '../model/advice.js';
import type { OsPreset } from '../model/presets.js';
import { trimNumber } from '../util/units.js';
import type { PredictReport } from './predict.js';

const WIDTH = 100;

function count(value: number): string {
  return trimNumber(value, 0);
}

function plural(n: number, word: string): string {
  return `${count(n)} ${word}${n === 1 ? '' : word.endsWith('s') ? 'es' : 's'}`;
}

/** Greedy word wrap; the first line carries `first`, the rest are indented to match. */
function wrap(text: string, first = '', indent = ''): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(/\s+/)) {
    if (line.length > first.length && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = indent + word;
    } else {
      line = line.length === 0 || line === first ? line + word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}

function describeLoad({ input, prediction }: PredictReport): string {
  const rate = formatRatePerSec(input.ratePerSec);
  if (prediction.pattern === 'pool') return `${rate} over a pool of ${count(input.poolSize ?? 0)} connections`;
  const closer = input.closer ?? 'client';
  const how = closer === 'reset' ? 'ended with RST' : closer === 'never' ? 'never closed (a leak)' : `${closer} closes first`;
  return `${rate}, a new connection each, ${how}`;
}

/** The table, the advice and the notes, ending in a newline. */
export function renderPrediction(report: PredictReport, os: OsPreset): string {
  const { input, prediction: p } = report;
  const range = input.portRange;
  const lost = range.size - p.usablePortsPerTuple;
  const rangeText =
    `${range.low}-${range.high} (${count(range.size)} ports` +
    (lost > 0 ? `; ${count(p.usablePortsPerTuple)} usable: odd-sized ranges lose one)` : ')');
  const twParts = [`${count(p.steadyStateClientTimeWait)} client`];
  if (p.steadyStateClientTimeWait > 0) {
    const uncapped = p.steadyStateClientTimeWait === input.ratePerSec * (input.timeWaitMs / 1000);
    twParts[0] += uncapped ? ` (${formatRatePerSec(input.ratePerSec)} x ${trimNumber(input.timeWaitMs / 1000)} s)` : ' (capped)';
  }
  if (p.steadyStateServerTimeWait > 0) twParts.push(`${count(p.steadyStateServerTimeWait)} server`);
  const twSec = trimNumber(input.timeWaitMs / 1000);
  const rows: [string, string][] = [
    ['os preset', `${os.name}, TIME_WAIT ${twSec} s`],
    ['port range', rangeText],
    ['ports per tuple', count(p.usablePortsPerTuple)],
    ['tuples', `${count(p.tuples)} (${plural(input.destinations, 'destination')} x ${plural(input.sourceAddresses, 'source address')})`],
    ['capacity', `${count(p.capacity)} ports`],
    ['TIME_WAIT, steady', twParts.join(', ')],
    ['ports needed', `${count(p.portsNeeded)} of ${count(p.capacity)} (${trimNumber(p.utilizationPct)}%)`],
    ['exhausts', p.exhausts ? 'yes' : 'no'],
    ['first failure', p.timeToFirstFailureMs === null ? 'never' : after(p.timeToFirstFailureMs)],
    [
      'max sustainable rate',
      p.maxSustainableRatePerSec === null ? 'not limited by ports' : formatRatePerSec(p.maxSustainableRatePerSec),
    ],
  ];
  const labelWidth = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = [`portlab predict: ${describeLoad(report)}`, ''];
  for (const [label, value] of rows) lines.push(`  ${label.padEnd(labelWidth)}${value}`);
  lines.push('', ...wrap(p.advice));
  for (const note of p.notes) lines.push(...wrap(note, 'note: ', '      '));
  return `${lines.join('\n')}\n`;
}

function after(ms: number): string {
  return ms === 0 ? 'immediately' : `after ~${formatAboutMs(ms)}`;
}
