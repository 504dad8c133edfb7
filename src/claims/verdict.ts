/**
 * From measured cells to a verdict: every verdict's checks are evaluated; the verdict is the one whose
 * checks all hold. None holding, or more than one (the checks do not tell them apart), is inconclusive:
 * the catalog never claims more than its measurements show. Pure.
 */
import { evaluateCheck, evaluateValue, formatFigure, type FigureLookup } from './expression.js';
import { figureOf, formatNamedFigure } from './figures.js';
import type { CellResult, ClaimDef, ClaimResult, Outcome, TemplatePart, VerdictTrial } from './types.js';

/** How a verdict reads in text: "confirmed with a caveat" rather than its key. */
export function verdictLabel(outcome: Outcome | 'pending'): string {
  return outcome === 'confirmed-with-caveat' ? 'confirmed with a caveat' : outcome;
}

function lookupIn(cells: readonly CellResult[]): FigureLookup {
  return (figure, cell) => {
    const found = cell === null ? (cells.length === 1 ? cells[0] : undefined) : cells.find((c) => c.name === cell);
    return found ? figureOf(found.figures, figure) : null;
  };
}

/** The measured sentence with its figures filled in. */
export function renderMeasured(parts: readonly TemplatePart[], lookup: FigureLookup): string {
  return parts
    .map((part) => {
      if ('text' in part) return part.text;
      const value = evaluateValue(part.expr, lookup);
      return part.expr.kind === 'ref' ? formatNamedFigure(part.expr.figure, value) : formatFigure(value);
    })
    .join('')
    .trim();
}

function why(outcome: Outcome, trials: readonly VerdictTrial[]): string {
  const held = trials.filter((t) => t.pass);
  if (held.length === 1) return held[0]!.checks.map((c) => `${c.text} (${c.detail})`).join('; ');
  if (held.length > 1) return `the checks of ${held.map((t) => verdictLabel(t.verdict)).join(' and ')} all hold: they do not tell the verdicts apart`;
  const misses = trials.map((t) => {
    const failed = t.checks.find((c) => !c.pass)!;
    return `not ${verdictLabel(t.verdict)}: ${failed.text} (${failed.detail})`;
  });
  return outcome === 'inconclusive' ? misses.join('; ') : '';
}

/** Decides one claim from its cells' results (cells of other claims are ignored). */
export function decideClaim(def: ClaimDef, cells: readonly CellResult[]): ClaimResult {
  const base = {
    id: def.id,
    title: def.title,
    claim: def.claim,
    source: def.source,
    behaviour: def.behaviour,
    caveat: def.caveat,
    note: def.note,
    pending: def.pending,
    expected: def.expected ?? null,
    figures: def.figures,
    cells: [...cells],
  };
  if (def.pending !== undefined) return { ...base, outcome: 'pending', why: `pending: ${def.pending}`, measured: '', trials: [] };
  const lookup = lookupIn(cells);
  const trials: VerdictTrial[] = def.verdicts.map(({ verdict, checks }) => {
    const results = checks.map((check) => ({ text: check.text, ...evaluateCheck(check.expr, lookup) }));
    return { verdict, pass: results.every((r) => r.pass), checks: results };
  });
  const held = trials.filter((t) => t.pass);
  const outcome: Outcome = held.length === 1 ? held[0]!.verdict : 'inconclusive';
  return { ...base, outcome, why: why(outcome, trials), measured: renderMeasured(def.measured, lookup), trials };
}

/** True when a claim reached the verdict its file expects (pending claims are not judged). */
export function asExpected(result: ClaimResult): boolean {
  return result.outcome === 'pending' || result.outcome === result.expected;
}
