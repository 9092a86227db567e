/**
 * Port of Kubernetes' node e2e `test/e2e_node/pod_conditions_test.go`
 * (kubernetes/kubernetes @d0e8692a6fbe8a8a724ec19a9b51652d51fad745, `SIGDescribe("Pod conditions
 * managed by Kubelet")`, the copy whose failing-mount case also brings up a second pod) to virtual time.
 *
 * Mapping:
 * - `webserverPodSpec`: `web1` (agnhost `test-webserver`, no probe) never exits; the optional `init1`
 *   (busybox `sleep 5s`) exits 0 after 5 s (`exitsAfter`).
 * - The pod sandbox is FakeRuntime's optional `runPodSandbox`, taking {@link SANDBOX_MS} on the
 *   clock, so `PodReadyToStartContainers` flips at a distinct instant and the Go test's "not before"
 *   checks can also be pinned to exact virtual times.
 * - "failing to mount volumes": the kubelet fails `WaitForAttachAndMount` before it creates the
 *   sandbox, emits `FailedMount` and retries; the status it publishes meanwhile is that of a pod
 *   without a sandbox. Our stand-in is a `runPodSandbox` that rejects with the kubelet's mount error
 *   (`FailedCreatePodSandBox`, retried every 10 s): same "no sandbox yet" status, other event reason.
 * - `PodScheduled`: there is no scheduler; the condition is the one the kubelet appends (`True`),
 *   whose transition time is the worker's first status, the instant it took the pod (in a cluster
 *   the scheduler set it earlier, before the kubelet saw the pod).
 * - The two Go contexts run the same cases; "without PodReadyToStartContainersCondition" does not
 *   turn the gate off (it is on by default since 1.29), it only skips the checks of that condition.
 *   Both are ported as they are.
 */

import { describe, expect, it } from 'vitest';
import type { PodLifecycleStatus } from '../../src/api/pod-status.js';
import type { Container, Pod } from '../../src/api/types.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import { sleepOn } from '../../src/ports/clock.js';
import type { PodSandbox } from '../../src/ports/runtime.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { exitsAfter } from '../manager/pod-harness.js';

const S = 1_000;
/** How long `runPodSandbox` takes (network setup). */
const SANDBOX_MS = 2 * S;
/** The kubelet's mount failure (`MountVolume.SetUp failed for volume`), as our sandbox error. */
const MOUNT_ERROR = 'MountVolume.SetUp failed for volume "cm" : configmap "does-not-exist" not found';

/** FakeRuntime with a sandbox that takes {@link SANDBOX_MS}; pods named in `blocked` never get one. */
class SandboxRuntime extends FakeRuntime {
  readonly blocked = new Set<string>();
  readonly #clock: VirtualClock;
  #ids = 0;
  constructor(clock: VirtualClock) {
    super({ clock });
    this.#clock = clock;
  }
  async runPodSandbox(pod: Pod, options: { signal: AbortSignal }): Promise<PodSandbox> {
    if (this.blocked.has(pod.metadata?.name ?? '')) throw new Error(MOUNT_ERROR);
    await sleepOn(this.#clock, SANDBOX_MS, options.signal);
    return { id: `sandbox-${++this.#ids}`, podIP: '10.244.0.7' };
  }
  async stopPodSandbox(): Promise<void> {}
}

function harness() {
  const clock = new VirtualClock();
  const runtime = new SandboxRuntime(clock);
  const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock });
  const events: string[] = [];
  manager.on('event', (e) => events.push(`${e.object.kind}/${e.object.name} ${e.reason}: ${e.message}`));
  return { clock, runtime, manager, events };
}
type H = ReturnType<typeof harness>;

/** `webserverPodSpec(podName, containerName, initContainerName, addInitContainer)`. */
function webserverPodSpec(podName: string, containerName: string, initContainerName: string, addInit: boolean): Pod {
  const web: Container = {
    name: containerName,
    image: 'registry.k8s.io/e2e-test-images/agnhost:2.53',
    args: ['test-webserver'],
  };
  const init: Container = { name: initContainerName, image: 'busybox', command: ['sh', '-c', 'sleep 5s'] };
  return {
    metadata: { name: podName, namespace: 'default', uid: `uid-${podName}` },
    spec: { containers: [web], ...(addInit ? { initContainers: [init] } : {}) },
  };
}

/** `getTransitionTimeForPodConditionWithStatus(pod, condType, expectedStatus)`, in clock ms. */
function transitionTime(status: PodLifecycleStatus, condType: string, expectedStatus: boolean): number {
  for (const cond of status.conditions) {
    if (cond.type !== condType) continue;
    if (cond.status.toLowerCase() === String(expectedStatus)) return Date.parse(cond.lastTransitionTime);
    throw new Error(
      `condition: ${condType} found for pod but status: ${cond.status} did not match expected status: ${expectedStatus}`,
    );
  }
  throw new Error(`condition: ${condType} not found for pod`);
}

/** `getTransitionTimeForPodConditionWithStatus(p, v1.PodScheduled, true)` (see the header). */
function scheduledTransitionTime(status: PodLifecycleStatus): number {
  return transitionTime(status, 'PodScheduled', true);
}

/** `testutils.PodRunningReady(p)`: phase Running and condition Ready True. */
const podRunningReady = (s: PodLifecycleStatus) =>
  s.phase === 'Running' && s.conditions.some((c) => c.type === 'Ready' && c.status === 'True');

/** `e2epod.WaitTimeoutForPodReadyInNamespace`: advance 1 s at a time until Running and Ready. */
async function waitForPodReady(h: H, pod: Pod, maxMs = 60 * S): Promise<PodLifecycleStatus> {
  for (let t = 0; t < maxMs && !podRunningReady(h.manager.podStatus(pod)); t += S) await h.clock.advance(S);
  const status = h.manager.podStatus(pod);
  expect(podRunningReady(status), `pod "${pod.metadata?.name}" should be ready`).toBe(true);
  return status;
}

/** Go's `a.Before(b)` is false: a is at or after b. */
function notBefore(a: number, b: number, why: string): void {
  expect(a, why).toBeGreaterThanOrEqual(b);
}

function runPodReadyConditionsTest(hasInitContainers: boolean, checkPodReadyToStart: boolean) {
  return async () => {
    // creating a pod that successfully comes up in a ready/running state
    const h = harness();
    const p = webserverPodSpec('pod-ready', 'web1', 'init1', hasInitContainers);
    if (hasInitContainers) exitsAfter(h, 'init1', 5 * S, 0);
    void h.manager.startPod(p);
    const status = await waitForPodReady(h, p);

    // checking order of pod condition transitions for a pod with no container/sandbox restarts
    const scheduledTime = scheduledTransitionTime(status);
    const initializedTime = transitionTime(status, 'Initialized', true);
    let condBeforeContainersReadyTransitionTime = initializedTime;
    let errSubstrIfContainersReadyTooEarly = 'is initialized';
    if (checkPodReadyToStart) {
      const readyToStartContainersTime = transitionTime(status, 'PodReadyToStartContainers', true);
      if (hasInitContainers) {
        // With init containers: Scheduled => PodReadyToStartContainers => Initialized
        notBefore(readyToStartContainersTime, scheduledTime, 'pod has ready to start before it was scheduled');
        notBefore(
          initializedTime,
          readyToStartContainersTime,
          'pod with init containers is initialized before it has ready to start',
        );
        // Virtual time pins them: sandbox at 2 s, init1 runs 2 s → 7 s.
        expect([readyToStartContainersTime, initializedTime]).toEqual([SANDBOX_MS, SANDBOX_MS + 5 * S]);
      } else {
        // Without init containers: Scheduled => Initialized => PodReadyToStartContainers
        condBeforeContainersReadyTransitionTime = readyToStartContainersTime;
        errSubstrIfContainersReadyTooEarly = 'ready to start';
        notBefore(initializedTime, scheduledTime, 'pod without init containers initialized before it was scheduled');
        notBefore(
          readyToStartContainersTime,
          initializedTime,
          'pod without init containers has ready to start before it is initialized',
        );
        // Initialized at once (no init containers), the sandbox 2 s later.
        expect([initializedTime, readyToStartContainersTime]).toEqual([0, SANDBOX_MS]);
      }
    } else {
      // Scheduled => Initialized
      notBefore(initializedTime, scheduledTime, 'pod initialized before it was scheduled');
    }
    // Verify the next condition to get set is ContainersReady
    const containersReadyTime = transitionTime(status, 'ContainersReady', true);
    notBefore(
      containersReadyTime,
      condBeforeContainersReadyTransitionTime,
      `containers ready before pod ${errSubstrIfContainersReadyTooEarly}`,
    );
    // Verify ContainersReady => PodReady
    const podReadyTime = transitionTime(status, 'Ready', true);
    notBefore(podReadyTime, containersReadyTime, 'pod ready before pod containers ready');
    // web1 runs (no readiness probe) as soon as the pod is initialized and the sandbox is up.
    expect([containersReadyTime, podReadyTime]).toEqual(hasInitContainers ? [7 * S, 7 * S] : [SANDBOX_MS, SANDBOX_MS]);
    await h.manager.deletePod(p, { gracePeriodSeconds: 0 });
  };
}

function runPodFailingConditionsTest(hasInitContainers: boolean, checkPodReadyToStart: boolean) {
  return async () => {
    // creating a pod whose sandbox creation is blocked due to a missing volume
    const h = harness();
    const p = webserverPodSpec('pod-blocked', 'web1', 'init1', hasInitContainers);
    h.runtime.blocked.add('pod-blocked');
    void h.manager.startPod(p);

    // waiting until kubelet has started trying to set up the pod and started to fail
    const failure = `Pod/pod-blocked FailedCreatePodSandBox: Failed to create pod sandbox: ${MOUNT_ERROR}`;
    for (let t = 0; t < 60 * S && !h.events.includes(failure); t += S) await h.clock.advance(S);
    expect(h.events).toContain(failure);
    await h.clock.advance(30 * S); // a few retries later: still blocked
    const status = h.manager.podStatus(p);

    // checking pod condition for a pod whose sandbox creation is blocked
    const scheduledTime = scheduledTransitionTime(status);
    // Verify PodReadyToStartContainers is not set (since sandbox creation is blocked)
    if (checkPodReadyToStart) transitionTime(status, 'PodReadyToStartContainers', false);
    if (hasInitContainers) {
      // Verify PodInitialized is not set if init containers are present
      transitionTime(status, 'Initialized', false);
    } else {
      // Verify PodInitialized is set if init containers are not present (set very early)
      const initializedTime = transitionTime(status, 'Initialized', true);
      notBefore(initializedTime, scheduledTime, 'pod without init containers is initialized before it was scheduled');
    }
    // Verify ContainersReady and PodReady are not set (since sandbox creation is blocked)
    transitionTime(status, 'ContainersReady', false);
    transitionTime(status, 'Ready', false);
    expect(status.phase).toBe('Pending');
    expect(h.runtime.timeline.filter((e) => e.kind === 'start')).toEqual([]);

    // checking pod condition for a pod when volumes source is created
    const p2 = webserverPodSpec('pod2-unblocked', 'web2', 'init2', hasInitContainers);
    if (hasInitContainers) exitsAfter(h, 'init2', 5 * S, 0);
    void h.manager.startPod(p2);
    const status2 = await waitForPodReady(h, p2);
    scheduledTransitionTime(status2);
    transitionTime(status2, 'Initialized', true);
    // Verify PodReadyToStartContainers is set (since sandbox creation is unblocked)
    if (checkPodReadyToStart) transitionTime(status2, 'PodReadyToStartContainers', true);

    await h.manager.deletePod(p, { gracePeriodSeconds: 0 });
    await h.manager.deletePod(p2, { gracePeriodSeconds: 0 });
  };
}

describe('[sig-node] Pod conditions managed by Kubelet (spec pod §5.2)', () => {
  describe('including PodReadyToStartContainers condition [Serial] [Feature:PodReadyToStartContainersCondition]', () => {
    it(
      'a pod without init containers should report all conditions set in expected order after the pod is up (spec pod §5.2, §1.2)',
      runPodReadyConditionsTest(false, true),
    );
    it(
      'a pod with init containers should report all conditions set in expected order after the pod is up (spec pod §5.2, §3.3)',
      runPodReadyConditionsTest(true, true),
    );
    it(
      'a pod failing to mount volumes and without init containers should report scheduled and initialized conditions set (spec pod §5.2)',
      runPodFailingConditionsTest(false, true),
    );
    it(
      'a pod failing to mount volumes and with init containers should report just the scheduled condition set (spec pod §5.2)',
      runPodFailingConditionsTest(true, true),
    );
  });

  describe('without PodReadyToStartContainersCondition condition', () => {
    it(
      'a pod without init containers should report all conditions set in expected order after the pod is up (spec pod §5.2)',
      runPodReadyConditionsTest(false, false),
    );
    it(
      'a pod with init containers should report all conditions set in expected order after the pod is up (spec pod §5.2, §3.3)',
      runPodReadyConditionsTest(true, false),
    );
    it(
      'a pod failing to mount volumes and without init containers should report scheduled and initialized conditions set (spec pod §5.2)',
      runPodFailingConditionsTest(false, false),
    );
    it(
      'a pod failing to mount volumes and with init containers should report just the scheduled condition set (spec pod §5.2)',
      runPodFailingConditionsTest(true, false),
    );
  });

  it('getTransitionTimeForPodConditionWithStatus(p, v1.PodScheduled, true) (all cases): the kubelet publishes PodScheduled=True after its other conditions (spec pod §5.2)', async () => {
    const h = harness();
    const p = webserverPodSpec('pod-scheduled', 'web1', 'init1', false);
    void h.manager.startPod(p);
    const status = await waitForPodReady(h, p);
    // kubelet_pods.go generateAPIPodStatus appends {Type: PodScheduled, Status: True} after the
    // other kubelet-owned conditions (spec pod §5.2 order: …, Ready, ContainersReady, PodScheduled).
    expect(status.conditions.map((c) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    transitionTime(status, 'PodScheduled', true);
    await h.manager.deletePod(p, { gracePeriodSeconds: 0 });
  });
});
