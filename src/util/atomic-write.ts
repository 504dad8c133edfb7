/**
 * Writes a file so that a reader (a CI step, a second run, `portlab report`) sees either the old content or
 * the whole new one, never a half-written file: write a temp file beside it, then rename over it (atomic on
 * one file system). The temp file is removed when the write fails.
 */
import { rename, rm, writeFile } from 'node:fs/promises';

let counter = 0;

/** The temp name beside `path`: hidden, and unique per process and call. */
export function tempPathFor(path: string): string {
  counter += 1;
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.${process.pid}.${counter}.tmp`;
}

export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const temp = tempPathFor(path);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
