import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { escapeMarkdown, escapeMarkdownLine, renderMarkdown } from '../../src/report/markdown.js';
import { fixtureDir, loadFixture, withFailedExpectation, withHostileText } from './fixture.js';

/** Compares with the stored snapshot; UPDATE_SNAPSHOTS=1 rewrites it instead (review the diff!). */
async function matchSnapshot(actual: string, file: string): Promise<void> {
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    await writeFile(file, actual);
    return;
  }
  const expected = await readFile(file, 'utf8').catch(() => {
    throw new Error(`snapshot ${file} is missing: run the tests with UPDATE_SNAPSHOTS=1 to create it`);
  });
  assert.equal(actual, expected, `report.md differs from ${file}; if the change is intended, rerun with UPDATE_SNAPSHOTS=1`);
}

for (const name of ['no-pooling', 'keep-alive-pool'] as const) {
  test(`report.md of the ${name} fixture matches its snapshot`, async () => {
    await matchSnapshot(renderMarkdown(await loadFixture(name)), `${fixtureDir(name)}report.expected.md`);
  });
}

test('report.md tells the story: verdict, diagnosis, key figures, sparkline, expectations', async () => {
  const md = renderMarkdown(await loadFixture('no-pooling'));
  assert.match(md, /^## ✅ portlab: no-pooling/);
  // The fixture's diagnosis as it was written when the run was captured; the pipeline tests guard the wording.
  assert.ok(
    md.includes(
      '> **Diagnosis:** connect() failed with EADDRNOTAVAIL from 2s (predicted 2s; 300 failures): the client closes first, so each ' +
        'connection kept its port in TIME_WAIT for 60 s, and 200 client sockets in TIME_WAIT (200 ports in use) had used up the 200 ' +
        'ports (40000-40199) at 100/s. Reuse connections (a keep-alive pool), spread over more destinations or source addresses, or ' +
        'stay under 3.3/s.\n',
    ),
  );
  for (const row of [
    '| Load | churn, close: client, 100/s for 5s |',
    '| Lab | userns, 40000-40199 (200 ports) |',
    '| Connection attempts | 500 |',
    '| Errors | EADDRNOTAVAIL 300 |',
    '| First failure (onset) | EADDRNOTAVAIL at 2.0s (predicted 2.0s) |',
    '| Peak client TIME_WAIT | 200 of 200 ports (100%) |',
    '| Connect latency | p50 297µs, p99 545µs |',
    '| Expectations | passed (3/3) |',
  ]) {
    assert.ok(md.includes(`${row}\n`), row);
  }
  // Client TIME_WAIT climbs over the first 2 s and then holds the whole range: one bar per interval, scaled to the range.
  assert.ok(md.includes('**Client TIME_WAIT** over 5s (█ = all 200 ports): `▁▁▁▄▄▄▄█████████████` peak 200\n'));
  assert.ok(md.includes('| ✅ | onset within 1.5s..2.6s | onset at 2s |\n'));
  assert.equal((md.match(/^\| ✅ \|/gm) ?? []).length, 3);
});

test('a failed expectation shows ❌ in the title and its row', async () => {
  const md = renderMarkdown(withFailedExpectation(await loadFixture('no-pooling')));
  assert.match(md, /^## ❌ /);
  assert.match(md, /\| ❌ \| maxClientTimeWait: 100 \| peak client TIME_WAIT 200 > 100 &lt;limit> &amp; "quoted" \|/);
});

test('user text cannot break the table or inject HTML', async () => {
  const md = renderMarkdown(withHostileText(await loadFixture('no-pooling')));
  assert.ok(!md.includes('<script>'), 'no raw <script>');
  assert.ok(!md.includes('<img'), 'no raw <img');
  assert.match(md, /^## ✅ portlab: &lt;script>alert\("x"\)&lt;\/script> &amp; \\\| pipes$/m);
  assert.match(md, /^\\# not a heading/m);
});

test('escapeMarkdown keeps TIME_WAIT readable but escapes emphasis and pipes', () => {
  assert.equal(escapeMarkdown('client TIME_WAIT'), 'client TIME_WAIT');
  assert.equal(escapeMarkdown('_x_ *y* a|b'), '\\_x\\_ \\*y\\* a\\|b');
  assert.equal(escapeMarkdown('two\nlines'), 'two lines');
  assert.equal(escapeMarkdownLine('1. first'), '1\\. first');
  assert.equal(escapeMarkdownLine('- item'), '\\- item');
});

test('a run without expectations says so', async () => {
  const summary = await loadFixture('keep-alive-pool');
  summary.expectations = [];
  const md = renderMarkdown(summary);
  assert.match(md, /^## ℹ️ portlab: keep-alive-pool/);
  assert.match(md, /None set/);
});
