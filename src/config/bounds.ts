/**
 * Limits on what a scenario (or compare) file may hold, checked on the parsed YAML tree before it becomes
 * data: a file is then read, checked and reported in time and memory linear in its size, and nothing a
 * user writes is copied unbounded into every report. Each limit is far above what a real scenario needs
 * (a scenario has about 50 keys, 4 levels deep), so only a generated, pasted or hostile file reaches one.
 */
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';

/** The limits, exported so messages, tests and the README name the same numbers. */
export const INPUT_LIMITS = {
  /** Bytes in a scenario or compare file. */
  fileBytes: 1024 * 1024,
  /** Mapping entries and list items in the whole document, aliases expanded. */
  entries: 50_000,
  /** Mappings and lists inside each other, aliases expanded. */
  depth: 16,
  /** Alias nodes (*name) in a file. */
  aliases: 100,
  /** Characters in one text value. */
  stringChars: 4096,
  /** Characters in one key. */
  keyChars: 128,
} as const;

/** A problem found in the tree, at a character offset of the text. */
export interface BoundProblem {
  offset: number;
  message: string;
}

interface Extent {
  /** Entries and items inside the node, itself excluded. */
  entries: number;
  /** Levels of mappings and lists below it (a scalar is 0, a flat mapping 1). */
  height: number;
}

const NONE: Extent = { entries: 0, height: 0 };

const startOf = (node: { range?: readonly number[] | null } | null | undefined): number => node?.range?.[0] ?? 0;

/**
 * Checks a parsed document's tree against INPUT_LIMITS and finds keys that appear twice in one mapping.
 * Linear in the tree: an alias counts the size of what it names without walking it again, and the walk
 * stops descending below the depth limit (so it never recurses deeper than that).
 */
export function boundProblems(root: Node | null): BoundProblem[] {
  const problems: BoundProblem[] = [];
  const reported = new Set<string>();
  const once = (kind: string, offset: number, message: string): void => {
    if (reported.has(kind)) return;
    reported.add(kind);
    problems.push({ offset, message });
  };
  // Anchors by name as seen so far (document order), and the extent of each finished anchored node.
  const anchors = new Map<string, Node>();
  const extents = new Map<Node, Extent>();
  let entries = 0;
  let aliases = 0;
  let stopped = false;

  const count = (n: number, offset: number): void => {
    entries += n;
    if (entries > INPUT_LIMITS.entries) {
      once('entries', offset, `more than ${INPUT_LIMITS.entries} keys and list items in the file (aliases expanded); a scenario needs about 50`);
      stopped = true;
    }
  };

  const walk = (node: unknown, depth: number): Extent => {
    if (stopped || node === null || node === undefined) return NONE;
    if (isAlias(node)) {
      aliases++;
      if (aliases > INPUT_LIMITS.aliases) once('aliases', startOf(node), `more than ${INPUT_LIMITS.aliases} aliases in the file`);
      const target = anchors.get(node.source);
      if (!target) return NONE; // yaml reports an alias without its anchor as a syntax error
      const extent = extents.get(target);
      if (!extent) {
        once('loop', startOf(node), `the alias *${node.source} is inside the node it names (a loop); a scenario cannot hold one`);
        return NONE;
      }
      count(extent.entries, startOf(node));
      if (depth + extent.height > INPUT_LIMITS.depth) once('depth', startOf(node), `nested deeper than ${INPUT_LIMITS.depth} levels (aliases expanded)`);
      return extent;
    }
    if (isScalar(node)) {
      if (node.anchor) {
        anchors.set(node.anchor, node);
        extents.set(node, NONE);
      }
      if (typeof node.value === 'string' && node.value.length > INPUT_LIMITS.stringChars) {
        problems.push({ offset: startOf(node), message: `a text of ${node.value.length} characters; at most ${INPUT_LIMITS.stringChars} are allowed` });
      }
      return NONE;
    }
    if (!isMap(node) && !isSeq(node)) return NONE;
    if (depth >= INPUT_LIMITS.depth) {
      once('depth', startOf(node), `nested deeper than ${INPUT_LIMITS.depth} levels; a scenario needs 4`);
      return NONE;
    }
    const anchor = node.anchor;
    if (anchor) anchors.set(anchor, node);
    let inside = 0;
    let height = 0;
    const keys = new Set<string>();
    for (const item of node.items) {
      if (stopped) break;
      count(1, startOf(isPair(item) ? (item.key as Node | null) : (item as Node | null)));
      inside++;
      const parts = isPair(item) ? [item.key, item.value] : [item];
      if (isPair(item) && isScalar(item.key)) {
        const key = String(item.key.value);
        if (key.length > INPUT_LIMITS.keyChars) problems.push({ offset: startOf(item.key), message: `a key of ${key.length} characters; at most ${INPUT_LIMITS.keyChars} are allowed` });
        else if (keys.has(key)) problems.push({ offset: startOf(item.key), message: `duplicate key "${key}": a key may appear once in a mapping` });
        keys.add(key);
      }
      for (const part of parts) {
        const extent = walk(part, depth + 1);
        inside += extent.entries;
        height = Math.max(height, extent.height);
      }
    }
    const extent = { entries: inside, height: height + 1 };
    if (anchor) extents.set(node, extent);
    return extent;
  };

  walk(root, 0);
  return problems;
}
