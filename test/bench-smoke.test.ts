/**
 * Smoke check of the benchmarks (test/bench): each runs in short mode, in process, and must
 * complete with its correctness check passed and sane figures. No timing assertion: figures from
 * tiny sizes on a shared machine mean nothing (the real numbers come from `npm run bench`).
 */
import { describe, expect, it } from 'vitest';
import { benchmarks } from './bench/benchmarks.js';

describe('benchmarks (short mode smoke)', () => {
  it('lists every benchmark of issue 19, the pod worker and probes included', () => {
    expect(benchmarks.map(([name]) => name)).toEqual([
      'lifecycle-overhead',
      'scale',
      'deadline-accuracy',
      'validation',
      'property-scenarios',
      'pod-worker',
      'probes',
    ]);
  });

  it.each(benchmarks.map(([name, run]) => [name, run] as const))(
    '%s completes with a passing correctness check',
    async (name, run) => {
      const result = await run({ short: true });
      expect(result.name).toBe(name);
      expect(result.check).toBeTypeOf('string');
      expect(result.correct, result.check).toBe(true);
      const metrics = Object.entries(result.metrics);
      expect(metrics.length).toBeGreaterThan(0);
      for (const [metric, { value, unit }] of metrics) {
        expect(Number.isFinite(value), `${metric} = ${value}`).toBe(true);
        expect(unit).not.toBe('');
      }
      for (const t of result.targets) {
        expect(Object.keys(result.metrics)).toContain(t.metric);
        expect(t.met).toBeUndefined(); // short mode never judges a target
      }
    },
  );
});
