/** The bench's command line: pure, so tests can check it. */
import type { BenchOptions } from './context.js';

export const SECTIONS = ['churn', 'lag', 'sampler', 'peers', 'scale', 'incident', 'compare', 'doctor'] as const;
export type Section = (typeof SECTIONS)[number];

export interface Args extends BenchOptions {
  readme: boolean;
  only: Set<Section>;
  outDir: string;
}

/** Parses the bench's own flags; throws on an unknown flag or section. */
export function parseArgs(argv: readonly string[], defaultOutDir: string): Args {
  const args: Args = { quick: false, readme: false, only: new Set(SECTIONS), outDir: defaultOutDir };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') args.quick = true;
    else if (arg === '--readme') args.readme = true;
    else if (arg === '--out') args.outDir = argv[++i] ?? args.outDir;
    else if (arg === '--only') {
      const names = (argv[++i] ?? '').split(',').filter(Boolean);
      const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
      if (unknown.length > 0 || names.length === 0) throw new Error(`unknown section(s) ${unknown.join(', ') || '(none given)'}; sections: ${SECTIONS.join(', ')}`);
      args.only = new Set(names as Section[]);
    } else throw new Error(`unknown flag ${arg}; flags: --quick --readme --only SECTIONS --out DIR`);
  }
  return args;
}

/** "2026-11-21-104500": sortable, one file per run. */
export function stamp(now: Date): string {
  return now.toISOString().replace(/[:]/g, '').replace('T', '-').slice(0, 17);
}
