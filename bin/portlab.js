#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm install` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('portlab: not built yet (dist/ is missing). Run `npm install` or `npm run build` first.');
  process.exit(4);
}
await import(entry.href);
