/**
 * Port of Kubernetes' conformance e2e `test/e2e/common/node/init_container.go`
 * (kubernetes/kubernetes @06adee84fd4a462da3d206c8ea94738f40d038c7, `SIGDescribe("InitContainer",
 * framework.WithNodeConformance())`) to virtual time. The Go test creates a pod, watches it with
 * `watchtools.Until` until a predicate holds, then checks phase, the `Initialized` condition and the
 * init container statuses. Here the pod runs through `manager.startPod` on a VirtualClock with
 * FakeRuntime; busybox `/bin/true` / `/bin/false` are scripted exits (`exitsAfter`, exit 0 / 1) and
 * the pause image is a container that never exits. Every published status (the `podStatus` event)
 * stands in for a watch event.
 *
 * `checkInvariants(events, containerInitInvariant)` is dead code in Go: `recordEvents` appends to a
 * copy of the `events` slice (the caller's stays empty) and the returned error is ignored; and its
 * `initialized()` reports an error for any first init status that is not Waiting (`allInit` starts
 * true). {@link checkInitInvariants} checks what it was written to check, over every published
 * status, with that case read as "after an incomplete init container".
 *
 * Assertions marked "(spec …)" go beyond the Go test: they pin what the spec says the kubelet reports
 * (termination reasons `Completed`/`Error`, `Initialized` reason `PodCompleted`, CrashLoopBackOff).
 */

import { describe, expect, it } from 'vitest';
import type { PodCondition, PodContainerStatus, PodLifecycleStatus } from '../../src/api/pod-status.js';
import type { Container, Pod } from '../../src/api/types.js';
import { exitsAfter, podHarness, podOf } from '../manager/pod-harness.js';

type H = ReturnType<typeof podHarness>;
const S = 1_000;
const busybox = (name: string): Container => ({ name, image: 'busybox', command: ['/bin/true'] });
const busyboxFalse = (name: string): Container => ({ name, image: 'busybox', command: ['/bin/false'] });
/** The pause image (its CPU limit of 100m is not modelled): a container that never exits. */
const pause = (name: string): Container => ({ name, image: 'registry.k8s.io/pause:3.10' });

/** A harness whose every published status is kept, in order (the Go watch's events). */
function watched() {
  const h = podHarness();
  const seen: PodLifecycleStatus[] = [];
  h.manager.on('podStatus', (_pod, status) => seen.push(status));
  return { ...h, seen };
}

/** `/bin/true` and `/bin/false`: the container exits `code` as soon as it runs. */
function runsCommand(h: H, c: Container): void {
  if (c.command?.[0] === '/bin/true') exitsAfter(h, c.name, 0, 0);
  if (c.command?.[0] === '/bin/false') exitsAfter(h, c.name, 0, 1);
}

/** `podutil.GetPodCondition(&pod.Status, v1.PodInitialized)`. */
const initializedCondition = (s: PodLifecycleStatus): PodCondition | undefined =>
  s.conditions.find((c) => c.type === 'Initialized');

/**
 * `watchtools.Until(ctx, rv, w, conditions...)`: the conditions are applied in turn to the stream of
 * statuses, each from the status the previous one accepted; a predicate that throws is the Go
 * `return false, err`. Advances the clock 1 s at a time (at most `maxMs`) and returns the status the
 * last predicate accepted.
 */
async function until(
  h: ReturnType<typeof watched>,
  predicates: ReadonlyArray<(s: PodLifecycleStatus) => boolean>,
  maxMs: number,
): Promise<PodLifecycleStatus> {
  let next = 0;
  let index = 0;
  const run = (): PodLifecycleStatus | undefined => {
    for (; next < h.seen.length; next++) {
      const status = h.seen[next] as PodLifecycleStatus;
      const predicate = predicates[index] as (s: PodLifecycleStatus) => boolean;
      if (predicate(status)) {
        index++;
        if (index === predicates.length) return status;
        next--; // the next condition starts from the event that satisfied this one
      }
    }
    return undefined;
  };
  for (let t = 0; t <= maxMs; t += S) {
    const found = run();
    if (found) return found;
    await h.clock.advance(S);
  }
  throw new Error(`watch timed out after ${maxMs} ms at condition ${index}`);
}

/** `conditions.PodCompleted`: Succeeded or Failed. */
const podCompleted = (s: PodLifecycleStatus) => s.phase === 'Succeeded' || s.phase === 'Failed';
/** `conditions.PodRunning`: Running (Failed/Succeeded end the watch with an error). */
const podRunning = (s: PodLifecycleStatus) => {
  if (s.phase === 'Failed' || s.phase === 'Succeeded') throw new Error(`pod ran to completion: ${s.phase}`);
  return s.phase === 'Running';
};

/**
 * `initialized(pod)` as intended: (all init containers done, one failed). A status after an
 * incomplete or failed init container must be Waiting; one that exited 0 must be ready.
 */
function initialized(s: PodLifecycleStatus): { allInit: boolean; failed: boolean } {
  let allInit = true;
  let failed = false;
  for (const c of s.initContainerStatuses) {
    if ((failed || !allInit) && c.state.waiting === undefined)
      throw new Error(`container ${c.name} is after an incomplete container but isn't waiting`);
    if (c.state.terminated === undefined) allInit = false;
    else if (c.state.terminated.exitCode !== 0) {
      allInit = false;
      failed = true;
    } else if (!c.ready) throw new Error(`container ${c.name} initialized but isn't marked as ready`);
  }
  return { allInit, failed };
}

/** `initContainersInvariants(pod)`. */
function initContainersInvariants(s: PodLifecycleStatus): void {
  const { allInit, failed } = initialized(s);
  if (!allInit || failed) {
    for (const c of s.containerStatuses) {
      if (c.state.waiting === undefined || c.restartCount !== 0)
        throw new Error(`container ${c.name} is not waiting but initialization not complete`);
      if (c.state.waiting.reason !== 'PodInitializing')
        throw new Error(`container ${c.name} should have reason PodInitializing: ${c.state.waiting.reason}`);
    }
  }
  const c = initializedCondition(s);
  if (c === undefined) throw new Error('pod does not have initialized condition');
  if (!c.lastTransitionTime) throw new Error('PodInitialized condition should always have a transition time');
  if (c.status === 'Unknown') throw new Error('PodInitialized condition should never be Unknown');
  if (c.status === 'True' && (failed || !allInit))
    throw new Error('PodInitialized condition was True but all not all containers initialized');
  if (c.status === 'False' && !failed && allInit)
    throw new Error('PodInitialized condition was False but all containers initialized');
}

/** `checkInvariants(events, containerInitInvariant)` over every published status. */
function checkInitInvariants(seen: readonly PodLifecycleStatus[]): void {
  expect(seen.length, 'statuses watched').toBeGreaterThan(2);
  const errors = new Set<string>();
  const collect = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      errors.add((error as Error).message);
    }
  };
  for (let i = 0; i + 1 < seen.length; i++) {
    const [older, newer] = [seen[i] as PodLifecycleStatus, seen[i + 1] as PodLifecycleStatus];
    collect(() => initContainersInvariants(older));
    collect(() => initContainersInvariants(newer));
    collect(() => {
      if (initialized(older).allInit && !initialized(newer).allInit)
        throw new Error('pod cannot be initialized and then regress to not being initialized');
    });
  }
  expect([...errors], 'invariants violated').toEqual([]);
}

const initStatus = (s: PodLifecycleStatus, i: number) => s.initContainerStatuses[i] as PodContainerStatus;

/** Both failing-init tests: no app container ever leaves Waiting `PodInitializing`. */
function appContainersStayPodInitializing(t: PodLifecycleStatus): void {
  for (const status of t.containerStatuses) {
    if (status.state.waiting === undefined)
      throw new Error(`container "${status.name}" should not be out of waiting: ${JSON.stringify(status)}`);
    if (status.state.waiting.reason !== 'PodInitializing')
      throw new Error(`container "${status.name}" should have reason PodInitializing`);
  }
}

function start(h: H, pod: Pod): void {
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) runsCommand(h, c);
  void h.manager.startPod(pod);
}

describe('[sig-node] InitContainer [NodeConformance] (spec pod §3.3, §5.1, §5.2)', () => {
  it('should invoke init containers on a RestartNever pod (spec pod §3.3, §5.1, §5.2)', async () => {
    const h = watched();
    const pod = podOf([busybox('run1')], {
      name: 'pod-init-never',
      restartPolicy: 'Never',
      initContainers: [busybox('init1'), busybox('init2')],
    });
    start(h, pod);
    const endPod = await until(h, [podCompleted], 60 * S);

    checkInitInvariants(h.seen);
    expect(endPod.phase).toBe('Succeeded');
    const init = initializedCondition(endPod);
    expect(init).toBeDefined();
    expect(init?.status).toBe('True');
    expect(init?.reason, '(spec pod §5.2: Succeeded → PodCompleted)').toBe('PodCompleted');
    expect(endPod.initContainerStatuses).toHaveLength(2);
    for (const status of endPod.initContainerStatuses) {
      expect(status.ready, `init container ${status.name} should be in Ready status`).toBe(true);
      expect(status.state.terminated).toBeDefined();
      expect(status.state.terminated?.exitCode).toBe(0);
      expect(status.state.terminated?.reason, '(spec pod §4.4)').toBe('Completed');
      expect(status.restartCount).toBe(0);
    }
    // (spec pod §3.3) one at a time, in order, each after the previous one exited 0, then run1.
    expect(h.runtime.timeline.filter((e) => e.kind === 'started').map((e) => e.container)).toEqual([
      'init1',
      'init2',
      'run1',
    ]);
  });

  it('should invoke init containers on a RestartAlways pod (spec pod §3.3, §5.1, §5.2)', async () => {
    const h = watched();
    const pod = podOf([pause('run1')], {
      name: 'pod-init-always',
      initContainers: [busybox('init1'), busybox('init2')],
    });
    start(h, pod);
    const endPod = await until(h, [podRunning], 60 * S);

    checkInitInvariants(h.seen);
    expect(endPod.phase).toBe('Running');
    const init = initializedCondition(endPod);
    expect(init).toBeDefined();
    expect(init?.status).toBe('True');
    expect(endPod.initContainerStatuses).toHaveLength(2);
    for (const status of endPod.initContainerStatuses) {
      expect(status.ready, `init container ${status.name} should be in Ready status`).toBe(true);
      expect(status.state.terminated).toBeDefined();
      expect(status.state.terminated?.exitCode).toBe(0);
      expect(status.state.terminated?.reason, '(spec pod §4.4)').toBe('Completed');
    }
    // "at least one container is still running": the pause container, never restarted.
    expect(endPod.containerStatuses[0]?.state.running).toBeDefined();
    expect(endPod.containerStatuses[0]?.restartCount).toBe(0);
    await h.manager.deletePod(pod, { gracePeriodSeconds: 0 });
  });

  it('should not start app containers if init containers fail on a RestartAlways pod (spec pod §3.3, §4.2, §5.1, §5.2)', async () => {
    const h = watched();
    const pod = podOf([pause('run1')], {
      name: 'pod-init-fails-always',
      initContainers: [busyboxFalse('init1'), busybox('init2')],
    });
    start(h, pod);
    const endPod = await until(
      h,
      [
        // check for the first container to fail at least once
        (t) => {
          appContainersStayPodInitializing(t);
          if (t.initContainerStatuses.length !== 2) return false;
          let status = initStatus(t, 1);
          if (status.state.waiting === undefined)
            throw new Error(`second init container should not be out of waiting: ${JSON.stringify(status)}`);
          if (status.state.waiting.reason !== 'PodInitializing')
            throw new Error(`second init container should have reason PodInitializing: ${JSON.stringify(status)}`);
          status = initStatus(t, 0);
          if (status.state.terminated !== undefined && status.state.terminated.exitCode === 0)
            throw new Error(`first init container should have exitCode != 0: ${JSON.stringify(status)}`);
          // continue until we see an attempt to restart the pod
          return status.lastState.terminated !== undefined;
        },
        // verify we get two restarts
        (t) => initStatus(t, 0).restartCount >= 3,
      ],
      300 * S,
    );

    checkInitInvariants(h.seen);
    expect(endPod.phase).toBe('Pending');
    const init = initializedCondition(endPod);
    expect(init).toBeDefined();
    expect(init?.status).toBe('False');
    expect(init?.reason).toBe('ContainersNotInitialized');
    expect(init?.message).toBe('containers with incomplete status: [init1 init2]');
    expect(endPod.initContainerStatuses).toHaveLength(2);
    // (spec pod §3.3, §4.2) only init1 ran: at 0, at once again, then 10 s and 20 s of back-off.
    expect(h.runtime.timeline.filter((e) => e.kind === 'started').map((e) => `${e.container}@${e.at}`)).toEqual([
      'init1@0',
      'init1@0',
      'init1@10000',
      'init1@30000',
    ]);
    // (spec pod §4.4) between attempts: Waiting CrashLoopBackOff, the last exit in lastState.
    const backingOff = h.seen.find((s) => initStatus(s, 0).state.waiting?.reason === 'CrashLoopBackOff');
    expect(initStatus(backingOff as PodLifecycleStatus, 0)).toMatchObject({
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message:
            'back-off 10s restarting failed container=init1 pod=pod-init-fails-always_default(uid-pod-init-fails-always)',
        },
      },
      lastState: { terminated: { exitCode: 1, reason: 'Error' } },
      ready: false,
      restartCount: 1,
    });
    await h.manager.deletePod(pod, { gracePeriodSeconds: 0 });
  });

  it('should not start app containers and fail the pod if init containers fail on a RestartNever pod (spec pod §3.3, §5.1, §5.2)', async () => {
    const h = watched();
    const pod = podOf([busybox('run1')], {
      name: 'pod-init-fails-never',
      restartPolicy: 'Never',
      initContainers: [busybox('init1'), busyboxFalse('init2')],
    });
    start(h, pod);
    const endPod = await until(
      h,
      [
        // check for the second container to fail at least once
        (t) => {
          appContainersStayPodInitializing(t);
          if (t.initContainerStatuses.length !== 2) return false;
          let status = initStatus(t, 0);
          if (status.state.terminated === undefined) {
            if (status.state.waiting !== undefined && status.state.waiting.reason !== 'PodInitializing')
              throw new Error(`second init container should have reason PodInitializing: ${JSON.stringify(status)}`);
            return false;
          }
          if (status.state.terminated.exitCode !== 0)
            throw new Error(`first init container should have exitCode != 0: ${JSON.stringify(status)}`);
          status = initStatus(t, 1);
          if (status.state.terminated === undefined) return false;
          if (status.state.terminated.exitCode === 0)
            throw new Error(`second init container should have failed: ${JSON.stringify(status)}`);
          return true;
        },
        podCompleted,
      ],
      60 * S,
    );

    checkInitInvariants(h.seen);
    expect(endPod.phase).toBe('Failed');
    const init = initializedCondition(endPod);
    expect(init).toBeDefined();
    expect(init?.status).toBe('False');
    expect(init?.reason).toBe('ContainersNotInitialized');
    expect(init?.message).toBe('containers with incomplete status: [init2]');
    expect(endPod.initContainerStatuses).toHaveLength(2);
    expect(endPod.containerStatuses[0]?.state.waiting).toBeDefined();
    // (spec pod §4.4, §3.3) init1 Completed and ready; init2 Error, not restarted; run1 never started.
    expect(initStatus(endPod, 0)).toMatchObject({
      state: { terminated: { exitCode: 0, reason: 'Completed' } },
      ready: true,
      restartCount: 0,
    });
    expect(initStatus(endPod, 1)).toMatchObject({
      state: { terminated: { exitCode: 1, reason: 'Error' } },
      ready: false,
      restartCount: 0,
    });
    expect(endPod.containerStatuses[0]?.state.waiting?.reason).toBe('PodInitializing');
    expect(h.runtime.timeline.some((e) => e.kind === 'start' && e.container === 'run1')).toBe(false);
  });
});
