/** A folder nobody can write to, root included, for the results-folder tests. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

/** A folder that even root cannot write: a read-only tmpfs (root), or mode 555 (anyone else). Null: skipped. */
export function readOnlyDir(t: TestContext): { dir: string; dispose(): void } | null {
  const dir = mkdtempSync(join(tmpdir(), 'portlab-ro-'));
  if (process.getuid?.() !== 0) {
    execFileSync('chmod', ['555', dir]);
    return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  }
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    t.skip('root, but cannot mount a read-only tmpfs here');
    return null;
  }
  return {
    dir,
    dispose: () => {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

