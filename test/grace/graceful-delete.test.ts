import { fc, test as propTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { gracefulDelete } from '../../src/grace/graceful-delete.js';

describe('gracefulDelete: first delete (spec §4.1)', () => {
  it('uses the requested period, else TGPS, else 0', () => {
    expect(gracefulDelete({ terminationGracePeriodSeconds: 30 }, { gracePeriodSeconds: 10 }, 1000).state).toEqual({
      deletionGracePeriodSeconds: 10,
      deletionAt: 11_000,
      deletionTimestampMs: 11_000,
    });
    expect(gracefulDelete({ terminationGracePeriodSeconds: 30 }, {}, 0).state.deletionGracePeriodSeconds).toBe(30);
    expect(gracefulDelete({}, {}, 0)).toMatchObject({ state: { deletionGracePeriodSeconds: 0 }, immediate: true });
  });

  it('deletes unscheduled and finished pods at once (spec §4.1 steps 2-3)', () => {
    expect(gracefulDelete({ terminationGracePeriodSeconds: 30, nodeName: '' }, {}, 0).immediate).toBe(true);
    expect(gracefulDelete({ terminationGracePeriodSeconds: 30, phase: 'Succeeded' }, {}, 0).immediate).toBe(true);
    expect(gracefulDelete({ terminationGracePeriodSeconds: 30, phase: 'Failed' }, {}, 0).immediate).toBe(true);
    expect(gracefulDelete({ terminationGracePeriodSeconds: 30, phase: 'Running' }, {}, 0).immediate).toBe(false);
  });

  it('treats a negative period as 1 (spec §4.1 step 4, k/k#115606)', () => {
    expect(
      gracefulDelete({ terminationGracePeriodSeconds: 30 }, { gracePeriodSeconds: -5 }, 0).state
        .deletionGracePeriodSeconds,
    ).toBe(1);
    expect(gracefulDelete({ terminationGracePeriodSeconds: -3 }, {}, 0).state.deletionGracePeriodSeconds).toBe(1);
  });
});

describe('gracefulDelete: repeat delete (spec §4.1)', () => {
  const existing = gracefulDelete({ terminationGracePeriodSeconds: 30 }, {}, 0).state; // 30 s, at 30 000

  it('hands back a stored negative deletionGracePeriodSeconds coerced to 1, as Go does (issue 18)', () => {
    const stored = { deletionGracePeriodSeconds: -1, deletionAt: 1_000 };
    for (const gracePeriodSeconds of [undefined, 1, 5]) {
      const result = gracefulDelete({ existing: stored }, { gracePeriodSeconds }, 0);
      expect(result.state).toEqual({ deletionGracePeriodSeconds: 1, deletionAt: 1_000, deletionTimestampMs: 1_000 });
      expect(result).toMatchObject({ immediate: false, changed: false });
    }
    // A shorter request still works from the coerced 1: 0 deletes at once.
    expect(gracefulDelete({ existing: stored }, { gracePeriodSeconds: 0 }, 0)).toMatchObject({
      immediate: true,
      changed: true,
      state: { deletionGracePeriodSeconds: 0 },
    });
    expect(stored.deletionGracePeriodSeconds).toBe(-1);
  });

  it('only shortens: larger, equal or omitted periods change nothing', () => {
    for (const gracePeriodSeconds of [30, 45, undefined]) {
      const result = gracefulDelete({ existing }, { gracePeriodSeconds }, 5_000);
      expect(result).toEqual({ state: existing, immediate: false, changed: false });
    }
  });

  it('moves the timestamp to old - oldPeriod + newPeriod', () => {
    const result = gracefulDelete({ existing }, { gracePeriodSeconds: 10 }, 5_000);
    expect(result).toEqual({
      state: { deletionGracePeriodSeconds: 10, deletionAt: 10_000, deletionTimestampMs: 10_000 },
      immediate: false,
      changed: true,
    });
  });

  it('clamps a timestamp in the past to now, with period 1 (or 0 stays 0)', () => {
    expect(gracefulDelete({ existing }, { gracePeriodSeconds: 3 }, 5_000).state).toEqual({
      deletionGracePeriodSeconds: 1,
      deletionAt: 5_000,
      deletionTimestampMs: 5_000,
    });
    expect(gracefulDelete({ existing }, { gracePeriodSeconds: 0 }, 5_000)).toMatchObject({
      state: { deletionGracePeriodSeconds: 0, deletionAt: 5_000 },
      immediate: true,
    });
  });

  it('deletes at once when the stored period is 0', () => {
    const zero = { deletionGracePeriodSeconds: 0, deletionAt: 0 };
    expect(gracefulDelete({ existing: zero }, { gracePeriodSeconds: 10 }, 1).immediate).toBe(true);
  });

  propTest.prop([
    fc.integer({ min: 1, max: 3600 }),
    fc.array(fc.option(fc.integer({ min: -10, max: 3600 }), { nil: undefined }), { maxLength: 8 }),
  ])('the stored period never grows across any sequence of deletes', (tgps, requests) => {
    let state = gracefulDelete({ terminationGracePeriodSeconds: tgps }, {}, 0).state;
    for (const [i, gracePeriodSeconds] of requests.entries()) {
      const before = state.deletionGracePeriodSeconds;
      state = gracefulDelete({ existing: state }, { gracePeriodSeconds }, i * 1000).state;
      expect(state.deletionGracePeriodSeconds).toBeLessThanOrEqual(before);
      expect(state.deletionGracePeriodSeconds).toBeGreaterThanOrEqual(0);
    }
  });
});
