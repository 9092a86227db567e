import { describe, expect, it } from 'vitest';
import type { Container } from '../../src/api/types.js';
import { makePod, setup } from '../support/manager-harness.js';

const sleepPreStop = (seconds: number): NonNullable<Container['lifecycle']> => ({ preStop: { sleep: { seconds } } });

async function startAll(env: ReturnType<typeof setup>, pod: ReturnType<typeof makePod>) {
  env.track(pod);
  for (const c of [...(pod.spec!.initContainers ?? []), ...pod.spec!.containers]) {
    await env.settle(env.manager.startContainer(pod, c.name));
  }
}

describe('deletePod (spec §4.1, §4.2-A/B)', () => {
  it('kills every running container in parallel with the effective grace as override (spec §4.2-B)', async () => {
    const env = setup();
    const pod = makePod([
      { name: 'a', lifecycle: sleepPreStop(5) },
      { name: 'b', lifecycle: sleepPreStop(8) },
    ]);
    await startAll(env, pod);
    const result = await env.settle(env.manager.deletePod(pod));
    expect(result).toMatchObject({ gracePeriodSeconds: 30, deletionGracePeriodSeconds: 30, startedAt: 0 });
    expect(result.containers.map((c) => [c.container, c.stopTimeoutSeconds, c.exitedAt])).toEqual([
      ['a', 25, 5_000],
      ['b', 22, 8_000],
    ]);
    expect(env.events.filter((e) => e.reason === 'Killing').map((e) => e.timestamp)).toEqual([0, 0]);
  });

  it('uses the delete request grace over the pod TGPS (spec §4.1)', async () => {
    const env = setup();
    const pod = makePod([{ name: 'a', lifecycle: sleepPreStop(50) }], { tgps: 100 });
    await startAll(env, pod);
    // The e2e "reduce GracePeriodSeconds": sleep 50, TGPS 100, delete with 30 → gone between 30 s and 50 s.
    const result = await env.settle(env.manager.deletePod(pod, { gracePeriodSeconds: 30 }));
    expect(result.containers[0]).toMatchObject({
      gracePeriodSeconds: 30,
      preStop: { outcome: 'timedOut', elapsedMs: 30_000 },
      exitedAt: 30_000,
    });
  });

  it('a force delete (grace 0) still runs preStop with 1 s and then gives 2 s (spec §4.2-E)', async () => {
    const env = setup();
    env.runtime.onStop('a', { exitsOn: [] });
    const pod = makePod([{ name: 'a', lifecycle: sleepPreStop(20) }]);
    await startAll(env, pod);
    const result = await env.settle(env.manager.deletePod(pod, { gracePeriodSeconds: 0 }));
    expect(result).toMatchObject({ gracePeriodSeconds: 1, deletionGracePeriodSeconds: 0 });
    expect(result.containers[0]).toMatchObject({
      preStop: { outcome: 'timedOut', elapsedMs: 1_000 },
      stopTimeoutSeconds: 2,
      exitedAt: 3_000,
    });
  });

  it('skips containers that never started or already exited', async () => {
    const env = setup();
    const pod = makePod([{ name: 'a', lifecycle: sleepPreStop(5) }, { name: 'b' }]);
    env.track(pod);
    await env.settle(env.manager.startContainer(pod, 'a'));
    const result = await env.settle(env.manager.deletePod(pod));
    expect(result.containers.map((c) => [c.container, c.outcome])).toEqual([
      ['a', 'stopped'],
      ['b', 'notRunning'],
    ]);
  });

  it('sidecars stop after the main containers, in reverse declaration order; their preStop runs at once (spec §4.2-C.6)', async () => {
    const env = setup();
    const pod = makePod([{ name: 'main', lifecycle: sleepPreStop(10) }], {
      initContainers: [
        { name: 'sidecar-1', restartPolicy: 'Always', lifecycle: sleepPreStop(1) },
        { name: 'sidecar-2', restartPolicy: 'Always', lifecycle: sleepPreStop(1) },
      ],
    });
    await startAll(env, pod);
    const result = await env.settle(env.manager.deletePod(pod));
    const stops = env.runtime.timeline.filter((t) => t.kind === 'stop').map((t) => [t.container, t.at]);
    expect(stops).toEqual([
      ['main', 10_000],
      ['sidecar-2', 10_000],
      ['sidecar-1', 10_000],
    ]);
    const preStopStarts = env.steps.filter((s) => s.kind === 'preStopStarted').map((s) => [s.container, s.time]);
    expect(preStopStarts).toEqual([
      ['sidecar-1', 0],
      ['sidecar-2', 0],
      ['main', 0],
    ]);
    const sidecar2 = result.containers.find((c) => c.container === 'sidecar-2')!;
    // 30 - floor(1 s preStop) - floor(9 s waiting for main) = 20
    expect(sidecar2).toMatchObject({ orderingWaitMs: 9_000, stopTimeoutSeconds: 20 });
  });

  it('a repeat delete with a longer or equal grace changes nothing (spec §4.1)', async () => {
    const env = setup();
    const pod = makePod([{ name: 'a', lifecycle: sleepPreStop(20) }]);
    await startAll(env, pod);
    const first = env.manager.deletePod(pod, { gracePeriodSeconds: 10 });
    const second = env.manager.deletePod(pod, { gracePeriodSeconds: 60 });
    const [r1, r2] = await env.settle(Promise.all([first, second]));
    expect(r1).toBe(r2);
    expect(r1.gracePeriodSeconds).toBe(10);
  });

  it('a shorter second delete does not touch the in-flight preStop (policy kubelet, spec §4.2-F, k/k#113717)', async () => {
    const env = setup();
    const pod = makePod([{ name: 'a', lifecycle: sleepPreStop(25) }]);
    await startAll(env, pod);
    const first = env.manager.deletePod(pod);
    await env.clock.advance(5_000);
    const second = env.manager.deletePod(pod, { gracePeriodSeconds: 1 });
    const result = await env.settle(second);
    expect(result.containers[0]).toMatchObject({
      preStop: { outcome: 'succeeded', elapsedMs: 25_000 },
      stopTimeoutSeconds: 5,
      exitedAt: 25_000,
    });
    expect(result.gracePeriodSeconds).toBe(1);
    expect(await first).toBe(result);
  });

  it('policy interrupt: a shorter second delete cuts the preStop at the new deadline (spec §4.2-F.6)', async () => {
    const env = setup({ policy: { shorterGraceDuringTermination: 'interrupt' } });
    env.runtime.onStop('a', { exitsOn: [] });
    const pod = makePod([{ name: 'a', lifecycle: sleepPreStop(25) }]);
    await startAll(env, pod);
    void env.manager.deletePod(pod);
    await env.clock.advance(5_000);
    const result = await env.settle(env.manager.deletePod(pod, { gracePeriodSeconds: 8 }));
    // New deadline: delete at 0 + 8 s. preStop cut at 8 s; 0 s left → minimum 2 → SIGKILL at 10 s.
    expect(result.containers[0]).toMatchObject({
      preStop: { outcome: 'timedOut', elapsedMs: 8_000 },
      stopTimeoutSeconds: 2,
      exitedAt: 10_000,
    });
    expect(env.clock.pendingTimers).toBe(0);
  });

  it("policy interrupt: a shorter second delete also cuts a sidecar's ordering wait at the new deadline (spec §4.2-C.6, F.6)", async () => {
    const env = setup({ policy: { shorterGraceDuringTermination: 'interrupt' } });
    env.runtime.onStop('main', { exitsOn: [] });
    const pod = makePod([{ name: 'main', lifecycle: sleepPreStop(25) }], {
      initContainers: [{ name: 'sc', restartPolicy: 'Always' }],
    });
    await startAll(env, pod);
    void env.manager.deletePod(pod);
    await env.clock.advance(5_000);
    const result = await env.settle(env.manager.deletePod(pod, { gracePeriodSeconds: 8 }));
    // The sidecar's own wait would run 30 s; the lowered deadline (8 s) ends it, 0 s left → 2.
    const sc = result.containers.find((c) => c.container === 'sc')!;
    expect(sc).toMatchObject({ orderingWaitMs: 8_000, stopTimeoutSeconds: 2 });
    const stops = env.runtime.timeline.filter((t) => t.kind === 'stop').map((t) => [t.container, t.at]);
    expect(stops).toContainEqual(['sc', 8_000]);
  });

  it('policy interrupt: re-issues a stop already handed to the runtime with the shorter timeout', async () => {
    const env = setup({ policy: { shorterGraceDuringTermination: 'interrupt' } });
    env.runtime.onStop('a', { exitsOn: [] });
    const pod = makePod([{ name: 'a' }]);
    await startAll(env, pod);
    void env.manager.deletePod(pod); // no preStop: stop with 30 s at once
    await env.clock.advance(1_000);
    const result = await env.settle(env.manager.deletePod(pod, { gracePeriodSeconds: 5 }));
    const stops = env.runtime.timeline.filter((t) => t.kind === 'stop').map((t) => [t.at, t.timeoutSeconds]);
    expect(stops).toEqual([
      [0, 30],
      [1_000, 4],
    ]);
    expect(result.containers[0]!.exitedAt).toBe(5_000);
  });

  it('refuses to start containers in a terminating pod', async () => {
    const env = setup();
    const pod = makePod([{ name: 'a' }, { name: 'b' }]);
    await env.settle(env.manager.startContainer(pod, 'a'));
    void env.manager.deletePod(pod);
    await expect(env.manager.startContainer(pod, 'b')).rejects.toMatchObject({ code: 'ERR_INVALID_STATE' });
  });

  it('deletion during postStart waits for postStart to finish (spec §3.7)', async () => {
    const env = setup();
    env.runtime.onExec(['warm-up'], { exitCode: 0, delayMs: 40_000 });
    const pod = makePod([{ name: 'a', lifecycle: { postStart: { exec: { command: ['warm-up'] } } } }]);
    env.track(pod);
    const started = env.manager.startContainer(pod, 'a');
    await env.clock.advance(1_000);
    const deleted = env.manager.deletePod(pod);
    const result = await env.settle(deleted);
    expect((await started).outcome).toBe('running');
    expect(result.containers[0]).toMatchObject({ startedAt: 40_000, outcome: 'stopped' });
  });
});
