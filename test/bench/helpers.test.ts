import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs, stamp } from '../../bench/args.js';
import { labPrelude, lastJsonLine } from '../../bench/lab.js';
import { cpuModelOf } from '../../bench/machine.js';
import { replaceBenchmarksSection } from '../../bench/readme.js';
import { samplerShare, syntheticParseMs } from '../../bench/sections/sampler.js';
import { extrapolate } from '../../bench/sections/scale.js';
import { syntheticProcNetTcp } from '../../bench/synthetic.js';
import { classifyTcp } from '../../src/sampler/classify-tcp.js';

test('replaceBenchmarksSection replaces only its own section, or appends one', () => {
  const readme = '# portlab\n\nintro\n\n## Benchmarks\n\nold table\n\n### sub\nold\n\n## License\n\nMIT\n';
  const out = replaceBenchmarksSection(readme, 'new table');
  assert.equal(out, '# portlab\n\nintro\n\n## Benchmarks\n\nnew table\n\n## License\n\nMIT\n');
  assert.equal(replaceBenchmarksSection('# p\n', 'T'), '# p\n\n## Benchmarks\n\nT\n');
  assert.equal(replaceBenchmarksSection(out, 'new table'), out, 'idempotent');
});

test('parseArgs: flags, sections, and errors for anything unknown', () => {
  const all = parseArgs([], '/out');
  assert.equal(all.quick, false);
  assert.equal(all.only.size, 8);
  const some = parseArgs(['--quick', '--readme', '--only', 'churn,lag', '--out', '/x'], '/out');
  assert.deepEqual([some.quick, some.readme, [...some.only], some.outDir], [true, true, ['churn', 'lag'], '/x']);
  assert.throws(() => parseArgs(['--only', 'churn,nope'], '/out'), /nope/);
  assert.throws(() => parseArgs(['--fast'], '/out'), /unknown flag --fast/);
});

test('stamp is sortable and file-name safe', () => {
  assert.equal(stamp(new Date('2026-11-21T10:45:03.123Z')), '2026-11-21-104503');
});

test('labPrelude brings loopback up, writes each sysctl, raises the open-files limit', () => {
  const text = labPrelude({ 'net.ipv4.ip_local_port_range': '1024 65535' });
  assert.match(text, /ip link set lo up/);
  assert.match(text, /echo "1024 65535" > \/proc\/sys\/net\/ipv4\/ip_local_port_range/);
  assert.match(text, /ulimit -n "\$\(ulimit -Hn\)"/);
});

test('lastJsonLine finds the result line among logs', () => {
  assert.deepEqual(lastJsonLine('log\n{"runner":"load","x":1}\n{"other":2}\nbye\n', 'runner'), { runner: 'load', x: 1 });
  assert.equal(lastJsonLine('nothing', 'runner'), null);
});

test('cpuModelOf reads /proc/cpuinfo', () => {
  assert.equal(cpuModelOf('processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t: x\n'), 'AMD EPYC 7B13');
  assert.equal(cpuModelOf(''), 'unknown');
});

test('synthetic /proc/net/tcp text classifies as N client TIME_WAIT rows plus one listener', () => {
  const counts = classifyTcp(syntheticProcNetTcp(1000), { ephemeral: { low: 1024, high: 65535 }, targetPorts: [9000] });
  assert.equal(counts.rows, 1001);
  assert.equal(counts.clientTimeWait, 1000);
  assert.ok(syntheticParseMs(1000, 3) > 0);
});

test('samplerShare and extrapolate do the arithmetic the table shows', () => {
  assert.ok(Math.abs(samplerShare(0.01, 100) - 10.01) < 1e-9, 'sockstat 10 us every 100 ms + tcp 100 ms every 1 s');
  assert.equal(extrapolate({ n: 1000, bytes: 100 }, { n: 2000, bytes: 200 }, 6000), 600);
});
