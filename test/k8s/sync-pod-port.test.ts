/**
 * Port of the SyncPod / KillPod / doBackOff cases of `pkg/kubelet/kuberuntime/kuberuntime_manager_test.go`
 * ([KM] tests): TestSyncPod, TestSyncPodWithInitContainers, TestSyncPodNoEventsInSteadyState,
 * TestSyncPodWithSandboxAndDeletedPod, TestKillPod, TestStopContainerWithNotFoundError, TestDoBackOff,
 * TestOnPodSandboxReadyTiming. Source: yuanwang04/kubernetes @bca651cd, the newest stored copy
 * (≥1.35: `BackoffError` of k/k#133066 in TestDoBackOff; some resize cases already emulate 1.36);
 * the stored kubernetes/kubernetes copy (id 79542686) is ≈1.33.
 *
 * Mapping: Go calls `m.SyncPod(pod, podStatus, …)` once per step on a CRI fake; here the manager's
 * pod worker syncs by itself on a VirtualClock, with FakeRuntime (plus `runPodSandbox` /
 * `stopPodSandbox`) as the CRI, and each Go step is a point in virtual time. `StopContainer` of an
 * init container in the CRI fake is its exit with code 0. `flowcontrol.NewBackOff(1s, 1m)` is the
 * `crashLoopBackOff: { initialSeconds: 1, maxSeconds: 60 }` policy. `imagePullPolicy` is dropped
 * (image pulls are out of scope; the core's `Container` type has no such field).
 *
 * No equivalent (DESIGN §10 has no sandbox status, image pulls or ephemeral containers): step 4 of
 * TestSyncPodWithInitContainers (a dead sandbox re-runs init containers), the image-volume case of
 * TestSyncPodNoEventsInSteadyState, the ephemeral container of TestKillPod,
 * TestSyncPodWithRestartAllContainers (gate alpha and off in 1.35, spec pod §1.2), and the
 * computePodActions tables (test/k8s/pod-actions-port.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/api/types.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import type { LifecycleManagerOptions } from '../../src/manager/options.js';
import type { PodSandbox } from '../../src/ports/runtime.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

/** FakeRuntime with a pod sandbox, logging sandbox calls and container starts in one list. */
class SandboxRuntime extends FakeRuntime {
  readonly log: string[] = [];
  sandboxResult: () => Promise<PodSandbox> = async () => ({ id: 'sb-1', podIP: '192.168.192.168' });
  async runPodSandbox(pod: Pod): Promise<PodSandbox> {
    this.log.push(`runPodSandbox ${pod.metadata?.name} (containers started: ${this.starts().length})`);
    return this.sandboxResult();
  }
  async stopPodSandbox(id: string): Promise<void> {
    this.log.push(`stopPodSandbox ${id}`);
  }
  starts(): string[] {
    return this.timeline.filter((t) => t.kind === 'start').map((t) => t.container);
  }
}

function harness(options: Partial<LifecycleManagerOptions> = {}) {
  const clock = new VirtualClock();
  const runtime = new SandboxRuntime({ clock });
  const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock, ...options });
  const events: KubeEvent[] = [];
  manager.on('event', (e) => events.push(e));
  return { clock, runtime, manager, events };
}

/** Go's `makeTestPod("foo", "new", "12345678", containers)`. */
function goPod(containers: Container[], extra: { initContainers?: Container[]; restartPolicy?: string } = {}): Pod {
  return {
    metadata: { name: 'foo', namespace: 'new', uid: '12345678' },
    spec: { containers, ...extra },
  };
}

const foo1: Container = { name: 'foo1', image: 'busybox' };
const foo2: Container = { name: 'foo2', image: 'alpine' };
const init1: Container = { name: 'init1', image: 'init' };
const states = (s: { containerStatuses: ReadonlyArray<{ name: string; state: object }> }) =>
  s.containerStatuses.map((c) => [c.name, Object.keys(c.state)[0]]);

describe('TestSyncPod [KM] (spec pod §3.2 rule 1, §4.6)', () => {
  it('TestSyncPod: from an empty status one sync makes one sandbox and starts foo1 then foo2, both running (spec pod §3.2 rule 1)', async () => {
    const { runtime, manager, events } = harness();
    const pod = goPod([foo1, foo2]);
    const status = await manager.startPod(pod);
    expect(runtime.log).toEqual(['runPodSandbox foo (containers started: 0)']);
    expect(runtime.starts()).toEqual(['foo1', 'foo2']);
    expect(states(status)).toEqual([
      ['foo1', 'running'],
      ['foo2', 'running'],
    ]);
    // The events of each start, 1.35 texts (spec pod §4.6; image pulls are not modelled).
    expect(events.map((e) => [e.object.fieldPath, e.reason, e.message])).toEqual([
      ['spec.containers{foo1}', 'Created', 'Container created'],
      ['spec.containers{foo1}', 'Started', 'Container started'],
      ['spec.containers{foo2}', 'Created', 'Container created'],
      ['spec.containers{foo2}', 'Started', 'Container started'],
    ]);
  });

  it('TestOnPodSandboxReadyTiming: the sandbox exists before any container is created; finally 1 sandbox, 1 container (DESIGN §10)', async () => {
    const { runtime, manager } = harness();
    await manager.startPod(goPod([{ name: 'test-container', image: 'busybox' }]));
    expect(runtime.log).toEqual(['runPodSandbox foo (containers started: 0)']);
    expect(runtime.starts()).toEqual(['test-container']);
  });
});

describe('TestSyncPodWithInitContainers [KM] (spec pod §3.3)', () => {
  it('TestSyncPodWithInitContainers steps 1–3: only init1 starts; nothing while it runs; its exit 0 starts foo1 and foo2 (spec pod §3.3)', async () => {
    const { clock, runtime, manager } = harness();
    const pod = goPod([foo1, foo2], { initContainers: [init1] });
    void manager.startPod(pod);
    await clock.flush();
    // 1. "start only the init container"
    expect(runtime.starts()).toEqual(['init1']);
    expect(manager.podStatus(pod).initContainerStatuses.map((c) => Object.keys(c.state)[0])).toEqual(['running']);
    // 2. "init container still running; do nothing" (a kubelet resync is 1 min, spec pod §4.1)
    await clock.advance(60_000);
    expect(runtime.starts()).toEqual(['init1']);
    // 3. "init container completed; all app containers should be running"
    runtime.crash('init1', { exitCode: 0 });
    await clock.flush();
    expect(runtime.starts()).toEqual(['init1', 'foo1', 'foo2']);
    const status = manager.podStatus(pod);
    expect(status.initContainerStatuses[0]?.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(states(status)).toEqual([
      ['foo1', 'running'],
      ['foo2', 'running'],
    ]);
  });
});

describe('TestSyncPodNoEventsInSteadyState [KM] (spec pod §4.6)', () => {
  it('TestSyncPodNoEventsInSteadyState "simple pod": after the first sync, no further event while nothing changes', async () => {
    const { clock, manager, events } = harness();
    await manager.startPod(goPod([foo1]));
    const afterFirstSync = events.length;
    expect(afterFirstSync).toBeGreaterThan(0);
    await clock.advance(10 * 60_000);
    expect(events.slice(afterFirstSync)).toEqual([]);
  });
});

describe('TestKillPod / TestStopContainerWithNotFoundError [KM] (spec §4.1, §4.2-C)', () => {
  it('TestKillPod: killing the running pod leaves every container exited and the sandbox not ready (stopped)', async () => {
    const { clock, runtime, manager } = harness();
    const pod = goPod([
      { name: 'foo1', image: 'busybox' },
      { name: 'foo2', image: 'busybox' },
    ]);
    await manager.startPod(pod);
    const deleting = manager.deletePod(pod);
    await clock.runAll();
    await deleting;
    await clock.flush();
    expect(runtime.containers().map((c) => [c.ref.name, c.state])).toEqual([
      ['foo1', 'exited'],
      ['foo2', 'exited'],
    ]);
    expect(runtime.log.at(-1)).toBe('stopPodSandbox sb-1');
    expect(manager.podStatus(pod).conditions.find((c) => c.type === 'PodReadyToStartContainers')?.status).toBe('False');
  });

  it('TestStopContainerWithNotFoundError: a StopContainer error (NotFound) does not fail KillPod with grace 1 (DESIGN §6)', async () => {
    const { clock, runtime, manager } = harness();
    const pod = goPod([
      { name: 'foo1', image: 'busybox' },
      { name: 'foo2', image: 'busybox' },
    ]);
    await manager.startPod(pod);
    runtime.onStop('foo1', { reject: new Error('rpc error: code = NotFound desc = No such container') });
    const deleting = manager.deletePod(pod, { gracePeriodSeconds: 1 });
    await clock.advance(60_000);
    await expect(deleting).resolves.toBeDefined();
  });
});

describe('TestSyncPodWithSandboxAndDeletedPod [KM] (DESIGN §10 runPodSandbox)', () => {
  /** The sandbox call is pending when the pod is deleted; then it fails (CNI/CRI error of a deleted pod). */
  async function deletedWhileSandboxFails() {
    const h = harness();
    let fail: (error: Error) => void = () => undefined;
    h.runtime.sandboxResult = () => new Promise<PodSandbox>((_, reject) => (fail = reject));
    const pod = goPod([foo1]);
    const started = h.manager.startPod(pod);
    await h.clock.flush();
    const deleting = h.manager.deletePod(pod);
    fail(new Error('CNI failed: pod deleted'));
    await h.clock.advance(60_000);
    return { ...h, started, deleting };
  }

  it('TestSyncPodWithSandboxAndDeletedPod: the failed sandbox of a deleted pod is no error: no retry, no container started', async () => {
    const { runtime, started, deleting } = await deletedWhileSandboxFails();
    await expect(started).resolves.toBeDefined();
    await expect(deleting).resolves.toBeDefined();
    expect(runtime.log.filter((l) => l.startsWith('runPodSandbox'))).toHaveLength(1);
    expect(runtime.starts()).toEqual([]);
  });

  // SyncPod returns before recording FailedCreatePodSandBox when IsPodTerminationRequested.
  it('TestSyncPodWithSandboxAndDeletedPod: no FailedCreatePodSandBox event for a deleted pod ([KM] SyncPod step 4)', async () => {
    const { events } = await deletedWhileSandboxFails();
    expect(events.map((e) => e.reason)).toEqual([]);
  });
});

describe('TestDoBackOff [KM] (spec pod §4.2, §4.4, §4.5); NewFakeBackOff(1s, 1m)', () => {
  const backOff = { crashLoopBackOff: { initialSeconds: 1, maxSeconds: 60 } };
  const pod = () => goPod([{ name: 'foocontainer', image: 'busybox' }]);
  const backOffEvents = (events: KubeEvent[]) => events.filter((e) => e.reason === 'BackOff');

  it('TestDoBackOff "container running": a running container is not in back-off (no BackOff, no Waiting)', async () => {
    const { clock, manager, events } = harness(backOff);
    const p = pod();
    await manager.startPod(p);
    await clock.advance(5_000);
    expect(manager.podStatus(p).containerStatuses[0]?.state).toEqual({
      running: { startedAt: '1970-01-01T00:00:00Z' },
    });
    expect(backOffEvents(events)).toEqual([]);
  });

  it('TestDoBackOff "not in backoff": an exited container without a back-off entry starts at once (spec pod §4.2: first crash)', async () => {
    const { clock, runtime, manager, events } = harness(backOff);
    const p = pod();
    await manager.startPod(p);
    await clock.advance(5_000);
    runtime.crash('foocontainer', { exitCode: 1 });
    await clock.flush();
    expect(runtime.timeline.filter((t) => t.kind === 'start').map((t) => t.at)).toEqual([0, 5_000]);
    expect(manager.podStatus(p).containerStatuses[0]).toMatchObject({ restartCount: 1, state: { running: {} } });
    expect(backOffEvents(events)).toEqual([]);
  });

  it('TestDoBackOff "in backoff": after Next(key, FinishedAt) an exit at now is in back-off; BackoffError at FinishedAt + 1s; message and BackOff event (spec pod §4.3–§4.5)', async () => {
    const { clock, runtime, manager, events } = harness(backOff);
    const p = pod();
    await manager.startPod(p);
    runtime.crash('foocontainer', { exitCode: 1 }); // first exit: Next(key, FinishedAt=0), restart at once
    await clock.flush();
    await clock.advance(500);
    runtime.crash('foocontainer', { exitCode: 1 }); // FinishedAt = now = 500 ms: in back-off
    await clock.flush();
    expect(manager.podStatus(p).containerStatuses[0]?.state).toEqual({
      waiting: {
        reason: 'CrashLoopBackOff',
        message: 'back-off 1s restarting failed container=foocontainer pod=foo_new(12345678)',
      },
    });
    expect(backOffEvents(events).map((e) => [e.type, e.object.fieldPath, e.message])).toEqual([
      [
        'Warning',
        'spec.containers{foocontainer}',
        'Back-off restarting failed container foocontainer in pod foo_new(12345678)',
      ],
    ]);
    // The BackoffError carries FinishedAt + backoff: the pod is synced again then and restarts.
    await clock.advance(999);
    expect(runtime.timeline.filter((t) => t.kind === 'start')).toHaveLength(2);
    await clock.advance(1);
    expect(runtime.timeline.filter((t) => t.kind === 'start').map((t) => t.at)).toEqual([0, 0, 1_500]);
  });
});
