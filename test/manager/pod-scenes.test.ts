/**
 * Pod scenes through the manager with FakeRuntime on a VirtualClock (DESIGN §10, spec pod §3–§5, §7).
 */
import { describe, expect, it } from 'vitest';
import type { KubeEvent } from '../../src/hooks/events.js';
import { aggregateEvents } from '../../src/pod/aggregate-events.js';
import { formatEventAge } from '../../src/pod/format-event-age.js';
import { exitsAfter, podHarness, podOf } from './pod-harness.js';

/** `kubectl describe`'s Events rows (spec pod §7.3): Type, Reason, Age, Message with the fieldPath prefix. */
function describeRows(events: readonly KubeEvent[], nowMs: number): string[] {
  return aggregateEvents(events).map((e) =>
    [e.type, e.reason, formatEventAge(e, nowMs), `${e.object.fieldPath}: ${e.message}`].join('  '),
  );
}

describe('pod scenes through startPod', () => {
  it('seed scene (spec pod §4.7): postStart exits 1 under restartPolicy Always → FailedPostStartHook/Killing x2, BackOff, CrashLoopBackOff', async () => {
    const { clock, runtime, manager, events } = podHarness();
    runtime.onExec(['/bin/warm'], { exitCode: 1, stderr: 'warm-up failed' });
    const pod = podOf([
      { name: 'app', image: 'nginx', lifecycle: { postStart: { exec: { command: ['/bin/warm'] } } } },
    ]);
    const started = manager.startPod(pod);
    await clock.advance(5000);
    expect((await started).phase).toBe('Running');
    // first failure: killed, restarted at once (no back-off entry yet); second: back-off 10 s (spec pod §4.2, §4.4)
    expect(describeRows(events, clock.now())).toEqual([
      'Normal  Created  5s (x2 over 5s)  spec.containers{app}: Container created',
      'Normal  Started  5s (x2 over 5s)  spec.containers{app}: Container started',
      'Warning  FailedPostStartHook  5s (x2 over 5s)  spec.containers{app}: PostStartHook failed',
      'Normal  Killing  5s (x2 over 5s)  spec.containers{app}: FailedPostStartHook',
      'Warning  BackOff  5s  spec.containers{app}: Back-off restarting failed container app in pod web_default(uid-web)',
    ]);
    expect(events.find((e) => e.reason === 'FailedPostStartHook')?.detail).toContain('warm-up failed');
    expect(manager.podStatus(pod).containerStatuses[0]).toEqual({
      name: 'app',
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: 'back-off 10s restarting failed container=app pod=web_default(uid-web)',
        },
      },
      lastState: {
        terminated: {
          exitCode: 143, // SIGTERM, as FakeRuntime's waitContainer reports it
          reason: 'Error',
          startedAt: '1970-01-01T00:00:00Z',
          finishedAt: '1970-01-01T00:00:00Z',
          containerID: 'web-app-2',
        },
      },
      ready: false,
      started: false,
      restartCount: 1,
      image: 'nginx',
      containerID: 'web-app-2',
    });
    // third attempt when the 10 s back-off expires: x3, restartCount 2, back-off 20 s
    await clock.advance(6000);
    expect(describeRows(events, clock.now()).map((r) => r.split('  ').slice(1, 3).join(' '))).toEqual([
      'Created 1s (x3 over 11s)',
      'Started 1s (x3 over 11s)',
      'FailedPostStartHook 1s (x3 over 11s)',
      'Killing 1s (x3 over 11s)',
      'BackOff 1s (x2 over 11s)',
    ]);
    expect(manager.podStatus(pod).containerStatuses[0]).toMatchObject({
      restartCount: 2,
      state: { waiting: { reason: 'CrashLoopBackOff', message: expect.stringMatching(/^back-off 20s /) } },
    });
    await manager.deletePod(pod);
    expect(clock.pendingTimers).toBe(0);
  });

  it('ordering (spec pod §3.1, §3.4): init containers one at a time, then sidecars in order, then regular containers one after another', async () => {
    const h = podHarness();
    const { clock, runtime, manager } = h;
    exitsAfter(h, 'migrate', 2000);
    exitsAfter(h, 'seed', 1000);
    const slowPostStart = { postStart: { sleep: { seconds: 1 } } };
    const pod = podOf(
      [
        { name: 'a', image: 'x', lifecycle: slowPostStart },
        { name: 'b', image: 'x' },
      ],
      {
        initContainers: [
          { name: 'migrate', image: 'x' },
          { name: 'seed', image: 'x' },
          { name: 'proxy', image: 'x', restartPolicy: 'Always', lifecycle: slowPostStart },
          { name: 'log', image: 'x', restartPolicy: 'Always' },
        ],
      },
    );
    const started = manager.startPod(pod);
    await clock.advance(10_000);
    expect(runtime.timeline.filter((e) => e.kind === 'start').map((e) => `${e.container}@${e.at}`)).toEqual([
      'migrate@0',
      'seed@2000', // after migrate exited 0
      'proxy@3000', // after seed exited 0
      'log@4000', // after proxy started (its postStart took 1 s)
      'a@4000',
      'b@5000', // after a's postStart
    ]);
    const status = await started;
    expect(status.phase).toBe('Running');
    expect(manager.podStatus(pod).conditions.map((c) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    await manager.deletePod(pod);
  });

  it('a failing init container under Never fails the pod (spec pod §3.1)', async () => {
    const h = podHarness();
    exitsAfter(h, 'migrate', 500, 3);
    const pod = podOf([{ name: 'a', image: 'x' }], {
      restartPolicy: 'Never',
      initContainers: [{ name: 'migrate', image: 'x' }],
    });
    const started = h.manager.startPod(pod);
    await h.clock.advance(5000);
    const status = await started;
    expect(status.phase).toBe('Failed');
    expect(h.runtime.timeline.filter((e) => e.kind === 'start').map((e) => e.container)).toEqual(['migrate']);
    await expect(h.manager.waitForPod(pod, 'Ready')).rejects.toMatchObject({ code: 'ERR_POD_TERMINAL' });
  });

  for (const [policy, code, phase] of [
    ['Never', 0, 'Succeeded'],
    ['Never', 1, 'Failed'],
    ['OnFailure', 0, 'Succeeded'],
  ] as const) {
    it(`completion (spec pod §3.2 rule 4, §5.1): restartPolicy ${policy}, main exits ${code} → sidecars terminated in reverse order, ${phase}`, async () => {
      const h = podHarness();
      const { clock, runtime, manager, events } = h;
      exitsAfter(h, 'main', 3000, code);
      const pod = podOf([{ name: 'main', image: 'x' }], {
        restartPolicy: policy,
        initContainers: [
          { name: 'proxy', image: 'x', restartPolicy: 'Always' },
          { name: 'log', image: 'x', restartPolicy: 'Always' },
        ],
      });
      await manager.startPod(pod);
      const waiting = manager.waitForPod(pod, phase, { timeoutMs: 60_000 });
      await clock.advance(10_000);
      const status = await waiting;
      expect(status.phase).toBe(phase);
      expect(runtime.timeline.filter((e) => e.kind === 'stop').map((e) => `${e.container}@${e.at}`)).toEqual([
        'log@3000',
        'proxy@3000',
      ]);
      // Killed together as a deletion kills them (Killing in declaration order), stopped in reverse.
      expect(events.filter((e) => e.reason === 'Killing').map((e) => e.message)).toEqual([
        'Stopping container proxy',
        'Stopping container log',
      ]);
      expect(status.containerStatuses[0]?.state.terminated).toMatchObject({ exitCode: code });
      expect(clock.pendingTimers).toBe(0);
    });
  }

  it('OnFailure restarts a failed main container; a restartPolicy Always pod never completes by itself', async () => {
    const h = podHarness();
    exitsAfter(h, 'main', 1000, (attempt) => (attempt === 0 ? 1 : 0));
    const pod = podOf([{ name: 'main', image: 'x' }], { restartPolicy: 'OnFailure' });
    await h.manager.startPod(pod);
    const done = h.manager.waitForPod(pod, 'Succeeded', { timeoutMs: 60_000 });
    await h.clock.advance(10_000);
    expect((await done).containerStatuses[0]).toMatchObject({
      restartCount: 1,
      state: { terminated: { exitCode: 0 } },
    });
  });
});

describe('waitForPod (DESIGN §10)', () => {
  it('resolves at once when the condition already holds, with the current status', async () => {
    const { manager } = podHarness();
    const pod = podOf([{ name: 'a', image: 'x' }]);
    const status = await manager.startPod(pod);
    await expect(manager.waitForPod(pod, (s) => s.phase === 'Running')).resolves.toBe(status);
  });

  it('rejects with ERR_WAIT_TIMEOUT when timeoutMs passes on the injected clock', async () => {
    const { clock, manager } = podHarness();
    const pod = podOf([{ name: 'a', image: 'x' }]);
    await manager.startPod(pod);
    const at: number[] = [];
    const waiting = manager.waitForPod(pod, 'Succeeded', { timeoutMs: 5000 }).catch((error: unknown) => {
      at.push(clock.now());
      return error;
    });
    await clock.advance(10_000);
    expect(await waiting).toMatchObject({ code: 'ERR_WAIT_TIMEOUT', name: 'PodWaitError' });
    expect(at).toEqual([5000]);
  });

  it('rejects with ERR_POD_TERMINAL once the pod is deleted and the condition cannot hold', async () => {
    const { clock, manager } = podHarness();
    const pod = podOf([{ name: 'a', image: 'x' }]);
    await manager.startPod(pod);
    const waiting = manager.waitForPod(pod, 'Succeeded');
    const deleting = manager.deletePod(pod);
    await clock.advance(1000);
    await deleting;
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_POD_TERMINAL' });
  });

  it("rejects with the signal's reason on abort", async () => {
    const { manager } = podHarness();
    const pod = podOf([{ name: 'a', image: 'x' }]);
    await manager.startPod(pod);
    const controller = new AbortController();
    const waiting = manager.waitForPod(pod, 'Succeeded', { signal: controller.signal });
    const reason = new Error('user gave up');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });

  it('rejects a bad condition or timeout with InvalidArgumentError', async () => {
    const { manager } = podHarness();
    const pod = podOf([{ name: 'a', image: 'x' }]);
    await manager.startPod(pod);
    await expect(manager.waitForPod(pod, 'Done' as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(manager.waitForPod(pod, 'Ready', { timeoutMs: -1 })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
  });
});
