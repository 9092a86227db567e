/**
 * Port of the CrashLoopBackOff e2e tests of Kubernetes to virtual time:
 * - `test/e2e/common/node/pods.go` (kubernetes/kubernetes, newest stored copy, read by id 12178427:
 *   `f.It(..., f.WithSlow(), f.WithNodeConformance())`), the two back-off cases;
 * - `test/e2e_node/container_restart_test.go` (@0ff9d45702050805231148314cc81f7c401b7df0,
 *   `SIGDescribe("Container Restart", feature.CriProxy, framework.WithSerial())`), whose four
 *   contexts set the kubelet gates `KubeletCrashLoopBackOffMax` / `ReduceDefaultCrashLoopBackOffDecay`
 *   and `crashLoopBackOff.maxContainerRestartPeriod` with `tempSetCurrentKubeletConfig`;
 * - `test/e2e_node/container_restart_backoff.go` (@75ca2a2c55daf0b86a475a547dc53976676f6555, the
 *   only stored version: pre-`ctx` e2e API, so possibly not in the 1.35 tree). Its table expects
 *   start-to-start intervals 0,10,10,10,20,40,80,160,300 s ± 20 s; the kubelet's `doBackOff` gives
 *   0,0,10,20,40,80,160,300 s, within the tolerance.
 *
 * Mapping: the pod runs through `manager.startPod` on a VirtualClock with FakeRuntime; a busybox
 * command is a scripted exit (`exitsAfter`: `sh -c "exit 1"` exits 1 at once, `sh -c "sleep 5"` exits
 * 0 after 5 s); `time.Sleep(d)` / a poll interval is `clock.advance(d)`; the kubelet configuration is
 * the manager's `crashLoopBackOff` option. `newCrashLoopBackOff` (pkg/kubelet/kubelet.go) gives:
 * both gates off → 10 s / 300 s (the defaults); `KubeletCrashLoopBackOffMax` on → max = the
 * configured period, initial lowered to it when smaller (`{ maxSeconds }`);
 * `ReduceDefaultCrashLoopBackOffDecay` alone → 1 s / 60 s (`{ reducedDecay: true, maxSeconds: 60 }`:
 * `reducedDecay` alone assumes `KubeletCrashLoopBackOffMax` on, as in 1.35). The CRI proxy those
 * node tests require (`feature.CriProxy`) only injects faults; none is injected here. API times are
 * whole seconds (RFC 3339), as `getRestartDelay` reads them.
 */

import { describe, expect, it } from 'vitest';
import type { PodContainerStatus } from '../../src/api/pod-status.js';
import type { Pod } from '../../src/api/types.js';
import type { CrashLoopBackOffPolicy } from '../../src/pod/crash-loop-back-off.js';
import { exitsAfter, podHarness, podOf } from '../manager/pod-harness.js';

type H = ReturnType<typeof podHarness>;
const S = 1_000;
/** `kubelet.MaxContainerBackOff` (300 s) and pods.go's `maxBackOffTolerance` (1.3 × that). */
const MAX_CONTAINER_BACK_OFF = 300 * S;
const MAX_BACK_OFF_TOLERANCE = 1.3 * MAX_CONTAINER_BACK_OFF;
/** e2e framework `poll` (the polling of `WaitForPodCondition`). */
const FRAMEWORK_POLL = 2 * S;

const status = (h: H, pod: Pod, name: string) =>
  h.manager.podStatus(pod).containerStatuses.find((s) => s.name === name) as PodContainerStatus | undefined;
const apiTime = (t: string | undefined) => (t === undefined ? Number.NaN : Date.parse(t));
const startsOf = (h: H, name: string) =>
  h.runtime.timeline.filter((e) => e.kind === 'started' && e.container === name).map((e) => e.at / S);

/** `podClient.CreateSync`: start the pod, poll until it is Running. */
async function createSync(h: H, pod: Pod): Promise<void> {
  void h.manager.startPod(pod);
  for (let t = 0; t < 5 * 60 * S && h.manager.podStatus(pod).phase !== 'Running'; t += FRAMEWORK_POLL)
    await h.clock.advance(FRAMEWORK_POLL);
  expect(h.manager.podStatus(pod).phase).toBe('Running');
}

/**
 * pods.go `getRestartDelay`: every second, once the container has a last termination and is not
 * running, note its restartCount and FinishedAt; when restartCount grows, return the new instance's
 * StartedAt − that FinishedAt. Gives up after `2 × maxBackOffTolerance`.
 */
async function getRestartDelay(h: H, pod: Pod, name: string): Promise<number> {
  let previousRestartCount = -1;
  let previousFinishedAt = Number.NaN;
  for (let t = 0; t < 2 * MAX_BACK_OFF_TOLERANCE; t += S) {
    await h.clock.advance(S);
    const s = status(h, pod, name);
    if (s === undefined || s.lastState.terminated === undefined) continue;
    if (previousRestartCount === -1) {
      if (s.state.running) continue;
      previousFinishedAt = apiTime(s.state.terminated?.finishedAt ?? s.lastState.terminated.finishedAt);
      previousRestartCount = s.restartCount;
    }
    if (s.restartCount > previousRestartCount) {
      const startedAt = apiTime(
        s.state.running?.startedAt ?? s.state.terminated?.startedAt ?? s.lastState.terminated.startedAt,
      );
      return startedAt - previousFinishedAt;
    }
  }
  throw new Error(`timed out waiting for container restart in pod=${pod.metadata?.name}/${name}`);
}

describe('[sig-node] Pods (test/e2e/common/node/pods.go) (spec pod §4.1, §4.2)', () => {
  it('should cap back-off at MaxContainerBackOff [Slow] [NodeConformance] (spec pod §4.1, §4.2)', async () => {
    const h = podHarness();
    const name = 'back-off-cap';
    exitsAfter(h, name, 5 * S, 0); // /bin/sh -c "sleep 5" /crash/missing
    const pod = podOf([{ name, image: 'busybox', command: ['/bin/sh', '-c', 'sleep 5', '/crash/missing'] }], {
      name: 'back-off-cap',
    });
    await createSync(h, pod);
    await h.clock.advance(2 * MAX_CONTAINER_BACK_OFF); // it takes slightly more than 2*x to get to a back-off of x

    // getting restart delay when capped (the Go loop's `continue` is its last statement: 3 calls).
    let delay1 = 0;
    for (let i = 0; i < 3; i++) delay1 = await getRestartDelay(h, pod, name);
    expect(delay1).toBeGreaterThanOrEqual(MAX_CONTAINER_BACK_OFF);
    expect(delay1).toBeLessThanOrEqual(MAX_BACK_OFF_TOLERANCE);

    // getting restart delay after a capped delay
    const delay2 = await getRestartDelay(h, pod, name);
    expect(delay2).toBeGreaterThanOrEqual(MAX_CONTAINER_BACK_OFF);
    expect(delay2).toBeLessThanOrEqual(MAX_BACK_OFF_TOLERANCE);
    // (spec pod §4.2, §4.3: no jitter, requeue aligned to expiry) exactly the cap.
    expect([delay1, delay2]).toEqual([MAX_CONTAINER_BACK_OFF, MAX_CONTAINER_BACK_OFF]);
    await h.clock.advance(6 * S); // the new instance exits after 5 s and waits out the cap
    expect(status(h, pod, name)?.state.waiting, '(spec pod §4.4)').toMatchObject({
      reason: 'CrashLoopBackOff',
      message: expect.stringMatching(/^back-off 5m0s restarting failed container=back-off-cap /),
    });
    await h.manager.deletePod(pod, { gracePeriodSeconds: 0 });
  });

  it.skip('should have their auto-restart back-off timer reset on image update [Slow] [NodeConformance]: a running pod cannot be updated here — LifecycleManager has no pod update (no `podClient.Update` of `spec.containers[0].image`, so no new spec hash / back-off key, spec pod §4.2)', () => {});
});

/** A container `restarts` running `sh -c "exit 1"` (`newFailAlwaysPod`), default restartPolicy Always. */
function failAlwaysPod(h: H): Pod {
  exitsAfter(h, 'restarts', 0, 1);
  return podOf([{ name: 'restarts', image: 'busybox', command: ['sh', '-c', 'exit 1'] }], {
    name: 'container-restart',
  });
}

/**
 * container_restart_test.go `doTest(ctx, f, targetRestarts, containerName, maxRestarts)`.
 * Returns the instant of the final check.
 */
async function doTest(h: H, pod: Pod, targetRestarts: number, maxRestarts: number): Promise<number> {
  void h.manager.startPod(pod);
  // WaitForPodContainerToFail(..., 0, "CrashLoopBackOff", 1m) must fail: the pod is not Pending
  // while its container backs off (or the wait times out).
  let podErr: string | undefined = 'timeout';
  for (let t = 0; t <= 60 * S; t += FRAMEWORK_POLL) {
    const s = h.manager.podStatus(pod);
    if (s.phase !== 'Pending') {
      podErr = `pod was expected to be pending, but it is in the state: ${s.phase}`;
      break;
    }
    if (s.containerStatuses[0]?.state.waiting?.reason === 'CrashLoopBackOff') {
      podErr = undefined;
      break;
    }
    await h.clock.advance(FRAMEWORK_POLL);
  }
  expect(podErr).toBeDefined();
  expect(podErr, '(spec pod §4.4: phase stays Running while backing off)').toMatch(/state: Running$/);

  await h.clock.advance(30 * S); // Hard wait 30 seconds for targetRestarts in the best case
  // waitForContainerRestartedNTimes(..., 5m, targetRestarts)
  for (
    let t = 0;
    t < 5 * 60 * S && (status(h, pod, 'restarts')?.restartCount ?? 0) < targetRestarts;
    t += FRAMEWORK_POLL
  )
    await h.clock.advance(FRAMEWORK_POLL);
  expect(status(h, pod, 'restarts')?.restartCount ?? 0).toBeGreaterThanOrEqual(targetRestarts);
  // extractObservedBackoff
  expect(status(h, pod, 'restarts')?.restartCount).toBeLessThanOrEqual(maxRestarts);
  return h.clock.now();
}

/** Beyond the Go test: the start instants (s) the kubelet's `doBackOff` gives, over `untilS`. */
async function expectStarts(h: H, untilS: number, want: number[]): Promise<void> {
  await h.clock.advance(untilS * S - h.clock.now());
  expect(startsOf(h, 'restarts')).toEqual(want);
}

describe('[sig-node] Container Restart [Feature:CriProxy] [Serial] (test/e2e_node/container_restart_test.go) (spec pod §4.1, §4.2)', () => {
  const cases: ReadonlyArray<{
    context: string;
    it: string;
    gates: string;
    policy: CrashLoopBackOffPolicy;
    maxRestarts: number;
    untilS: number;
    starts: number[];
  }> = [
    {
      context: 'Container restart backs off',
      it: 'Container restart backs off.',
      gates: 'KubeletCrashLoopBackOffMax=false, ReduceDefaultCrashLoopBackOffDecay=false → 10s/300s',
      policy: {},
      maxRestarts: 7,
      untilS: 310, // Go comment: 0s, 0s, 10s, 30s, 70s, 150s, 310s
      starts: [0, 0, 10, 30, 70, 150, 310],
    },
    {
      context: 'Alternate container restart backs off as expected',
      it: 'Alternate restart backs off.',
      gates: 'maxContainerRestartPeriod=30s, KubeletCrashLoopBackOffMax=true, Reduce…=false → 10s/30s',
      policy: { maxSeconds: 30 },
      maxRestarts: 13,
      untilS: 300, // Go comment: 0s, 0s, 10s, 30s, 60s, 90s, …, 300s
      starts: [0, 0, 10, 30, 60, 90, 120, 150, 180, 210, 240, 270, 300],
    },
    {
      context: 'Reduced default container restart backs off as expected',
      it: 'Reduced default restart backs off.',
      gates: 'KubeletCrashLoopBackOffMax=false, ReduceDefaultCrashLoopBackOffDecay=true → 1s/60s',
      policy: { reducedDecay: true, maxSeconds: 60 },
      maxRestarts: 13,
      // The Go comment is the Alternate one copied; 1 s doubling to 60 s gives these starts.
      untilS: 243,
      starts: [0, 0, 1, 3, 7, 15, 31, 63, 123, 183, 243],
    },
    {
      context: 'Lower node config container restart takes precedence',
      it: 'Reduced default restart backs off.',
      gates: 'maxContainerRestartPeriod=1s, KubeletCrashLoopBackOffMax=true, Reduce…=true → 1s/1s',
      policy: { reducedDecay: true, maxSeconds: 1 },
      maxRestarts: 298,
      untilS: 7, // Go comment: 0s, 0s, 1s, 2s, 3s, 4s, 5s, 6s, 7s, and so on
      starts: [0, 0, 1, 2, 3, 4, 5, 6, 7],
    },
  ];
  for (const c of cases) {
    it(`${c.context} › ${c.it} (${c.gates}) (spec pod §4.1, §4.2, §4.3)`, async () => {
      const h = podHarness({ crashLoopBackOff: c.policy });
      const pod = failAlwaysPod(h);
      const checkedAt = await doTest(h, pod, 3, c.maxRestarts);
      if (c.untilS * S >= checkedAt) await expectStarts(h, c.untilS, c.starts);
      else expect(startsOf(h, 'restarts').slice(0, c.starts.length)).toEqual(c.starts);
      await h.manager.deletePod(pod, { gracePeriodSeconds: 0 });
    });
  }
});

describe('[sig-node] ContainerRestartBackoff (test/e2e_node/container_restart_backoff.go) (spec pod §4.2)', () => {
  it('when a container restart › Should be restarted the container with an exponential backoff (spec pod §4.2)', async () => {
    const h = podHarness();
    exitsAfter(h, 'c', 0, 1); // Command: false
    const pod = podOf([{ name: 'c', image: 'busybox', command: ['false'] }], {
      name: 'test-container-restart-backoff',
      restartPolicy: 'Always',
    });
    const backOffPeriod = 10; // pkg/kubelet.backOffPeriod
    const expectRestartBackoffSecond = [0, 10, 10, 10, 20, 40, 80, 160, 300, 300, 300];
    // Every published status stands in for a watch event.
    const seen: Array<{ s: PodContainerStatus; startTime: string | undefined }> = [];
    h.manager.on('podStatus', (_p, st) => {
      const s = st.containerStatuses[0];
      if (s) seen.push({ s, startTime: st.startTime });
    });
    void h.manager.startPod(pod);
    await h.clock.advance(2_000 * S);
    let count = 0;
    let lastAt = Number.NaN;
    for (const { s, startTime } of seen) {
      const terminated = s.lastState.terminated;
      if (terminated === undefined || s.restartCount <= count) continue;
      if (Number.isNaN(lastAt) && startTime !== undefined) lastAt = apiTime(startTime);
      count = s.restartCount;
      if (count >= expectRestartBackoffSecond.length) break;
      const gotIntervalSecond = Math.trunc((apiTime(terminated.startedAt) - lastAt) / S);
      const gotTolerance = Math.abs(gotIntervalSecond - (expectRestartBackoffSecond[count] as number));
      expect(gotTolerance, `count ${count}: interval ${gotIntervalSecond}s`).toBeLessThanOrEqual(backOffPeriod * 2);
      lastAt = apiTime(terminated.startedAt);
    }
    expect(count).toBe(expectRestartBackoffSecond.length);
    await h.manager.deletePod(pod, { gracePeriodSeconds: 0 });
  });
});
