import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { isPortlabError } from '../../src/errors/index.js';
import { parseTargetCommand, parseTargetEvent, parseTargetOptions } from '../../src/target/messages.js';
import type { TargetOptions } from '../../src/target/start.js';
import { startTargetThread } from '../../src/target/thread-start.js';
import { freePort } from '../helpers/http.js';

const tcpTarget = (port: number): TargetOptions => ({
  protocol: 'tcp',
  listen: [{ host: '127.0.0.1', port }],
  responseBytes: 16,
  responseDelayMs: 0,
  closeAfterResponse: false,
});

const internal = (err: unknown): boolean => isPortlabError(err) && err.code === 'INTERNAL';

test('the target thread listens, and rejects with TARGET_FAILED naming the listen error when the port is taken', async () => {
  const port = await freePort();
  const first = await startTargetThread(tcpTarget(port));
  try {
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.resetAndDestroy();
        resolve();
      });
      socket.once('error', reject);
    });
    await assert.rejects(startTargetThread(tcpTarget(port)), (err: unknown) => isPortlabError(err) && err.code === 'TARGET_FAILED' && /EADDRINUSE/.test(err.message) && /another process has that port/.test(err.hint ?? ''));
  } finally {
    first.close();
    await first.terminate();
  }
});

test('thread messages and options are checked where they arrive', () => {
  assert.deepEqual(parseTargetCommand({ type: 'close' }), { type: 'close' });
  assert.throws(() => parseTargetCommand('close'), internal, 'the untyped string of old is refused');
  assert.deepEqual(parseTargetEvent({ type: 'failed', message: 'no', code: 'EACCES' }), { type: 'failed', message: 'no', code: 'EACCES' });
  assert.throws(() => parseTargetEvent({ type: 'failed' }), internal);
  assert.deepEqual(parseTargetOptions(tcpTarget(9000)), tcpTarget(9000));
  assert.throws(() => parseTargetOptions({ ...tcpTarget(9000), listen: [] }), internal);
});
