/**
 * Probes through the manager (DESIGN §11, spec pod §6) with FakeRuntime on a VirtualClock.
 */
import { describe, expect, it } from 'vitest';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { FakeTcpDialer } from '../../src/testing/fake-probe-ports.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { podHarness, podOf } from './pod-harness.js';

describe('probes through startPod (spec pod §6)', () => {
  it('a liveness failure kills with the probe-level grace, preStop runs, then the container restarts in the killing sync, its back-off read from the exit before the killed one (spec pod §6.1 Actions, §3.2 rule 3, §4.2; k/k#22240)', async () => {
    const { clock, runtime, manager, events } = podHarness();
    runtime.onExec(['check'], { exitCode: 0 }, { times: 3 }).onExec(['check'], { exitCode: 1, stdout: 'sick' });
    const pod = podOf([
      {
        name: 'app',
        image: 'nginx',
        lifecycle: { preStop: { sleep: { seconds: 5 } } },
        livenessProbe: {
          exec: { command: ['check'] },
          periodSeconds: 5,
          failureThreshold: 2,
          terminationGracePeriodSeconds: 7,
        },
      },
    ]);
    await manager.startPod(pod);
    await clock.advance(75_000);
    // The workers exist from the pod's first sync (AddPod, t=0): their immediate probe sees no
    // container, the ticker stays anchored at 0 across restarts (worker.go run) — probes at 5, 10,
    // 15 pass, 20 and 25 fail; the tick at 30 comes before the restart (and the worker is on hold
    // until the new container ID anyway), so each new container is probed from the next tick.
    // The kubelet kills and starts the replacement in one SyncPod, whose status was read before
    // the kill: doBackOff reads the exit before the killed one. Kill 1 (exit 30): none, started at
    // once, no back-off step. Kill 2 (exit 45): exit 30 is 15 s old, no entry yet: started, back-off
    // 10 s. Kill 3 (exit 60): exit 45 is 15 s old ≥ 10 s: started, back-off 20 s. Kill 4 (exit 75):
    // exit 60 is 15 s old < 20 s: BackOff; the exit's own sync finds it in back-off again (exit 75).
    const restarts = (at: number) => [
      `${at} Normal Created: Container created`,
      `${at} Normal Started: Container started`,
    ];
    const killed = (at: number) => [
      `${at - 5000} Warning Unhealthy: Liveness probe failed: sick`,
      `${at} Warning Unhealthy: Liveness probe failed: sick`,
      `${at} Normal Killing: Container app failed liveness probe, will be restarted`,
    ];
    const backOff = '75000 Warning BackOff: Back-off restarting failed container app in pod web_default(uid-web)';
    expect(events.map((e) => `${e.timestamp} ${e.type} ${e.reason}: ${e.message}`)).toEqual([
      ...restarts(0),
      ...killed(25_000),
      ...restarts(30_000),
      ...killed(40_000),
      ...restarts(45_000),
      ...killed(55_000),
      ...restarts(60_000),
      ...killed(70_000),
      backOff,
      backOff,
    ]);
    const unhealthy = events.find((e) => e.reason === 'Unhealthy');
    expect(unhealthy?.object).toEqual({
      kind: 'Container',
      name: 'app',
      namespace: 'default',
      fieldPath: 'spec.containers{app}',
      podName: 'web',
    });
    // preStop took 5 s of the probe's 7 s grace: the runtime got 2 s (not the pod's 30 − 5)
    expect(runtime.timeline.filter((e) => e.kind === 'stop').map((e) => [e.at, e.timeoutSeconds])).toEqual([
      [30_000, 2],
      [45_000, 2],
      [60_000, 2],
      [75_000, 2],
    ]);
    expect(manager.podStatus(pod).containerStatuses[0]).toMatchObject({
      restartCount: 3,
      state: { waiting: { reason: 'CrashLoopBackOff', message: expect.stringContaining('back-off 20s') } },
      lastState: { terminated: { exitCode: 143, reason: 'Error', finishedAt: '1970-01-01T00:01:15Z' } },
    });
    // The back-off runs from the killed instance's exit: 75 + 20 s.
    await clock.advance(19_000);
    expect(manager.podStatus(pod).containerStatuses[0]).toMatchObject({ restartCount: 3 });
    await clock.advance(1_000);
    expect(manager.podStatus(pod).containerStatuses[0]).toMatchObject({ restartCount: 4, state: { running: {} } });
    const deleting = manager.deletePod(pod, { gracePeriodSeconds: 0 });
    await clock.advance(5000);
    await deleting;
    expect(clock.pendingTimers).toBe(0);
  });

  it("afterProbeKill: killedExit waits from the killed instance's own exit, as after any exit (spec pod §4.2; k/k#22240)", async () => {
    const { clock, runtime, manager, events } = podHarness({ crashLoopBackOff: { afterProbeKill: 'killedExit' } });
    runtime.onExec(['check'], { exitCode: 1, stdout: 'sick' });
    const pod = podOf([
      {
        name: 'app',
        image: 'nginx',
        livenessProbe: { exec: { command: ['check'] }, periodSeconds: 5, failureThreshold: 1 },
      },
    ]);
    await manager.startPod(pod);
    await clock.advance(60_000);
    // Probes at 5, 10, …, each failing: kill at 5 (no entry yet: restarted at once, back-off
    // 10 s), kill at 10 (10 s from exit 10: restarted at 20, back-off 20 s; the requeue was armed
    // before the tick at 20, which then probes the new container), kill at 20 (20 s from exit 20).
    // With 'killingSync' the kill at 10 would restart at once (exit 5 is 5 s old, no entry yet).
    const starts = events.filter((e) => e.reason === 'Started').map((e) => e.timestamp);
    expect(starts).toEqual([0, 5_000, 20_000, 40_000]);
    await manager.deletePod(pod, { gracePeriodSeconds: 0 });
  });

  it('readiness keeps probing during preStop: the container turns not ready while it drains (spec pod §6.1 step 7)', async () => {
    const { clock, runtime, manager } = podHarness();
    let isDraining = false;
    runtime.onExec(['ready'], () => ({ exitCode: isDraining ? 1 : 0 }));
    const pod = podOf([
      {
        name: 'app',
        image: 'nginx',
        lifecycle: { preStop: { sleep: { seconds: 10 } } },
        readinessProbe: { exec: { command: ['ready'] }, periodSeconds: 1, failureThreshold: 1 },
      },
    ]);
    await manager.startPod(pod);
    await manager.waitForPod(pod, 'Ready');
    expect(manager.podStatus(pod).containerStatuses[0]?.ready).toBe(true);
    const deleting = manager.deletePod(pod);
    isDraining = true;
    await clock.advance(2000);
    const draining = manager.podStatus(pod);
    expect(draining.containerStatuses[0]).toMatchObject({ ready: false, state: { running: {} } });
    expect(draining.conditions.find((c) => c.type === 'Ready')?.status).toBe('False');
    await clock.advance(20_000);
    await deleting;
    expect(clock.pendingTimers).toBe(0);
  });

  it('a tcpSocket probe without a tcpDialer rejects startPod with ERR_MISSING_PORT, nothing started (DESIGN §11)', async () => {
    const { runtime, manager } = podHarness();
    const pod = podOf([{ name: 'app', image: 'nginx', readinessProbe: { tcpSocket: { port: 80 } } }]);
    await expect(manager.startPod(pod)).rejects.toMatchObject({
      code: 'ERR_MISSING_PORT',
      containerName: 'app',
      probeType: 'readiness',
    });
    expect(runtime.timeline).toHaveLength(0);
    expect(() => manager.podStatus(pod)).toThrow(/startPod/);
  });

  it('with a tcpDialer the probe dials the sandbox-less pod host', async () => {
    const clock = new VirtualClock();
    const runtime = new FakeRuntime({ clock });
    const tcpDialer = new FakeTcpDialer({ clock });
    const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock, tcpDialer });
    const pod = podOf([
      { name: 'app', image: 'nginx', readinessProbe: { tcpSocket: { port: 80, host: '127.0.0.1' } } },
    ]);
    await manager.startPod(pod);
    const ready = manager.waitForPod(pod, 'Ready', { timeoutMs: 30_000 });
    await clock.advance(1000);
    expect((await ready).conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    await manager.deletePod(pod, { gracePeriodSeconds: 0 });
  });

  it('a startup probe holds liveness back; started gates the next sidecar (spec pod §3.4, §6.1 step 9)', async () => {
    const { clock, runtime, manager } = podHarness();
    runtime.onExec(['started'], { exitCode: 1 }, { times: 2 }).onExec(['live'], { exitCode: 1 });
    const pod = podOf([{ name: 'app', image: 'nginx' }], {
      initContainers: [
        {
          name: 'proxy',
          image: 'envoy',
          restartPolicy: 'Always',
          startupProbe: { exec: { command: ['started'] }, periodSeconds: 1, failureThreshold: 30 },
          livenessProbe: { exec: { command: ['live'] }, periodSeconds: 1, failureThreshold: 100 },
        },
      ],
    });
    const starting = manager.startPod(pod);
    await clock.advance(2500);
    // Workers from the first sync (AddPod): the immediate probe at 0 saw no container, so the
    // startup probe first runs on the tick at 1 s. Two failures so far: not started, liveness
    // not run, app not started.
    expect(runtime.timeline.filter((e) => e.kind === 'exec').map((e) => [e.argv?.[0], e.at])).toEqual([
      ['started', 1000],
      ['started', 2000],
    ]);
    expect(runtime.timeline.filter((e) => e.kind === 'start').map((e) => e.container)).toEqual(['proxy']);
    await clock.advance(1000);
    expect(runtime.timeline.filter((e) => e.kind === 'start').map((e) => [e.container, e.at])).toEqual([
      ['proxy', 0],
      ['app', 3000],
    ]);
    expect((await starting).phase).toBe('Running');
    expect(manager.podStatus(pod).initContainerStatuses[0]).toMatchObject({ started: true });
    await manager.deletePod(pod, { gracePeriodSeconds: 0 });
  });
});
