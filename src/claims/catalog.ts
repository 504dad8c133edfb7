/**
 * The catalog: every claim file of a folder (scenarios/claims/ by default), checked together so that
 * every problem of every file shows at once, ordered by id; `portlab claims 4 8` picks claims by id.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblem, isError, type LocatedProblem } from '../config/problems.js';
import { PortlabError } from '../errors/index.js';
import { checkClaimText } from './file.js';
import type { ClaimDef } from './types.js';

/** The shipped claims. */
export const CLAIMS_DIR = fileURLToPath(new URL('../../../scenarios/claims/', import.meta.url));

export interface CatalogIo {
  readDir(dir: string): string[];
  readFile(path: string): string;
}

const fsIo: CatalogIo = { readDir: (dir) => readdirSync(dir), readFile: (path) => readFileSync(path, 'utf8') };

/** Every claim of `dir` and every problem, sorted by id; claims are left out when any problem is an error. */
export function checkCatalog(dir: string, io: CatalogIo = fsIo): { claims: ClaimDef[]; problems: LocatedProblem[] } {
  let names: string[];
  try {
    names = io.readDir(dir).filter((n) => /\.(ya?ml|json)$/.test(n)).sort();
  } catch (err) {
    throw new PortlabError('SCENARIO_NOT_FOUND', `cannot read the claims folder ${dir}: ${(err as Error).message}`, { hint: 'pass a folder of claim files with --dir' });
  }
  const claims: ClaimDef[] = [];
  const problems: LocatedProblem[] = [];
  for (const name of names) {
    const fileName = join(dir, name);
    const checked = checkClaimText({ text: io.readFile(fileName), fileName, readFile: io.readFile });
    problems.push(...checked.problems);
    if (!checked.claim) continue;
    const twin = claims.find((c) => c.id === checked.claim!.id);
    if (twin) problems.push({ severity: 'error', path: ['id'], location: fileName, file: fileName, message: `id ${twin.id} is also the id of ${twin.file}` });
    claims.push(checked.claim);
  }
  if (problems.some(isError)) return { claims: [], problems };
  return { claims: claims.sort((a, b) => a.id - b.id), problems };
}

/** The claims to run: all, or those with the given ids. Bad files throw SCENARIO_INVALID with every problem. */
export function loadCatalog(dir: string, ids: readonly number[] = [], io: CatalogIo = fsIo): ClaimDef[] {
  const { claims, problems } = checkCatalog(dir, io);
  const errors = problems.filter(isError).length;
  if (errors > 0) {
    throw new PortlabError('SCENARIO_INVALID', `${errors} ${errors === 1 ? 'problem' : 'problems'} in the claim files`, {
      details: problems.map(formatProblem),
      hint: 'fix the lines above; docs/claims.md and README "Claims" describe the claim format',
    });
  }
  const unknown = ids.filter((id) => !claims.some((c) => c.id === id));
  if (unknown.length > 0) {
    throw new PortlabError('USAGE', `no claim has id ${unknown.join(', ')}`, { hint: `the claims are ${claims.map((c) => c.id).join(', ')}` });
  }
  return ids.length === 0 ? claims : claims.filter((c) => ids.includes(c.id));
}
