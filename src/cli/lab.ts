/**
 * `portlab lab build [--offline]` makes the docker lab's image; `portlab lab prune` removes what killed
 * runs left (labelled containers, portlab-* network namespaces) and keeps, saying why, what belongs to runs
 * still going. The docker code is imported lazily.
 */
import { EXIT, isPortlabError } from '../errors/index.js';
import { pruneStaleNetns, type LabVerdict } from '../lab/stale.js';
import { defineCommand } from './command.js';

interface BuildArgs {
  offline: boolean;
  force: boolean;
  baseImage?: string | undefined;
}

type Write = (text: string) => void;

async function build(args: BuildArgs, out: Write, err: Write): Promise<number> {
  const { buildLabImage, connectDocker } = await import('../lab/docker/index.js');
  const { docker, engine } = await connectDocker();
  const startedMs = Date.now();
  const result = await buildLabImage(docker, engine, {
    offline: args.offline,
    force: args.force,
    baseImage: args.baseImage,
    onProgress: (line) => err(`  ${line}\n`),
  });
  if (!result.built) out(`${result.tag} is already built (--force rebuilds it)\n`);
  else out(`built ${result.tag}${args.offline ? " offline, from this host's node" : ''} in ${((Date.now() - startedMs) / 1000).toFixed(1)} s\n`);
  return EXIT.OK;
}

/** One line per lab: what was removed, and what was kept and why. */
function report(kind: string, verdicts: readonly LabVerdict[], out: Write): number {
  for (const v of verdicts) out(`${v.stale ? 'removed' : 'kept'} ${kind} ${v.name}: ${v.why}\n`);
  return verdicts.filter((v) => v.stale).length;
}

async function prune(out: Write, err: Write): Promise<number> {
  const { connectDocker, pruneContainers } = await import('../lab/docker/index.js');
  let seen = 0;
  try {
    const { docker } = await connectDocker();
    const verdicts = await pruneContainers(docker);
    report('container', verdicts, out);
    seen += verdicts.length;
  } catch (error) {
    // Namespaces can still be pruned; a machine without docker has no containers to leak.
    if (!isPortlabError(error) || error.code !== 'DOCKER_UNAVAILABLE') throw error;
    err(`portlab: docker skipped: ${error.message}\n`);
  }
  const namespaces = pruneStaleNetns();
  report('network namespace', namespaces, out);
  seen += namespaces.length;
  if (seen === 0) out('nothing to prune\n');
  return EXIT.OK;
}

export const labCommand = defineCommand({
  command: 'lab <action>',
  describe: 'manage labs: build the docker image, prune what killed runs left',
  builder: (yargs) =>
    yargs
      .positional('action', { choices: ['build', 'prune'] as const, describe: 'build: the docker lab image; prune: leftover containers and namespaces' })
      .option('offline', { type: 'boolean', default: false, describe: "build: FROM scratch with this host's node (no registry needed)" })
      .option('force', { type: 'boolean', default: false, describe: 'build: rebuild even if the image for this version exists' })
      .option('base-image', { type: 'string', describe: 'build: base image for docker/Dockerfile (default node:20-slim)' })
      .example('$0 lab build --offline', 'build portlab:<version> without pulling anything')
      .example('$0 lab prune', 'remove containers and namespaces left by killed runs (labs of running runs are kept)'),
  handler: async (args, io) => {
    const out: Write = (text) => io.stdout.write(text);
    const err: Write = (text) => io.stderr.write(text);
    return args.action === 'build' ? build(args, out, err) : prune(out, err);
  },
});
