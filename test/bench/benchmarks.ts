/** The benchmark list, in run order (shared by the runner and the smoke test). */
import { deadlineAccuracy } from './deadline-accuracy.js';
import type { Benchmark } from './lib.js';
import { lifecycleOverhead } from './lifecycle-overhead.js';
import { podWorker } from './pod-worker.js';
import { probes } from './probes.js';
import { propertyScenarios } from './property-scenarios.js';
import { scale } from './scale.js';
import { validation } from './validation.js';

export const benchmarks: ReadonlyArray<readonly [name: string, run: Benchmark]> = [
  ['lifecycle-overhead', lifecycleOverhead],
  ['scale', scale],
  ['deadline-accuracy', deadlineAccuracy],
  ['validation', validation],
  ['property-scenarios', propertyScenarios],
  ['pod-worker', podWorker],
  ['probes', probes],
];
