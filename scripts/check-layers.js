#!/usr/bin/env node
// Enforces the data-flow layout of src/ (README "Developing"): a folder may import only from folders in a
// lower layer, never from a sibling of its own layer nor from above, so no import runs back up the flow and
// no cycle between folders can form. Also refuses `as unknown as` in src/: boundary data is checked, not cast.
// Exits 1 with one line per offending import (file:line), 0 when the tree follows the rules.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Layers from the top of the flow to the bottom; folders on one line are siblings and may not import each other. */
export const LAYERS = [
  ['cli'],
  ['claims'],
  ['compare', 'doctor'],
  ['run'],
  ['report'],
  ['lab'],
  ['driver'],
  ['engine', 'sampler', 'target'],
  ['config', 'net'],
  ['metrics'],
  ['model'],
  ['errors'],
  ['util'],
];

const rank = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i])));

function* tsFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* tsFiles(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

const IMPORT_RE = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)'(\.{1,2}\/[^']+)'/g;

/** Every rule broken under `srcDir`, as "file:line: message" strings. */
export function checkLayers(srcDir) {
  const problems = [];
  for (const file of tsFiles(srcDir)) {
    const folder = relative(srcDir, file).split('/')[0];
    const lines = readFileSync(file, 'utf8').split('\n');
    const where = (i) => `${relative(process.cwd(), file)}:${i + 1}`;
    if (!rank.has(folder) && folder.endsWith('.ts') === false) problems.push(`${where(0)}: folder src/${folder} has no layer in scripts/check-layers.js`);
    lines.forEach((line, i) => {
      if (/\bas unknown as\b/.test(line)) problems.push(`${where(i)}: "as unknown as" (check boundary data instead of casting it)`);
      for (const match of line.matchAll(IMPORT_RE)) {
        const target = relative(srcDir, normalize(join(dirname(file), match[1])));
        const to = target.split('/')[0];
        if (target.startsWith('..')) problems.push(`${where(i)}: imports ${match[1]}, outside src/`);
        else if (to !== folder && rank.has(folder) && rank.has(to) && rank.get(to) <= rank.get(folder)) {
          const how = rank.get(to) === rank.get(folder) ? 'a sibling in its layer' : 'a layer above it';
          problems.push(`${where(i)}: ${folder}/ imports ${to}/ (${how}; imports point down: ${LAYERS.map((l) => l.join('|')).join(' > ')})`);
        }
      }
    });
  }
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const src = process.argv[2] ?? 'src';
  const problems = checkLayers(src);
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`check-layers: ${problems.length} import(s) against the layout`);
    process.exit(1);
  }
  console.log(`check-layers: ${src}/ follows the layout`);
}
