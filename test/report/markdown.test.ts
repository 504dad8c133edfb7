import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { formatAtMs, formatCount } from '../../src/report/format.js';
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
  const summary = await loadFixture('no-pooling');
  const md = renderMarkdown(summary);
  assert.match(md, /^## ✅ portlab: no-pooling/);
  assert.ok(md.includes(`> **Diagnosis:** ${escapeMarkdown(summary.diagnosis)}\n`));
  const { onset, totals, peak, lab } = summary;
  assert.ok(md.includes(`| Errors | EADDRNOTAVAIL ${formatCount(totals.errors.EADDRNOTAVAIL!)} |`));
  assert.ok(md.includes(`| First failure (onset) | EADDRNOTAVAIL at ${formatAtMs(onset!.atMs)} (predicted ${formatAtMs(onset!.predictedAtMs!)}) |`));
  assert.ok(md.includes(`| Peak client TIME_WAIT | ${peak.clientTimeWait} of ${lab.portRange.size} ports (`));
  // Client TIME_WAIT climbs over the first 2 s and then holds the whole range.
  const spark = /`([▁▂▃▄▅▆▇█]+)`/.exec(md)?.[1];
  assert.ok(spark, 'sparkline present');
  assert.equal([...spark].length, summary.intervals.length);
  assert.equal([...spark].at(-1), '█');
  assert.notEqual([...spark][0], '█');
  assert.equal((md.match(/^\| ✅ \|/gm) ?? []).length, summary.expectations.length);
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
