/**
 * Captures the sock-diag fixture (test/fixtures/proc/sock-diag/, see its README entry): run it INSIDE a
 * throwaway namespace (`unshare --user --map-root-user --net sh -c 'ip link set lo up; node ...'`). It starts
 * hold-sockets.js, then at one moment dumps the TCP table through NETLINK_SOCK_DIAG, keeping each received
 * chunk's bytes as they came (chunks.json, hex), and reads /proc/net/tcp, tcp6 and `ss -tan`.
 * Usage: node capture-sock-diag.js OUT_DIR
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import koffi from 'koffi';
import { AF_INET, AF_INET6, ALL_STATES, dumpRequest, parseDumpChunk } from '../../src/sampler/sock-diag-parse.js';
import { SocketRows } from '../../src/sampler/socket-rows.js';

const out = process.argv[2]!;
mkdirSync(out, { recursive: true });
const holder = spawn(process.execPath, [join(import.meta.dirname, 'hold-sockets.js'), '6', '4', '3', '2'], { stdio: ['pipe', 'pipe', 'inherit'] });
holder.stdout.setEncoding('utf8').once('data', () => {
  const libc = koffi.load('libc.so.6');
  const socket = libc.func('int socket(int, int, int)');
  const send = libc.func('long send(int, void *, size_t, int)');
  const recv = libc.func('long recv(int, void *, size_t, int)');
  const fd = Number(socket(16, 2, 4));
  const chunks: { family: number; hex: string }[] = [];
  const littleEndian = endianness() === 'LE';
  for (const family of [AF_INET, AF_INET6] as const) {
    const request = dumpRequest(family, ALL_STATES, family, littleEndian);
    send(fd, request, request.length, 0);
    const buffer = Buffer.alloc(64 * 1024);
    for (let i = 0; i < 100; i++) {
      const n = Number(recv(fd, buffer, buffer.length, 0));
      if (n <= 0) break;
      chunks.push({ family, hex: buffer.subarray(0, n).toString('hex') });
      if (parseDumpChunk(buffer, n, new SocketRows(), littleEndian).kind !== 'more') break;
    }
  }
  writeFileSync(join(out, 'chunks.json'), `${JSON.stringify({ littleEndian, chunks }, null, 1)}\n`);
  writeFileSync(join(out, 'tcp'), readFileSync('/proc/net/tcp'));
  writeFileSync(join(out, 'tcp6'), readFileSync('/proc/net/tcp6'));
  writeFileSync(join(out, 'ss-tan.txt'), execFileSync('ss', ['-tan']));
  holder.stdin.end();
});

