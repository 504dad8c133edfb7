/**
 * Opt-in CPU profiles of the driver's threads: PORTLAB_CPU_PROF=DIR makes every worker and target thread
 * write a V8 .cpuprofile into DIR when it exits (open it in Chrome DevTools or `npx speedscope`).
 */

/** execArgv for a new Worker: profiling flags when PORTLAB_CPU_PROF is set, else undefined (inherit). */
export function profileExecArgv(name: string, env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const dir = env.PORTLAB_CPU_PROF;
  if (!dir) return undefined;
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}-${process.pid}-${Date.now()}.cpuprofile`];
}
