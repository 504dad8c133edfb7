/**
 * Ctrl-C on `portlab run --lab docker`: the load stops, partial results are written (interrupted: true),
 * the exit code is 130, and both containers are gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listLabContainers } from '../../../src/lab/docker/index.js';
import type { RunSummary } from '../../../src/metrics/types.js';
import { CLI, engineOrSkip, sleep } from './engine.js';

test('docker lab: SIGINT after 3 s of load exits 130 with interrupted results and no container left', async (t) => {
  const engine = await engineOrSkip(t);
  if (!engine) return;
  const out = mkdtempSync(join(tmpdir(), 'portlab-docker-int-'));
  const before = new Set((await listLabContainers(engine.docker)).map((c) => c.id));
  try {
    const child = spawn(
      process.execPath,
      [CLI, 'run', '--rate', '100', '--port-range', '40000-40199', '--tw-reuse', '0', '--duration', '20s', '--lab', 'docker', '--out', out],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let stderr = '';
    child.stderr.setEncoding('utf8');
    const ready = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: string) => {
        stderr += chunk;
        if (/in the docker lab/.test(stderr)) resolve();
      });
      void exited.then(() => reject(new Error(`portlab exited before the lab was ready:\n${stderr}`)));
    });
    child.stdout.resume();
    await ready;
    const fresh = (await listLabContainers(engine.docker)).filter((c) => !before.has(c.id));
    const runs = new Set(fresh.map((c) => c.run).filter((run): run is string => run !== undefined));
    assert.equal(fresh.length, 2, 'a target and a driver container');
    assert.equal(runs.size, 1, 'one run, two containers, while the load runs');
    // After the exhaustion, however late a loaded machine started the load.
    const deadline = Date.now() + 20_000;
    while (!/ onset \d/.test(stderr) && Date.now() < deadline) await sleep(100);
    await sleep(500);
    child.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 130, stderr);

    const dirs = readdirSync(out);
    assert.equal(dirs.length, 1);
    const summary = JSON.parse(readFileSync(join(out, dirs[0]!, 'summary.json'), 'utf8')) as RunSummary;
    assert.equal(summary.interrupted, true);
    assert.equal(summary.lab.kind, 'docker');
    assert.ok(summary.totals.attempts >= 200 && summary.totals.attempts < 1000, `attempts ${summary.totals.attempts}`);
    for (const run of runs) assert.deepEqual(await listLabContainers(engine.docker, run), [], `containers of run ${run}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
