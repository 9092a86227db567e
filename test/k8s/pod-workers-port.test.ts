/**
 * Port of `pkg/kubelet/pod_workers_test.go` (kubernetes/kubernetes @0046548a79717c779ec04f5d078aecf80ad79c5e,
 * the stored copy with `allocation.NewInMemoryManager`, ≥1.34) against the 1.35-era `pod_workers.go`
 * (spec pod [PWK], id 181051880) — spec §4.1, §4.2-A/B, spec pod §3.2 rule 4, §5.1.
 *
 * Mapping. Go drives `podWorkers.UpdatePod` with update types and records what the pod syncer was
 * asked to do: `syncPod` (create/update), `syncTerminatingPod(gracePeriod)` (the kill),
 * `syncTerminatedPod` (the end). Here one pod worker per pod runs under `LifecycleManager`:
 * SyncPodCreate / SyncPodUpdate = `startPod` (a repeat is the same worker: updates are not applied,
 * docs/architecture.md "The path of a pod" item 4); SyncPodKill with a deletion = `deletePod`;
 * `syncPod` = the container starts; `syncTerminatingPod(g)` = `Killing` and the runtime stop with
 * `timeoutSeconds` g (no preStop, so the grace is the stop timeout, raised to 2, spec §4.2-C.7);
 * `syncTerminatedPod` = the pod is final: `stopPodSandbox` after the last exit and `waitForPod`
 * rejects with `ERR_POD_TERMINAL`. Go's `newNamedPod` has no container; the API server (which the
 * manager applies) requires one, so each pod gets `c` (busybox; SIGTERM ends it at once).
 *
 * Already ported elsewhere: Test_calculateEffectiveGracePeriod and the grace figures of TestUpdatePod
 * (kill-container-port.test.ts). No equivalent (skipped below): runtime-only pods (`RunningPod`),
 * static pods, the kubelet's config-source housekeeping (`SyncKnownPods`), eviction, kubelet restart.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/types.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import type { PodSandbox } from '../../src/ports/runtime.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

/** FakeRuntime with a pod sandbox per pod, logging `stopPodSandbox` (the end of `syncTerminatedPod`). */
class SandboxRuntime extends FakeRuntime {
  readonly sandboxStops: string[] = [];
  async runPodSandbox(pod: Pod): Promise<PodSandbox> {
    return { id: `sb-${pod.metadata?.uid}`, podIP: '10.0.0.1' };
  }
  async stopPodSandbox(id: string): Promise<void> {
    this.sandboxStops.push(id);
  }
}

function harness() {
  const clock = new VirtualClock();
  const runtime = new SandboxRuntime({ clock });
  const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock });
  const events: KubeEvent[] = [];
  manager.on('event', (e) => events.push(e));
  return { clock, runtime, manager, events };
}
type Harness = ReturnType<typeof harness>;

/** Go's `newNamedPod(uid, namespace, name, false)`: TGPS 30, plus the container `c`. */
function newNamedPod(uid: string, namespace: string, name: string, extra: Partial<Pod> = {}): Pod {
  return {
    ...extra,
    metadata: { uid, namespace, name, ...extra.metadata },
    spec: { terminationGracePeriodSeconds: 30, containers: [{ name: 'c', image: 'busybox' }], ...extra.spec },
  };
}

/** What the pod syncer was asked to do for `pod`, in Go's `syncPodRecord` words. */
function processed(h: Harness, pod: Pod): string[] {
  const name = pod.metadata?.name;
  const out: string[] = [];
  for (const t of h.runtime.timeline) {
    if (t.podName !== name) continue;
    if (t.kind === 'start') out.push('syncPod');
    if (t.kind === 'stop') out.push(`syncTerminatingPod(${t.timeoutSeconds})`);
  }
  if (h.runtime.sandboxStops.includes(`sb-${pod.metadata?.uid}`)) out.push('syncTerminatedPod');
  return out;
}

/** `IsPodKnownTerminated`: the worker is final (`waitForPod` of an unmet condition fails at once). */
async function knownTerminated(h: Harness, pod: Pod): Promise<boolean> {
  const never = () => false;
  const outcome = h.manager.waitForPod(pod, never, { timeoutMs: 0 }).then(
    () => 'met',
    (e: { code?: string }) => e.code,
  );
  await h.clock.advance(0); // fires the 0 ms timeout of a pod still live
  return (await outcome) === 'ERR_POD_TERMINAL';
}

describe('pod_workers_test.go TestUpdatePod (spec §4.1, §4.2-A)', () => {
  it('TestUpdatePod "a new pod is recorded and started": one syncPod, not terminating (spec pod §3.2 rule 1)', async () => {
    const h = harness();
    const pod = newNamedPod('1', 'ns', 'running-pod');
    const status = await h.manager.startPod(pod);
    await h.clock.advance(60_000);
    expect(status.phase).toBe('Running');
    expect(processed(h, pod)).toEqual(['syncPod']);
    expect(h.events.map((e) => e.reason)).not.toContain('Killing');
    expect(await knownTerminated(h, pod)).toBe(false);
  });

  it('TestUpdatePod "a new pod is recorded and started unless it is a duplicate of an existing terminating pod UID": the create during termination starts nothing; the kill keeps grace 30; finished', async () => {
    const h = harness();
    const pod = newNamedPod('1', 'ns', 'running-pod');
    await h.manager.startPod(pod);
    const killing = h.manager.deletePod(pod); // SyncPodKill, no override: TGPS 30
    const withLabel = { uid: '1', labels: { updated: 'value' } }; // ObjectMeta declares no labels
    const again = newNamedPod('1', 'ns', 'running-pod', { metadata: withLabel });
    await expect(h.manager.startPod(again)).resolves.toMatchObject({ phase: 'Running' }); // the same worker
    await h.clock.advance(60_000);
    await expect(killing).resolves.toMatchObject({ gracePeriodSeconds: 30 });
    expect(processed(h, pod)).toEqual(['syncPod', 'syncTerminatingPod(30)', 'syncTerminatedPod']);
    expect(await knownTerminated(h, pod)).toBe(true);
  });

  it.skip('TestUpdatePod "…duplicate of an existing terminating pod UID" restartRequested: after housekeeping purges the UID the kubelet restarts the pod — no equivalent: no config source re-adds a UID (static pods); a later startPod of the UID answers with the same, finished worker (spec §4.1)', () => {});

  it('TestUpdatePod "a running pod is terminated when an update contains a deletionTimestamp": syncTerminatingPod(15), then syncTerminatedPod (spec §4.2-A)', async () => {
    const h = harness();
    const pod = newNamedPod('1', 'ns', 'running-pod');
    await h.manager.startPod(pod);
    const killing = h.manager.deletePod(pod, { gracePeriodSeconds: 15 });
    await h.clock.advance(60_000);
    await expect(killing).resolves.toMatchObject({ gracePeriodSeconds: 15, deletionGracePeriodSeconds: 15 });
    expect(processed(h, pod)).toEqual(['syncPod', 'syncTerminatingPod(15)', 'syncTerminatedPod']);
    expect(await knownTerminated(h, pod)).toBe(true);
  });

  it.skip('TestUpdatePod "a running pod is terminated when an eviction is requested": no eviction API (KillPodOptions.Evict); its grace (30, no override) is pinned in kill-container-port.test.ts (spec §4.2-A)', () => {});

  // pod_workers.go UpdatePod ([PWK] id 181051880): "case pod.Status.Phase == v1.PodFailed,
  // pod.Status.Phase == v1.PodSucceeded: … "Pod is in a terminal phase (success/failed), begin
  // teardown" … status.terminatingAt = now; becameTerminating = true" — SyncPod never runs.
  it.skip('TestUpdatePod "a pod that is terminal and has never started must be terminated if the runtime does not have a cached terminal state": DIVERGENCE — startPod runs the containers of a pod whose status.phase is Succeeded; the kubelet starts nothing and terminates it (spec pod §5.1)', async () => {
    const h = harness();
    const pod = newNamedPod('1', 'ns', 'done-pod', { status: { phase: 'Succeeded' } });
    await h.manager.startPod(pod);
    await h.clock.advance(60_000);
    expect(processed(h, pod).filter((p) => p === 'syncPod')).toEqual([]);
    expect(h.manager.podStatus(pod).phase).toBe('Succeeded'); // a terminal phase is sticky
    expect(await knownTerminated(h, pod)).toBe(true);
  });

  it.skip('TestUpdatePod "a pod that is terminal and has never started advances to finished if the runtime has a cached terminal state": no equivalent — a kubelet restart with a runtime status cache (spec pod §1.2 ChangeContainerStatusOnKubeletRestart)', () => {});
  it.skip('TestUpdatePod "a new pod is recorded and started and running pod is ignored" / "an orphaned running pod we have not seen is marked terminating…" / "an orphaned running pod with a non-kill update type does nothing": no equivalent — runtime-only pods (RunningPod) found by housekeeping', () => {});

  // Source-derived, same switch: "case pod.DeletionTimestamp != nil: … "Pod is marked for graceful
  // deletion, begin teardown" … status.deleted = true; … becameTerminating = true".
  it.skip('pod_workers.go UpdatePod (source) "Pod is marked for graceful deletion, begin teardown": DIVERGENCE — startPod runs a pod first seen with metadata.deletionTimestamp; the kubelet only tears it down (spec §4.1)', async () => {
    const h = harness();
    const pod = newNamedPod('1', 'ns', 'deleted-pod', {
      metadata: { deletionTimestamp: '1970-01-01T00:00:00Z', deletionGracePeriodSeconds: 15 },
    });
    void h.manager.startPod(pod).catch(() => undefined);
    await h.clock.advance(60_000);
    expect(processed(h, pod).filter((p) => p === 'syncPod')).toEqual([]);
    expect(await knownTerminated(h, pod)).toBe(true);
  });
});

describe('pod_workers_test.go TestUpdatePodDoesNotForgetSyncPodKill (spec §4.1, §4.2-A)', () => {
  it('TestUpdatePodDoesNotForgetSyncPodKill: create, kill, update for 20 pods → [create?], kill with grace 30, terminated', async () => {
    const h = harness();
    const pods = Array.from({ length: 20 }, (_, i) => newNamedPod(String(i), 'ns', String(i)));
    const kills: Array<Promise<unknown>> = [];
    for (const pod of pods) {
      void h.manager.startPod(pod); // SyncPodCreate
      kills.push(h.manager.deletePod(pod)); // SyncPodKill
      void h.manager.startPod(pod); // SyncPodUpdate: the same worker, ignored once terminating
    }
    await h.clock.advance(60_000);
    for (const k of kills) await expect(k).resolves.toMatchObject({ gracePeriodSeconds: 30 });
    for (const pod of pods) {
      // "the pod worker may compress the create and kill": with no container started there is nothing to stop.
      expect([['syncTerminatedPod'], ['syncPod', 'syncTerminatingPod(30)', 'syncTerminatedPod']]).toContainEqual(
        processed(h, pod),
      );
      expect(await knownTerminated(h, pod)).toBe(true);
    }
  });
});

describe('pod_workers_test.go TestTerminalPhaseTransition (spec pod §3.2 rule 4, §5.1)', () => {
  it('TestTerminalPhaseTransition: running through two updates; a sync that finds the pod terminal moves it to terminating and terminated', async () => {
    const h = harness();
    const pod = newNamedPod('1', 'test1', 'pod1');
    pod.spec = { ...pod.spec, containers: pod.spec?.containers ?? [], restartPolicy: 'Never' };
    await h.manager.startPod(pod);
    expect(await knownTerminated(h, pod)).toBe(false);
    await h.manager.startPod(pod); // "send another update to the pod"
    await h.clock.advance(60_000);
    expect(await knownTerminated(h, pod)).toBe(false);
    expect(h.manager.podStatus(pod).phase).toBe('Running');
    h.runtime.crash('c', { exitCode: 0 }); // SetTerminal: the next sync computes Succeeded
    await h.clock.advance(1_000);
    expect(h.manager.podStatus(pod).phase).toBe('Succeeded');
    expect(processed(h, pod)).toEqual(['syncPod', 'syncTerminatedPod']); // nothing left running to kill
    expect(await knownTerminated(h, pod)).toBe(true);
  });
});

describe('pod_workers_test.go TestKillPodNowFunc (spec §4.2-A, §4.2-C.7)', () => {
  it('TestKillPodNowFunc: a kill with grace override 0 is processed as SyncPodKill (grace 1, stop timeout 2), then terminated', async () => {
    const h = harness();
    const pod = newNamedPod('test', 'ns', 'test');
    await h.manager.startPod(pod);
    // killPodNow's override 0 and a delete with grace 0 meet in calculateEffectiveGracePeriod: 0 → 1.
    const killing = h.manager.deletePod(pod, { gracePeriodSeconds: 0 });
    await h.clock.advance(60_000);
    await expect(killing).resolves.toMatchObject({ gracePeriodSeconds: 1 });
    expect(processed(h, pod)).toEqual(['syncPod', 'syncTerminatingPod(2)', 'syncTerminatedPod']);
    expect(h.manager.podStatus(pod).phase).toBe('Failed');
  });

  it.skip('TestKillPodNowFunc podStatusFn (Phase Failed, Reason "reason", Message "message"): no equivalent — no API sets a pod-level reason/message (eviction, preemption)', () => {});
});

describe('pod_workers_test.go, no equivalent', () => {
  it.skip('TestUpdatePodParallel: "PodWorker guarantees the last event will be processed" — updates are not applied: a worker keeps the pod copy it started with (docs/architecture.md); one UID never changes its name in the API', () => {});
  it.skip('TestUpdatePodForRuntimePod / TestUpdatePodForTerminatedRuntimePod: runtime-only pods (RunningPod)', () => {});
  it.skip('TestStaticPodExclusion / Test_allowPodStart: static pods (one started per full name)', () => {});
  it.skip('TestSyncKnownPods / Test_removeTerminatedWorker: config-source housekeeping (SyncKnownPods, orphans)', () => {});
  it.skip('TestFakePodWorkers: checks the kubelet tests’ own fakePodWorkers double', () => {});
});
