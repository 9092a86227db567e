import { fc, test as propTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/api/types.js';
import {
  chargedSeconds,
  containerBaseGrace,
  effectiveGracePeriod,
  killPlan,
  remainingSecondsAfter,
  stopTimeoutSeconds,
} from '../../src/grace/kill-grace.js';

const container: Container = {
  name: 'web',
  livenessProbe: { terminationGracePeriodSeconds: 60 },
  startupProbe: { terminationGracePeriodSeconds: 5 },
};
const pod = (extra: { dgps?: number; tgps?: number } = {}): Pod => ({
  metadata: { name: 'p', ...(extra.dgps !== undefined ? { deletionGracePeriodSeconds: extra.dgps } : {}) },
  spec: { containers: [container], ...(extra.tgps !== undefined ? { terminationGracePeriodSeconds: extra.tgps } : {}) },
});

describe('effectiveGracePeriod (spec §4.2-A)', () => {
  it('takes DGPS on the first update and marks it overridden', () => {
    expect(
      effectiveGracePeriod({ previousSeconds: 0, deletionGracePeriodSeconds: 10, terminationGracePeriodSeconds: 30 }),
    ).toEqual({
      gracePeriodSeconds: 10,
      overridden: true,
      shortened: false,
    });
  });

  it('falls back to the spec TGPS when nothing overrides', () => {
    expect(effectiveGracePeriod({ previousSeconds: 0, terminationGracePeriodSeconds: 30 }).gracePeriodSeconds).toBe(30);
  });

  it('floors at 1, so a force delete (DGPS 0) still gives 1 s, not the TGPS (k/k#120449)', () => {
    expect(
      effectiveGracePeriod({ previousSeconds: 0, deletionGracePeriodSeconds: 0, terminationGracePeriodSeconds: 30 })
        .gracePeriodSeconds,
    ).toBe(1);
  });

  it('only shrinks and reports the shrink (spec §4.2-A.5)', () => {
    expect(effectiveGracePeriod({ previousSeconds: 30, deletionGracePeriodSeconds: 10 })).toMatchObject({
      gracePeriodSeconds: 10,
      shortened: true,
    });
    expect(effectiveGracePeriod({ previousSeconds: 10, deletionGracePeriodSeconds: 30 })).toMatchObject({
      gracePeriodSeconds: 10,
      shortened: false,
    });
  });

  it('applies a smaller kill override (eviction)', () => {
    expect(
      effectiveGracePeriod({ previousSeconds: 0, deletionGracePeriodSeconds: 30, killOverrideSeconds: 5 })
        .gracePeriodSeconds,
    ).toBe(5);
  });
});

describe('containerBaseGrace (spec §4.2-C.1)', () => {
  it('prefers DGPS over probe and pod values', () => {
    expect(containerBaseGrace(pod({ dgps: 7, tgps: 30 }), container, 'LivenessProbe')).toBe(7);
  });
  it('uses the probe grace for probe kills, even above the pod grace', () => {
    expect(containerBaseGrace(pod({ tgps: 30 }), container, 'LivenessProbe')).toBe(60);
    expect(containerBaseGrace(pod({ tgps: 30 }), container, 'StartupProbe')).toBe(5);
  });
  it('uses the pod grace for other reasons, FailedPostStartHook included', () => {
    expect(containerBaseGrace(pod({ tgps: 30 }), container, 'FailedPostStartHook')).toBe(30);
    expect(containerBaseGrace(pod({ tgps: 30 }), container, 'Unknown')).toBe(30);
  });
  it('falls back to the 2 s minimum without any grace', () => {
    expect(containerBaseGrace(pod(), container, 'Unknown')).toBe(2);
  });
});

describe('kill arithmetic (spec §4.2-C.4-7)', () => {
  it('charges whole elapsed seconds, rounding down', () => {
    expect(chargedSeconds(0)).toBe(0);
    expect(chargedSeconds(999)).toBe(0);
    expect(chargedSeconds(1000)).toBe(1);
    expect(chargedSeconds(29_999)).toBe(29);
  });

  it('raises the stop timeout to the minimum of 2 s', () => {
    expect(stopTimeoutSeconds(0)).toBe(2);
    expect(stopTimeoutSeconds(1)).toBe(2);
    expect(stopTimeoutSeconds(3)).toBe(3);
    expect(stopTimeoutSeconds(0, 0)).toBe(0);
  });

  it('applies the override before preStop, so it bounds preStop (k/k#115835)', () => {
    expect(
      killPlan({
        baseGraceSeconds: 30,
        overrideSeconds: 5,
        hasPreStop: true,
        preStopElapsedMs: 60_000,
        orderingWaitMs: 0,
      }),
    ).toEqual({
      gracePeriodSeconds: 5,
      runsPreStop: true,
      remainingSeconds: 0,
      stopTimeoutSeconds: 2,
    });
  });

  it('skips preStop with a grace of 0', () => {
    expect(
      killPlan({ baseGraceSeconds: 30, overrideSeconds: 0, hasPreStop: true, preStopElapsedMs: 0, orderingWaitMs: 0 })
        .runsPreStop,
    ).toBe(false);
  });

  it('reproduces the docs example: TGPS 60, hook 55 s leaves 5 s (spec §4.2-E)', () => {
    expect(
      killPlan({ baseGraceSeconds: 60, hasPreStop: true, preStopElapsedMs: 55_000, orderingWaitMs: 0 })
        .stopTimeoutSeconds,
    ).toBe(5);
  });

  propTest.prop([
    fc.integer({ min: 0, max: 3600 }),
    fc.boolean(),
    fc.integer({ min: 0, max: 4_000_000 }),
    fc.integer({ min: 0, max: 4_000_000 }),
  ])(
    'the whole kill never exceeds grace + minimum, and the stop timeout is never below it',
    (grace, hasPreStop, preStopMs, waitMs) => {
      const plan = killPlan({
        baseGraceSeconds: grace,
        hasPreStop,
        preStopElapsedMs: preStopMs,
        orderingWaitMs: waitMs,
      });
      expect(plan.stopTimeoutSeconds).toBeGreaterThanOrEqual(2);
      expect(plan.remainingSeconds).toBeGreaterThanOrEqual(0);
      const spent = plan.gracePeriodSeconds - plan.remainingSeconds; // whole seconds charged to waits
      expect(spent + plan.stopTimeoutSeconds).toBeLessThanOrEqual(Math.max(grace, 0) + 2);
    },
  );
});

describe('remainingSecondsAfter (the kill asks it after its waits, spec §4.2-C.7)', () => {
  propTest.prop([
    fc.record({
      baseGraceSeconds: fc.integer({ min: 0, max: 600 }),
      overrideSeconds: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
      hasPreStop: fc.boolean(),
      preStopElapsedMs: fc.integer({ min: 0, max: 700_000 }),
      orderingWaitMs: fc.integer({ min: 0, max: 700_000 }),
      remainingCapMs: fc.option(fc.integer({ min: -5_000, max: 700_000 }), { nil: undefined }),
      minimumSeconds: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
    }),
  ])("is killPlan's remainingSeconds, and with stopTimeoutSeconds its stopTimeoutSeconds", (input) => {
    const plan = killPlan(input);
    const remaining = remainingSecondsAfter(input, input.preStopElapsedMs, input.orderingWaitMs, input.remainingCapMs);
    expect(remaining).toBe(plan.remainingSeconds);
    expect(stopTimeoutSeconds(remaining, input.minimumSeconds)).toBe(plan.stopTimeoutSeconds);
  });

  it('charges whole elapsed seconds of the preStop only when it ran (spec §4.2-C.5)', () => {
    const input = { baseGraceSeconds: 30, overrideSeconds: undefined, hasPreStop: true };
    expect(remainingSecondsAfter(input, 1_999, 0, undefined)).toBe(29);
    expect(remainingSecondsAfter({ ...input, hasPreStop: false }, 1_999, 0, undefined)).toBe(30);
    expect(remainingSecondsAfter(input, 0, 0, 4_500)).toBe(4);
  });
});
