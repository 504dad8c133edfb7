import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellCores, defaultParallel } from '../../src/compare/parallel.js';
import { loadScenarioText } from '../../src/config/loader.js';

const scenario = (rate: string, workers = 2) =>
  loadScenarioText(`name: p\nduration: 5s\nclient: { rate: ${rate}, workers: ${workers} }\n`, 'p.yaml').scenario;

test('low-rate cells run eight at a time on two idle cores; heavy ones one at a time', () => {
  const light = Array.from({ length: 8 }, () => scenario('100/s'));
  assert.equal(defaultParallel(light, 2, 0), 8);
  assert.equal(defaultParallel(light.slice(0, 3), 2, 0), 3);
  // 10,000/s needs two cores of connects (capped at workers + 1 = 3): alone on a 2-core machine.
  assert.equal(Number(cellCores(scenario('10000/s')).toFixed(1)), 2.1);
  assert.equal(defaultParallel([scenario('10000/s'), scenario('100/s')], 2, 0), 1);
  assert.equal(defaultParallel([scenario('2000/s'), scenario('2000/s'), scenario('2000/s')], 16, 0), 3);
  assert.equal(defaultParallel([], 2, 0), 1);
});

test('cores other work keeps busy are not counted: a loaded machine runs fewer cells at once', () => {
  const light = Array.from({ length: 8 }, () => scenario('100/s'));
  // 0.12 cores a cell: one free core holds 8 (the cap), half a core 4, none at all still runs one.
  assert.equal(defaultParallel(light, 2, 1), 8);
  assert.equal(defaultParallel(light, 2, 1.5), 4);
  assert.equal(defaultParallel(light, 2, 9), 1);
});
