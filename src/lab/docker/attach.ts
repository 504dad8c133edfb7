/**
 * The driver container as a DriverProcess: the same protocol as a local child (config line and "stop" on
 * stdin, NDJSON events on stdout), carried over the engine's attach connection. With Tty off the engine
 * multiplexes stdout and stderr on that connection; demuxStream splits them again.
 */
import { PassThrough, Writable } from 'node:stream';
import type Docker from 'dockerode';
import { readEvents } from '../driver-process.js';
import type { DriverConfig } from '../../driver/protocol.js';
import { GO_LINE, STOP_LINE } from '../../driver/protocol.js';
import type { DriverProcess } from '../types.js';

const TAIL_BYTES = 4000;

/** A sink that keeps the last bytes written to it, for error messages. */
export function tailSink(maxBytes = TAIL_BYTES): { sink: Writable; text(): string } {
  let tail = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      tail = (tail + chunk.toString('utf8')).slice(-maxBytes);
      done();
    },
  });
  return { sink, text: () => tail.trim() };
}

/**
 * Collects a container's output (both streams) from before it starts, and holds its stdin open: with
 * StdinOnce the engine closes that stdin when this connection goes (this process died), which is how the
 * container (`portlab target --stdin-lifeline`) knows its run is gone.
 */
export async function attachOutput(docker: Docker, container: Docker.Container): Promise<() => string> {
  const stream = await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true });
  const tail = tailSink();
  docker.modem.demuxStream(stream, tail.sink, tail.sink);
  stream.on('error', () => {});
  return tail.text;
}

/**
 * Attaches to the created (not yet started) driver container, starts it and sends the config.
 * The attach comes first so that not one line of output is missed.
 */
export async function startAttachedDriver(docker: Docker, container: Docker.Container, config: DriverConfig): Promise<DriverProcess> {
  // Registered before start: an AutoRemove container is gone once it has exited, and so is its status.
  const exited: Promise<number | null> = container.wait({ condition: 'next-exit' }).then(
    (result: { StatusCode?: number }) => result.StatusCode ?? null,
    () => null,
  );
  const stream = await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true });
  const stdout = new PassThrough();
  const stderr = tailSink();
  docker.modem.demuxStream(stream, stdout, stderr.sink);
  let streamError = '';
  const finish = (): void => {
    stdout.end();
  };
  stream.on('end', finish);
  stream.on('close', finish);
  stream.on('error', (err: Error) => {
    streamError = err.message;
    finish();
  });
  await container.start();
  stream.write(`${JSON.stringify(config)}\n`);
  const send = (line: string): void => {
    const socket = stream as NodeJS.ReadWriteStream & { writable?: boolean; destroyed?: boolean };
    if (socket.writable !== false && socket.destroyed !== true) socket.write(`${line}\n`);
  };
  return {
    events: readEvents(stdout),
    requestStop: () => send(STOP_LINE),
    go: () => send(GO_LINE),
    kill: () => {
      container.kill().catch(() => {
        // Already exited (and auto-removed): nothing to kill.
      });
    },
    exited,
    stderrTail: () => [stderr.text(), streamError && `attach: ${streamError}`].filter(Boolean).join('\n'),
  };
}
