/**
 * The nat lab's vocabulary (nat.ts) as zod schemas, for the driver's events (interval.nat, the onset's and
 * done's gateway) and summaries read back from disk (summary.nat). As in schemas.ts: each is proven equal to
 * its type, objects strip keys they do not know, and fields are listed in the order portlab writes them, so a
 * summary read back and written again is byte for byte the same.
 */
import { z } from 'zod';
import type { NatPrediction } from '../model/nat.js';
import type { Same } from '../util/same-type.js';
import type { IntervalNat, NatDestinationCounts, NatDriverTotals, NatSnapshot, NatVerdict } from './nat.js';

const count = z.number().int().nonnegative();
const counts = z.record(z.string(), count);

const destinationCountsSchema = z.object({ entries: count, held: count, timeWait: count });

export const intervalNatSchema = z.object({
  entries: count,
  held: count,
  timeWait: count,
  heldByDestination: counts,
  insertFailed: count,
  drop: count,
});

export const natSnapshotSchema = z.object({
  entries: count,
  held: count,
  timeWait: count,
  byDestination: z.record(z.string(), destinationCountsSchema),
  insertFailed: count,
  drop: count,
});

const peakSchema = z.object({ entries: count, held: count, timeWait: count, byDestination: z.record(z.string(), destinationCountsSchema) });

export const natDriverTotalsSchema = z.object({
  conntrackTimeWaitSec: z.number().nonnegative(),
  tableReadable: z.boolean(),
  drops: counts,
  peak: peakSchema,
});

// In the order predictNat() writes the fields.
const natPredictionSchema = z.object({
  usableAddresses: count,
  capacityPerDestination: count,
  concurrentPerDestination: z.number().nonnegative(),
  exhausts: z.boolean(),
  connectableConcurrent: z.number().nonnegative(),
  firstDropMs: z.number().nonnegative().nullable(),
  firstTimeoutMs: z.number().nonnegative().nullable(),
  maxSustainableRatePerSec: z.number().nonnegative().nullable(),
  advice: z.string(),
  notes: z.array(z.string()),
});

const NAT_VERDICTS = ['exhausted', 'reused-time-wait', 'within-capacity', 'timeouts-not-nat'] as const satisfies readonly NatVerdict[];

/**
 * summary.json "nat" without its leading portRange: schemas.ts puts its own port range schema in front (this
 * file cannot import it: schemas.ts imports this one).
 */
export const natRunSummaryShape = {
  addresses: z.array(z.string()),
  randomFully: z.boolean(),
  conntrackTimeWaitSec: z.number().nonnegative(),
  tableReadable: z.boolean(),
  capacityPerDestination: count,
  drops: counts,
  peak: peakSchema,
  byDestination: z.record(z.string(), z.object({ connected: count, failed: count, peakHeld: count, peakTimeWait: count })),
  atOnset: natSnapshotSchema.nullable(),
  verdict: z.enum(NAT_VERDICTS),
  prediction: natPredictionSchema,
};

const _countsAgree: Same<z.output<typeof destinationCountsSchema>, NatDestinationCounts> = true;
const _intervalAgrees: Same<z.output<typeof intervalNatSchema>, IntervalNat> = true;
const _snapshotAgrees: Same<z.output<typeof natSnapshotSchema>, NatSnapshot> = true;
const _totalsAgree: Same<z.output<typeof natDriverTotalsSchema>, NatDriverTotals> = true;
const _predictionAgrees: Same<z.output<typeof natPredictionSchema>, NatPrediction> = true;
