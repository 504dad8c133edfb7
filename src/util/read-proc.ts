/**
 * Reads a /proc text file whole, fast. procfs files report size 0, so readFileSync reads them in 64 KiB
 * steps and re-joins the parts; /proc/net/tcp with 60,000 sockets is 9 MB, and reading it in 1 MiB steps
 * into one reused buffer took 77 ms against 100 ms (measured). The text is ASCII: latin1 decodes it exactly
 * and faster than UTF-8.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const STEP_BYTES = 1 << 20;

/** One buffer per thread, grown to the largest file read so far and kept (16 MiB at 60,000 sockets). */
let buffer = Buffer.allocUnsafe(STEP_BYTES);

/** The whole file as text; throws like fs.openSync/readSync (ENOENT for a missing tcp6). */
export function readProcText(path: string): string {
  const fd = openSync(path, 'r');
  try {
    let length = 0;
    for (;;) {
      if (buffer.length - length < STEP_BYTES) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, length, STEP_BYTES, null);
      if (read === 0) break;
      length += read;
    }
    return buffer.toString('latin1', 0, length);
  } finally {
    closeSync(fd);
  }
}
