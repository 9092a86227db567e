import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import fastCheck from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validatePod } from '../../src/api/validation.js';
import { lifecycleArbitraries, runScenario } from '../../src/testing/index.js';
import { checkScenario, scenarioPolicy } from '../../src/testing/scenario-check.js';

const arbs = lifecycleArbitraries(fc);

describe('pod arbitraries', () => {
  test.prop([arbs.validPod], { numRuns: 200 })('valid pods pass validatePod', (pod) => {
    expect(validatePod(pod)).toEqual([]);
  });

  test.prop([arbs.invalidPod], { numRuns: 300 })(
    'invalid pods fail at the claimed field',
    ({ pod, field, mutation }) => {
      expect(
        validatePod(pod).map((e) => e.field),
        mutation,
      ).toContain(field);
    },
  );

  test.prop([
    fc
      .integer({ min: 0, max: 300 })
      .chain((grace) => fc.tuple(fc.constant(grace), arbs.handler(grace), arbs.lifecycle(grace, 'linux'))),
  ])('handlers and lifecycles are valid for their grace', ([grace, handler, lifecycle]) => {
    const pod = (lc: object, os?: object) => ({
      metadata: { name: 'p' },
      spec: { terminationGracePeriodSeconds: grace, containers: [{ name: 'c', lifecycle: lc }], ...os },
    });
    expect(validatePod(pod({ preStop: handler }))).toEqual([]);
    expect(validatePod(pod(lifecycle, { os: { name: 'linux' } }))).toEqual([]);
  });

  test.prop([arbs.runnablePod], { numRuns: 200 })('runnable pods are valid', (pod) => {
    expect(validatePod(pod)).toEqual([]);
  });

  it('work with fast-check imported directly, not only through @fast-check/vitest', () => {
    const direct = lifecycleArbitraries(fastCheck);
    for (const pod of fastCheck.sample(direct.validPod, { numRuns: 20, seed: 42 }))
      expect(validatePod(pod)).toEqual([]);
  });
});

describe('scenario arbitraries', () => {
  test.prop([arbs.scenario], { numRuns: 200 })('scenarios are well-formed for their pod', ({ pod, scenario }) => {
    expect(() => checkScenario(pod, scenario)).not.toThrow();
    expect(() => scenarioPolicy(scenario)).not.toThrow();
    expect(JSON.parse(JSON.stringify(scenario))).toEqual(scenario); // plain data
  });

  // The docs-style property: random pods, actions and faults keep every Kubernetes invariant.
  test.prop([arbs.scenario], { numRuns: 200 })(
    '200 random scenarios run with zero invariant violations',
    async ({ pod, scenario }) => {
      const trace = await runScenario(pod, scenario);
      expect(trace.violations).toEqual([]);
      expect(trace.endReason).toBe('settled');
      expect(trace.results).toHaveLength(scenario.actions.length);
      expect(trace.results.every((r) => r.status !== 'rejected' || r.error?.code === 'ERR_INVALID_STATE')).toBe(true);
    },
  );

  test.prop([arbs.scenario], { numRuns: 30 })('random scenarios replay identically', async ({ pod, scenario }) => {
    expect(JSON.stringify(await runScenario(pod, scenario))).toBe(JSON.stringify(await runScenario(pod, scenario)));
  });

  it('cover every action kind and fault kind', () => {
    const seen = new Set<string>();
    for (const { pod, scenario } of fastCheck.sample(lifecycleArbitraries(fastCheck).scenario, {
      numRuns: 300,
      seed: 7,
    })) {
      if (scenario.actions.some((a) => a.after !== undefined)) seen.add('after');
      for (const a of scenario.actions)
        seen.add(
          Object.keys(a).find(
            (k) =>
              k !== 'at' &&
              k !== 'after' &&
              k !== 'gracePeriodOverride' &&
              k !== 'reason' &&
              k !== 'exitCode' &&
              k !== 'gracePeriodSeconds',
          )!,
        );
      for (const f of Object.values(scenario.hooks ?? {})) for (const k of Object.keys(f)) seen.add(`hook.${k}`);
      for (const f of Object.values(scenario.stops ?? {})) for (const k of Object.keys(f)) seen.add(`stop.${k}`);
      for (const f of Object.values(scenario.starts ?? {})) for (const k of Object.keys(f)) seen.add(`start.${k}`);
      if ((pod.spec?.initContainers ?? []).length > 0) seen.add('init container');
    }
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        'after',
        'crash',
        'delete',
        'start',
        'startAll',
        'stop',
        'init container',
        'hook.delayMs',
        'hook.error',
        'hook.exitCode',
        'hook.hang',
        'hook.plainHttp',
        'hook.reject',
        'hook.status',
        'hook.throw',
        'hook.headers',
        'stop.exitDelayMs',
        'stop.ignoreSigterm',
        'stop.reject',
        'start.delayMs',
        'start.reject',
      ]),
    );
  });
});

describe('kube-lifecycle/testing loads without fast-check', () => {
  it('no file in src/testing imports fast-check at runtime (only `import type`)', () => {
    const root = join(import.meta.dirname, '../../src/testing');
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) =>
        statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : [],
      );
    const offences = walk(root).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter(
          (line) =>
            /['"](fast-check|@fast-check\/[^'"]+)['"]/.test(line) &&
            /\b(import|export|require)\b/.test(line) &&
            !/^\s*(import|export) type\b/.test(line) &&
            !/^\s*(\/?\*|\/\/)/.test(line),
        )
        .map((line) => `${relative(root, file)}: ${line.trim()}`),
    );
    expect(offences).toEqual([]);
  });
});
