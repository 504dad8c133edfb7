/**
 * The claims catalog as a user runs it, in real userns labs: every claim once, and every verdict must be
 * the one the committed docs/claims.md shows. A kernel, a sysctl or portlab that changes a verdict fails
 * here; rerun `portlab claims` and commit the new docs/claims.md only if the new verdict is right.
 * (Kept under a lab/ folder so the fast test runs, which skip lab folders, leave it out.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verdictsOfCatalog } from '../../../src/claims/markdown.js';
import type { CatalogResult } from '../../../src/claims/types.js';
import { ROOT, runCli, tempDir } from '../../helpers/cli.js';

/** The whole catalog takes under 3 minutes on a 2-core machine; the margin is for a busy one. */
const CATALOG_TIMEOUT_MS = 600_000;

test('every claim reaches the verdict docs/claims.md shows', { timeout: CATALOG_TIMEOUT_MS }, async () => {
  const committed = verdictsOfCatalog(readFileSync(join(ROOT, 'docs', 'claims.md'), 'utf8'));
  assert.ok(committed.size > 0, 'docs/claims.md has a verdict table');
  const out = tempDir();
  const docs = join(out, 'claims.md');
  const result = await runCli(['claims', '--out', out, '--docs', docs, '--json', '--quiet'], { timeoutMs: CATALOG_TIMEOUT_MS });
  const catalog = JSON.parse(result.stdout) as CatalogResult;
  const fresh = new Map(catalog.claims.map((c) => [c.id, c.outcome]));
  assert.deepEqual(fresh, committed, `verdicts now vs docs/claims.md:\n${catalog.claims.map((c) => `${c.id}: ${c.outcome} (${c.why})`).join('\n')}`);
  assert.equal(result.code, 0, result.stderr);
  for (const claim of catalog.claims.filter((c) => c.outcome !== 'pending')) assert.notEqual(claim.measured, '', `claim ${claim.id} has a measured figure`);
  assert.deepEqual(verdictsOfCatalog(readFileSync(docs, 'utf8')), committed, 'the catalog it wrote reads back the same');
});
