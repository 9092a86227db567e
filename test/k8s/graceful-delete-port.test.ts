/**
 * Port of the API server's graceful-delete tests (spec §4.1) against {@link gracefulDelete}:
 * - `pkg/registry/core/pod/strategy_test.go` `TestCheckGracefulDelete` (stored copy with the
 *   "has negative grace period" case, commit 01db4ae9e74af4d97f67d2e92060f72ed91898da), for
 *   `podStrategy.CheckGracefulDelete` (`strategy.go`: options → TGPS → 0; unscheduled or
 *   terminal → 0; negative → 1);
 * - `staging/src/k8s.io/apiserver/pkg/registry/rest/delete_test.go` `TestBeforeDelete` (commit
 *   2ca9e2d28f0146fe881c8b9007f2926b07ff403d, the copy with the "would move into the past" cases
 *   that match `BeforeDelete`'s clamp to `metav1Now()`).
 *
 * Mapping. Go's `BeforeDelete` returns `(graceful, gracefulPending)`; ours returns `changed` and
 * `immediate`: `(false, false)` = deleted at once (`immediate`, not `changed`), `(false, true)` =
 * pending, nothing changes, `(true, false)` = the deletion fields were updated (`changed`;
 * `immediate` when the new period is 0). Go's `now` is a fixed instant; here it is 100 s on the
 * caller's clock (milliseconds). A Go `PodSpec{}` has `NodeName ""`: passed as `nodeName: ''`
 * (our `undefined` means "assume scheduled", see the report). `options.GracePeriodSeconds` as
 * rewritten by Go (`wantGracePeriodSeconds`) has no counterpart in our result and is not compared.
 */
import { describe, expect, it } from 'vitest';
import { gracefulDelete } from '../../src/grace/graceful-delete.js';
import { podHarness, podOf } from '../manager/pod-harness.js';

const NOW = 100_000;

describe('strategy_test.go TestCheckGracefulDelete (spec §4.1 first delete)', () => {
  // defaultGracePeriod := 30, passed as DeleteOptions.GracePeriodSeconds unless the case has none.
  it.each([
    { name: 'in pending phase with has node name', nodeName: 'something', phase: 'Pending', request: 30, want: 30 },
    { name: 'in failed phase with has node name', nodeName: 'something', phase: 'Failed', request: 30, want: 0 },
    { name: 'in failed phase', nodeName: '', phase: 'Pending', request: 30, want: 0 },
    { name: 'in succeeded phase', nodeName: '', phase: 'Succeeded', request: 30, want: 0 },
    { name: 'no phase', nodeName: '', phase: undefined, request: 30, want: 0 },
  ])('TestCheckGracefulDelete "$name" → grace $want', ({ nodeName, phase, request, want }) => {
    const result = gracefulDelete({ nodeName, phase }, { gracePeriodSeconds: request }, NOW);
    expect(result.state).toEqual({
      deletionGracePeriodSeconds: want,
      deletionAt: NOW + want * 1000,
      deletionTimestampMs: NOW + want * 1000,
    });
    expect(result).toMatchObject({ changed: true, immediate: want === 0 });
  });

  it('TestCheckGracefulDelete "has negative grace period": TGPS -1, no options → 1', () => {
    const result = gracefulDelete({ nodeName: 'something', terminationGracePeriodSeconds: -1 }, {}, NOW);
    expect(result).toMatchObject({ changed: true, immediate: false, state: { deletionGracePeriodSeconds: 1 } });
  });

  it('CheckGracefulDelete order: a terminal phase wins over a negative request (0, not 1)', () => {
    // strategy.go sets 0 for Failed/Succeeded before `if period < 0 { period = 1 }`; BeforeDelete
    // turns the negative option into 1 first, CheckGracefulDelete then sets 0 for the phase.
    const result = gracefulDelete({ nodeName: 'n', phase: 'Failed' }, { gracePeriodSeconds: -3 }, NOW);
    expect(result).toMatchObject({ immediate: true, state: { deletionGracePeriodSeconds: 0 } });
  });
});

type Outcome = 'deletedNow' | 'pending' | 'updated';

/** Go's `(graceful, gracefulPending)` in our terms. */
function outcome(result: ReturnType<typeof gracefulDelete>): Outcome {
  if (result.changed) return 'updated';
  return result.immediate ? 'deletedNow' : 'pending';
}

describe('delete_test.go TestBeforeDelete (spec §4.1 repeat delete)', () => {
  // makePod(d): deletionTimestamp = now + d s, DeletionGracePeriodSeconds = d; makeOption(g).
  // graceful/pending → Outcome: (false,true) pending, (true,false) updated, (false,false) deletedNow.
  it.each([
    { d: -1, g: -1, want: 1, out: 'pending' },
    { d: -1, g: 0, want: 0, out: 'updated' },
    { d: -1, g: 1, want: 1, out: 'pending' },
    { d: -1, g: 2, want: 1, out: 'pending' },
    { d: 0, g: -1, want: 0, out: 'deletedNow' },
    { d: 0, g: 0, want: 0, out: 'deletedNow' },
    { d: 0, g: 1, want: 0, out: 'deletedNow' },
    { d: 0, g: 2, want: 0, out: 'deletedNow' },
    { d: 1, g: -1, want: 1, out: 'pending' },
    { d: 1, g: 0, want: 0, out: 'updated' },
    { d: 1, g: 1, want: 1, out: 'pending' },
    { d: 1, g: 2, want: 1, out: 'pending' },
    { d: 2, g: -1, want: 1, out: 'updated' },
    { d: 2, g: 0, want: 0, out: 'updated' },
    { d: 2, g: 1, want: 1, out: 'updated' },
    { d: 2, g: 2, want: 2, out: 'pending' },
  ] as Array<{ d: number; g: number; want: number; out: Outcome }>)(
    'TestBeforeDelete "when DeletionGracePeriodSeconds=$d, GracePeriodSeconds=$g" → DGPS $want ($out)',
    ({ d, g, want, out }) => {
      const existing = { deletionGracePeriodSeconds: d, deletionAt: NOW + d * 1000 };
      const result = gracefulDelete({ existing }, { gracePeriodSeconds: g }, NOW);
      expect(result.state.deletionGracePeriodSeconds).toBe(want);
      expect(outcome(result)).toBe(out);
      // An update moves the timestamp to old - oldDGPS + new, both negatives read as 1, and
      // never before now (with the stored -1 read as 1 the instant is in the past: clamped).
      const asOne = (n: number) => (n < 0 ? 1 : n);
      if (out === 'updated')
        expect(result.state.deletionAt).toBe(Math.max(NOW + (d - asOne(d) + asOne(g)) * 1000, NOW));
      expect(result.immediate).toBe(out === 'deletedNow' || (out === 'updated' && want === 0));
    },
  );

  it('TestBeforeDelete "when a shorter non-zero grace period would move into the past" → now, DGPS 1', () => {
    const existing = { deletionGracePeriodSeconds: 60, deletionAt: NOW - 60_000 };
    const result = gracefulDelete({ existing }, { gracePeriodSeconds: 50 }, NOW);
    expect(outcome(result)).toBe('updated');
    expect(result.state).toEqual({ deletionGracePeriodSeconds: 1, deletionAt: NOW, deletionTimestampMs: NOW });
    expect(result.immediate).toBe(false);
  });

  it('TestBeforeDelete "when a zero grace period would move into the past" → now, DGPS 0', () => {
    const existing = { deletionGracePeriodSeconds: 60, deletionAt: NOW - 60_000 };
    const result = gracefulDelete({ existing }, { gracePeriodSeconds: 0 }, NOW);
    expect(outcome(result)).toBe('updated');
    expect(result.state).toEqual({ deletionGracePeriodSeconds: 0, deletionAt: NOW, deletionTimestampMs: NOW });
    expect(result.immediate).toBe(true);
  });

  it('BeforeDelete without GracePeriodSeconds on a pod already terminating: pending, nothing changes', () => {
    // delete.go: `options.GracePeriodSeconds = objectMeta.GetDeletionGracePeriodSeconds(); return false, true`
    const existing = { deletionGracePeriodSeconds: 30, deletionAt: NOW + 30_000 };
    const result = gracefulDelete({ existing }, {}, NOW);
    expect(outcome(result)).toBe('pending');
    expect(result.state).toMatchObject({ deletionGracePeriodSeconds: 30, deletionAt: NOW + 30_000 });
  });
});

describe('CheckGracefulDelete through LifecycleManager.deletePod (DESIGN §6, spec §4.1)', () => {
  it('a negative gracePeriodSeconds is stored as 1 and the kill gets 1 s (BeforeDelete, "negative → 1s")', async () => {
    const { clock, manager } = podHarness();
    const pod = podOf([{ name: 'app', image: 'nginx' }]);
    await manager.startPod(pod);
    const deleted = manager.deletePod(pod, { gracePeriodSeconds: -5 });
    await clock.advance(5_000);
    expect(await deleted).toMatchObject({ deletionGracePeriodSeconds: 1, gracePeriodSeconds: 1 });
  });

  it('TestCheckGracefulDelete "in succeeded phase": a pod the worker finished (Succeeded) is deleted with grace 0 (spec §4.1 step 3)', async () => {
    const { clock, runtime, manager } = podHarness();
    const pod = podOf([{ name: 'app', image: 'nginx' }], { restartPolicy: 'Never' });
    await manager.startPod(pod);
    runtime.crash('app', { exitCode: 0 });
    await clock.advance(1_000);
    expect(manager.podStatus(pod).phase).toBe('Succeeded');
    const result = await manager.deletePod(pod);
    expect(result.deletionGracePeriodSeconds).toBe(0);
  });
});
