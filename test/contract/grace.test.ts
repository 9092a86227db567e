import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  type Container,
  chargedSeconds,
  containerBaseGrace,
  effectiveGracePeriod,
  gracefulDelete,
  killPlan,
  MINIMUM_GRACE_PERIOD_SECONDS,
  type Pod,
  stopTimeoutSeconds,
} from '../../src/index.js';

describe('spec §4.1 gracefulDelete (API server)', () => {
  it('first delete: requested period, else TGPS, else 0; timestamp = now + period', () => {
    expect(gracefulDelete({ terminationGracePeriodSeconds: 30 }, {}, 0)).toMatchObject({
      state: { deletionGracePeriodSeconds: 30, deletionAt: 30_000 },
      changed: true,
      immediate: false,
    });
    expect(gracefulDelete({ terminationGracePeriodSeconds: 30 }, { gracePeriodSeconds: 10 }, 5_000).state).toEqual({
      deletionGracePeriodSeconds: 10,
      deletionAt: 15_000,
      deletionTimestampMs: 15_000,
    });
    expect(gracefulDelete({}, {}, 0).state.deletionGracePeriodSeconds).toBe(0);
  });

  it('unscheduled or finished pods get 0; negative → 1 (spec §4.1 steps 2–4)', () => {
    expect(gracefulDelete({ terminationGracePeriodSeconds: 30, nodeName: '' }, {}, 0)).toMatchObject({
      state: { deletionGracePeriodSeconds: 0 },
      immediate: true,
    });
    expect(
      gracefulDelete({ terminationGracePeriodSeconds: 30, phase: 'Succeeded' }, {}, 0).state.deletionGracePeriodSeconds,
    ).toBe(0);
    expect(
      gracefulDelete({ terminationGracePeriodSeconds: 30, phase: 'Failed' }, {}, 0).state.deletionGracePeriodSeconds,
    ).toBe(0);
    expect(
      gracefulDelete({ terminationGracePeriodSeconds: 30 }, { gracePeriodSeconds: -7 }, 0).state
        .deletionGracePeriodSeconds,
    ).toBe(1);
    expect(gracefulDelete({ terminationGracePeriodSeconds: -3 }, {}, 0).state.deletionGracePeriodSeconds).toBe(1);
  });

  it('period 0 removes at once (force, spec §4.1 step 6)', () => {
    expect(gracefulDelete({ terminationGracePeriodSeconds: 30 }, { gracePeriodSeconds: 0 }, 0).immediate).toBe(true);
  });

  it('repeat: strictly smaller period → timestamp = old − oldPeriod + new', () => {
    const existing = { deletionGracePeriodSeconds: 30, deletionAt: 30_000 };
    expect(
      gracefulDelete({ terminationGracePeriodSeconds: 30, existing }, { gracePeriodSeconds: 10 }, 5_000),
    ).toMatchObject({
      state: { deletionGracePeriodSeconds: 10, deletionAt: 10_000 },
      changed: true,
    });
  });

  it('repeat: larger, equal or omitted periods change nothing — only shrink (spec §4.1)', () => {
    const existing = { deletionGracePeriodSeconds: 10, deletionAt: 10_000 };
    for (const opts of [{ gracePeriodSeconds: 20 }, { gracePeriodSeconds: 10 }, {}]) {
      expect(gracefulDelete({ terminationGracePeriodSeconds: 30, existing }, opts, 2_000)).toMatchObject({
        state: existing,
        changed: false,
      });
    }
  });

  it('repeat: a timestamp in the past is clamped to now with period 1 (0 stays 0)', () => {
    const existing = { deletionGracePeriodSeconds: 30, deletionAt: 30_000 };
    expect(gracefulDelete({ existing }, { gracePeriodSeconds: 2 }, 25_000).state).toEqual({
      deletionGracePeriodSeconds: 1,
      deletionAt: 25_000,
      deletionTimestampMs: 25_000,
    });
    expect(gracefulDelete({ existing }, { gracePeriodSeconds: 0 }, 25_000).state).toEqual({
      deletionGracePeriodSeconds: 0,
      deletionAt: 25_000,
      deletionTimestampMs: 25_000,
    });
  });

  it('repeat on a stored period of 0 deletes at once', () => {
    expect(gracefulDelete({ existing: { deletionGracePeriodSeconds: 0, deletionAt: 0 } }, {}, 1_000).immediate).toBe(
      true,
    );
  });
});

describe('spec §4.2-A effectiveGracePeriod (pod worker)', () => {
  it('DGPS 0 (force) → 1, overridden: not the TGPS (k/k#120449)', () => {
    expect(
      effectiveGracePeriod({ previousSeconds: 0, deletionGracePeriodSeconds: 0, terminationGracePeriodSeconds: 30 }),
    ).toMatchObject({ gracePeriodSeconds: 1, overridden: true });
  });
  it('no DGPS, no override → TGPS', () => {
    expect(effectiveGracePeriod({ previousSeconds: 0, terminationGracePeriodSeconds: 30 })).toEqual({
      gracePeriodSeconds: 30,
      overridden: false,
      shortened: false,
    });
  });
  it('kill override smaller than DGPS wins', () => {
    expect(
      effectiveGracePeriod({
        previousSeconds: 0,
        deletionGracePeriodSeconds: 10,
        killOverrideSeconds: 5,
        terminationGracePeriodSeconds: 30,
      }).gracePeriodSeconds,
    ).toBe(5);
  });
  it('only shrinks and reports the shrink (spec §4.2-A.5)', () => {
    expect(
      effectiveGracePeriod({ previousSeconds: 30, deletionGracePeriodSeconds: 10, terminationGracePeriodSeconds: 30 }),
    ).toMatchObject({ gracePeriodSeconds: 10, shortened: true });
    expect(
      effectiveGracePeriod({ previousSeconds: 10, deletionGracePeriodSeconds: 20, terminationGracePeriodSeconds: 30 }),
    ).toMatchObject({ gracePeriodSeconds: 10, shortened: false });
  });
  it('nothing set → floor 1', () => {
    expect(effectiveGracePeriod({ previousSeconds: 0 }).gracePeriodSeconds).toBe(1);
  });
  test.prop([
    fc.nat(100),
    fc.option(fc.integer({ min: -5, max: 100 }), { nil: undefined }),
    fc.option(fc.integer({ min: -5, max: 100 }), { nil: undefined }),
    fc.option(fc.nat(100), { nil: undefined }),
  ])('never below 1; never above a positive previous value', (prev, dgps, ovr, tgps) => {
    const r = effectiveGracePeriod({
      previousSeconds: prev,
      deletionGracePeriodSeconds: dgps,
      killOverrideSeconds: ovr,
      terminationGracePeriodSeconds: tgps,
    });
    expect(r.gracePeriodSeconds).toBeGreaterThanOrEqual(1);
    // (a DGPS of 0 resets gp to 0 and then lets any override in: literal §4.2-A steps 1-2)
    if (prev > 0 && dgps !== 0) expect(r.gracePeriodSeconds).toBeLessThanOrEqual(prev);
  });
});

describe('spec §4.2-C.1 containerBaseGrace', () => {
  const c: Container = {
    name: 'web',
    livenessProbe: { terminationGracePeriodSeconds: 90 },
    startupProbe: { terminationGracePeriodSeconds: 4 },
  };
  const pod = (spec: Partial<NonNullable<Pod['spec']>>, meta: Record<string, unknown> = {}): Pod => ({
    metadata: { name: 'p', ...meta },
    spec: { containers: [c], ...spec },
  });
  it('DGPS wins, even for probe kills', () => {
    expect(
      containerBaseGrace(
        pod({ terminationGracePeriodSeconds: 30 }, { deletionGracePeriodSeconds: 12 }),
        c,
        'LivenessProbe',
      ),
    ).toBe(12);
  });
  it('probe grace for probe kills (may exceed the pod value); pod TGPS otherwise', () => {
    expect(containerBaseGrace(pod({ terminationGracePeriodSeconds: 30 }), c, 'LivenessProbe')).toBe(90);
    expect(containerBaseGrace(pod({ terminationGracePeriodSeconds: 30 }), c, 'StartupProbe')).toBe(4);
    expect(containerBaseGrace(pod({ terminationGracePeriodSeconds: 30 }), c, 'FailedPostStartHook')).toBe(30);
    expect(containerBaseGrace(pod({ terminationGracePeriodSeconds: 30 }), c, 'Unknown')).toBe(30);
  });
  it('no TGPS → the 2 s minimum (spec §4.2-C.1, [KM])', () => {
    expect(containerBaseGrace(pod({}), c, 'Unknown')).toBe(2);
    expect(MINIMUM_GRACE_PERIOD_SECONDS).toBe(2);
  });
});

describe('spec §4.2-C.5/C.7 charging and the 2 s minimum', () => {
  it('chargedSeconds floors', () => {
    expect([0, 999, 1_000, 29_999, 30_000, 55_500].map(chargedSeconds)).toEqual([0, 0, 1, 29, 30, 55]);
  });
  it('stopTimeoutSeconds raises to the minimum', () => {
    expect([
      stopTimeoutSeconds(1),
      stopTimeoutSeconds(2),
      stopTimeoutSeconds(5),
      stopTimeoutSeconds(-3),
      stopTimeoutSeconds(0, 0),
    ]).toEqual([2, 2, 5, 2, 0]);
  });
  it('docs worked example: TGPS 60, hook 55 s → 5 s before SIGKILL (spec §4.2-E)', () => {
    expect(killPlan({ baseGraceSeconds: 60, hasPreStop: true, preStopElapsedMs: 55_000, orderingWaitMs: 0 })).toEqual({
      gracePeriodSeconds: 60,
      runsPreStop: true,
      remainingSeconds: 5,
      stopTimeoutSeconds: 5,
    });
  });
  it('29.999 s preStop of 30 → remaining 1 → stop 2', () => {
    expect(killPlan({ baseGraceSeconds: 30, hasPreStop: true, preStopElapsedMs: 29_999, orderingWaitMs: 0 })).toEqual({
      gracePeriodSeconds: 30,
      runsPreStop: true,
      remainingSeconds: 1,
      stopTimeoutSeconds: 2,
    });
  });
  it('override before preStop; override 0 skips preStop (spec §4.2-C.4, §4.2-E)', () => {
    expect(
      killPlan({
        baseGraceSeconds: 30,
        overrideSeconds: 10,
        hasPreStop: true,
        preStopElapsedMs: 10_000,
        orderingWaitMs: 0,
      }),
    ).toMatchObject({ gracePeriodSeconds: 10, remainingSeconds: 0, stopTimeoutSeconds: 2 });
    expect(
      killPlan({ baseGraceSeconds: 30, overrideSeconds: 0, hasPreStop: true, preStopElapsedMs: 0, orderingWaitMs: 0 }),
    ).toMatchObject({ runsPreStop: false, stopTimeoutSeconds: 2 });
  });
  it('ordering wait charged in whole seconds after preStop (spec §4.2-C.6)', () => {
    expect(
      killPlan({ baseGraceSeconds: 30, hasPreStop: true, preStopElapsedMs: 3_500, orderingWaitMs: 7_900 }),
    ).toMatchObject({ remainingSeconds: 20, stopTimeoutSeconds: 20 });
  });
  test.prop([
    fc.integer({ min: 0, max: 600 }),
    fc.integer({ min: 0, max: 700_000 }),
    fc.integer({ min: 0, max: 700_000 }),
  ])('killPlan: stop timeout = max(g − floor(pre) − floor(order), 2)', (g, pre, order) => {
    const plan = killPlan({
      baseGraceSeconds: g,
      hasPreStop: true,
      preStopElapsedMs: Math.min(pre, g * 1000),
      orderingWaitMs: order,
    });
    const expected = Math.max(2, g - Math.floor(Math.min(pre, g * 1000) / 1000) - Math.floor(order / 1000));
    if (g > 0) expect(plan.stopTimeoutSeconds).toBe(expected);
    expect(plan.stopTimeoutSeconds).toBeGreaterThanOrEqual(2);
  });
});
