/**
 * Between the host and a probe in its lab: the host writes one ProbeRequest line on the probe's stdin, the
 * probe writes one ProbeReply line on stdout and exits.
 */
import type { ErrorCode } from '../../errors/index.js';
import { PROBE_KINDS, type Figures, type ProbeKind, type ProbeSpec } from '../types.js';

export type ProbeRequest = Omit<ProbeSpec, 'name'>;

export type ProbeReply = { ok: true; figures: Figures } | { ok: false; code: ErrorCode; message: string };

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a reply line that crossed a process boundary; null when it is not one. */
export function parseProbeReply(line: string): ProbeReply | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isMap(value)) return null;
  if (value.ok === true && isMap(value.figures)) {
    const figures: Figures = {};
    for (const [key, figure] of Object.entries(value.figures)) {
      if (typeof figure === 'number' || typeof figure === 'string' || figure === null) figures[key] = figure;
    }
    return { ok: true, figures };
  }
  if (value.ok === false && typeof value.code === 'string' && typeof value.message === 'string') {
    return { ok: false, code: value.code as ErrorCode, message: value.message };
  }
  return null;
}

/** Checks the request line (it crossed a process boundary); throws a plain Error naming what is wrong. */
export function parseProbeRequest(line: string): ProbeRequest {
  const value: unknown = JSON.parse(line);
  if (!isMap(value) || !(PROBE_KINDS as readonly unknown[]).includes(value.kind) || !isMap(value.sysctls)) {
    throw new Error('the probe request lacks kind or sysctls');
  }
  const sysctls = Object.fromEntries(Object.entries(value.sysctls).map(([key, v]) => [key, String(v)]));
  const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);
  return { kind: value.kind as ProbeKind, sysctls, connections: count(value.connections), bindPort: count(value.bindPort), rangeSize: count(value.rangeSize), rounds: count(value.rounds) };
}
