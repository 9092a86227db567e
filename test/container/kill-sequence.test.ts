import { describe, expect, it } from 'vitest';
import { makePod, setup } from '../support/manager-harness.js';

const quit = ['/usr/sbin/nginx', '-s', 'quit'];
const withPreStop = (tgps = 30) =>
  makePod([{ name: 'web', lifecycle: { preStop: { exec: { command: quit } } } }], { tgps });

async function running(env: ReturnType<typeof setup>, pod = withPreStop()) {
  env.track(pod);
  await env.settle(env.manager.startContainer(pod, 'web'));
  return pod;
}

describe('stopContainer (spec §4.2-C)', () => {
  it('emits Killing, runs preStop, then hands the remaining grace to the runtime (spec §4.2-C.3-8)', async () => {
    const env = setup();
    env.runtime.onExec(quit, { exitCode: 0, delayMs: 10_500 });
    const pod = await running(env);

    const result = await env.settle(env.manager.stopContainer(pod, 'web'));

    expect(result).toMatchObject({
      outcome: 'stopped',
      reason: 'Unknown',
      gracePeriodSeconds: 30,
      preStop: { outcome: 'succeeded', elapsedMs: 10_500 },
      stopTimeoutSeconds: 20, // 30 - floor(10.5)
      exitedAt: 10_500,
    });
    expect(env.events.map((e) => [e.reason, e.message])).toEqual([
      ['Started', 'Container started'],
      ['Killing', 'Stopping container web'],
    ]);
    const stop = env.runtime.timeline.find((t) => t.kind === 'stop');
    expect(stop).toMatchObject({ at: 10_500, timeoutSeconds: 20 });
    expect(env.manager.status(pod, 'web')).toMatchObject({ state: 'Terminated', finishedAt: 10_500 });
  });

  it('abandons a preStop at the grace deadline and still grants the 2 s minimum (spec §4.2-C.5, C.7)', async () => {
    const env = setup();
    env.runtime.onExec(quit, { hang: true });
    env.runtime.onStop('web', { exitsOn: [] }); // ignores SIGTERM
    const pod = await running(env);

    const result = await env.settle(env.manager.stopContainer(pod, 'web'));

    expect(result).toMatchObject({
      preStop: { outcome: 'timedOut', elapsedMs: 30_000 },
      stopTimeoutSeconds: 2,
      exitedAt: 32_000,
    });
    const signals = env.runtime.timeline.filter((t) => t.kind === 'signal').map((t) => [t.signal, t.at]);
    expect(signals).toEqual([
      ['SIGTERM', 30_000],
      ['SIGKILL', 32_000],
    ]);
    expect(env.reasons()).not.toContain('UnfinishedPreStopHook');
    expect(env.clock.pendingTimers).toBe(0);
  });

  it('charges whole seconds only: a 29.999 s preStop leaves 1 s, raised to 2 (spec §4.2-C.5)', async () => {
    const env = setup();
    env.runtime.onExec(quit, { exitCode: 0, delayMs: 29_999 });
    const pod = await running(env);
    const result = await env.settle(env.manager.stopContainer(pod, 'web'));
    expect(result.stopTimeoutSeconds).toBe(2);
  });

  it('applies the override before preStop, so it bounds preStop (spec §4.2-C.4, k/k#115835)', async () => {
    const env = setup();
    env.runtime.onExec(quit, { hang: true });
    const pod = await running(env);
    const result = await env.settle(env.manager.stopContainer(pod, 'web', { gracePeriodOverride: 5 }));
    expect(result).toMatchObject({
      gracePeriodSeconds: 5,
      preStop: { outcome: 'timedOut', elapsedMs: 5_000 },
      stopTimeoutSeconds: 2,
    });
  });

  it('skips preStop with an override of 0 (spec §4.2-E)', async () => {
    const env = setup();
    const pod = await running(env);
    const result = await env.settle(env.manager.stopContainer(pod, 'web', { gracePeriodOverride: 0 }));
    expect(result).toMatchObject({ preStop: { outcome: 'skipped' }, stopTimeoutSeconds: 2 });
    expect(env.runtime.timeline.some((t) => t.kind === 'exec')).toBe(false);
  });

  it('a failing preStop emits FailedPreStopHook and never stops the kill (spec §4.2-C.5.6)', async () => {
    const env = setup();
    env.runtime.onExec(quit, { exitCode: 1, stderr: 'no pid file' });
    const pod = await running(env);
    const result = await env.settle(env.manager.stopContainer(pod, 'web'));
    expect(result).toMatchObject({ outcome: 'stopped', preStop: { outcome: 'failed' } });
    expect(result.preStop.message).toContain('exited with 1: no pid file');
    const failed = env.events.find((e) => e.reason === 'FailedPreStopHook');
    expect(failed).toMatchObject({ type: 'Warning', message: 'PreStopHook failed', detail: result.preStop.message });
    expect(failed?.object).toMatchObject({
      kind: 'Container',
      name: 'web',
      namespace: 'default',
      fieldPath: 'spec.containers{web}',
    });
  });

  it('reports a preStop failure that arrives after the grace wait ended (spec §4.2-C.5.6)', async () => {
    const env = setup();
    env.runtime.onExec(quit, { exitCode: 1, delayMs: 31_000 });
    env.runtime.onStop('web', { exitsOn: [] });
    const pod = await running(env);
    const result = await env.settle(env.manager.stopContainer(pod, 'web', { gracePeriodOverride: 30 }));
    expect(result.preStop.outcome).toBe('timedOut');
    expect(env.events.filter((e) => e.reason === 'FailedPreStopHook').map((e) => e.timestamp)).toEqual([31_000]);
  });

  it('policy unfinishedPreStopEvent emits UnfinishedPreStopHook when preStop outlives the grace (k/k#31902)', async () => {
    const env = setup({ policy: { unfinishedPreStopEvent: true } });
    env.runtime.onExec(quit, { hang: true });
    const pod = await running(env, withPreStop(10));
    await env.settle(env.manager.stopContainer(pod, 'web'));
    const unfinished = env.events.find((e) => e.reason === 'UnfinishedPreStopHook');
    expect(unfinished).toMatchObject({
      type: 'Warning',
      message: 'PreStop hook did not complete in 10 seconds',
      timestamp: 10_000,
    });
  });

  it('policy minimumStopGraceSeconds changes the floor', async () => {
    const env = setup({ policy: { minimumStopGraceSeconds: 5 } });
    env.runtime.onExec(quit, { hang: true });
    const pod = await running(env, withPreStop(10));
    const result = await env.settle(env.manager.stopContainer(pod, 'web'));
    expect(result.stopTimeoutSeconds).toBe(5);
  });

  it('a container that already exited gets no preStop and no stop call (spec §4.2-B, §5.3)', async () => {
    const env = setup();
    const pod = await running(env);
    env.runtime.crash('web', { exitCode: 0 });
    await env.clock.flush(); // the runtime reports the exit (waitContainer)
    const result = await env.settle(env.manager.stopContainer(pod, 'web'));
    expect(result).toMatchObject({ outcome: 'notRunning', preStop: { outcome: 'skipped' } });
    expect(result.stopTimeoutSeconds).toBeUndefined();
    expect(env.runtime.timeline.some((t) => t.kind === 'exec' || t.kind === 'stop')).toBe(false);
    expect(env.manager.status(pod, 'web')).toMatchObject({ state: 'Terminated', exitCode: 0, reason: 'Completed' });
  });

  it('concurrent stops share one termination; the runtime is asked once', async () => {
    const env = setup();
    env.runtime.onExec(quit, { exitCode: 0, delayMs: 1_000 });
    const pod = await running(env);
    const [a, b] = await env.settle(
      Promise.all([
        env.manager.stopContainer(pod, 'web'),
        env.manager.stopContainer(pod, 'web', { gracePeriodOverride: 3 }),
      ]),
    );
    expect(a).toBe(b);
    expect(env.runtime.timeline.filter((t) => t.kind === 'stop')).toHaveLength(1);
    expect(env.reasons().filter((r) => r === 'Killing')).toHaveLength(1);
  });

  it('uses the probe grace for probe kills (spec §4.2-C.1)', async () => {
    const env = setup();
    const pod = makePod([
      {
        name: 'web',
        livenessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 7 },
        lifecycle: { preStop: { exec: { command: quit } } },
      },
    ]);
    await running(env, pod);
    env.runtime.onExec(quit, { hang: true });
    const result = await env.settle(
      env.manager.stopContainer(pod, 'web', {
        reason: 'LivenessProbe',
        message: 'Container web failed liveness probe, will be restarted',
      }),
    );
    expect(result).toMatchObject({ gracePeriodSeconds: 7, preStop: { elapsedMs: 7_000 } });
    expect(env.events.find((e) => e.reason === 'Killing')?.message).toBe(
      'Container web failed liveness probe, will be restarted',
    );
  });

  it('passes lifecycle.stopSignal to the runtime (spec §4.2-D)', async () => {
    const env = setup();
    const pod = makePod([{ name: 'web', lifecycle: { stopSignal: 'SIGQUIT' } }]);
    pod.spec!.os = { name: 'linux' };
    await running(env, pod);
    await env.settle(env.manager.stopContainer(pod, 'web'));
    expect(env.runtime.timeline.find((t) => t.kind === 'stop')?.signal).toBe('SIGQUIT');
  });

  it('a sleep preStop runs on the injected clock (spec §5.3)', async () => {
    const env = setup();
    const pod = makePod([{ name: 'web', lifecycle: { preStop: { sleep: { seconds: 12 } } } }]);
    await running(env, pod);
    const result = await env.settle(env.manager.stopContainer(pod, 'web'));
    expect(result).toMatchObject({ preStop: { outcome: 'succeeded', elapsedMs: 12_000 }, stopTimeoutSeconds: 18 });
  });

  it('abandons a long sleep preStop once the container has exited: no timer is left', async () => {
    const env = setup();
    const pod = makePod([{ name: 'web', lifecycle: { preStop: { sleep: { seconds: 25 } } } }], { tgps: 30 });
    await running(env, pod);
    const result = await env.settle(env.manager.stopContainer(pod, 'web', { gracePeriodOverride: 5 }));
    expect(result.preStop.outcome).toBe('timedOut');
    expect(env.clock.pendingTimers).toBe(0);
    expect(env.reasons()).not.toContain('FailedPreStopHook');
  });
});

describe('stopContainer on a clock that moves between reads (as the real clock does)', () => {
  it('charges only whole elapsed seconds: grace 5 with a 1 s preStop leaves 4 s (spec §4.2-C.5)', async () => {
    const { LifecycleManager } = await import('../../src/manager/lifecycle-manager.js');
    const { FakeRuntime } = await import('../../src/testing/fake-runtime.js');
    const { VirtualClock } = await import('../../src/testing/virtual-clock.js');
    const virtual = new VirtualClock();
    let reads = 0;
    // Every read sees a microsecond more, like performance.now() on a busy machine.
    const drifting = {
      now: () => virtual.now() + ++reads / 1000,
      setTimeout: (cb: () => void, ms: number) => virtual.setTimeout(cb, ms),
      clearTimeout: (h: unknown) => virtual.clearTimeout(h),
    };
    const runtime = new FakeRuntime({ clock: virtual });
    const manager = new LifecycleManager({
      runtime,
      httpClient: { request: async () => ({ status: 200 }) },
      clock: drifting,
    });
    const pod = makePod([{ name: 'web', lifecycle: { preStop: { sleep: { seconds: 1 } } } }], { tgps: 5 });
    await manager.startContainer(pod, 'web');
    const stopping = manager.stopContainer(pod, 'web');
    await virtual.runAll();
    expect((await stopping).stopTimeoutSeconds).toBe(4);
  });
});
