/**
 * Claim files (scenarios/claims/*.yaml): a compare file (base or scenario, matrix, variants) plus what
 * makes it a claim: the sentence, its source, the expected verdict, the kernel behaviour, probe cells for
 * what a load cannot show, and per verdict the checks that decide it. Every problem is located in the file,
 * the compare part's by the compare-file checker itself.
 */
import { checkCompareText, parseMappingFile, Problems, type CellPlan } from '../config/compare-file.js';
import { isError, sortProblems, type LocatedProblem } from '../config/problems.js';
import { didYouMean } from '../util/suggest.js';
import { ExpressionError, parseCheck, parseValue, refsOf, type ValueExpr } from './expression.js';
import { isRunFigure, RUN_FIGURES } from './figures.js';
import { PROBE_FIGURES, PROBE_TABLE_FIGURES } from './probe/kinds.js';
import { PROBE_KINDS, VERDICTS, type Check, type ClaimDef, type ProbeKind, type ProbeSpec, type TemplatePart, type Verdict } from './types.js';

const CLAIM_KEYS = ['id', 'title', 'claim', 'source', 'expected', 'behaviour', 'caveat', 'note', 'pending', 'measured', 'figures', 'probes', 'verdicts'] as const;
const COMPARE_KEYS = ['base', 'scenario', 'matrix', 'variants'] as const;
const PROBE_KEYS = ['name', 'kind', 'sysctls', 'connections', 'bindPort', 'rangeSize', 'rounds'] as const;
/** A probe opens at most this many connections, one after another. */
const MAX_PROBE_CONNECTIONS = 1000;
/** range-fill: the rounds' ranges must fit between 40000 and 60999 (probes.ts). */
const MAX_FILL_RANGE = 100;
const MAX_FILL_ROUNDS = 200;
const NAME_RE = /^[A-Za-z0-9._=,-]+$/;

/** The figures a cell table shows for run cells when the claim names none. */
export const RUN_TABLE_FIGURES = ['connected', 'errors', 'onsetS', 'peakClientTimeWait'] as const;

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
type Path = (string | number)[];

export interface ClaimCheck {
  claim?: ClaimDef;
  problems: LocatedProblem[];
}

export interface ClaimInput {
  text: string;
  fileName: string;
  readFile?: (path: string) => string;
}

/** A cell as checks see it: its kind decides which figures it has. */
type CellKinds = Map<string, 'run' | ProbeKind>;

function text(doc: Record<string, unknown>, key: string, problems: Problems, required: boolean): string | undefined {
  const value = doc[key];
  if (value === undefined) {
    if (required) problems.error([], `a claim needs ${key}:`);
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    problems.error([key], `expected ${key}: to be text`);
    return undefined;
  }
  return value.trim();
}

/** The probe cells; null when one of them did not check out (its problems are in `problems`). */
function probeSpecs(value: unknown, problems: Problems): ProbeSpec[] | null {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.error(['probes'], 'expected a list of probes, like - { name: order, kind: ports-chosen }');
    return null;
  }
  const specs = value.flatMap((probe, i): ProbeSpec[] => {
    const at = (...rest: Path): Path => ['probes', i, ...rest];
    if (!isMap(probe)) {
      problems.error(at(), 'expected a probe: { name, kind, sysctls, ... }');
      return [];
    }
    for (const key of Object.keys(probe)) {
      if ((PROBE_KEYS as readonly string[]).includes(key)) continue;
      const guess = didYouMean(key, PROBE_KEYS);
      problems.error(at(key), `unknown key "${key}" in a probe${guess ? `; did you mean "${guess}"?` : ''}`, true);
    }
    let ok = true;
    const fail = (path: Path, message: string, atKey = false): void => {
      problems.error(path, message, atKey);
      ok = false;
    };
    if (typeof probe.name !== 'string' || !NAME_RE.test(probe.name)) fail(at('name'), 'a probe needs a name (letters, digits, ".", "_", "=", ",", "-")');
    if (!(PROBE_KINDS as readonly unknown[]).includes(probe.kind)) fail(at('kind'), `expected a probe kind: ${PROBE_KINDS.join(', ')}`);
    const sysctls: Record<string, string> = {};
    if (probe.sysctls !== undefined && !isMap(probe.sysctls)) fail(at('sysctls'), 'expected a mapping of net.* sysctls to values');
    for (const [key, v] of Object.entries(isMap(probe.sysctls) ? probe.sysctls : {})) {
      if (!/^net\.[a-z0-9_.-]+$/.test(key)) fail(at('sysctls', key), 'only net.* sysctls can be set in a lab', true);
      else if (typeof v !== 'string' && typeof v !== 'number') fail(at('sysctls', key), 'expected a sysctl value (a string or a number)');
      else sysctls[key] = String(v);
    }
    const count = (key: 'connections' | 'bindPort' | 'rangeSize' | 'rounds', min: number, max: number): number | undefined => {
      const v = probe[key];
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(at(key), `expected a whole number from ${min} to ${max}`);
      return typeof v === 'number' ? v : undefined;
    };
    const connections = count('connections', 1, MAX_PROBE_CONNECTIONS);
    const bindPort = count('bindPort', 1, 65535);
    const rangeSize = count('rangeSize', 2, MAX_FILL_RANGE);
    const rounds = count('rounds', 1, MAX_FILL_ROUNDS);
    if (probe.kind === 'bind-in-range' && probe.bindPort === undefined) fail(at(), 'a bind-in-range probe needs bindPort: the port the service binds');
    if (probe.kind === 'range-fill' && (probe.rangeSize === undefined || probe.rounds === undefined)) fail(at(), 'a range-fill probe needs rangeSize: and rounds:');
    if (!ok) return [];
    return [{ name: String(probe.name), kind: probe.kind as ProbeKind, sysctls, connections, bindPort, rangeSize, rounds }];
  });
  return specs.length === value.length ? specs : null;
}

function isFigureOf(kind: 'run' | ProbeKind, figure: string): boolean {
  return kind === 'run' ? isRunFigure(figure) : figure in PROBE_FIGURES[kind];
}

/**
 * Checks every figure reference of an expression against the claim's cells; false when one is wrong. Null
 * cells: the compare part has problems of its own, and references to its cells cannot be judged.
 */
function checkRefs(expr: Parameters<typeof refsOf>[0], cells: CellKinds | null, path: Path, problems: Problems): boolean {
  if (cells === null) return true;
  let ok = true;
  for (const ref of refsOf(expr)) {
    const only = cells.size === 1 ? [...cells.keys()][0]! : undefined;
    const cell = ref.cell ?? only;
    if (cell === undefined) {
      problems.error(path, `"${ref.figure}" needs its cell: ${ref.figure}[CELL], one of ${[...cells.keys()].join(', ')}`);
      ok = false;
      continue;
    }
    const kind = cells.get(cell);
    if (kind === undefined) {
      const guess = didYouMean(cell, [...cells.keys()]);
      problems.error(path, `no cell is named "${cell}"${guess ? `; did you mean "${guess}"?` : `; the cells are ${[...cells.keys()].join(', ')}`}`);
      ok = false;
    } else if (!isFigureOf(kind, ref.figure)) {
      const names = kind === 'run' ? Object.keys(RUN_FIGURES) : Object.keys(PROBE_FIGURES[kind]);
      const guess = didYouMean(ref.figure, names);
      problems.error(path, `"${ref.figure}" is not a figure of ${kind === 'run' ? 'a run' : `a ${kind} probe`}${guess ? `; did you mean "${guess}"?` : ''}`);
      ok = false;
    }
  }
  return ok;
}

function expressionProblem(err: unknown, source: string, path: Path, problems: Problems): void {
  if (!(err instanceof ExpressionError)) throw err;
  problems.error(path, `${err.message} (at column ${err.offset + 1} of "${source}")`);
}

function verdictChecks(value: unknown, cells: CellKinds | null, problems: Problems): ClaimDef['verdicts'] {
  if (!isMap(value) || Object.keys(value).length === 0) {
    problems.error(['verdicts'], `expected a mapping of verdicts (${VERDICTS.join(', ')}) to lists of checks`);
    return [];
  }
  return Object.entries(value).flatMap(([verdict, list]): ClaimDef['verdicts'] => {
    if (!(VERDICTS as readonly string[]).includes(verdict)) {
      const guess = didYouMean(verdict, VERDICTS);
      problems.error(['verdicts', verdict], `"${verdict}" is not a verdict (${VERDICTS.join(', ')})${guess ? `; did you mean "${guess}"?` : ''}`, true);
      return [];
    }
    if (!Array.isArray(list) || list.length === 0) {
      problems.error(['verdicts', verdict], 'expected a list of checks, like - connected[a] == connected[b]');
      return [];
    }
    const checks = list.flatMap((item, i): Check[] => {
      const path = ['verdicts', verdict, i];
      if (typeof item !== 'string') {
        problems.error(path, 'expected a check as text, like "onsetMs[a] within 10% of onsetMs[b]"');
        return [];
      }
      try {
        const expr = parseCheck(item);
        return checkRefs(expr, cells, path, problems) ? [{ text: item.trim(), expr }] : [];
      } catch (err) {
        expressionProblem(err, item, path, problems);
        return [];
      }
    });
    return [{ verdict: verdict as Verdict, checks }];
  });
}

/** "onset {onsetS[a]} s" -> text and expressions; located problems for bad ones. */
function template(value: string, cells: CellKinds | null, problems: Problems): TemplatePart[] {
  const parts: TemplatePart[] = [];
  for (const piece of value.split(/(\{[^{}]*\})/)) {
    if (!piece.startsWith('{') || !piece.endsWith('}')) {
      if (piece !== '') parts.push({ text: piece });
      continue;
    }
    const source = piece.slice(1, -1);
    try {
      const expr: ValueExpr = parseValue(source);
      if (checkRefs(expr, cells, ['measured'], problems)) parts.push({ expr, source });
    } catch (err) {
      expressionProblem(err, source, ['measured'], problems);
    }
  }
  return parts;
}

function tableFigures(value: unknown, cells: CellKinds, problems: Problems): string[] {
  const kinds = new Set(cells.values());
  if (value === undefined) {
    return [...new Set([...(kinds.has('run') ? RUN_TABLE_FIGURES : []), ...[...kinds].flatMap((k) => (k === 'run' ? [] : PROBE_TABLE_FIGURES[k]))])];
  }
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    problems.error(['figures'], 'expected a list of figure names, like [connected, onsetS]');
    return [];
  }
  return value.filter((figure: string, i) => {
    if ([...kinds].some((kind) => isFigureOf(kind, figure))) return true;
    problems.error(['figures', i], `"${figure}" is not a figure of any cell of this claim`);
    return false;
  });
}

function expectedVerdict(doc: Record<string, unknown>, problems: Problems): Verdict | undefined {
  const value = doc.expected;
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (VERDICTS as readonly string[]).includes(value)) return value as Verdict;
  problems.error(['expected'], `expected one of ${VERDICTS.join(', ')}`);
  return undefined;
}

/** The compare part's cells; null when it has one and it did not check out. */
function compareCells(doc: Record<string, unknown>, input: ClaimInput, problems: Problems): CellPlan[] | null {
  if (!COMPARE_KEYS.some((k) => k in doc)) {
    for (const key of Object.keys(doc)) {
      const known = [...CLAIM_KEYS, 'name', 'description'];
      if (known.includes(key)) continue;
      const guess = didYouMean(key, [...known, ...COMPARE_KEYS]);
      problems.error([key], `unknown key "${key}" in a claim${guess ? `; did you mean "${guess}"?` : ''}`, true);
    }
    return [];
  }
  const checked = checkCompareText({ text: input.text, fileName: input.fileName, readFile: input.readFile, extraKeys: CLAIM_KEYS });
  problems.list.push(...checked.problems);
  return checked.plan?.cells ?? null;
}

/** True when a parsed document is a claim file (so `portlab validate` checks it as one). */
export function isClaimDocument(value: unknown): boolean {
  return isMap(value) && 'claim' in value && ('verdicts' in value || 'pending' in value || 'expected' in value);
}

/** Checks a claim file and builds its definition; every problem located. Pure but for `readFile`. */
export function checkClaimText(input: ClaimInput): ClaimCheck {
  const { problems, doc } = parseMappingFile(input.text, input.fileName, 'a claim file must be a mapping with id:, claim:, source:, expected:, verdicts: and cells (base:, probes:)');
  if (!doc) return { problems: problems.list };
  const id = doc.id;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1) problems.error(doc.id === undefined ? [] : ['id'], 'a claim needs id: a whole number from 1 (its place in the catalog)');
  const title = text(doc, 'title', problems, true);
  const claim = text(doc, 'claim', problems, true);
  const sourceText = text(doc, 'source', problems, true);
  const behaviour = text(doc, 'behaviour', problems, true);
  const caveat = text(doc, 'caveat', problems, false);
  const note = text(doc, 'note', problems, false);
  const pending = text(doc, 'pending', problems, false);
  const expected = expectedVerdict(doc, problems);
  const cells = compareCells(doc, input, problems);
  const probes = probeSpecs(doc.probes, problems);
  const kinds: CellKinds = new Map((cells ?? []).map((c) => [c.name, 'run' as const]));
  for (const [i, probe] of (probes ?? []).entries()) {
    if (kinds.has(probe.name)) problems.error(['probes', i, 'name'], `two cells are named "${probe.name}"`);
    kinds.set(probe.name, probe.kind);
  }
  let verdicts: ClaimDef['verdicts'] = [];
  let measured: TemplatePart[] = [];
  let figures: string[] = [];
  if (pending !== undefined) {
    for (const key of ['expected', 'verdicts', 'probes', ...COMPARE_KEYS]) if (key in doc) problems.error([key], 'a pending claim runs nothing: drop this key or the pending: line', true);
  } else {
    if (expected === undefined && doc.expected === undefined) problems.error([], `a claim needs expected: (${VERDICTS.join(', ')})`);
    if (kinds.size === 0 && cells !== null && probes !== null) problems.error([], 'a claim needs cells: base: or scenario: (with matrix: or variants:), or probes:');
    // A cell that did not check out leaves checks and figures that name it unjudgeable: no second problem.
    const checkable = cells === null || probes === null ? null : kinds;
    verdicts = verdictChecks(doc.verdicts, checkable, problems);
    measured = typeof doc.measured === 'string' ? template(doc.measured, checkable, problems) : [];
    if (doc.measured !== undefined && typeof doc.measured !== 'string') problems.error(['measured'], 'expected a sentence with {figure[cell]} in it');
    figures = checkable === null ? [] : tableFigures(doc.figures, kinds, problems);
    const caveatNamed = expected === 'confirmed-with-caveat' || verdicts.some((v) => v.verdict === 'confirmed-with-caveat');
    if (caveatNamed && caveat === undefined) problems.error([], 'a claim that can be confirmed with a caveat needs caveat: (when it does not hold)');
    if (expected !== undefined && verdicts.length > 0 && !verdicts.some((v) => v.verdict === expected)) {
      problems.error(['expected'], `no checks under verdicts: decide "${expected}"`);
    }
  }
  const sorted = sortProblems(problems.list);
  if (sorted.some(isError)) return { problems: sorted };
  const def: ClaimDef = {
    id: id as number,
    file: input.fileName,
    title: title!,
    claim: claim!,
    source: sourceText!,
    behaviour: behaviour!,
    caveat,
    note,
    pending,
    expected,
    measured,
    figures,
    cells: cells ?? [],
    probes: probes ?? [],
    verdicts,
  };
  return { claim: def, problems: sorted };
}
