/** The bench's command line: pure, so tests can check it. */
import { parseDurationMs } from '../src/util/units.js';
import type { BenchOptions } from './context.js';

/** Sections run by default (and with --quick). */
export const SECTIONS = ['churn', 'lag', 'sampler', 'peers', 'scale', 'incident', 'compare', 'doctor'] as const;
/** Sections that run only when asked for: `--soak` (or `--only soak`). */
export const OPT_IN_SECTIONS = ['soak'] as const;
export type Section = (typeof SECTIONS)[number] | (typeof OPT_IN_SECTIONS)[number];
const ALL_SECTIONS: readonly string[] = [...SECTIONS, ...OPT_IN_SECTIONS];

/** The soak's default length per load: 10 minutes. */
export const SOAK_DURATION_MS = 600_000;

export interface Args extends BenchOptions {
  readme: boolean;
  /** Each soak load's length (--soak-duration). */
  soakDurationMs: number;
  only: Set<Section>;
  outDir: string;
}

/** Parses the bench's own flags; throws on an unknown flag or section. */
export function parseArgs(argv: readonly string[], defaultOutDir: string): Args {
  const args: Args = { quick: false, readme: false, only: new Set(SECTIONS), outDir: defaultOutDir, soakDurationMs: SOAK_DURATION_MS };
  let soak = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') args.quick = true;
    else if (arg === '--soak') soak = true;
    else if (arg === '--soak-duration') {
      const text = argv[++i] ?? '';
      const parsed = parseDurationMs(text);
      if (!parsed.ok || parsed.value < 10_000) throw new Error(`--soak-duration: expected a duration of 10s or more like "60s" or "10m", got "${text}"`);
      args.soakDurationMs = parsed.value;
    }
    else if (arg === '--readme') args.readme = true;
    else if (arg === '--out') args.outDir = argv[++i] ?? args.outDir;
    else if (arg === '--only') {
      const names = (argv[++i] ?? '').split(',').filter(Boolean);
      const unknown = names.filter((n) => !ALL_SECTIONS.includes(n));
      if (unknown.length > 0 || names.length === 0) throw new Error(`unknown section(s) ${unknown.join(', ') || '(none given)'}; sections: ${ALL_SECTIONS.join(', ')}`);
      args.only = new Set(names as Section[]);
    } else throw new Error(`unknown flag ${arg}; flags: --quick --readme --only SECTIONS --out DIR --soak --soak-duration DURATION`);
  }
  if (soak) args.only.add('soak');
  return args;
}

/** "2026-11-21-104500": sortable, one file per run. */
export function stamp(now: Date): string {
  return now.toISOString().replace(/[:]/g, '').replace('T', '-').slice(0, 17);
}
