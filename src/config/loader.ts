/**
 * Loads a scenario: parse YAML/JSON keeping positions, apply flag overrides, validate with the schema,
 * resolve, and report EVERY problem at once as `file:line:col: path: message` (or `--flag: ...` for a value
 * a flag set). Errors throw one PortlabError('SCENARIO_INVALID') whose details are those lines; warnings come
 * back with the scenario.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { INPUT_LIMITS } from './bounds.js';
import { errnoCode, PortlabError } from '../errors/index.js';
import type { FlagOverride, FlagOverrides } from './flags.js';
import { flagForPath } from './flags.js';
import { issuesToProblems, valueAt, type Path, type PathProblem } from './issues.js';
import { capProblems, countErrors, formatProblem, isError, sortProblems, type LocatedProblem } from './problems.js';
import { resolveScenario } from './resolve.js';
import { scenarioSchema } from './schema.js';
import { parseScenarioSource, type ScenarioSource } from './source.js';
import type { Problem, Scenario } from './types.js';

/** What a scenario that loaded comes with. */
export interface LoadResult {
  scenario: Scenario;
  warnings: LocatedProblem[];
}

/** Every problem found, sorted by position; `scenario` is present when none of them is an error. */
export interface CheckResult {
  scenario?: Scenario;
  problems: LocatedProblem[];
  /** Where the document's problems are located, for checks made after the loader's (sysctl-check.ts). */
  locator?: Locator;
}

/** Shown instead of a file name for a scenario made only of flags. */
export const FLAGS_SOURCE = '(flags)';

const isPrefix = (prefix: readonly (string | number)[], path: readonly (string | number)[]) =>
  prefix.length <= path.length && prefix.every((part, i) => String(part) === String(path[i]));

/** Sets each override on a copy of the document, creating maps on the way; a later override wins. */
export function applyOverrides(document: Record<string, unknown>, overrides: FlagOverrides): Record<string, unknown> {
  const merged = structuredClone(document);
  for (const { path, value } of overrides) {
    let node = merged;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[path[path.length - 1]!] = value;
  }
  return merged;
}

/**
 * Resolver checks span fields, so they need a schema-valid document; and zod skips an object's refinements
 * once a field inside it failed. So when some values failed, drop them (defaults take their place) and
 * validate again, up to a few times, collecting the issues that were hidden. Once the rest is valid,
 * resolve it and keep the warnings and the errors that cannot be a consequence of the drop (unrelated to
 * a dropped value, or to the key a misspelt key was meant to be). Values inside lists are never dropped
 * (that would shift indices).
 */
const DEPENDS_ON: ReadonlyArray<[Path, Path]> = [
  [['client', 'destinations'], ['target', 'ports']],
  [['duration'], ['client', 'stages']],
  [['duration'], ['client', 'rate']],
  [['client', 'rate'], ['duration']],
  [['client', 'rate'], ['client', 'stages']],
];
const MAX_PASSES = 4;

/** Every prefix of each path, and the paths themselves, as keys: for prefix tests in time linear in the paths. */
const pathKey = (path: readonly (string | number)[]): string => path.map(String).join('\u0000');

interface Dropped {
  exact: Set<string>;
  prefixes: Set<string>;
}

function indexDropped(paths: readonly Path[]): Dropped {
  const exact = new Set(paths.map(pathKey));
  const prefixes = new Set<string>();
  for (const path of paths) for (let n = 0; n <= path.length; n++) prefixes.add(pathKey(path.slice(0, n)));
  return { exact, prefixes };
}

/** Whether a problem at `path` may follow from the dropped values (one is a prefix of the other, or a DEPENDS_ON). */
function isConsequence(path: Path, dropped: Dropped): boolean {
  // A dropped path that is a prefix of `path`, or `path` a prefix of a dropped one.
  for (let n = 0; n <= path.length; n++) if (dropped.exact.has(pathKey(path.slice(0, n)))) return true;
  if (dropped.prefixes.has(pathKey(path))) return true;
  return DEPENDS_ON.some(([problem, input]) => isPrefix(problem, path) && dropped.prefixes.has(pathKey(input)));
}

const droppable = (path: Path) => path.length > 0 && path.every((part) => typeof part === 'string');

function dropPaths(document: Record<string, unknown>, paths: readonly Path[]): Record<string, unknown> {
  const copy = structuredClone(document);
  for (const path of paths) {
    const parent = valueAt(copy, path.slice(0, -1));
    if (typeof parent === 'object' && parent !== null) delete (parent as Record<string, unknown>)[String(path[path.length - 1])];
  }
  return copy;
}

/** Every problem of a document that failed the schema, including those the first failure hid. */
function problemsOfInvalid(document: Record<string, unknown>, firstIssues: PathProblem[]): PathProblem[] {
  const failed = [...firstIssues];
  const seen = new Set(failed.map((p) => JSON.stringify(p.path)));
  let current = document;
  for (let pass = 0; pass < MAX_PASSES && failed.every((p) => droppable(p.path)); pass++) {
    current = dropPaths(current, failed.map((p) => p.path));
    const parsed = scenarioSchema.safeParse(current);
    if (parsed.success) {
      const affected = indexDropped(failed.map((p) => p.affects ?? p.path).filter((path) => path.length > 0));
      const resolved = resolveScenario(parsed.data).problems.filter(
        (p) => p.severity === 'warning' || !isConsequence(p.path, affected),
      );
      return [...failed, ...resolved];
    }
    const hidden = issuesToProblems(parsed.error.issues, current).filter((p) => !seen.has(JSON.stringify(p.path)));
    if (hidden.length === 0) break;
    for (const p of hidden) seen.add(JSON.stringify(p.path));
    failed.push(...hidden);
  }
  return failed;
}

/** Where problems are located: the file name, its positions, and the overrides (each located at its `flag`). */
export interface Locator {
  fileName: string;
  source?: ScenarioSource;
  overrides: FlagOverrides;
}

/** The override that set this path or one of its parents (the most specific one, the last on ties). */
function overrideFor(path: Path, overrides: FlagOverrides): FlagOverride | undefined {
  let best: FlagOverride | undefined;
  for (const o of overrides) if (isPrefix(o.path, path) && (!best || o.path.length >= best.path.length)) best = o;
  return best;
}

/** Locates a problem by its path: at the flag that set the value, or at its line and column in the file. */
export function locateProblem(problem: PathProblem, { fileName, source, overrides }: Locator): LocatedProblem {
  const { atKey: _atKey, affects: _affects, ...plain } = problem;
  const byFlag = overrideFor(problem.path, overrides);
  if (byFlag) return { ...plain, location: byFlag.flag, flag: byFlag.flag };
  const found = source?.positionOf(problem.path, problem.atKey);
  // A problem about a map that only flags filled in (nothing in the file): the flag is the useful pointer.
  const inside = overrides.find((o) => isPrefix(problem.path, o.path));
  if (inside && !found?.exact) return { ...plain, location: inside.flag, flag: inside.flag };
  if (!found) {
    const flag = flagForPath(problem.path);
    const message = flag && problem.severity === 'error' ? `${problem.message} (flag ${flag})` : problem.message;
    return { ...plain, message, location: fileName };
  }
  return { ...plain, location: `${fileName}:${found.line}:${found.col}`, file: fileName, line: found.line, col: found.col };
}

/**
 * A check result with problems found after the loader's (sysctls tried on the kernel, the open-file limit):
 * located like every other problem and merged in order; an error among them takes the scenario away.
 */
export function withFoundProblems(result: CheckResult, found: readonly Problem[]): CheckResult {
  const { locator } = result;
  if (!result.scenario || !locator || found.length === 0) return result;
  const located = found.map((p) => locateProblem(p, locator));
  const problems = capProblems(sortProblems([...result.problems, ...located]), locator.fileName);
  return problems.some(isError) ? { problems, locator } : { ...result, problems };
}

/** Validates an already parsed document (a compare file's base, say); never throws for a bad scenario. */
export function checkDocument(document: Record<string, unknown>, locator: Locator, sourceFile: string | undefined): CheckResult {
  const merged = applyOverrides(document, locator.overrides);
  const parsed = scenarioSchema.safeParse(merged);
  let found: PathProblem[];
  let scenario: Scenario | undefined;
  if (parsed.success) {
    const resolved = resolveScenario(parsed.data, sourceFile);
    found = resolved.problems;
    scenario = resolved.scenario;
  } else {
    found = problemsOfInvalid(merged, issuesToProblems(parsed.error.issues, merged));
  }
  const problems = sortProblems(found.map((p) => locateProblem(p, locator)));
  return problems.some(isError) ? { problems, locator } : { scenario, problems, locator };
}

/** The problems of the text itself (syntax, duplicates, limits), located in `fileName`. */
export function sourceProblems(source: ScenarioSource, fileName: string): LocatedProblem[] {
  return source.errors.map(
    ({ message, line, col }): LocatedProblem => ({ severity: 'error', path: [], message, location: `${fileName}:${line}:${col}`, file: fileName, line, col }),
  );
}

/** Validates scenario text (YAML or JSON) with overrides; never throws for a bad scenario. Pure. */
export function checkScenarioText(text: string, fileName: string, overrides: FlagOverrides = []): CheckResult {
  return checkScenarioSource(parseScenarioSource(text), fileName, overrides);
}

/** checkScenarioText for text already parsed (validate parses once to tell a compare file apart). */
export function checkScenarioSource(source: ScenarioSource, fileName: string, overrides: FlagOverrides = []): CheckResult {
  if (source.errors.length > 0) return { problems: capProblems(sourceProblems(source, fileName), fileName) };
  const { kind, position } = source.top;
  if (kind !== 'map') {
    const got = kind === 'empty' ? 'the file is empty' : kind === 'seq' ? 'it holds a list' : 'it holds a single value';
    const message = `a scenario must be a mapping of keys (name, duration, lab, target, client ...), but ${got}`;
    return { problems: [{ severity: 'error', path: [], message, location: `${fileName}:${position.line}:${position.col}`, file: fileName, line: position.line, col: position.col }] };
  }
  const result = checkDocument(source.value as Record<string, unknown>, { fileName, source, overrides }, fileName);
  return { ...result, problems: capProblems(result.problems, fileName) };
}

/** Throws PortlabError('SCENARIO_INVALID') with every listed problem as details unless `result` has a scenario. */
export function throwIfInvalid(result: CheckResult, name: string, hint: string): LoadResult {
  if (result.scenario) return { scenario: result.scenario, warnings: result.problems };
  const errors = countErrors(result.problems);
  throw new PortlabError('SCENARIO_INVALID', `${name}: ${errors} ${errors === 1 ? 'problem' : 'problems'} in the scenario`, {
    details: result.problems.map(formatProblem),
    hint,
  });
}

export const FILE_HINT = 'fix the lines above; `portlab validate FILE` checks a scenario without running it';
export const FLAGS_HINT = 'see `portlab run --help` for the flags, or give a scenario file';

/** Loads scenario text; throws PortlabError('SCENARIO_INVALID') with every located problem as details. */
export function loadScenarioText(text: string, fileName: string, overrides: FlagOverrides = []): LoadResult {
  return throwIfInvalid(checkScenarioText(text, fileName, overrides), fileName, FILE_HINT);
}

/**
 * Reads at most one byte more than INPUT_LIMITS.fileBytes, so a huge file (or /dev/zero) is refused as too
 * large by the parser instead of being read whole.
 */
export function readBounded(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(INPUT_LIMITS.fileBytes + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

/** Reads a scenario file; a missing or unreadable file is SCENARIO_NOT_FOUND. `readFile` is injectable. */
export function readScenarioFile(path: string, readFile: (path: string) => string = readBounded): string {
  try {
    return readFile(path);
  } catch (err) {
    const code = errnoCode(err);
    const why = code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? String(err)})`;
    throw new PortlabError('SCENARIO_NOT_FOUND', `scenario file ${path} ${why}`, {
      hint: 'check the path; the bundled scenarios are in the scenarios/ folder of the package',
      cause: err,
    });
  }
}

/** Loads and validates a scenario file; flags override the file. */
export function loadScenarioFile(path: string, overrides: FlagOverrides = [], readFile?: (path: string) => string): LoadResult {
  return loadScenarioText(readScenarioFile(path, readFile), path, overrides);
}

/** Validates a scenario file without throwing for its problems (still throws SCENARIO_NOT_FOUND). */
export function checkScenarioFile(path: string, overrides: FlagOverrides = [], readFile?: (path: string) => string): CheckResult {
  return checkScenarioText(readScenarioFile(path, readFile), path, overrides);
}

/** Validates an ad-hoc scenario made only of flags (no file); problems are located at flags or "(flags)". */
export function checkScenarioFromFlags(overrides: FlagOverrides): CheckResult {
  const result = checkDocument({}, { fileName: FLAGS_SOURCE, overrides }, undefined);
  return { ...result, problems: capProblems(result.problems, FLAGS_SOURCE) };
}

/** An ad-hoc scenario from flags alone; throws like loadScenarioText. */
export function scenarioFromFlags(overrides: FlagOverrides): LoadResult {
  return throwIfInvalid(checkScenarioFromFlags(overrides), FLAGS_SOURCE, FLAGS_HINT);
}
