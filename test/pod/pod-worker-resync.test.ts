import { describe, expect, it } from 'vitest';
import type { KubeEvent } from '../../src/hooks/events.js';
import { aggregateEvents } from '../../src/pod/aggregate-events.js';
import { formatEventAge } from '../../src/pod/format-event-age.js';
import { PodWorker, type PodWorkerOptions } from '../../src/pod/pod-worker.js';
import { requeueDelayMs, resolveSyncRequeue } from '../../src/pod/sync-requeue.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { type FakeBehaviour, FakeDriver, podOf } from './fake-driver.js';

function crashLooping(worker: Partial<PodWorkerOptions> = {}, behaviour: FakeBehaviour = {}) {
  const clock = new VirtualClock();
  const pod = podOf([{ name: 'app', image: 'app:1' }]);
  const driver = new FakeDriver(clock, pod, { app: { postStartFails: () => true, ...behaviour } });
  const events: KubeEvent[] = [];
  const statuses: Array<{ at: number; state: string; restartCount: number }> = [];
  const podWorker = new PodWorker({
    pod,
    driver,
    clock,
    onEvent: (e) => events.push(e),
    onStatus: (s) => {
      const c = s.containerStatuses[0];
      if (c === undefined) return;
      const state = c.state.waiting?.reason ?? (c.state.running ? 'Running' : `Terminated`);
      statuses.push({ at: clock.now(), state, restartCount: c.restartCount });
    },
    ...worker,
  });
  return { clock, driver, events, statuses, worker: podWorker };
}

const backOffTimes = (events: readonly KubeEvent[]) =>
  events.filter((e) => e.reason === 'BackOff').map((e) => e.timestamp);

describe('sync requeue: BackOff on every sync that finds a back-off (spec pod §4.3, §4.5)', () => {
  it('1.35 (backoffAligned): requeued at the expiry, but at least every syncFrequency (60 s)', async () => {
    const { clock, driver, events, worker } = crashLooping();
    worker.start();
    await clock.advance(600_000);
    // Crashes at 0 (restart at once), 0, 10, 30, 70, 150, 310 s; waits 10, 20, 40, 80, 160, 300 s (spec pod §4.2).
    expect(driver.starts.map((s) => s.at / 1000)).toEqual([0, 0, 10, 30, 70, 150, 310]);
    // A wait longer than a minute is re-checked each minute: 80 s → 70, 130; 160 s → 150, 210, 270; 300 s → 310 … 550.
    expect(backOffTimes(events).map((t) => t / 1000)).toEqual([
      0, 10, 30, 70, 130, 150, 210, 270, 310, 370, 430, 490, 550,
    ]);
    const backOff = aggregateEvents(events).find((e) => e.reason === 'BackOff');
    expect(backOff && formatEventAge(backOff, clock.now())).toBe('50s (x13 over 10m)');
  });

  it('pre-1.35 (fixed10s, k/k#123602): a sync every 10 s while backing off; a restart waits for the next sync', async () => {
    const { clock, driver, events, worker } = crashLooping({ crashLoopBackOff: { requeue: 'fixed10s' } });
    worker.start();
    await clock.advance(160_000);
    expect(driver.starts.map((s) => s.at / 1000)).toEqual([0, 0, 10, 30, 70, 150]);
    expect(backOffTimes(events).map((t) => t / 1000)).toEqual([
      0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160,
    ]);
  });

  it('syncFrequencySeconds shortens the resync; a random source jitters it within [d, 1.5 d)', async () => {
    const { clock, events, worker } = crashLooping({
      crashLoopBackOff: { syncFrequencySeconds: 4 },
      random: () => 0.5,
    });
    worker.start();
    await clock.advance(20_000);
    // After the second crash (0 s), back-off 10 s: syncs at 0, 4·1.25 = 5 s, 10 s (restart).
    expect(backOffTimes(events).slice(0, 3)).toEqual([0, 5000, 10_000]);
  });

  it('a sync caused by another container (its exit) emits BackOff for the one still waiting (spec pod §4.5)', async () => {
    const clock = new VirtualClock();
    const pod = podOf([
      { name: 'app', image: 'app:1' },
      { name: 'side', image: 'side:1' },
    ]);
    const driver = new FakeDriver(clock, pod, {
      app: { postStartFails: () => true },
      side: { exitAfterMs: (attempt) => (attempt === 0 ? 3000 : undefined), exitCode: () => 0 },
    });
    const events: KubeEvent[] = [];
    new PodWorker({ pod, driver, clock, onEvent: (e) => events.push(e) }).start();
    await clock.advance(9000);
    expect(backOffTimes(events)).toEqual([0, 3000]);
  });

  it('requeueDelayMs: clamp to [0, syncFrequency], the earliest shortfall wins, errors retry after 10 s', () => {
    const aligned = resolveSyncRequeue({});
    expect(aligned).toEqual({ requeue: 'backoffAligned', syncFrequencyMs: 60_000 });
    expect(requeueDelayMs([{ kind: 'backOff', backOffEndsAt: 300_000 }], 0, aligned)).toBe(60_000);
    expect(requeueDelayMs([{ kind: 'backOff', backOffEndsAt: 25_000 }], 5000, aligned)).toBe(20_000);
    expect(requeueDelayMs([{ kind: 'backOff', backOffEndsAt: 1000 }], 5000, aligned)).toBe(0);
    expect(requeueDelayMs([{ kind: 'backOff', backOffEndsAt: 40_000 }, { kind: 'error' }], 0, aligned)).toBe(10_000);
    const fixed = resolveSyncRequeue({ requeue: 'fixed10s' });
    expect(requeueDelayMs([{ kind: 'backOff', backOffEndsAt: 300_000 }], 0, fixed)).toBe(10_000);
    expect(requeueDelayMs([{ kind: 'backOff', backOffEndsAt: 300_000 }], 0, fixed, () => 0.99)).toBe(14_950);
  });

  it('resolveSyncRequeue names a bad field', () => {
    expect(() => resolveSyncRequeue({ requeue: 'often' as never })).toThrow(/crashLoopBackOff\.requeue/);
    expect(() => resolveSyncRequeue({ syncFrequencySeconds: 0 })).toThrow(/crashLoopBackOff\.syncFrequencySeconds/);
  });
});

describe('status while a start is in flight (spec pod §9 item 11; kubelet SyncPod generates status first)', () => {
  it('a replacement keeps its previous Waiting state and restartCount until its start (postStart) is over', async () => {
    // Each start (runtime start + postStart) takes 2 s; the postStart fails every time.
    const { clock, statuses, worker } = crashLooping({}, { startMs: 2000 });
    worker.start();
    await clock.advance(1000);
    expect(worker.status().containerStatuses[0]?.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    await clock.advance(2000); // t = 3 s: the first failed at 2 s; the immediate restart's postStart runs
    const during = worker.status().containerStatuses[0];
    expect(during?.state.waiting?.reason).toBe('PostStartHookError');
    expect(during?.restartCount).toBe(0);
    expect(during?.started).toBe(false);
    await clock.advance(20_000);
    // Never a ContainerCreating after the first start, and restartCount moves when a start is over.
    const lines = statuses.map((s) => `${s.at / 1000} ${s.state} ${s.restartCount}`);
    expect(lines.filter((l, i) => l !== lines[i - 1])).toEqual([
      '0 ContainerCreating 0',
      '2 PostStartHookError 0',
      '4 PostStartHookError 1',
      '4 CrashLoopBackOff 1',
      '16 PostStartHookError 2',
      '16 CrashLoopBackOff 2',
    ]);
  });
});
