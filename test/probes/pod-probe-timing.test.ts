/**
 * When the probe workers of a pod run, through `startPod` (spec pod §6.1; `prober_manager.go`
 * AddPod and `worker.go` run/doProbe, 1.35-era, read for issue 15): workers are created at the
 * pod's first sync, before its containers run, with their ticker anchored there; `doProbe` skips
 * until the status shows a running container; initialDelaySeconds counts from `startedAt`; every
 * new container ID resets the cached result; a container that will not restart stops its workers.
 */
import { describe, expect, it } from 'vitest';
import type { Container } from '../../src/api/types.js';
import { exitsAfter, podHarness, podOf } from '../manager/pod-harness.js';

const exec = (command: string, extra: Record<string, unknown> = {}) => ({ exec: { command: [command] }, ...extra });

function execTimes(h: ReturnType<typeof podHarness>, command: string): number[] {
  return h.runtime.timeline.filter((e) => e.kind === 'exec' && e.argv?.[0] === command).map((e) => e.at / 1000);
}

describe('workers from the first sync (spec pod §6.1 "Which workers", "Timing")', () => {
  it('the ticker is anchored at the pod sync, not at the container start; readiness is triggered at the start', async () => {
    const h = podHarness();
    h.runtime.onStart('app', { delayMs: 3500 });
    const pod = podOf([
      {
        name: 'app',
        image: 'nginx',
        livenessProbe: exec('live', { periodSeconds: 10 }),
        readinessProbe: exec('ready', { periodSeconds: 10 }),
      } as Container,
    ]);
    const starting = h.manager.startPod(pod);
    await h.clock.advance(30_000);
    await starting;
    // AddPod at 0: the immediate doProbe saw no container ID; liveness ticks at 10, 20, 30.
    expect(execTimes(h, 'live')).toEqual([10, 20, 30]);
    // UpdatePodStatus after the start at 3.5 s triggers readiness and Resets its ticker there.
    expect(execTimes(h, 'ready')).toEqual([3.5, 13.5, 23.5]);
    await h.manager.deletePod(pod, { gracePeriodSeconds: 0 });
  });

  it('initialDelaySeconds counts from the container startedAt, not from the worker (step 8)', async () => {
    const h = podHarness();
    h.runtime.onStart('app', { delayMs: 3500 });
    const pod = podOf([
      {
        name: 'app',
        image: 'nginx',
        livenessProbe: exec('live', { periodSeconds: 5, initialDelaySeconds: 10 }),
      } as Container,
    ]);
    const starting = h.manager.startPod(pod);
    await h.clock.advance(20_000);
    await starting;
    // at 5 s int(1.5) < 10, at 10 s int(6.5) < 10, at 15 s int(11.5) ≥ 10
    expect(execTimes(h, 'live')).toEqual([15, 20]);
    await h.manager.deletePod(pod, { gracePeriodSeconds: 0 });
  });

  it('a restarted container starts from the initial results: not ready until its own readiness passes (step 4)', async () => {
    const h = podHarness();
    exitsAfter(h, 'app', 20_000, 1);
    const pod = podOf([
      {
        name: 'app',
        image: 'nginx',
        readinessProbe: exec('ready', { periodSeconds: 10, initialDelaySeconds: 5 }),
      } as Container,
    ]);
    await h.manager.startPod(pod);
    await h.clock.advance(19_000);
    expect(h.manager.podStatus(pod).containerStatuses[0]).toMatchObject({ ready: true, restartCount: 0 });
    await h.clock.advance(6000); // the crash at 20 s restarts at once (first restart, spec pod §4.2)
    // The last result of the old container was Success; the new one starts from Failure.
    expect(h.manager.podStatus(pod).containerStatuses[0]).toMatchObject({
      ready: false,
      restartCount: 1,
      state: { running: {} },
    });
    await h.clock.advance(5000);
    expect(h.manager.podStatus(pod).containerStatuses[0]).toMatchObject({ ready: true, restartCount: 1 });
    // The triggers at each start (0 s, 20 s) fell inside the delay but Reset the ticker there.
    expect(execTimes(h, 'ready')).toEqual([10, 30]);
    await h.manager.deletePod(pod, { gracePeriodSeconds: 0 });
  });
});

describe('a container that exited for good stops its probes at once (spec pod §6.1 step 6)', () => {
  const probed = (): Container =>
    ({
      name: 'main',
      image: 'job',
      livenessProbe: exec('live', { periodSeconds: 2 }),
      readinessProbe: exec('ready', { periodSeconds: 3 }),
      startupProbe: exec('started', { periodSeconds: 1 }),
    }) as Container;
  const bare = (): Container => ({ name: 'main', image: 'job' });
  const side: Container = { name: 'side', image: 'proxy' };

  async function run(main: Container, restartPolicy: string, exitCode: number) {
    const h = podHarness();
    exitsAfter(h, 'main', 5000, exitCode);
    const pod = podOf([main, side], { restartPolicy });
    await h.manager.startPod(pod);
    await h.clock.advance(5000);
    const execsAtExit = h.runtime.timeline.filter((e) => e.kind === 'exec').length;
    await h.clock.advance(30_000);
    return { h, pod, execsAtExit };
  }

  it.each([
    ['Never', 1],
    ['Never', 0],
    ['OnFailure', 0],
  ])('restartPolicy %s, exit %i: no probe call after the exit, no probe timer left armed', async (policy, code) => {
    const withProbes = await run(probed(), policy, code);
    const without = await run(bare(), policy, code);
    expect(withProbes.h.manager.podStatus(withProbes.pod).containerStatuses[0]).toMatchObject({
      state: { terminated: { exitCode: code } },
      restartCount: 0,
    });
    expect(withProbes.execsAtExit).toBeGreaterThan(0);
    expect(withProbes.h.runtime.timeline.filter((e) => e.kind === 'exec')).toHaveLength(withProbes.execsAtExit);
    // The pod still runs (side): the same timers are armed as for the pod without probes.
    expect(withProbes.h.manager.podStatus(withProbes.pod).phase).toBe('Running');
    expect(withProbes.h.clock.pendingTimers).toBe(without.h.clock.pendingTimers);
    for (const r of [withProbes, without]) await r.h.manager.deletePod(r.pod, { gracePeriodSeconds: 0 });
  });

  it('with ContainerRestartRules off the worker follows the gate-off rule: only pod policy Never stops it', async () => {
    const gateOff = async (main: Container) => {
      const h = podHarness({ featureGates: { ContainerRestartRules: false } });
      exitsAfter(h, 'main', 5000, 0);
      const pod = podOf([main, side], { restartPolicy: 'OnFailure' });
      await h.manager.startPod(pod);
      await h.clock.advance(5000);
      const execs = h.runtime.timeline.filter((e) => e.kind === 'exec').length;
      await h.clock.advance(10_000);
      return { h, pod, execs };
    };
    const withProbes = await gateOff(probed());
    const without = await gateOff(bare());
    // worker.go gate off: `Terminated == nil || RestartPolicy != Never || restartable init` keeps
    // the workers: their ticks write Failure but run no probe on the exited container.
    expect(withProbes.h.runtime.timeline.filter((e) => e.kind === 'exec')).toHaveLength(withProbes.execs);
    expect(withProbes.h.clock.pendingTimers).toBe(without.h.clock.pendingTimers + 3);
    for (const r of [withProbes, without]) await r.h.manager.deletePod(r.pod, { gracePeriodSeconds: 0 });
  });

  it('OnFailure after exit 1 restarts the container: its workers stay and probe the new instance', async () => {
    const { h, pod } = await run(probed(), 'OnFailure', 1);
    expect(h.manager.podStatus(pod).containerStatuses[0]?.restartCount).toBeGreaterThan(0);
    const after = h.runtime.timeline.filter((e) => e.kind === 'exec' && e.at > 5000);
    expect(after.map((e) => e.argv?.[0])).toContain('started');
    expect(after.map((e) => e.argv?.[0])).toContain('live');
    await h.manager.deletePod(pod, { gracePeriodSeconds: 0 });
  });
});

describe('termination (spec pod §6.1 step 7, StopLivenessAndStartup)', () => {
  it('liveness of regular containers stops; a sidecar liveness goes on (StopLivenessAndStartup walks pod.Spec.Containers only), without a kill', async () => {
    const h = podHarness();
    h.runtime.onExec(['proxy-live'], { exitCode: 1, stdout: 'proxy down' });
    const pod = podOf(
      [
        {
          name: 'app',
          image: 'shop',
          lifecycle: { preStop: { sleep: { seconds: 10 } } },
          livenessProbe: exec('app-live', { periodSeconds: 1 }),
        } as Container,
      ],
      {
        initContainers: [
          {
            name: 'proxy',
            image: 'envoy',
            restartPolicy: 'Always',
            livenessProbe: exec('proxy-live', { periodSeconds: 1, failureThreshold: 5 }),
          } as Container,
        ],
      },
    );
    await h.manager.startPod(pod);
    await h.clock.advance(3500);
    const deleting = h.manager.deletePod(pod);
    await h.clock.advance(8000);
    const during = (command: string) => execTimes(h, command).filter((t) => t > 3.5);
    expect(during('app-live')).toEqual([]);
    // The sidecar's 4th and 5th failures come during termination; the 5th reaches the threshold:
    // the worker goes on hold (step 13) and the kill is not made (the pod is terminating).
    expect(during('proxy-live')).toEqual([4, 5]);
    expect(h.events.filter((e) => e.reason === 'Unhealthy' && e.timestamp > 3500)).toHaveLength(2);
    expect(h.events.filter((e) => e.reason === 'Killing').map((e) => e.message)).not.toContain(
      'Container proxy failed liveness probe, will be restarted',
    );
    await h.clock.advance(30_000);
    await deleting;
    expect(h.clock.pendingTimers).toBe(0);
  });
});
