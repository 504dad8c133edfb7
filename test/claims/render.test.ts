import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderClaimsMarkdown, verdictsOfCatalog } from '../../src/claims/markdown.js';
import { renderClaimsTerminal } from '../../src/claims/terminal.js';
import type { CatalogResult, ClaimResult } from '../../src/claims/types.js';

function claim(id: number, outcome: ClaimResult['outcome'], extra: Partial<ClaimResult> = {}): ClaimResult {
  return {
    id,
    title: `claim ${id}`,
    claim: `Claim number ${id}.`,
    source: 'a blog',
    behaviour: 'TIME_WAIT lasts 60 s.',
    expected: outcome === 'pending' || outcome === 'inconclusive' ? 'refuted' : outcome,
    outcome,
    why: 'connected[a] == 100 (100 == 100)',
    measured: '100 connections',
    figures: ['connected', 'onsetS'],
    cells: [{ name: 'a', kind: 'run', figures: { connected: 100, onsetS: 1.02, failure: null } }],
    trials: [{ verdict: 'refuted', pass: outcome === 'refuted', checks: [{ text: 'connected[a] == 100', pass: outcome === 'refuted', detail: '100 == 100' }] }],
    ...extra,
  };
}

const CATALOG: CatalogResult = {
  version: '0.1.0',
  startedAt: '2026-12-01T05:00:00.000Z',
  durationMs: 77_300,
  parallel: 4,
  kernel: '6.18.44',
  interrupted: false,
  pass: false,
  claims: [
    claim(1, 'confirmed'),
    claim(4, 'refuted', { claim: 'Pipes | and <tags> & `ticks` stay text.' }),
    claim(5, 'confirmed-with-caveat', { caveat: 'only with timestamps' }),
    claim(6, 'inconclusive'),
    claim(6 + 1, 'pending', { pending: 'needs bind strategies', cells: [], trials: [], measured: '', why: 'pending: needs bind strategies', expected: null }),
    claim(11, 'refuted', { cells: [{ name: 'recycle', kind: 'run', figures: { failure: 'SYSCTL_REFUSED' }, error: 'the lab refused net.ipv4.tcp_tw_recycle = 1' }] }),
  ],
};

test('docs/claims.md: a verdict table, then a section per claim; its verdicts read back exactly', () => {
  const markdown = renderClaimsMarkdown(CATALOG);
  assert.deepEqual(
    [...verdictsOfCatalog(markdown)],
    [[1, 'confirmed'], [4, 'refuted'], [5, 'confirmed-with-caveat'], [6, 'inconclusive'], [7, 'pending'], [11, 'refuted']],
  );
  const lines = markdown.split('\n');
  assert.ok(lines.includes('Measured 2026-12-01 on Linux 6.18.44 with portlab 0.1.0: 5 claims judged (1 pending) in 1 min 17 s, 4 labs at a time.'));
  assert.ok(lines.includes('| 4 | refuted | [Pipes \\| and &lt;tags> &amp; \\`ticks\\` stay text.](#claim-4) | 100 connections |'));
  assert.ok(lines.includes('| 7 | pending | [Claim number 7.](#claim-7) | needs bind strategies |'));
  assert.ok(lines.includes('- **Verdict:** **confirmed with a caveat**'));
  assert.ok(lines.includes('- **Caveat:** only with timestamps'));
  assert.ok(lines.includes('- **Verdict:** **inconclusive** (expected: refuted)'));
  assert.ok(lines.includes('    - holds: `connected[a] == 100`: 100 == 100'));
  assert.ok(lines.includes('| `a` | 100 | 1.02 |'));
  assert.ok(lines.includes('| `recycle` (did not run: the lab refused net.ipv4.tcp_tw_recycle = 1) |  |  |'));
  assert.ok(lines.includes('- **Verdict:** pending: needs bind strategies'));
  assert.ok(lines.includes('| `lostRounds` | rounds in which connect() failed with exactly one port of the range still free |'), 'the legend lists probe figures');
});

test('verdictsOfCatalog ignores every other table row and text', () => {
  assert.deepEqual([...verdictsOfCatalog('| 3 | maybe | x |\n| cell | 1 |\n| 12 | refuted | y |\ntext | 4 | confirmed |\n')], [[12, 'refuted']]);
});

test('the terminal: each claim, its verdict, what was measured and why, the total and what went wrong', () => {
  const text = renderClaimsTerminal(CATALOG, { color: false, width: 100 });
  const lines = text.split('\n');
  assert.ok(lines.includes('1. Claim number 1.'));
  assert.ok(lines.includes('    confirmed'));
  assert.ok(lines.includes('    inconclusive (expected refuted)'));
  assert.ok(lines.includes('    measured: 100 connections'));
  assert.ok(lines.includes('    caveat: only with timestamps'));
  assert.ok(lines.includes('    cell a: connected 100, onsetS 1.02'));
  assert.ok(lines.includes('    pending: needs bind strategies'));
  assert.ok(lines.includes('5 claims judged, 1 pending in 77.3 s, 4 labs at a time'));
  assert.ok(lines.includes('1 reached another verdict than expected: 6 (inconclusive, expected refuted)'));
});
