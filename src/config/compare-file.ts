/**
 * Compare files: one base scenario and the variants to run beside it. `matrix:` crosses values keyed by
 * `portlab run` flag names (one vocabulary for files, flags and --set), `variants:` lists named partial
 * scenarios, `expect:` adds expectations to the cells a `when:` matches. Every problem is located in the
 * compare file (or at --set), and every cell is validated as the scenario it will run.
 */
import { dirname, resolve as resolvePath } from 'node:path';
import { overridesForFlag, scenarioFlagNames, type FlagOverride } from './flags.js';
import { checkDocument, readScenarioFile, sourceProblems, type CheckResult } from './loader.js';
import { capProblems, isError, sortProblems, type LocatedProblem } from './problems.js';
import { parseScenarioSource, type ScenarioSource } from './source.js';
import type { Scenario } from './types.js';
import { didYouMean } from '../util/suggest.js';

/** More cells than this is a typo in a matrix, not a comparison anyone reads. */
export const MAX_CELLS = 64;

const TOP_KEYS = ['name', 'description', 'scenario', 'base', 'matrix', 'variants', 'expect'] as const;
const FLAG_NAMES: readonly string[] = scenarioFlagNames();

export type Scalar = string | number | boolean;

/** One axis value or variant as it applies to a cell: the overrides and how the cell's name shows it. */
interface Choice {
  label: string;
  /** flag -> value as written, for compare.json's `overrides`. */
  flags: Record<string, string>;
  overrides: FlagOverride[];
  variant?: string;
}

/** One cell of a comparison, validated. */
export interface CellPlan {
  name: string;
  overrides: Record<string, string>;
  variant: string | null;
  scenario: Scenario;
}

export interface ComparePlan {
  name: string;
  description: string;
  cells: CellPlan[];
  warnings: LocatedProblem[];
}

export interface CompareCheck {
  plan?: ComparePlan;
  problems: LocatedProblem[];
}

/** A `--set FLAG=V1,V2` axis from the command line. */
export interface SetAxis {
  flag: string;
  values: string[];
}

/** True when a parsed document is a compare file rather than a scenario. */
export function isCompareDocument(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && ['matrix', 'variants', 'base', 'scenario'].some((k) => k in value);
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Located problems of one file (a compare file, or a claim file built on one). */
export class Problems {
  readonly list: LocatedProblem[] = [];
  constructor(
    private readonly fileName: string,
    private readonly source: ScenarioSource | undefined,
  ) {}
  at(path: (string | number)[], atKey = false): string {
    const found = this.source?.positionOf(path, atKey);
    return found ? `${this.fileName}:${found.line}:${found.col}` : this.fileName;
  }
  error(path: (string | number)[], message: string, atKey = false): void {
    const found = this.source?.positionOf(path, atKey);
    this.list.push({ severity: 'error', path, message, location: this.at(path, atKey), file: this.fileName, line: found?.line, col: found?.col });
  }
}

/** A flag's value as one override, located where it was written. */
function flagOverrides(flag: string, value: Scalar, location: string): FlagOverride[] {
  return overridesForFlag(flag, String(value)).map((o) => ({ ...o, flag: location }));
}

function checkFlagName(flag: string, path: (string | number)[], problems: Problems): boolean {
  if (FLAG_NAMES.includes(flag)) return true;
  const guess = didYouMean(flag, FLAG_NAMES);
  problems.error(path, `"${flag}" is not a \`portlab run\` flag${guess ? `; did you mean "${guess}"?` : ''}`, true);
  return false;
}

/** Leaves of a partial scenario as overrides located in the compare file (lists are leaves). */
function leafOverrides(value: unknown, path: string[], at: (p: (string | number)[]) => string, prefix: (string | number)[]): FlagOverride[] {
  if (!isMap(value)) return [{ path, value, flag: at([...prefix, ...path]) }];
  return Object.entries(value).flatMap(([key, inner]) => leafOverrides(inner, [...path, key], at, prefix));
}

function matrixAxes(matrix: unknown, problems: Problems): Choice[][] {
  if (matrix === undefined) return [];
  if (!isMap(matrix)) {
    problems.error(['matrix'], 'expected a mapping of flag names to lists of values, like { tw-reuse: [0, 1] }');
    return [];
  }
  return Object.entries(matrix).flatMap(([flag, values]) => {
    if (!checkFlagName(flag, ['matrix', flag], problems)) return [];
    const list = Array.isArray(values) ? values : [values];
    if (list.length === 0) {
      problems.error(['matrix', flag], 'expected at least one value');
      return [];
    }
    return [
      list.flatMap((value, i): Choice[] => {
        const path = Array.isArray(values) ? ['matrix', flag, i] : ['matrix', flag];
        if (!isScalar(value)) {
          problems.error(path, 'expected a value as you would give it to the flag, like 1 or "100/s"');
          return [];
        }
        return [{ label: `${flag}=${value}`, flags: { [flag]: String(value) }, overrides: flagOverrides(flag, value, problems.at(path)) }];
      }),
    ];
  });
}

function variantAxis(variants: unknown, problems: Problems): Choice[] | null {
  if (variants === undefined) return null;
  if (!Array.isArray(variants) || variants.length === 0) {
    problems.error(['variants'], 'expected a list of named partial scenarios, like - { name: pool-10, client: { pattern: pool } }');
    return null;
  }
  const seen = new Set<string>();
  return variants.flatMap((variant, i): Choice[] => {
    if (!isMap(variant) || typeof variant.name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(variant.name)) {
      problems.error(['variants', i], 'each variant needs a name (letters, digits, ".", "_", "-") and the keys it changes');
      return [];
    }
    if (seen.has(variant.name)) problems.error(['variants', i, 'name'], `variant "${variant.name}" is named twice`);
    seen.add(variant.name);
    const { name, ...partial } = variant;
    const overrides = leafOverrides(partial, [], (p) => problems.at(p), ['variants', i]);
    return [{ label: name, flags: {}, overrides, variant: name }];
  });
}

function setAxes(set: readonly SetAxis[], problems: Problems): Choice[][] {
  return set.map(({ flag, values }) => {
    const where = `--set ${flag}`;
    if (!FLAG_NAMES.includes(flag)) {
      const guess = didYouMean(flag, FLAG_NAMES);
      problems.list.push({ severity: 'error', path: [], location: where, flag: where, message: `"${flag}" is not a \`portlab run\` flag${guess ? `; did you mean "${guess}"?` : ''}` });
      return [];
    }
    return values.map((value) => ({ label: `${flag}=${value}`, flags: { [flag]: value }, overrides: flagOverrides(flag, value, where) }));
  });
}

/** Every combination, one choice from each axis, in axis order. */
function cross(axes: Choice[][]): Choice[][] {
  return axes.reduce<Choice[][]>((combos, axis) => combos.flatMap((combo) => axis.map((choice) => [...combo, choice])), [[]]);
}

interface ExpectRule {
  when: Record<string, string>;
  overrides: FlagOverride[];
}

function expectRules(expect: unknown, problems: Problems): ExpectRule[] {
  if (expect === undefined) return [];
  if (!Array.isArray(expect)) {
    problems.error(['expect'], 'expected a list of expectations, each with an optional `when: { FLAG: VALUE }`');
    return [];
  }
  return expect.flatMap((rule, i): ExpectRule[] => {
    if (!isMap(rule)) {
      problems.error(['expect', i], 'expected expectation keys (eaddrnotavail, maxErrors ...) and an optional when');
      return [];
    }
    const { when = {}, ...keys } = rule;
    const conditions: Record<string, string> = {};
    if (!isMap(when)) problems.error(['expect', i, 'when'], 'expected a mapping of flag names to values, like { tw-reuse: 0 }');
    else for (const [flag, value] of Object.entries(when)) if (checkFlagName(flag, ['expect', i, 'when', flag], problems)) conditions[flag] = String(value);
    const overrides = Object.entries(keys).map(([key, value]): FlagOverride => ({ path: ['expect', key], value, flag: problems.at(['expect', i, key]) }));
    return [{ when: conditions, overrides }];
  });
}

/** A view of the compare file's `base:` mapping as if it were a scenario file of its own. */
function baseView(source: ScenarioSource): ScenarioSource {
  return { ...source, positionOf: (path, atKey) => source.positionOf(['base', ...path], atKey) };
}

interface Base {
  document: Record<string, unknown>;
  fileName: string;
  source?: ScenarioSource;
}

function baseOf(doc: Record<string, unknown>, fileName: string, source: ScenarioSource, problems: Problems, readFile?: (p: string) => string): Base | null {
  if (doc.scenario !== undefined && doc.base !== undefined) problems.error(['base'], 'give either scenario: (a file) or base: (inline), not both', true);
  if (typeof doc.scenario === 'string') {
    const path = resolvePath(dirname(fileName), doc.scenario);
    const text = readScenarioFile(path, readFile);
    const parsed = parseScenarioSource(text);
    if (parsed.errors.length > 0) {
      problems.list.push(...sourceProblems(parsed, path));
      return null;
    }
    if (!isMap(parsed.value)) {
      problems.error(['scenario'], `${doc.scenario} is not a scenario mapping`);
      return null;
    }
    return { document: parsed.value, fileName: path, source: parsed };
  }
  if (isMap(doc.base)) return { document: doc.base, fileName, source: baseView(source) };
  problems.error(doc.scenario !== undefined ? ['scenario'] : [], 'a compare file needs scenario: PATH (relative to it) or base: { ...a scenario... }');
  return null;
}

function locatedKey(p: LocatedProblem): string {
  return `${p.location}\0${p.path.join('.')}\0${p.message}`;
}

/** Validates every cell against the base; problems are shared between cells only once. */
function planCells(base: Base, choices: Choice[][], rules: ExpectRule[], extra: readonly FlagOverride[], problems: Problems): CellPlan[] {
  const seen = new Set(problems.list.map(locatedKey));
  const cells: CellPlan[] = [];
  for (const combo of choices) {
    const flags = Object.assign({}, ...combo.map((c) => c.flags)) as Record<string, string>;
    const matches = rules.filter((r) => Object.entries(r.when).every(([flag, value]) => flags[flag] === value));
    const overrides = [...combo.flatMap((c) => c.overrides), ...matches.flatMap((r) => r.overrides), ...extra];
    const result: CheckResult = checkDocument(base.document, { fileName: base.fileName, source: base.source, overrides }, base.fileName);
    for (const p of result.problems) {
      if (seen.has(locatedKey(p))) continue;
      seen.add(locatedKey(p));
      problems.list.push(p);
    }
    if (!result.scenario) continue;
    const name = combo.map((c) => c.label).join(',') || result.scenario.name;
    cells.push({ name, overrides: flags, variant: combo.find((c) => c.variant)?.variant ?? null, scenario: { ...result.scenario, name: `${result.scenario.name}` } });
  }
  return cells;
}

export interface CompareInput {
  text: string;
  fileName: string;
  set?: readonly SetAxis[];
  /** `portlab compare` flags that override every cell (like --duration). */
  overrides?: readonly FlagOverride[];
  readFile?: (path: string) => string;
  /** Top-level keys a file built on compare files may add (a claim's `claim:`, `verdicts:` ...). */
  extraKeys?: readonly string[];
}

/**
 * Parses a file that must hold a mapping (a compare file, a claim file): YAML syntax errors and any other
 * top level become located problems, and `doc` is then absent.
 */
export function parseMappingFile(text: string, fileName: string, notAMapping: string): { source: ScenarioSource; problems: Problems; doc?: Record<string, unknown> } {
  const source = parseScenarioSource(text);
  const problems = new Problems(fileName, source);
  if (source.errors.length > 0) {
    problems.list.push(...capProblems(sourceProblems(source, fileName), fileName));
    return { source, problems };
  }
  if (!isMap(source.value)) {
    problems.error([], notAMapping);
    return { source, problems };
  }
  return { source, problems, doc: source.value };
}

/** Checks a compare file (or a plain scenario file, one cell) and plans its cells. */
export function checkCompareText({ text, fileName, set = [], overrides = [], readFile, extraKeys = [] }: CompareInput): CompareCheck {
  const { source, problems, doc } = parseMappingFile(text, fileName, 'a compare file must be a mapping with scenario: or base:, and matrix: or variants:');
  if (!doc) return { problems: problems.list };
  const compare = isCompareDocument(doc);
  const base: Base | null = compare ? baseOf(doc, fileName, source, problems, readFile) : { document: doc, fileName, source };
  if (compare) {
    for (const key of Object.keys(doc)) {
      if ((TOP_KEYS as readonly string[]).includes(key) || extraKeys.includes(key)) continue;
      const guess = didYouMean(key, [...TOP_KEYS, ...extraKeys]);
      problems.error([key], `unknown key "${key}" in a compare file${guess ? `; did you mean "${guess}"?` : ''}`, true);
    }
  }
  const axes = compare ? matrixAxes(doc.matrix, problems) : [];
  const variants = compare ? variantAxis(doc.variants, problems) : null;
  const rules = compare ? expectRules(doc.expect, problems) : [];
  const all = [...(variants ? [variants] : []), ...axes, ...setAxes(set, problems)];
  const count = all.reduce((n, axis) => n * axis.length, 1);
  if (count > MAX_CELLS) problems.error(compare ? ['matrix'] : [], `${count} cells is more than the ${MAX_CELLS} a comparison may have`);
  // Cells are still validated when an axis had a problem, so every problem is reported at once.
  if (!base || count > MAX_CELLS) return { problems: capProblems(sortProblems(problems.list), fileName) };
  const cells = planCells(base, cross(all), rules, overrides, problems);
  const sorted = capProblems(sortProblems(problems.list), fileName);
  if (sorted.some(isError)) return { problems: sorted };
  const name = typeof doc.name === 'string' && compare ? doc.name : cells[0]?.scenario.name ?? 'compare';
  const description = typeof doc.description === 'string' && compare ? doc.description : cells[0]?.scenario.description ?? '';
  return { plan: { name, description, cells, warnings: sorted }, problems: sorted };
}
