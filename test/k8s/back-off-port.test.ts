/**
 * Port of client-go `util/flowcontrol/backoff_test.go` (newest stored kubernetes/kubernetes copy,
 * commit 04791b49: `k8s.io/utils/clock/testing`, with `TestBackoffWithJitter`) against
 * {@link CrashLoopBackOff}, the kubelet's `flowcontrol.Backoff` (spec pod §4.2), for the cases that
 * the kubelet's CrashLoopBackOff exercises: doubling, the cap, expiry, per-key entries.
 *
 * Mapping:
 * - `testingclock.FakeClock` → an explicit `now` in ms; `tc.Step(d)` adds `d`, `tc.Now()` is `now`.
 * - `NewFakeBackOff(initial, max, tc)` → `new CrashLoopBackOff({ initialMs, maxMs, resetAfterMs })`
 *   with `resetAfterMs = 2 × max`: without `HasExpiredFunc`, client-go's `hasExpired` is
 *   `eventTime − lastUpdate > 2·maxDuration`, the same form as ours with that window. The kubelet
 *   sets `HasExpiredFunc` to `eventTime − lastUpdate > 600 s` (kubelet.go `NewMainKubelet`, spec pod
 *   §4.1), i.e. our default `resetAfterMs`.
 * - `b.Get(id)` → `backOffMs(id)`; `b.Next(id, t)` → `next(id, t, now)` (`lastUpdate = Clock.Now()`);
 *   `b.IsInBackOffSince(id, t)` → `isInBackOffSince(id, t, now)` (`Clock.Since(t) < backoff`).
 *
 * Not ported: the `Reset` half of `TestSlowBackoff` (`CrashLoopBackOff` has no `Reset`),
 * `TestIsInBackOffSinceUpdate` (the kubelet calls `IsInBackOffSince` only), `TestBackoffWithJitter`
 * (the kubelet's `NewBackOff` has no jitter, spec pod §4.1).
 */

import { describe, expect, it } from 'vitest';
import { goDurationString } from '../../src/api/go-format.js';
import { CrashLoopBackOff, resolveCrashLoopBackOff } from '../../src/pod/crash-loop-back-off.js';

const step = 1000; // time.Second

/** `NewFakeBackOff(initial, max, tc)` with client-go's default `hasExpired` (2 × max). */
const newFakeBackOff = (initialMs: number, maxMs: number) =>
  new CrashLoopBackOff({ initialMs, maxMs, resetAfterMs: 2 * maxMs });

/** The FakeClock starts at `time.Now()`; any origin does. */
const start = 1_700_000_000_000;

describe('client-go TestSlowBackoff (spec pod §4.2)', () => {
  it('TestSlowBackoff: step 1s, max 50s → Get before each Next is 0,1,2,4,8,16,32,50,50,50 s (spec pod §4.2)', () => {
    const id = '_idSlow';
    const b = newFakeBackOff(step, 50 * step);
    const cases = [0, 1, 2, 4, 8, 16, 32, 50, 50, 50];
    let now = start;
    const got: number[] = [];
    for (const _c of cases) {
      now += step;
      got.push(b.backOffMs(id));
      b.next(id, now, now);
    }
    expect(got).toEqual(cases.map((c) => c * step));
  });
});

describe('client-go TestBackoffReset (spec pod §4.2)', () => {
  it('TestBackoffReset: capped at max 5s, in back-off at once; 11 s after lastUpdate it is not (spec pod §4.2)', () => {
    const id = '_idReset';
    const maxDuration = 5 * step;
    const b = newFakeBackOff(step, maxDuration);
    let now = start;
    for (let i = 0; i <= maxDuration / step; i++) {
      now += step;
      b.next(id, now, now);
    }
    expect(b.backOffMs(id)).toBe(maxDuration);
    expect(b.isInBackOffSince(id, now, now)).toBe(true);
    const lastUpdate = now;
    now += 2 * maxDuration + step; // time += 11s, 11 > 2*maxDuration
    expect(b.isInBackOffSince(id, lastUpdate, now)).toBe(false);
  });
});

describe('client-go TestBackoffHighWaterMark (spec pod §4.2)', () => {
  it('TestBackoffHighWaterMark: a Next 6 s after the last (< 2·max) stays at the 5 s cap (spec pod §4.2)', () => {
    const id = '_idHiWaterMark';
    const maxDuration = 5 * step;
    const b = newFakeBackOff(step, maxDuration);
    let now = start;
    for (let i = 0; i <= maxDuration / step; i++) {
      now += step;
      b.next(id, now, now);
    }
    now += maxDuration + step;
    b.next(id, now, now);
    expect(b.backOffMs(id)).toBe(maxDuration);
  });

  it('TestBackoffHighWaterMark with the kubelet HasExpiredFunc (600 s, kubelet 1.35 defaults 10 s / 300 s): a Next 600 s after lastUpdate stays at 5m0s, 600.001 s resets to 10s (spec pod §4.1, §4.2)', () => {
    const id = '_idHiWaterMark';
    const b = new CrashLoopBackOff(resolveCrashLoopBackOff());
    let now = start;
    for (let i = 0; i < 7; i++) {
      now += step;
      b.next(id, now, now); // 10, 20, 40, 80, 160, 300, 300 s
    }
    expect(goDurationString(b.backOffMs(id))).toBe('5m0s');
    const lastUpdate = now;
    b.next(id, lastUpdate + 600_000, lastUpdate + 600_000); // eventTime − lastUpdate = 600 s: not expired
    expect(goDurationString(b.backOffMs(id))).toBe('5m0s');
    const lastUpdate2 = lastUpdate + 600_000;
    b.next(id, lastUpdate2 + 600_001, lastUpdate2 + 600_001); // > 600 s: expired → initial
    expect(goDurationString(b.backOffMs(id))).toBe('10s');
  });
});

describe('flowcontrol Backoff.perItemBackoff: entries are per key (spec pod §4.2)', () => {
  it('TestSlowBackoff schedule on one key leaves another key at Get = 0 and out of back-off (per-key independence, Backoff.perItemBackoff; no dedicated Go test) (spec pod §4.2)', () => {
    const b = newFakeBackOff(step, 50 * step);
    let now = start;
    for (let i = 0; i < 4; i++) {
      now += step;
      b.next('pod_ns_uid_app_hash', now, now);
    }
    expect(b.backOffMs('pod_ns_uid_app_hash')).toBe(8 * step);
    expect(b.backOffMs('pod_ns_uid_sidecar_hash')).toBe(0);
    expect(b.isInBackOffSince('pod_ns_uid_sidecar_hash', now, now)).toBe(false);
    b.next('pod_ns_uid_sidecar_hash', now, now);
    expect(b.backOffMs('pod_ns_uid_sidecar_hash')).toBe(step);
    expect(b.backOffMs('pod_ns_uid_app_hash')).toBe(8 * step);
  });
});

describe('client-go TestBackoffGC (spec pod §4.2)', () => {
  // 1.35 kubelet_pods.go HandlePodCleanups ends with `kl.crashLoopBackOff.GC()` (every 2 s
  // housekeeping): an entry whose lastUpdate is more than the expiry window old is deleted, so the
  // next IsInBackOffSince is false and the next Next starts again at initial.
  it('TestBackoffGC: after GC at now − lastUpdate = 12 s > 2·max, the entry is gone: not in back-off for an exit at lastUpdate + 9 s (spec pod §4.2)', () => {
    // The kubelet runs GC in housekeeping; CrashLoopBackOff drops such an entry when it reads it.
    const id = '_idGC';
    const maxDuration = 5 * step;
    const b = newFakeBackOff(step, maxDuration);
    let now = start;
    for (let i = 0; i <= maxDuration / step; i++) {
      now += step;
      b.next(id, now, now);
    }
    const lastUpdate = now;
    // First GC at lastUpdate + 6 s keeps the entry (6 s ≤ 2·max): still 5 s.
    expect(b.backOffMs(id)).toBe(maxDuration);
    // Second GC at lastUpdate + 12 s deletes it; an exit at lastUpdate + 9 s (not expired by itself)
    // is then out of back-off at lastUpdate + 12 s, and the next Next starts at initial.
    expect(b.isInBackOffSince(id, lastUpdate + 9 * step, lastUpdate + 12 * step)).toBe(false);
    b.next(id, lastUpdate + 9 * step, lastUpdate + 12 * step);
    expect(b.backOffMs(id)).toBe(step);
  });
});
