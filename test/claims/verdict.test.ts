import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkClaimText } from '../../src/claims/file.js';
import { runFigures } from '../../src/claims/figures.js';
import { rejudge, runClaims, savedCells } from '../../src/claims/run-claims.js';
import type { CellResult, ClaimDef, ProbeSpec } from '../../src/claims/types.js';
import { decideClaim } from '../../src/claims/verdict.js';
import type { ComparePlan } from '../../src/config/compare-file.js';
import type { CompareCell, CompareResult } from '../../src/metrics/compare.js';
import type { RunSummary } from '../../src/metrics/types.js';
import { isPortlabError } from '../../src/errors/index.js';
import { loadFixture } from '../report/fixture.js';

/** Claim 4's shape: refuted when the lower fin_timeout changes nothing, confirmed when ports come back. */
const FIN_TIMEOUT = `id: 4
title: fin timeout
claim: Lowering tcp_fin_timeout frees ports sooner.
source: tuning guides
behaviour: TIME_WAIT lasts 60 s.
expected: refuted
base:
  name: fin
  duration: 2s
  client: { rate: 100/s }
matrix:
  fin-timeout: [60, 1]
measured: "{connected[fin-timeout=1]} vs {connected[fin-timeout=60]}"
verdicts:
  refuted:
    - connected[fin-timeout=1] == portRangeSize[fin-timeout=1]
    - connected[fin-timeout=1] == connected[fin-timeout=60]
  confirmed:
    - connected[fin-timeout=1] > 1.5 * connected[fin-timeout=60]
`;

/** Claim 6's shape: a cell that cannot start decides it, a control cell shows the lab works. */
const RECYCLE = `id: 6
title: recycle
claim: tcp_tw_recycle recycles faster.
source: old guides
behaviour: removed in 4.12.
expected: refuted
base:
  name: recycle
  duration: 1s
  client: { rate: 10/s }
variants:
  - { name: control, lab: { sysctls: { net.ipv4.tcp_tw_reuse: 1 } } }
  - { name: recycle, lab: { sysctls: { net.ipv4.tcp_tw_recycle: 1 } } }
verdicts:
  refuted:
    - failure[recycle] == SYSCTL_REFUSED
    - failure[control] == none
  confirmed:
    - failure[recycle] == none
`;

const PROBED = `id: 8
title: order
claim: Ports are sequential.
source: folklore
behaviour: hashed start, parity scan.
expected: refuted
probes:
  - { name: order, kind: ports-chosen, connections: 4 }
verdicts:
  refuted:
    - sequential == 0
  confirmed:
    - sequential == 1
`;

const PENDING = `id: 13
title: nat
claim: A NAT runs out because of TIME_WAIT.
source: cloud docs
behaviour: conntrack takes over TIME_WAIT entries.
pending: needs the NAT lab
`;

function claimOf(text: string): ClaimDef {
  const { claim, problems } = checkClaimText({ text, fileName: 'claim.yaml' });
  assert.deepEqual(problems.filter((p) => p.severity === 'error'), []);
  return claim!;
}

/** A fixture run with the counts a cell should show: `connected` connections on a range of `ports`. */
function summaryWith(base: RunSummary, connected: number, ports = 200): RunSummary {
  const copy = structuredClone(base);
  copy.totals.connected = connected;
  copy.lab.portRange = { low: 40000, high: 40000 + ports - 1, size: ports };
  return copy;
}

/** runCompare's stand-in: each cell's summary (or its lab error) from the table, by pool name. */
function fakeCompare(results: Record<string, RunSummary | 'SYSCTL_REFUSED'>, seen: string[] = []) {
  return async (plan: ComparePlan): Promise<CompareResult> => {
    seen.push(...plan.cells.map((c) => c.name));
    const cells = plan.cells.map((cell, i): CompareCell => {
      const result = results[cell.name];
      if (result === undefined) throw new Error(`no result for ${cell.name}`);
      const dir = `cells/${i + 1}`;
      if (result === 'SYSCTL_REFUSED') return { name: cell.name, overrides: cell.overrides, variant: cell.variant, dir, summary: null, error: 'the lab refused it', errorCode: 'SYSCTL_REFUSED', pass: false };
      return { name: cell.name, overrides: cell.overrides, variant: cell.variant, dir, summary: result, pass: true };
    });
    return { version: '0', name: plan.name, description: '', startedAt: '2026-12-01T00:00:00.000Z', durationMs: 10, parallel: 2, interrupted: false, baseline: null, cells, pass: true };
  };
}

const sequentialProbe = (sequential: number) => async (spec: ProbeSpec): Promise<CellResult> => ({ name: spec.name, kind: 'probe', figures: { sequential, failure: null } });

test('every claim runs in one pool (cells named <id>:<cell>); each verdict is decided from its own cells', async () => {
  const fixture = await loadFixture('no-pooling');
  const dir = await mkdtemp(join(tmpdir(), 'claims-'));
  const seen: string[] = [];
  const { catalog } = await runClaims([claimOf(FIN_TIMEOUT), claimOf(RECYCLE), claimOf(PROBED), claimOf(PENDING)], {
    dir,
    parallel: 2,
    runCompare: fakeCompare({ '4:fin-timeout=60': summaryWith(fixture, 200), '4:fin-timeout=1': summaryWith(fixture, 200), '6:control': summaryWith(fixture, 10), '6:recycle': 'SYSCTL_REFUSED' }, seen),
    runProbe: sequentialProbe(0),
  });
  assert.deepEqual(seen, ['4:fin-timeout=60', '4:fin-timeout=1', '6:control', '6:recycle']);
  assert.deepEqual(catalog.claims.map((c) => [c.id, c.outcome]), [[4, 'refuted'], [6, 'refuted'], [8, 'refuted'], [13, 'pending']]);
  assert.equal(catalog.pass, true);
  const fin = catalog.claims[0]!;
  assert.equal(fin.measured, '200 vs 200');
  assert.equal(fin.why, 'connected[fin-timeout=1] == portRangeSize[fin-timeout=1] (200 == 200); connected[fin-timeout=1] == connected[fin-timeout=60] (200 == 200)');
  assert.deepEqual(fin.cells.map((c) => c.name), ['fin-timeout=60', 'fin-timeout=1']);
  assert.deepEqual(catalog.claims[1]!.cells.map((c) => [c.name, c.figures.failure, c.error ?? null]), [['control', null, null], ['recycle', 'SYSCTL_REFUSED', 'the lab refused it']]);
  assert.equal(catalog.claims[3]!.why, 'pending: needs the NAT lab');
});

test('another verdict than expected, or none, fails the catalog', async () => {
  const fixture = await loadFixture('no-pooling');
  const dir = await mkdtemp(join(tmpdir(), 'claims-'));
  const confirmed = await runClaims([claimOf(FIN_TIMEOUT)], { dir, parallel: 1, runCompare: fakeCompare({ '4:fin-timeout=60': summaryWith(fixture, 200), '4:fin-timeout=1': summaryWith(fixture, 600) }) });
  assert.equal(confirmed.catalog.claims[0]!.outcome, 'confirmed');
  assert.equal(confirmed.catalog.pass, false);
  const neither = await runClaims([claimOf(FIN_TIMEOUT)], { dir, parallel: 1, runCompare: fakeCompare({ '4:fin-timeout=60': summaryWith(fixture, 200), '4:fin-timeout=1': summaryWith(fixture, 240) }) });
  assert.equal(neither.catalog.claims[0]!.outcome, 'inconclusive');
  assert.equal(
    neither.catalog.claims[0]!.why,
    'not refuted: connected[fin-timeout=1] == portRangeSize[fin-timeout=1] (240 == 200); not confirmed: connected[fin-timeout=1] > 1.5 * connected[fin-timeout=60] (240 > 300)',
  );
  assert.equal(neither.catalog.pass, false);
});

test('two verdicts that both hold do not decide: inconclusive', async () => {
  const overlapping = PROBED.replace('    - sequential == 1', '    - sequential < 1');
  const result = decideClaim(claimOf(overlapping), [{ name: 'order', kind: 'probe', figures: { sequential: 0 } }]);
  assert.equal(result.outcome, 'inconclusive');
  assert.equal(result.why, 'the checks of refuted and confirmed all hold: they do not tell the verdicts apart');
});

test('a missing cell (an interrupted run) reads as none, so its checks fail rather than pass', () => {
  const result = decideClaim(claimOf(PROBED), []);
  assert.equal(result.outcome, 'inconclusive');
  assert.equal(result.why, 'not refuted: sequential == 0 (none == 0); not confirmed: sequential == 1 (none == 1)');
});

test('run figures: counts, onset, peaks, counters by prefix (0 when absent) and sysctls as read back', async () => {
  const figures = runFigures(await loadFixture('no-pooling'));
  assert.deepEqual(
    [figures.attempts, figures.connected, figures.errors, figures.exhausted, figures.onsetMs, figures.onsetS, figures.predictedOnsetMs, figures.peakClientTimeWait, figures.portRangeSize, figures.scheduleLagMaxMs],
    [500, 200, 300, 1, 2002, 2, 2000, 200, 200, 3],
  );
  assert.deepEqual([figures['errors.EADDRNOTAVAIL'], figures['netstat.TW'], figures['sysctl.net.core.somaxconn'], figures['sysctl.net.ipv4.ip_local_port_range'], figures.failure], [300, 199, 4096, '40000\t40199', null]);
  const decided = decideClaim(claimOf(FIN_TIMEOUT.replace('connected[fin-timeout=60]\n  confirmed', 'connected[fin-timeout=60]\n    - errors.ECONNRESET[fin-timeout=1] == 0\n  confirmed')), [
    { name: 'fin-timeout=60', kind: 'run', figures },
    { name: 'fin-timeout=1', kind: 'run', figures },
  ]);
  assert.equal(decided.outcome, 'refuted');
});

test('a saved claims.json is judged again with the claim files as they are now, without a lab', () => {
  const saved = savedCells(
    {
      version: '0.1.0', startedAt: '2026-12-01T00:00:00.000Z', durationMs: 40_000, parallel: 4, kernel: '6.18', interrupted: false, pass: true,
      claims: [{ id: 8, outcome: 'confirmed', cells: [{ name: 'order', kind: 'probe', figures: { sequential: 0 } }, { name: 'junk' }] }],
    },
    'claims.json',
  );
  const catalog = rejudge([claimOf(PROBED), claimOf(PENDING)], saved);
  assert.deepEqual(catalog.claims.map((c) => [c.id, c.outcome, c.cells.map((cell) => cell.name)]), [[8, 'refuted', ['order']], [13, 'pending', []]]);
  assert.deepEqual([catalog.durationMs, catalog.kernel, catalog.pass], [40_000, '6.18', true]);
  assert.throws(() => savedCells({ claims: [{ id: 'x' }] }, 'claims.json'), (err) => isPortlabError(err) && err.code === 'RESULTS_INVALID');
});
