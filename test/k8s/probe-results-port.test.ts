/**
 * Port of `pkg/kubelet/prober/results/results_manager_test.go` (TestCacheOperations, TestUpdates;
 * the same two tests in every stored copy: kubernetes/kubernetes @ddb4da8d and index id 41520159923,
 * sanposhiho/kubernetes @059ce4e8 with the `Unknown` result of the 1.2x+ `results_manager.go`).
 * Spec pod §5.3, §6.1.
 *
 * Mapping. Go's results manager is one cache keyed by container ID with an `Updates()` channel
 * that gets an `Update` when a result is new or changed, never when it is set again unchanged.
 * Here the cache is per container, inside {@link ContainerProbes}: `Get` is `probes.result(type)`,
 * `Set` is a worker writing its result, `Remove` is a worker stopping (the deferred
 * `resultsManager.Remove` of `worker.run`). The consumers of `Updates()` (the prober manager's
 * `updateReadiness`/`updateStartup`, which set `ready`/`started`) are `onStatusChange`, which is
 * called when a result changes what the container reports — the observable of `Updates()`.
 * (`onResult` is a trace hook called on every write, unchanged ones included, so it is not it.)
 * Go's two IDs "foo" and "bar" are two containers, each with a readiness probe (period 1 s,
 * thresholds 1) answering a scripted sequence from t=0; each new instance first holds the
 * readiness initial value Failure (spec pod §6.1 step 4), so Go's "new" result is the first one
 * that differs from it.
 */
import { describe, expect, it } from 'vitest';
import type { ProbeSpec } from '../../src/probes/probe-spec.js';
import { harness } from '../probes/harness.js';

const probe = (extra: ProbeSpec = {}): ProbeSpec => ({
  tcpSocket: { port: 80 },
  periodSeconds: 1,
  successThreshold: 1,
  failureThreshold: 1,
  ...extra,
});

describe('results_manager_test.go TestCacheOperations (spec pod §6.1)', () => {
  it('TestCacheOperations "unset result found": no container instance yet → no cached result (spec pod §6.1 step 3)', async () => {
    const h = harness({ name: 'unset', readinessProbe: probe() }, () => true);
    await h.clock.advance(3000);
    expect(h.probes.result('readiness')).toBeUndefined();
  });

  it('TestCacheOperations "set result" / "set result found": a written result is read back (spec pod §6.1 step 13)', async () => {
    const h = harness({ name: 'set', readinessProbe: probe() }, () => true, { startAtCreation: true });
    await h.clock.advance(0);
    expect(h.probes.result('readiness')).toBe('Success');
  });

  it('TestCacheOperations "removed result found": a stopped worker removes its result (spec pod §6.1 step 7, StopLivenessAndStartup)', async () => {
    const h = harness({ name: 'set', livenessProbe: probe() }, () => true, { startAtCreation: true });
    await h.clock.advance(0);
    expect(h.probes.result('liveness')).toBe('Success');
    h.probes.podTerminating(); // the liveness worker stops
    await h.clock.advance(0);
    expect([h.probes.result('liveness'), h.probes.activeProbes]).toEqual([undefined, []]);
  });
});

describe('results_manager_test.go TestUpdates (spec pod §5.3)', () => {
  /** A container whose readiness answers `answers[n]` at t = n s; the `ready` updates seen, as [t, ready]. */
  async function updates(name: string, answers: boolean[]) {
    const h = harness(
      { name, readinessProbe: probe() },
      (_type, at) => answers[Math.min(at / 1000, answers.length - 1)] as boolean,
      { startAtCreation: true },
    );
    await h.clock.advance((answers.length - 1) * 1000);
    const results = h.results.filter((r) => r.type === 'readiness').map((r) => [r.at / 1000, r.result]);
    return { ready: h.statuses.map((s) => [s.at / 1000, s.ready]), results };
  }

  it('TestUpdates foo: "new success" → update, "unchanged foo" → none, "changed foo" (Failure) → update (spec pod §5.3)', async () => {
    // Go: Set(foo, Success) update; Set(foo, Success) no update; Set(foo, Failure) update.
    const { ready } = await updates('foo', [true, true, false]);
    expect(ready).toEqual([
      [0, false], // the instance starts with the initial value Failure (started, not ready)
      [0, true], // new success
      [2, false], // changed foo; nothing at t=1 (unchanged foo)
    ]);
  });

  it('TestUpdates bar: "new failure" → update, "unchanged bar" → none, "changed bar" (Success) → update (spec pod §5.3)', async () => {
    // Go: Set(bar, Failure) update; Set(bar, Failure) no update; Set(bar, Success) update.
    const { ready, results } = await updates('bar', [false, false, true]);
    expect(ready).toEqual([
      [0, false], // new failure: the instance's first status, not ready
      [2, true], // changed bar; nothing at t=0 and t=1 for the repeated Failure
    ]);
    // The cache itself is written on every probe, the unchanged values included (onResult traces them).
    expect(results).toEqual([
      [0, 'Failure'], // initial value
      [0, 'Failure'],
      [1, 'Failure'],
      [2, 'Success'],
    ]);
  });
});
