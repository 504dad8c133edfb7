/**
 * A scenario file's text parsed with source positions kept, so every problem can point at the line and
 * column of the value (or key) it is about. JSON is YAML, so one parser serves both.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node, Pair } from 'yaml';

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

export interface SyntaxProblem extends SourcePosition {
  message: string;
}

export interface FoundPosition extends SourcePosition {
  /** False when the path does not exist in the file and this is the nearest enclosing node (the parent map). */
  exact: boolean;
}

export interface ScenarioSource {
  /** The document as plain data; undefined for an empty file. */
  value: unknown;
  syntaxErrors: SyntaxProblem[];
  /** Where `path` is; `atKey` points at the key of a map entry instead of its value (unknown keys). */
  positionOf(path: readonly (string | number)[], atKey?: boolean): FoundPosition;
  /** Position of the top-level node, and whether it is a mapping. */
  top: { position: SourcePosition; kind: 'map' | 'seq' | 'scalar' | 'empty' };
}

/** yaml's messages end with " at line L, column C:" and a code excerpt; the location is printed separately. */
function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?\s*$/, '');
}

function findPair(map: { items: Pair[] }, key: string | number): Pair | undefined {
  return map.items.find((pair) => isPair(pair) && isScalar(pair.key) && String(pair.key.value) === String(key));
}

/** "key:" with nothing after it: no value node, or an empty null scalar. */
function isEmpty(value: unknown): boolean {
  return value === null || (isScalar(value) && value.value === null && value.range !== undefined && value.range !== null && value.range[0] === value.range[1]);
}

/** Parses YAML or JSON text; never throws (syntax errors are returned with positions). */
export function parseScenarioSource(text: string): ScenarioSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  const nodeStart = (node: Node | null | undefined, fallback: SourcePosition): SourcePosition =>
    node?.range ? at(node.range[0]) : fallback;

  const syntaxErrors = doc.errors.map((error) => {
    const pos = error.linePos?.[0] ?? { line: 1, col: 1 };
    return { line: pos.line, col: pos.col, message: firstLine(error.message) };
  });

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
    value: syntaxErrors.length > 0 ? undefined : doc.toJS(),
    syntaxErrors,
    positionOf,
    top: { position: rootPosition, kind },
  };
}
