/**
 * Fault injection for the fault harness (test/faults/): PORTLAB_FAILPOINTS="worker-crash=1500,target-crash=800"
 * makes that part fail that many ms after it started its work, the way a real bug would (an uncaught throw
 * in its thread). Unset (every user's case) it does nothing. Names are fixed here so a typo fails loudly.
 */
export const FAILPOINTS = ['worker-crash', 'target-crash', 'lab-failure'] as const;
export type Failpoint = (typeof FAILPOINTS)[number];

/** The env variable; the docker lab passes it into its containers. */
export const FAILPOINTS_ENV = 'PORTLAB_FAILPOINTS';

/** The delay set for `name` in `env`, or null. */
export function failpointDelayMs(name: Failpoint, env: Readonly<Record<string, string | undefined>> = process.env): number | null {
  const spec = env[FAILPOINTS_ENV];
  if (!spec) return null;
  for (const item of spec.split(',')) {
    const [key, value] = item.split('=');
    if (!(FAILPOINTS as readonly string[]).includes(key!.trim())) throw new Error(`${FAILPOINTS_ENV}: unknown failpoint "${key}"`);
    if (key!.trim() === name) return Number(value ?? 0);
  }
  return null;
}

/** Throws (uncaught, from a timer) `delay` ms from now when `name` is set: a crash where it is called. */
export function armFailpoint(name: Failpoint): void {
  const delayMs = failpointDelayMs(name);
  if (delayMs === null) return;
  setTimeout(() => {
    throw new Error(`failpoint ${name} fired (${FAILPOINTS_ENV})`);
  }, delayMs).unref();
}
