#!/usr/bin/env node
// Removes dist/ before a build: a source file that moved or was deleted must not leave its compiled
// test behind, where `npm test` would still find and run it.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist/', import.meta.url), { recursive: true, force: true });
