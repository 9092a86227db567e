import { describe, expect, it } from 'vitest';
import { podHarness, podOf } from './pod-harness.js';

describe('CrashLoopBackOff garbage collection through the pod worker (spec pod §4.2)', () => {
  it('a container that ran 400 s restarts at the first sync after its back-off entry is 600 s old, with the back-off reset', async () => {
    const h = podHarness();
    // Attempts 0–6 exit at once (back-off 10 s … 300 s); attempt 7 runs 400 s; later ones exit at once.
    let attempt = 0;
    h.manager.on('step', (step) => {
      if (step.kind !== 'running' || step.container !== 'app') return;
      h.runtime.crash('app', { exitCode: 1, afterMs: attempt++ === 7 ? 400_000 : 0 });
    });
    const pod = podOf([{ name: 'app', image: 'busybox' }]);
    void h.manager.startPod(pod);
    await h.clock.advance(1_400_000);
    const starts = h.events.filter((e) => e.reason === 'Started').map((e) => e.timestamp / 1000);
    // 0 (first start), 0 (first crash: no entry yet), then 10, 30, 70, 150, 310, 610 s (back-off 300 s).
    expect(starts.slice(0, 8)).toEqual([0, 0, 10, 30, 70, 150, 310, 610]);
    // Attempt 7 exits at 1,010 s into a 300 s back-off (to 1,310 s), but the entry was last updated
    // at 610 s: the kubelet's housekeeping GC drops it after 1,210 s, and the next sync (requeued
    // every 60 s: 1,070, 1,130, 1,190, 1,250 s) restarts at once ...
    expect(starts[8]).toBe(1_250);
    // ... with a fresh entry: that attempt's exit waits the initial 10 s.
    expect(starts[9]).toBe(1_260);
    await h.manager.deletePod(pod);
  });
});
