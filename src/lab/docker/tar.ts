/**
 * A minimal streaming tar (ustar + pax long names) writer for docker build contexts. The image content is
 * ~150 MB (a node binary, its libraries, production node_modules), so entries are streamed from disk,
 * never held in memory. dockerode's own tar-fs packs one directory; our context gathers files from
 * several places (the node runtime, the package) under other paths, so we write the archive ourselves.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

const BLOCK = 512;

export interface TarEntry {
  /** Path inside the archive, '/'-separated, relative ("rootfs/usr/bin/node"). */
  path: string;
  /** Permission bits, e.g. 0o755. */
  mode: number;
  /** Bytes of the content (must match what `source` yields). */
  size: number;
  /** The content: a file on disk (streamed), bytes, or a directory (size 0). */
  source: { file: string } | { data: Buffer } | { directory: true };
}

function writeString(block: Buffer, offset: number, length: number, text: string): void {
  block.write(text.slice(0, length), offset, length, 'utf8');
}

/** Octal, zero-padded to `length - 1` digits plus NUL, as ustar numeric fields are. */
function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  writeString(block, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

/** Splits a path into ustar's prefix (155) and name (100) at a '/', or returns null when it cannot. */
function splitUstarPath(path: string): { prefix: string; name: string } | null {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(name) > 100) return null;
    if (Buffer.byteLength(prefix) <= 155) return { prefix, name };
  }
  return null;
}

/** One 512-byte ustar header. typeflag '0' is a regular file, '5' a directory, 'x' a pax extended header. */
export function tarHeader(path: string, mode: number, size: number, typeflag: '0' | '5' | 'x' = '0'): Buffer {
  const block = Buffer.alloc(BLOCK);
  const split = splitUstarPath(path) ?? { prefix: '', name: path.slice(-100) };
  writeString(block, 0, 100, split.name);
  writeOctal(block, 100, 8, mode & 0o7777);
  writeOctal(block, 108, 8, 0); // uid: root in the image
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, 0); // mtime 0: the same files give the same context, so docker's cache hits
  block.fill(' ', 148, 156); // the checksum is computed with its own field as spaces
  writeString(block, 156, 1, typeflag);
  writeString(block, 257, 6, 'ustar\0');
  writeString(block, 263, 2, '00');
  writeString(block, 345, 155, split.prefix);
  let sum = 0;
  for (const byte of block) sum += byte;
  writeString(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/** A pax record "LEN path=VALUE\n", where LEN counts the whole record including its own digits. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  const bodyBytes = Buffer.byteLength(body);
  let digits = String(bodyBytes).length;
  while (String(bodyBytes + digits).length !== digits) digits++;
  return Buffer.from(`${bodyBytes + digits}${body}`);
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest);
}

/** The header block(s) for an entry: a pax header first when the path does not fit ustar's fields. */
export function entryHeaders(entry: TarEntry): Buffer[] {
  const directory = 'directory' in entry.source;
  const path = directory ? `${entry.path}/` : entry.path;
  const header = tarHeader(path, entry.mode, directory ? 0 : entry.size, directory ? '5' : '0');
  if (splitUstarPath(path) !== null) return [header];
  const record = paxRecord('path', path);
  return [tarHeader('PaxHeader', 0o644, record.length, 'x'), record, padding(record.length), header];
}

/**
 * The entries preceded by every parent directory they need (mode 755, mtime 0). Without them the engine
 * creates the directories with the current time, and the build cache never hits on a rebuild.
 */
export function withDirectories(entries: TarEntry[]): TarEntry[] {
  const seen = new Set<string>();
  const out: TarEntry[] = [];
  for (const entry of entries) {
    const parts = entry.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (seen.has(dir)) continue;
      seen.add(dir);
      out.push({ path: dir, mode: 0o755, size: 0, source: { directory: true } });
    }
    out.push(entry);
  }
  return out;
}

async function* chunks(entries: Iterable<TarEntry>): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    yield* entryHeaders(entry);
    if ('directory' in entry.source) continue;
    if ('data' in entry.source) {
      yield entry.source.data;
    } else {
      let written = 0;
      for await (const chunk of createReadStream(entry.source.file)) {
        written += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      // A file that changed size while packed would shift every later header: fail loudly instead.
      if (written !== entry.size) throw new Error(`${entry.source.file} changed while it was packed (${written} != ${entry.size} bytes)`);
    }
    yield padding(entry.size);
  }
  // The end of an archive: two zero blocks.
  yield Buffer.alloc(BLOCK * 2);
}

/** The archive as a stream, written lazily as the consumer (the docker engine) reads it. */
export function tarStream(entries: Iterable<TarEntry>): Readable {
  return Readable.from(chunks(entries), { objectMode: false });
}
