// Output through a pipe whose reader is slow (`portlab ... --json | jq`) must arrive whole: the CLI exits
// only once stdout is flushed (it used to cut a 230 kB compare.json at 219,264 bytes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, tempDir } from '../helpers/cli.js';

test('a large --json output through a slow pipe arrives whole', { timeout: 60_000 }, async () => {
  // No sysctls of its own, so validate asks no namespace about them: only the output is under test.
  const file = join(tempDir(), 'plain.yaml');
  writeFileSync(file, 'name: plain\nduration: 1s\nclient: { rate: 1 }\n');
  const files = Array.from({ length: 400 }, () => file);
  const child = spawn(process.execPath, [BIN, 'validate', '--json', ...files], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  // Read nothing for a while, so the pipe fills and the writer must wait.
  child.stdout.pause();
  await new Promise((r) => setTimeout(r, 1500));
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  assert.equal(code, 0);
  assert.ok(text.length > 300_000, `${text.length} bytes`);
  const reports = JSON.parse(text) as unknown[];
  assert.equal(reports.length, 400);
});
