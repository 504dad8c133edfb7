/**
 * `portlab doctor --container`: against the real Docker engine, a container with no network (`--network
 * none`, as the docker lab starts them) holding known sockets in its own namespace (IPv4 only: docker turns IPv6 off there). Doctor, given the
 * container's id or name, reads that namespace (not the host's): its counts equal `ss` run inside it. The
 * container is removed by id whatever happens.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import type { DoctorReport } from '../../src/doctor/types.js';
import { LABEL, RUN_LABEL } from '../../src/lab/docker/client.js';
import { runCli } from '../helpers/cli.js';
import { engineOrSkip } from '../lab/docker/engine.js';
import { parseSsTan } from '../sampler/fixtures.js';
import { startHolder } from './holder.js';

const LIFE_MS = 120_000;

test('doctor --container reads the container namespace: counts equal ss inside it', { timeout: 180_000 }, async (t) => {
  const engine = await engineOrSkip(t);
  if (!engine) return;
  const name = `portlab-doctortest-${process.pid}`;
  const container = await engine.docker.createContainer({
    name,
    Image: engine.image,
    // Idles, bounded: the sockets are made from outside, in its namespace.
    Cmd: ['node', '-e', `setTimeout(() => {}, ${LIFE_MS})`],
    Labels: { [LABEL]: '1', [RUN_LABEL]: name },
    HostConfig: { NetworkMode: 'none', AutoRemove: true },
  });
  let holder: Awaited<ReturnType<typeof startHolder>> | undefined;
  try {
    await container.start();
    const { State } = await container.inspect();
    const pid = String(State.Pid);
    // The holder joins the container's network namespace only (it runs the host's node and files).
    holder = await startHolder(['nsenter', '-t', pid, '-n'], [7, 0, 3, 1]);
    const ss = parseSsTan(execFileSync('nsenter', ['-t', pid, '-n', 'ss', '-tan'], { encoding: 'utf8' }));
    const expected: Record<string, number> = {};
    for (const row of ss) expected[row.state] = (expected[row.state] ?? 0) + 1;
    assert.deepEqual(expected, { LISTEN: 3, TIME_WAIT: 7, ESTABLISHED: 6, CLOSE_WAIT: 1, FIN_WAIT2: 1 });

    for (const id of [container.id, name]) {
      const result = await runCli(['doctor', '--container', id, '--json', '--window', '200ms'], { timeoutMs: 30_000 });
      const report = JSON.parse(result.stdout) as DoctorReport;
      assert.equal(report.target.kind, 'container');
      assert.equal(report.target.label, `container ${name} (pid ${pid})`);
      assert.deepEqual(report.sockets.byState, expected, id);
      assert.equal(report.reader.name, 'netlink');
      assert.deepEqual(report.timeWait.byDestination, [{ destination: '127.0.0.1:9000', timeWait: 7 }]);
      // 7 of the 100 ports of 40000-40099 (hold-sockets' range) on the busiest tuple: ok.
      assert.equal(result.code, 0, result.stderr);
    }
    const missing = await runCli(['doctor', '--container', `${name}-absent`], { timeoutMs: 30_000 });
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /no container "portlab-doctortest-\d+-absent"/);
  } finally {
    holder?.stop();
    await container.remove({ force: true }).catch(() => {});
  }
});
