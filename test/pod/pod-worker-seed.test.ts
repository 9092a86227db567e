import { describe, expect, it } from 'vitest';
import { aggregateEvents } from '../../src/pod/aggregate-events.js';
import { formatEventAge } from '../../src/pod/format-event-age.js';
import { PodWorker } from '../../src/pod/pod-worker.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { FakeDriver, podOf } from './fake-driver.js';

/** `kubectl describe`'s Events rows (spec pod §7.3): Type, Reason, Age, From, Message with the 1.35 fieldPath prefix. */
function describeRows(events: Parameters<typeof aggregateEvents>[0], now: number): string[] {
  return aggregateEvents(events).map((e) =>
    [e.type, e.reason, formatEventAge(e, now), 'kubelet', `${e.object.fieldPath}: ${e.message}`].join('  '),
  );
}

describe('seed scene: postStart always fails, restartPolicy Always (spec pod §4.7)', () => {
  it('FailedPostStartHook and Killing x2, then BackOff and Waiting CrashLoopBackOff; x3 and restartCount 2 after the next wait', async () => {
    const clock = new VirtualClock();
    const pod = podOf([{ name: 'app', image: 'nginx', lifecycle: { postStart: { exec: { command: ['false'] } } } }]);
    // the kill after the hook failure takes 2 s (preStop + SIGTERM), as with the pod's grace
    const driver = new FakeDriver(clock, pod, { app: { postStartFails: () => true, killMs: 2000 } });
    const worker = new PodWorker({ pod, driver, clock, onEvent: (e) => driver.events.push(e) });
    const started = worker.start();

    // 1. t0: Created, Started, FailedPostStartHook, Killing; exit at 2 s; Waiting PostStartHookError
    // 2. no back-off entry → immediate restart at 2 s (restartCount 1); second exit at 4 s
    // 3. second exit within the back-off → BackOff, Waiting CrashLoopBackOff back-off 10s
    await clock.advance(10_000);
    expect(driver.starts.map((s) => [s.at, s.restartCount])).toEqual([
      [0, 0],
      [2000, 1],
    ]);
    expect((await started).phase).toBe('Running');
    expect(worker.status().containerStatuses[0]).toMatchObject({
      restartCount: 1,
      ready: false,
      started: false,
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: 'back-off 10s restarting failed container=app pod=web_default(uid-web)',
        },
      },
      lastState: { terminated: { exitCode: 137, reason: 'Error', finishedAt: '1970-01-01T00:00:04Z' } },
    });
    expect(describeRows(driver.events, 10_000)).toEqual([
      'Normal  Created  8s (x2 over 10s)  kubelet  spec.containers{app}: Container created',
      'Normal  Started  8s (x2 over 10s)  kubelet  spec.containers{app}: Container started',
      'Warning  FailedPostStartHook  8s (x2 over 10s)  kubelet  spec.containers{app}: PostStartHook failed',
      'Normal  Killing  8s (x2 over 10s)  kubelet  spec.containers{app}: FailedPostStartHook',
      'Warning  BackOff  6s  kubelet  spec.containers{app}: Back-off restarting failed container app in pod web_default(uid-web)',
    ]);

    // 4. third attempt at 4 s + 10 s = 14 s, exit at 16 s, back-off 20 s
    await clock.advance(10_000);
    expect(driver.starts.map((s) => s.at)).toEqual([0, 2000, 14_000]);
    expect(worker.status().containerStatuses[0]).toMatchObject({
      restartCount: 2,
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: 'back-off 20s restarting failed container=app pod=web_default(uid-web)',
        },
      },
    });
    const rows = aggregateEvents(driver.events);
    expect(rows.map((r) => [r.reason, r.count])).toEqual([
      ['Created', 3],
      ['Started', 3],
      ['FailedPostStartHook', 3],
      ['Killing', 3],
      ['BackOff', 2],
    ]);
    expect(formatEventAge(rows[4] as (typeof rows)[number], 20_000)).toBe('4s (x2 over 16s)');
    expect(worker.status().phase).toBe('Running');
  });
});
