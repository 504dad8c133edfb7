/**
 * What the driver and the target thread say to each other, and the target's workerData: discriminated
 * unions, every `switch (msg.type)` ending in assertNever, each checked where it arrives (never cast).
 */
import { z } from 'zod';
import { PROTOCOLS } from '../config/schema.js';
import { parseBoundary } from '../errors/boundary.js';
import type { TargetOptions } from './start.js';
import { PROXY_UPSTREAMS } from '../config/proxy.js';
import { proxyStatsSchema, type ProxyStats } from '../metrics/proxy.js';

/** To the target thread. */
export type TargetCommand = { type: 'close' };

/** From the target thread, once: it listens on every address, or it could not. */
export type TargetEvent =
  | { type: 'listening' }
  | { type: 'failed'; message: string; code?: string | undefined }
  /** The proxy's counters so far (cumulative), posted every PROXY_STATS_INTERVAL_MS and once at close. */
  | { type: 'proxy'; stats: ProxyStats };

/** How often a proxy's counters reach the driver: finer than any report interval. */
export const PROXY_STATS_INTERVAL_MS = 50;

const address = z.object({ host: z.string(), port: z.number().int().min(0).max(65535) });

const targetOptionsSchema: z.ZodType<TargetOptions> = z.object({
  protocol: z.enum(PROTOCOLS),
  listen: z.array(address).min(1),
  responseBytes: z.number().int().nonnegative(),
  responseDelayMs: z.number().nonnegative(),
  closeAfterResponse: z.boolean(),
  keepAliveTimeoutMs: z.number().positive().optional(),
  keepAliveHint: z.boolean().optional(),
  maxRequestsPerSocket: z.number().int().nonnegative().optional(),
  proxy: z
    .object({ upstream: z.enum(PROXY_UPSTREAMS), poolSize: z.number().int().min(1), backend: z.array(address).min(1), connectTimeoutMs: z.number().nonnegative() })
    .optional(),
});

const targetCommandSchema: z.ZodType<TargetCommand> = z.object({ type: z.literal('close') });

const targetEventSchema: z.ZodType<TargetEvent> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('listening') }),
  z.object({ type: z.literal('failed'), message: z.string(), code: z.string().optional() }),
  z.object({ type: z.literal('proxy'), stats: proxyStatsSchema }),
]);

/** The target thread's workerData, checked when the thread starts. */
export const parseTargetOptions = (data: unknown): TargetOptions => parseBoundary(targetOptionsSchema, data, 'target options');
/** A message to the target thread, checked by the thread. */
export const parseTargetCommand = (data: unknown): TargetCommand => parseBoundary(targetCommandSchema, data, 'target command');
/** A message from the target thread, checked by the driver. */
export const parseTargetEvent = (data: unknown): TargetEvent => parseBoundary(targetEventSchema, data, 'target thread message');
