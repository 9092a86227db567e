/**
 * The code under benchmark. `npm run bench` builds the package and measures `dist/` — the
 * JavaScript users import, compiled by tsup (tsx, which runs these files, adds a `__name` call to
 * every closure it compiles; measured on the sources that inflated a lifecycle cycle by ~20%).
 * The vitest smoke test (test/bench-smoke.test.ts) runs the sources: `BENCH_SUBJECT` unset = `src`.
 * Types always come from the sources, which the build's declarations are emitted from.
 */
import type * as Root from '../../src/index.js';
import type * as Testing from '../../src/testing/index.js';

/** Which code the benchmarks measure: `dist` (the built package) or `src`. */
export const subject: 'dist' | 'src' = process.env['BENCH_SUBJECT'] === 'dist' ? 'dist' : 'src';

// Paths held in variables: the type check runs before the build, when dist/ may not exist yet.
const dist = { root: '../../dist/index.js', testing: '../../dist/testing/index.js' };
const root = (subject === 'dist' ? await import(dist.root) : await import('../../src/index.js')) as typeof Root;
const testing = (
  subject === 'dist' ? await import(dist.testing) : await import('../../src/testing/index.js')
) as typeof Testing;

export const { LifecycleManager, stopWithEscalation, systemClock, validatePod } = root;
export const { VirtualClock, FakeRuntime, FakeHttpClient } = testing;
