/**
 * `startPod`, `podStatus`, `waitForPod` and the `podStatus` event through the manager with
 * FakeRuntime on a VirtualClock (DESIGN §10, spec pod §3–§5).
 */
import { describe, expect, it } from 'vitest';
import { LifecycleError } from '../../src/errors.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import { UnknownPodError } from '../../src/pod/pod-errors.js';
import type { Runtime } from '../../src/ports/runtime.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { podHarness, podOf } from './pod-harness.js';

describe('startPod (DESIGN §10)', () => {
  it('runs the pod: Running once the container is up; podStatus is the API shape; the event follows every change', async () => {
    const { clock, manager, statuses } = podHarness();
    const pod = podOf([{ name: 'app', image: 'nginx' }]);
    const status = await manager.startPod(pod);
    expect(status.phase).toBe('Running');
    expect(manager.podStatus(pod)).toBe(status);
    expect(status.containerStatuses[0]).toMatchObject({
      name: 'app',
      state: { running: {} },
      restartCount: 0,
      image: 'nginx',
    });
    expect(Object.isFrozen(status)).toBe(true);
    expect(statuses.at(-1)?.phase).toBe('Running');
    expect(statuses.every((s) => s.pod === pod)).toBe(true);
    expect(statuses.map((s) => s.at)).toEqual([...statuses.map((s) => s.at)].sort((a, b) => a - b));
    await clock.advance(1000);
  });

  it('is idempotent: a second startPod answers the same worker (one runtime start)', async () => {
    const { runtime, manager } = podHarness();
    const pod = podOf([{ name: 'app', image: 'nginx' }]);
    const first = manager.startPod(pod);
    const second = manager.startPod(pod);
    expect(second).toBe(first);
    await first;
    expect(runtime.timeline.filter((e) => e.kind === 'start')).toHaveLength(1);
  });

  it('podStatus and waitForPod of a pod never started throw UnknownPodError', async () => {
    const { manager } = podHarness();
    const pod = podOf([{ name: 'app', image: 'nginx' }]);
    expect(() => manager.podStatus(pod)).toThrow(UnknownPodError);
    await expect(manager.waitForPod(pod, 'Ready')).rejects.toMatchObject({ code: 'ERR_UNKNOWN_POD' });
  });

  it('restarts a crashed container, the second time after CrashLoopBackOff (spec pod §4.2): exits learnt from waitContainer', async () => {
    const { clock, runtime, manager, events } = podHarness();
    const pod = podOf([{ name: 'app', image: 'nginx' }]);
    await manager.startPod(pod);
    // first exit: no back-off entry yet, restarted at once (restartCount 1)
    runtime.crash('app', { exitCode: 2 });
    await clock.advance(1000);
    expect(manager.podStatus(pod).containerStatuses[0]).toMatchObject({
      restartCount: 1,
      state: { running: {} },
      lastState: { terminated: { exitCode: 2, reason: 'Error' } },
    });
    // second exit within the back-off: Waiting CrashLoopBackOff, BackOff event, restart 10 s after the exit
    runtime.crash('app', { exitCode: 3 });
    await clock.advance(1);
    const crashed = manager.podStatus(pod).containerStatuses[0];
    expect(crashed?.lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(crashed?.state.waiting).toEqual({
      reason: 'CrashLoopBackOff',
      message: 'back-off 10s restarting failed container=app pod=web_default(uid-web)',
    });
    expect(events.filter((e) => e.reason === 'BackOff')).toHaveLength(1);
    await clock.advance(10_000);
    expect(manager.podStatus(pod).containerStatuses[0]).toMatchObject({ restartCount: 2, state: { running: {} } });
    expect(runtime.timeline.filter((e) => e.kind === 'start').map((e) => e.at)).toEqual([0, 0, 11_000]);
  });

  it('deletePod stops the worker: a delete during a back-off wait ends it at once, no restart after', async () => {
    const { clock, runtime, manager } = podHarness();
    const pod = podOf([{ name: 'app', image: 'nginx' }]);
    await manager.startPod(pod);
    runtime.crash('app', { exitCode: 1 });
    await clock.advance(2000);
    runtime.crash('app', { exitCode: 1 });
    await clock.advance(2000);
    expect(manager.podStatus(pod).containerStatuses[0]?.state.waiting?.reason).toBe('CrashLoopBackOff');
    await manager.deletePod(pod);
    expect(clock.now()).toBe(4000); // nothing to wait for: the back-off wait ended at once
    await clock.advance(60_000);
    expect(runtime.timeline.filter((e) => e.kind === 'start')).toHaveLength(2);
    expect(clock.pendingTimers).toBe(0);
    await expect(manager.waitForPod(pod, 'Ready')).rejects.toMatchObject({ code: 'ERR_POD_TERMINAL' });
  });

  it('mixing: startContainer/stopContainer on a pod a worker runs reject with ERR_INVALID_STATE (DESIGN §10)', async () => {
    const { manager } = podHarness();
    const pod = podOf([{ name: 'app', image: 'nginx' }]);
    await manager.startPod(pod);
    await expect(manager.stopContainer(pod, 'app')).rejects.toThrow(/run by a pod worker/);
    await expect(manager.startContainer(pod, 'app')).rejects.toBeInstanceOf(LifecycleError);
    const other = podOf([{ name: 'app', image: 'nginx' }], { name: 'other' });
    await manager.startContainer(other, 'app');
    await expect(manager.startPod(other)).rejects.toMatchObject({ code: 'ERR_INVALID_STATE' });
  });

  it('without waitContainer, exits come from notifyExited and reach the worker (DESIGN §10 Exits)', async () => {
    const clock = new VirtualClock();
    const fake = new FakeRuntime({ clock });
    const pod = podOf([{ name: 'app', image: 'nginx' }], { restartPolicy: 'Never' });
    // An adapter that reports exits its own way (here: the fake's report, relayed by hand).
    const runtime: Runtime = {
      startContainer: async (p, c, o) => {
        const { id } = await fake.startContainer(p, c, o);
        const ref = { id, name: c.name, podName: p.metadata?.name ?? '', podNamespace: 'default', podUID: '' };
        void fake.waitContainer(ref, o).then(({ exitCode }) => manager.notifyExited(pod, c.name, { exitCode }));
        return { id };
      },
      exec: (r, a, o) => fake.exec(r, a, o),
      stopContainer: (r, o) => fake.stopContainer(r, o),
    };
    const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock });
    await manager.startPod(pod);
    fake.crash('app', { exitCode: 0, afterMs: 5000 });
    const at: number[] = [];
    const waiting = manager.waitForPod(pod, 'Succeeded', { timeoutMs: 60_000 }).then((s) => {
      at.push(clock.now());
      return s;
    });
    await clock.advance(10_000);
    const done = await waiting;
    expect(at).toEqual([5000]);
    expect(done.containerStatuses[0]?.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(manager.status(pod, 'app')).toMatchObject({ state: 'Terminated', exitCode: 0 });
  });
});
