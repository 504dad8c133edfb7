/**
 * The claims catalog's vocabulary: a claim as its file defines it, the figures measured for each of its
 * cells, and the verdict its checks reached. claims.json is CatalogResult; docs/claims.md renders it.
 */
import type { CellPlan } from '../config/compare-file.js';
import type { CheckExpr, ValueExpr } from './expression.js';

/** What a claim can turn out to be. A caveat verdict says when the claim holds and when it does not. */
export const VERDICTS = ['confirmed', 'confirmed-with-caveat', 'refuted'] as const;
export type Verdict = (typeof VERDICTS)[number];
/** No verdict's checks all held, or more than one verdict's did: the measurement does not decide. */
export type Outcome = Verdict | 'inconclusive';

/** A measured value: a count, a time, an error code, or none (no onset, a cell that did not run). */
export type FigureValue = number | string | null;
export type Figures = Record<string, FigureValue>;

/** The dedicated in-lab checks for what a load cannot show (see probe/). */
export const PROBE_KINDS = ['ports-chosen', 'bind-in-range', 'range-fill'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** One probe cell of a claim: a small program run in its own lab with these sysctls. */
export interface ProbeSpec {
  name: string;
  kind: ProbeKind;
  sysctls: Record<string, string>;
  /** ports-chosen: connections opened one after another; bind-in-range: the port a service binds. */
  connections?: number;
  bindPort?: number;
  /** range-fill: fill a fresh range of this many ports, this many times. */
  rangeSize?: number;
  rounds?: number;
}

/** One check as written, parsed. */
export interface Check {
  text: string;
  expr: CheckExpr;
}

/** A `{expr}` in the measured sentence, or the text between them. */
export type TemplatePart = { text: string } | { expr: ValueExpr; source: string };

/** What a claim says about itself, carried from its file into its result. */
export interface ClaimText {
  /** The numbering; also the order of the catalog. */
  id: number;
  /** A few words for tables. */
  title: string;
  /** The sentence as people write it. */
  claim: string;
  /** Where it is said. */
  source: string;
  /** The kernel behaviour that decides it. */
  behaviour: string;
  /** Shown with a confirmed-with-caveat verdict: when the claim does not hold. */
  caveat?: string;
  /** How the lab scales the claim down (tiny port ranges), or anything else a reader must know. */
  note?: string;
  /** Set for a claim that needs a feature portlab does not have yet: no cells, no verdict. */
  pending?: string;
}

export interface ClaimDef extends ClaimText {
  file: string;
  expected?: Verdict;
  /** The sentence with measured figures, like "onset {onsetS[rate=100]} s at 100/s". */
  measured: TemplatePart[];
  /** Figures shown for every cell, in this order. */
  figures: string[];
  cells: CellPlan[];
  probes: ProbeSpec[];
  verdicts: { verdict: Verdict; checks: Check[] }[];
}

/** One cell's outcome: a run (its summary reduced to figures) or a probe. */
export interface CellResult {
  name: string;
  kind: 'run' | 'probe';
  figures: Figures;
  /** Its folder under the catalog's results directory, when it wrote one. */
  dir?: string;
  /** Why it did not run (its figures then hold only `failure`). */
  error?: string;
}

export interface CheckResult {
  text: string;
  pass: boolean;
  /** The values compared, like "100 vs 100". */
  detail: string;
}

/** A verdict's checks, evaluated. */
export interface VerdictTrial {
  verdict: Verdict;
  pass: boolean;
  checks: CheckResult[];
}

export interface ClaimResult extends ClaimText {
  expected: Verdict | null;
  outcome: Outcome | 'pending';
  /** Why: the checks of the verdict reached, or what kept every verdict from holding. */
  why: string;
  /** The measured sentence with its figures filled in. */
  measured: string;
  figures: string[];
  cells: CellResult[];
  trials: VerdictTrial[];
}

export interface CatalogResult {
  version: string;
  startedAt: string;
  durationMs: number;
  parallel: number;
  /** `uname -r` of the machine the labs ran on: verdicts are about this kernel. */
  kernel: string;
  interrupted: boolean;
  claims: ClaimResult[];
  /** Every claim that ran reached its expected verdict. */
  pass: boolean;
}
