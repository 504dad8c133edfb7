/**
 * The cells of a `portlab compare` from its inputs: each file is a compare file (its matrix, variants and
 * expectations) or a plain scenario (one cell); --set crosses every input; flags override every cell. With
 * several inputs a cell's name starts with its input's name, so names stay unique.
 */
import { checkCompareText, type CellPlan, type ComparePlan, type SetAxis } from '../config/compare-file.js';
import type { FlagOverride } from '../config/flags.js';
import { readScenarioFile } from '../config/loader.js';
import { formatProblem, isError, type LocatedProblem } from '../config/problems.js';
import { PortlabError } from '../errors/index.js';

export interface CompareInputs {
  files: readonly string[];
  set?: readonly SetAxis[];
  overrides?: readonly FlagOverride[];
  readFile?: (path: string) => string;
}

/** Parses `--set FLAG=V1,V2` (repeatable). */
export function parseSetOption(values: readonly string[]): SetAxis[] {
  return values.map((text) => {
    const eq = text.indexOf('=');
    const flag = (eq < 0 ? '' : text.slice(0, eq)).trim().replace(/^--/, '');
    const list = eq < 0 ? [] : text.slice(eq + 1).split(',').map((v) => v.trim()).filter((v) => v !== '');
    if (flag === '' || list.length === 0) throw new PortlabError('USAGE', `--set expects FLAG=VALUE[,VALUE...], like tw-reuse=0,1; got "${text}"`);
    return { flag, values: list };
  });
}

/** Every problem of every input; a plan when none is an error. */
export function checkCompareInputs(inputs: CompareInputs): { plan?: ComparePlan; problems: LocatedProblem[] } {
  const problems: LocatedProblem[] = [];
  const plans: ComparePlan[] = [];
  for (const file of inputs.files) {
    const text = readScenarioFile(file, inputs.readFile);
    const checked = checkCompareText({ text, fileName: file, set: inputs.set, overrides: inputs.overrides, readFile: inputs.readFile });
    problems.push(...checked.problems);
    if (checked.plan) plans.push(checked.plan);
  }
  if (problems.some(isError) || plans.length === 0) return { problems };
  const several = plans.length > 1;
  const cells: CellPlan[] = plans.flatMap((plan) =>
    plan.cells.map((cell) => ({ ...cell, name: several && cell.name !== plan.name ? `${plan.name}:${cell.name}` : cell.name })),
  );
  const names = new Set<string>();
  for (const cell of cells) {
    if (names.has(cell.name)) {
      problems.push({ severity: 'error', path: [], location: inputs.files.join(' '), message: `two cells are both named "${cell.name}": give the scenarios different names` });
    }
    names.add(cell.name);
  }
  if (problems.some(isError)) return { problems };
  const first = plans[0]!;
  const name = several ? plans.map((p) => p.name).join('-vs-').slice(0, 60) : first.name;
  return { plan: { name, description: several ? plans.map((p) => p.description).filter(Boolean).join(' / ') : first.description, cells, warnings: problems }, problems };
}

/** Like checkCompareInputs, but bad input throws SCENARIO_INVALID with every located problem. */
export function planCompare(inputs: CompareInputs): ComparePlan {
  const { plan, problems } = checkCompareInputs(inputs);
  if (plan) return plan;
  const errors = problems.filter(isError).length;
  throw new PortlabError('SCENARIO_INVALID', `${errors} ${errors === 1 ? 'problem' : 'problems'} in the comparison`, {
    details: problems.map(formatProblem),
    hint: 'fix the lines above; `portlab validate FILE` checks compare files too',
  });
}
