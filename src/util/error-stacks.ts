/**
 * Cheap errors for threads where failures are data. A churn at 20,000 connections/s turns every RST into
 * an ECONNRESET on the target and every exhausted port into an EADDRNOTAVAIL on a worker; Node captures a
 * stack trace for each (about 4-12 us apiece, measured), which the load never reads.
 */

/** Turns stack capture off in this thread, unless PORTLAB_DEBUG=1 asks for stacks. */
export function quietErrorStacks(env: NodeJS.ProcessEnv = process.env): void {
  if (env.PORTLAB_DEBUG !== '1') Error.stackTraceLimit = 0;
}
