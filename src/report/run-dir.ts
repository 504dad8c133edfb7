/**
 * A run's results folder, reserved before its lab is made: created exclusively (mkdir without `recursive`,
 * so a folder that exists is never reused: two runs started in the same second get `<id>` and `<id>-2`) and
 * proven writable, so a read-only `--out` or a name too long for the file system fails in a second with the
 * path, not after the whole run with its results lost.
 */
import { mkdir, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { errnoCode, PortlabError } from '../errors/index.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/** Suffixes tried after the plain id (`-2` ... ): more clashes than this in one second is not a clash. */
const MAX_SUFFIX = 100;

export interface ReservedRunDir {
  /** The folder, created and empty. */
  dir: string;
  /** Its name: the run id, with a suffix where another run had the plain one. */
  runId: string;
}

function unwritable(path: string, err: unknown): PortlabError {
  const code = errnoCode(err, 'EUNKNOWN');
  const why: Record<string, string> = {
    EROFS: 'the file system is read-only',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENAMETOOLONG: 'the name is too long for the file system (shorten the scenario name)',
    ENOTDIR: 'a part of the path is a file, not a folder',
    ENOSPC: 'no space left on the device',
  };
  return new PortlabError('OUTPUT_UNWRITABLE', `cannot write results to ${resolve(path)}: ${why[code] ?? code}`, {
    hint: 'pass --out with a writable folder (results/ by default); nothing was run',
    cause: err,
  });
}

/**
 * A recursive mkdir reports ENOENT on a read-only file system (it gives up on the missing path): make the
 * first missing folder alone, under the deepest one that exists, to get the kernel's real answer (EROFS ...).
 */
async function realCause(path: string, err: unknown): Promise<unknown> {
  if (errnoCode(err) !== 'ENOENT') return err;
  let missing = resolve(path);
  while (dirname(missing) !== missing) {
    try {
      await stat(dirname(missing));
      break;
    } catch {
      missing = dirname(missing);
    }
  }
  try {
    await mkdir(missing);
    await rmdir(missing);
    return err;
  } catch (real) {
    return real;
  }
}

/** Creates `outDir/runId` (or `runId-N` where that exists) and checks that a file can be written in it. */
export async function reserveRunDir(outDir: string, runId: string): Promise<ReservedRunDir> {
  try {
    await mkdir(outDir, { recursive: true });
  } catch (err) {
    throw unwritable(outDir, await realCause(outDir, err));
  }
  for (let n = 1; n <= MAX_SUFFIX; n++) {
    const id = n === 1 ? runId : `${runId}-${n}`;
    const dir = join(outDir, id);
    try {
      await mkdir(dir);
    } catch (err) {
      if (errnoCode(err) === 'EEXIST') continue;
      throw unwritable(dir, err);
    }
    try {
      // mkdir can succeed where files cannot be written (a quota, an odd mount): try one for real.
      const probe = join(dir, '.write-check');
      await writeFileAtomic(probe, '');
      await rm(probe);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw unwritable(dir, err);
    }
    return { dir, runId: id };
  }
  throw new PortlabError('OUTPUT_UNWRITABLE', `cannot reserve a results folder for ${runId} in ${resolve(outDir)}: ${MAX_SUFFIX} exist already`, {
    hint: 'pass another --out, or clear old results',
  });
}

/** Gives back a reserved folder that got no results (the lab could not be made): nothing empty is left. */
export async function releaseRunDir(dir: string): Promise<void> {
  try {
    await rmdir(dir);
  } catch {
    // Not empty (results were written) or already gone: keep whatever is there.
  }
}
