/**
 * A scenario file's text parsed with source positions kept, so every problem can point at the line and
 * column of the value (or key) it is about. JSON is YAML, so one parser serves both.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node, Pair, YAMLMap } from 'yaml';
import { boundProblems, INPUT_LIMITS } from './bounds.js';

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

/** A problem of the text itself: a YAML syntax error, a duplicate key, or input over a limit (bounds.ts). */
export interface SourceProblem extends SourcePosition {
  message: string;
}

export interface FoundPosition extends SourcePosition {
  /** False when the path does not exist in the file and this is the nearest enclosing node (the parent map). */
  exact: boolean;
}

export interface ScenarioSource {
  /** The document as plain data; undefined for an empty file, or when there are `errors`. */
  value: unknown;
  /** Problems of the text; when there is one, the document is not read further (`value` is undefined). */
  errors: SourceProblem[];
  /** Where `path` is; `atKey` points at the key of a map entry instead of its value (unknown keys). */
  positionOf(path: readonly (string | number)[], atKey?: boolean): FoundPosition;
  /** Position of the top-level node, and whether it is a mapping. */
  top: { position: SourcePosition; kind: 'map' | 'seq' | 'scalar' | 'empty' };
}

/** yaml's messages end with " at line L, column C:" and a code excerpt; the location is printed separately. */
function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?\s*$/, '');
}

/**
 * Each map's pairs by key, built once per map: looking a key up by scanning the map made locating every
 * unknown key of a map with thousands of them quadratic. The first pair wins, as a scan would find it.
 */
const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

function findPair(map: YAMLMap, key: string | number): Pair | undefined {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      if (isPair(pair) && isScalar(pair.key) && !index.has(String(pair.key.value))) index.set(String(pair.key.value), pair);
    }
    pairIndex.set(map, index);
  }
  return index.get(String(key));
}

/**
 * The document as plain data. boundProblems has bounded what aliases expand to; yaml's own alias check
 * stays on as a second guard, and what it throws becomes a problem of the file, never an exception.
 */
function toData(doc: ReturnType<typeof parseDocument>, errors: SourceProblem[]): unknown {
  try {
    return doc.toJS({ maxAliasCount: INPUT_LIMITS.entries });
  } catch (err) {
    errors.push({ line: 1, col: 1, message: `the file cannot be read as data: ${err instanceof Error ? err.message : String(err)}` });
    return undefined;
  }
}

/** "key:" with nothing after it: no value node, or an empty null scalar. */
function isEmpty(value: unknown): boolean {
  return value === null || (isScalar(value) && value.value === null && value.range !== undefined && value.range !== null && value.range[0] === value.range[1]);
}

function tooLarge(): ScenarioSource {
  const message = `the file is larger than ${INPUT_LIMITS.fileBytes} bytes (1 MiB), the limit for scenario and compare files`;
  const start = { line: 1, col: 1 };
  return { value: undefined, errors: [{ ...start, message }], positionOf: () => ({ ...start, exact: false }), top: { position: start, kind: 'empty' } };
}

/**
 * Parses YAML or JSON text; never throws: syntax errors, duplicate keys and input over INPUT_LIMITS are
 * returned with positions (and then `value` is undefined).
 */
export function parseScenarioSource(text: string): ScenarioSource {
  if (Buffer.byteLength(text) > INPUT_LIMITS.fileBytes) return tooLarge();
  const lineCounter = new LineCounter();
  // uniqueKeys off: yaml checks each key against every earlier key of its map (quadratic in a map's size);
  // boundProblems finds duplicates with a set instead.
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: false });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  const nodeStart = (node: Node | null | undefined, fallback: SourcePosition): SourcePosition =>
    node?.range ? at(node.range[0]) : fallback;

  const errors: SourceProblem[] = doc.errors.map((error) => {
    const pos = error.linePos?.[0] ?? { line: 1, col: 1 };
    return { line: pos.line, col: pos.col, message: `YAML syntax error: ${firstLine(error.message)}` };
  });
  if (errors.length === 0) errors.push(...boundProblems(doc.contents).map(({ offset, message }) => ({ ...at(offset), message })));

  const root = doc.contents;
  const rootPosition = nodeStart(root, { line: 1, col: 1 });
  const kind = root === null ? 'empty' : isMap(root) ? 'map' : isSeq(root) ? 'seq' : 'scalar';

  const positionOf = (path: readonly (string | number)[], atKey = false): FoundPosition => {
    let node: unknown = root;
    let position = rootPosition;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = findPair(node, segment);
        if (!pair) return { ...position, exact: false };
        const keyPosition = nodeStart(pair.key as Node | null, position);
        // "key:" with nothing after it has no value node; the key is the best place to point.
        if ((last && atKey) || isEmpty(pair.value)) return { ...keyPosition, exact: last };
        node = pair.value;
        position = nodeStart(pair.value as Node, keyPosition);
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        node = node.items[segment];
        position = nodeStart(node as Node, position);
      } else {
        return { ...position, exact: false };
      }
    }
    return { ...position, exact: true };
  };

  return {
    value: errors.length > 0 ? undefined : toData(doc, errors),
    errors,
    positionOf,
    top: { position: rootPosition, kind },
  };
}
