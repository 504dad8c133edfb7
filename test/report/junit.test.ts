import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderJunit } from '../../src/report/junit.js';
import type { RunSummary } from '../../src/metrics/types.js';
import { loadFixture, withFailedExpectation, withHostileText } from './fixture.js';

/**
 * A strict-enough XML check for tests: one declaration, balanced tags, quoted attributes, no bare "<" or "&"
 * in text or attribute values, no characters XML 1.0 forbids.
 */
function assertWellFormed(xml: string): void {
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/);
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(xml, /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/, 'forbidden control characters');
  const body = xml.replace(/^<\?xml[^>]*\?>/, '');
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w.:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of body.matchAll(token)) {
    if (m[6]) assert.fail(`bare "<" at ${m.index}: ${body.slice(m.index, m.index + 40)}`);
    const text = m[5] ?? m[3] ?? '';
    assert.doesNotMatch(text, /&(?!(amp|lt|gt|quot|apos|#\d+);)/, `bare "&" near ${m.index}`);
    if (m[5] !== undefined) continue;
    if (m[1] === '/') assert.equal(stack.pop(), m[2], `closing </${m[2]}>`);
    else if (m[4] !== '/') stack.push(m[2]!);
  }
  assert.deepEqual(stack, [], 'every element closed');
}

function cases(xml: string): { name: string; failure: string | null }[] {
  return [...xml.matchAll(/<testcase [^>]*name="([^"]*)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => ({
    name: m[1]!,
    failure: /<failure [^>]*message="([^"]*)"/.exec(m[3] ?? '')?.[1] ?? null,
  }));
}

test('one passing test case per expectation, in a suite named after the scenario', async () => {
  const xml = renderJunit(await loadFixture('no-pooling'));
  assertWellFormed(xml);
  // The run lasted 5003.1 ms.
  assert.ok(xml.includes('<testsuite name="no-pooling" tests="3" failures="0" errors="0" skipped="0" time="5.003"'));
  assert.deepEqual(cases(xml), [
    { name: 'eaddrnotavail: exhaustion happens', failure: null },
    { name: 'onset within 1.5s..2.6s', failure: null },
    { name: 'minClientTimeWait', failure: null },
  ]);
});

test('a failed expectation is a failure whose message carries the measured values', async () => {
  const summary = withFailedExpectation(await loadFixture('no-pooling'));
  const xml = renderJunit(summary);
  assertWellFormed(xml);
  assert.ok(xml.includes('<testsuites name="portlab" tests="4" failures="1"'));
  const failed = cases(xml).filter((c) => c.failure !== null);
  assert.equal(failed.length, 1);
  assert.equal(failed[0]!.failure, 'maxClientTimeWait: 100: peak client TIME_WAIT 200 &gt; 100 &lt;limit&gt; &amp; &quot;quoted&quot;');
  // The body lists the key figures too, so the CI view shows the whole picture.
  assert.match(xml, /<failure [^>]*>[^<]*Peak client TIME_WAIT: 200 of 200 ports[^<]*<\/failure>/);
});

test('no expectations: a single passing "run completed" case', async () => {
  const summary: RunSummary = await loadFixture('keep-alive-pool');
  summary.expectations = [];
  const xml = renderJunit(summary);
  assertWellFormed(xml);
  assert.deepEqual(cases(xml), [{ name: 'run completed', failure: null }]);
});

test('hostile names and control characters still give well-formed XML', async () => {
  const summary = withHostileText(withFailedExpectation(await loadFixture('no-pooling')));
  summary.scenario.description += '\u0001\u001b[31m';
  summary.diagnosis += ' \u0007 ]]> <![CDATA[';
  const xml = renderJunit(summary);
  assertWellFormed(xml);
  assert.match(xml, /<testsuite name="&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; \| pipes"/);
});
