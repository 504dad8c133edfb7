// Property: whatever scenario file and flags a user gives, `portlab validate` and `portlab run --dry-run`
// answer with a located error and exit 2, or a valid plan and exit 0: never another exit code, an internal
// error, a stack trace or a hang. Files are the bundled scenarios, mutated (keys dropped and renamed, values
// of the wrong type, huge numbers, unicode, deep nesting, aliases, broken text), and flag sets drawn from
// run's flag table. Driven in-process through runCli, with a fake sysctl prober (no namespace per case).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { runCli } from '../../src/cli/program.js';
import { SCENARIO_FLAG_GROUPS, isSwitchFlag } from '../../src/config/flags.js';
import { ROOT } from '../helpers/cli.js';
import { fakeProber } from '../helpers/sysctl-prober.js';
import { fakeIo } from './fake-io.js';

const RUNS = 1000;
/** Per command; generous for a loaded 2-core machine: a hang is what it catches, not slowness. */
const CASE_TIMEOUT_MS = 20_000;

const SCENARIOS_DIR = join(ROOT, 'scenarios');
const BASES: Record<string, unknown>[] = readdirSync(SCENARIOS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => parse(readFileSync(join(SCENARIOS_DIR, f), 'utf8')) as Record<string, unknown>);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// ---- value mutations, on the parsed document ----

const oddValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1, 0.1, 1e-300, '', ' ', '0', '-5s', '1e9/s', '127.999.999.999:9000', 'localhost:9000', '∞', '10s', '100/s', [], {}),
  fc.integer(),
  fc.double(),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.array(fc.integer(), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.integer(), { maxKeys: 3 }),
);

type Mutation =
  | { kind: 'drop'; pick: number }
  | { kind: 'rename'; pick: number; to: string }
  | { kind: 'retype'; pick: number; value: Json }
  | { kind: 'nest'; pick: number; depth: number }
  | { kind: 'add'; pick: number; key: string; value: Json };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('rename' as const), pick: fc.nat(), to: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('durration', 'Rate', 'patern', 'sysctl', '$schema', 'net.ipv4.tcp_tw_recycle')) }),
  fc.record({ kind: fc.constant('retype' as const), pick: fc.nat(), value: oddValue }),
  fc.record({ kind: fc.constant('nest' as const), pick: fc.nat(), depth: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('add' as const), pick: fc.nat(), key: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('net.ipv4.tcp_tw_recycle', 'net.core.somaxconn', 'rate', 'stages', 'duration')), value: oddValue }),
);

/** Every (container, key) in the document, containers first, so a pick can land anywhere. */
function slots(root: Json): Array<{ parent: Json[] | { [key: string]: Json }; key: string | number }> {
  const found: Array<{ parent: Json[] | { [key: string]: Json }; key: string | number }> = [];
  const walk = (node: Json): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        found.push({ parent: node, key: i });
        walk(child);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        found.push({ parent: node, key });
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

function containers(root: Json): Array<{ [key: string]: Json }> {
  const maps: Array<{ [key: string]: Json }> = [];
  const walk = (node: Json): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      maps.push(node);
      Object.values(node).forEach(walk);
    }
  };
  walk(root);
  return maps;
}

function applyMutation(doc: Json, m: Mutation): void {
  if (m.kind === 'add') {
    const maps = containers(doc);
    if (maps.length > 0) maps[m.pick % maps.length]![m.key] = m.value;
    return;
  }
  const all = slots(doc);
  if (all.length === 0) return;
  const { parent, key } = all[m.pick % all.length]!;
  const get = (): Json => (Array.isArray(parent) ? parent[key as number]! : parent[key as string]!);
  const set = (value: Json): void => {
    if (Array.isArray(parent)) parent[key as number] = value;
    else parent[key as string] = value;
  };
  switch (m.kind) {
    case 'drop':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      break;
    case 'rename':
      if (!Array.isArray(parent)) {
        const value = get();
        delete parent[key as string];
        parent[m.to] = value;
      }
      break;
    case 'retype':
      set(m.value);
      break;
    case 'nest': {
      let value = get();
      for (let i = 0; i < m.depth; i++) value = [value];
      set(value);
      break;
    }
  }
}

// ---- text mutations, on the YAML written from the mutated document ----

type TextMutation =
  | { kind: 'none' }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'alias' }
  | { kind: 'bomb'; levels: number }
  | { kind: 'loop' }
  | { kind: 'duplicate'; line: number }
  | { kind: 'json' };

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'none' as const }) },
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('{', ']', ': :', '\t', '&a ', '*a', '!!binary x', '%YAML 1.1\n', '---\n', '? ', '\u0000', '"\\u')) }),
  fc.constant({ kind: 'alias' as const }),
  fc.record({ kind: fc.constant('bomb' as const), levels: fc.integer({ min: 1, max: 9 }) }),
  fc.constant({ kind: 'loop' as const }),
  fc.record({ kind: fc.constant('duplicate' as const), line: fc.nat() }),
  fc.constant({ kind: 'json' as const }),
);

function applyText(doc: Json, m: TextMutation): string {
  if (m.kind === 'json') return JSON.stringify(doc);
  const text = stringify(doc);
  switch (m.kind) {
    case 'none':
      return text;
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'insert': {
      const at = m.at % (text.length + 1);
      return `${text.slice(0, at)}${m.text}${text.slice(at)}`;
    }
    case 'alias':
      // A valid use: the name's value, anchored, reused as the description (or a duplicate key if one exists).
      return text.replace(/^name: (.*)$/m, 'name: &n $1') + 'description: *n\n';
    case 'bomb': {
      const lines = ['b0: &b0 [x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i <= m.levels; i++) lines.push(`b${i}: &b${i} [${Array(9).fill(`*b${i - 1}`).join(', ')}]`);
      return `${text}${lines.join('\n')}\n`;
    }
    case 'loop':
      return `${text}selfish: &s [*s]\n`;
    case 'duplicate': {
      const lines = text.split('\n');
      const i = m.line % Math.max(1, lines.length);
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    }
  }
}

// ---- flag sets ----

const FLAGS = SCENARIO_FLAG_GROUPS.flatMap((g) => g.flags);
const flagValue = fc.oneof(
  fc.constantFrom('0', '1', '2', '7', '-1', '100', '0.1', '1e400', 'NaN', 'x', '', '5s', '0s', '1h', '2h', '100/s', '0/s', '40000-40199', '50000-40000', '127.0.0.2', '127.999.999.999', 'localhost:9000', '127.0.0.1:9000', '5s:50/s,5s:200/s', 'net.ipv4.tcp_tw_recycle=1', 'EADDRINUSE', 'true', 'auto', 'host', 'pool', 'http'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);
const flagArgs: fc.Arbitrary<string[]> = fc
  .array(fc.tuple(fc.integer({ min: 0, max: FLAGS.length - 1 }), flagValue, fc.boolean()), { maxLength: 4 })
  .map((picks) =>
    picks.flatMap(([i, value, negate]) => {
      const spec = FLAGS[i]!;
      if (isSwitchFlag(spec)) return [negate && spec.kind === 'boolean' ? `--no-${spec.flag}` : `--${spec.flag}`];
      // "=" keeps a value that starts with "-" a value, as a user would have to write it.
      return [`--${spec.flag}=${value}`];
    }),
  );

const scenarioCase = fc.record({
  base: fc.integer({ min: 0, max: BASES.length - 1 }),
  mutations: fc.array(mutation, { maxLength: 4 }),
  text: textMutation,
  flags: fc.oneof(fc.constant<string[]>([]), flagArgs),
  fromFlagsOnly: fc.boolean(),
});

// ---- the property ----

const prober = fakeProber({ 'net.ipv4.tcp_tw_recycle': { status: 'missing' } });

async function bounded(what: string, run: Promise<number>): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS)));
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const STACK = /^\s+at .+:\d+/m;
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test(`validate and run --dry-run on ${RUNS} generated scenario files and flag sets: exit 0 with a plan or exit 2 located`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portlab-property-'));
  const file = join(dir, 'case.yaml');
  // file:line:col (or the file alone, or "(flags)") before a problem, or the flag a problem is about.
  const located = new RegExp(`^(${escape(file)}(:\\d+:\\d+)?: |\\(flags\\): |--[a-z-]+: |portlab: --[a-z-]+ )`, 'm');
  const seen = { ok: 0, bad: 0 };
  try {
    await fc.assert(
      fc.asyncProperty(scenarioCase, async (c) => {
        const doc = structuredClone(BASES[c.base]!) as Json;
        for (const m of c.mutations) applyMutation(doc, m);
        writeFileSync(file, applyText(doc, c.text));

        const validateIo = fakeIo({ probeSysctls: prober });
        const validated = await bounded('validate', runCli(['validate', file], validateIo));
        assert.ok(validated === 0 || validated === 2, `validate exit ${validated}: ${validateIo.out()}${validateIo.err()}`);
        assert.doesNotMatch(validateIo.out() + validateIo.err(), STACK);
        if (validated === 0) assert.match(validateIo.out(), new RegExp(`^${escape(file)}: ok \\(`, 'm'));
        else assert.match(validateIo.out(), located, 'validate: an error names its file and place');

        const args = ['run', ...(c.fromFlagsOnly && c.flags.length > 0 ? [] : [file]), '--dry-run', '--out', join(dir, 'results'), ...c.flags];
        const runIo = fakeIo({ probeSysctls: prober });
        const ran = await bounded('run --dry-run', runCli(args, runIo));
        const output = `${args.join(' ')}\n${runIo.out()}${runIo.err()}`;
        assert.ok(ran === 0 || ran === 2, `run --dry-run exit ${ran}: ${output}`);
        assert.doesNotMatch(runIo.err(), STACK, output);
        if (ran === 0) {
          assert.match(runIo.out(), /^portlab run --dry-run: /, output);
          assert.match(runIo.out(), /^ {2}planned +\S+/m, output);
          seen.ok++;
        } else {
          assert.match(runIo.err(), /^portlab: /, output);
          // A located problem, or a usage error yargs found in the flags themselves (one line, with a hint).
          assert.ok(located.test(runIo.err()) || /^hint: /m.test(runIo.err()), `run: an error names its place: ${output}`);
          seen.bad++;
        }
        // The same file without flags: validate and run agree.
        if (c.flags.length === 0) assert.equal(ran, validated, `validate ${validated} but run --dry-run ${ran}: ${output}`);
      }),
      { numRuns: RUNS, seed: Number(process.env.PORTLAB_PROPERTY_SEED ?? 20_251), endOnFailure: true, includeErrorInReport: true },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Both outcomes were exercised, or the generators have drifted into only one of them.
  assert.ok(seen.ok >= RUNS / 20 && seen.bad >= RUNS / 20, JSON.stringify(seen));
});
