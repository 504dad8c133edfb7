/**
 * The schema of compare.json, proven equal to CompareResult: `portlab report` and `--baseline` read saved
 * comparisons through it, so a hand-edited or truncated file fails with the field's path, never a cast.
 */
import { z } from 'zod';
import { isErrorCode, type ErrorCode } from '../errors/index.js';
import type { Same } from '../util/same-type.js';
import type { BaselineCheck, CompareCell, CompareResult, Probe } from './compare.js';
import { runSummarySchema } from './schemas.js';

const probeSchema = z.object({ ratePerSec: z.number(), exhausted: z.boolean(), onsetAtMs: z.number().nullable(), dir: z.string() });

const baselineCheckSchema = z.object({
  name: z.string(),
  pass: z.boolean(),
  baseline: z.number().nullable(),
  current: z.number().nullable(),
  changePct: z.number().nullable(),
  detail: z.string(),
});

const errorCodeSchema = z.string().refine((code): code is ErrorCode => isErrorCode(code), 'expected a portlab error code');

const compareCellSchema = z.object({
  name: z.string(),
  overrides: z.record(z.string(), z.string()),
  variant: z.string().nullable(),
  dir: z.string(),
  summary: runSummarySchema.nullable(),
  error: z.string().optional(),
  errorCode: errorCodeSchema.optional(),
  breakingRatePerSec: z.number().nullable().optional(),
  breakingRateAtLeast: z.boolean().optional(),
  predictedBreakingRatePerSec: z.number().nullable().optional(),
  sustainedRatePerSec: z.number().nullable().optional(),
  probes: z.array(probeSchema).optional(),
  baseline: z.array(baselineCheckSchema).optional(),
  pass: z.boolean(),
});

export const compareResultSchema = z.object({
  version: z.string(),
  name: z.string(),
  description: z.string(),
  startedAt: z.string(),
  durationMs: z.number().nonnegative(),
  parallel: z.number().int().positive(),
  interrupted: z.boolean(),
  baseline: z.object({ dir: z.string(), tolerancePct: z.number() }).nullable(),
  cells: z.array(compareCellSchema),
  pass: z.boolean(),
});

const _probeAgrees: Same<z.output<typeof probeSchema>, Probe> = true;
const _checkAgrees: Same<z.output<typeof baselineCheckSchema>, BaselineCheck> = true;
const _cellAgrees: Same<z.output<typeof compareCellSchema>, CompareCell> = true;
const _resultAgrees: Same<z.output<typeof compareResultSchema>, CompareResult> = true;
