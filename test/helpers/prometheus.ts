/**
 * A strict parser of the Prometheus text exposition format (0.0.4), as scrapers read it: HELP and TYPE
 * lines, samples with escaped label values, float values (NaN, +Inf, -Inf), optional timestamps. It throws
 * on anything the format does not allow: a bad name, an unknown escape, a TYPE after its samples or twice,
 * a family split in two, a repeated series or label, a missing final newline.
 */

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

export interface PromFamily {
  name: string;
  help?: string;
  type?: string;
  samples: PromSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function fail(lineNo: number, message: string): never {
  throw new Error(`line ${lineNo}: ${message}`);
}

function parseValue(text: string, lineNo: number): number {
  if (text === 'NaN') return NaN;
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) fail(lineNo, `not a float: "${text}"`);
  return Number(text);
}

/** Family of a sample name: histogram and summary samples carry suffixes. */
function familyOf(name: string, families: Map<string, PromFamily>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    const base = name.slice(0, -suffix.length);
    if (name.endsWith(suffix) && ['histogram', 'summary'].includes(families.get(base)?.type ?? '')) return base;
  }
  return name;
}

function parseSample(line: string, lineNo: number): PromSample {
  let i = 0;
  while (i < line.length && /[a-zA-Z0-9_:]/.test(line[i]!)) i++;
  const name = line.slice(0, i);
  if (!METRIC_NAME.test(name)) fail(lineNo, `bad metric name "${name}"`);
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    for (;;) {
      if (line[i] === '}') {
        i++;
        break;
      }
      const start = i;
      while (i < line.length && /[a-zA-Z0-9_]/.test(line[i]!)) i++;
      const label = line.slice(start, i);
      if (!LABEL_NAME.test(label) || label.startsWith('__')) fail(lineNo, `bad label name "${label}"`);
      if (label in labels) fail(lineNo, `label "${label}" twice`);
      if (line[i] !== '=' || line[i + 1] !== '"') fail(lineNo, `expected ="..." after ${label}`);
      i += 2;
      let value = '';
      for (;;) {
        const c = line[i];
        if (c === undefined) fail(lineNo, 'unterminated label value');
        if (c === '"') break;
        if (c === '\\') {
          const next = line[i + 1];
          if (next === '\\') value += '\\';
          else if (next === '"') value += '"';
          else if (next === 'n') value += '\n';
          else fail(lineNo, `unknown escape \\${next ?? ''}`);
          i += 2;
        } else {
          value += c;
          i++;
        }
      }
      i++;
      labels[label] = value;
      if (line[i] === ',') i++;
      else if (line[i] !== '}') fail(lineNo, 'expected , or } after a label');
    }
  }
  const rest = line.slice(i);
  if (!rest.startsWith(' ')) fail(lineNo, 'expected a space before the value');
  const parts = rest.trim().split(/\s+/);
  if (parts.length < 1 || parts.length > 2) fail(lineNo, 'expected a value and an optional timestamp');
  const sample: PromSample = { name, labels, value: parseValue(parts[0]!, lineNo) };
  if (parts[1] !== undefined) {
    if (!/^-?\d+$/.test(parts[1])) fail(lineNo, `bad timestamp "${parts[1]}"`);
    sample.timestampMs = Number(parts[1]);
  }
  return sample;
}

/** Parses the whole exposition; throws Error("line N: ...") on the first violation. */
export function parsePrometheusText(text: string): Map<string, PromFamily> {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, PromFamily>();
  const seriesSeen = new Set<string>();
  const closed = new Set<string>();
  let current: string | null = null;
  const enter = (name: string, lineNo: number): PromFamily => {
    if (current !== name) {
      if (closed.has(name)) fail(lineNo, `family ${name} continues after another family`);
      if (current !== null) closed.add(current);
      current = name;
    }
    let family = families.get(name);
    if (!family) families.set(name, (family = { name, samples: [] }));
    return family;
  };
  text.split('\n').forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const match = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line);
      if (!match) return;
      const [, keyword, name, rest = ''] = match;
      if (!METRIC_NAME.test(name!)) fail(lineNo, `bad metric name "${name}"`);
      const family = enter(name!, lineNo);
      if (keyword === 'HELP') {
        if (family.help !== undefined) fail(lineNo, `second HELP for ${name}`);
        if (/\\[^\\n]/.test(rest.replace(/\\\\/g, ''))) fail(lineNo, 'unknown escape in HELP');
        family.help = rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      } else {
        if (family.type !== undefined) fail(lineNo, `second TYPE for ${name}`);
        if (family.samples.length > 0) fail(lineNo, `TYPE for ${name} after its samples`);
        if (!TYPES.has(rest.trim())) fail(lineNo, `unknown type "${rest}"`);
        family.type = rest.trim();
      }
      return;
    }
    const sample = parseSample(line, lineNo);
    const family = enter(familyOf(sample.name, families), lineNo);
    const key = `${sample.name}{${Object.entries(sample.labels).sort().map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
    if (seriesSeen.has(key)) fail(lineNo, `series ${key} twice`);
    seriesSeen.add(key);
    family.samples.push(sample);
  });
  return families;
}

/** The one sample of `name` whose labels include `labels`; throws when there is none or more than one. */
export function sampleOf(families: Map<string, PromFamily>, name: string, labels: Record<string, string> = {}): PromSample {
  const matches = (families.get(name)?.samples ?? []).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (matches.length !== 1) throw new Error(`${matches.length} samples of ${name} ${JSON.stringify(labels)}`);
  return matches[0]!;
}
