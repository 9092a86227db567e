/**
 * Port of the pod deletion / termination e2e cases onto `LifecycleManager` + FakeRuntime on a
 * VirtualClock (virtual time only), from kubernetes/kubernetes:
 * - `test/e2e/common/node/pods.go` ("Pods": submitted and removed, delete a collection);
 * - `test/e2e/node/pods.go` @0031095a44d9130c6f695565085401f41b25a39a ("Pods Extended": Delete Grace
 *   Period, Pod Container Status, Pod Container lifecycle, negative grace period);
 * - `test/e2e_node/terminate_pods_test.go` @0b1b0b4f166fa05dcc401558022d8cb1a5b89871.
 * Not termination cases, left out: QOS class, pod generation, env vars, websockets, status patch.
 *
 * Translation: a watch event is a published `podStatus` (the watch's `DeletionTimestamp` is set
 * once `deletePod` was called); "removed from the API" is `deletePod` resolving. busybox
 * `/bin/false` exits 1 as soon as it runs; `sleep` as PID 1 ignores SIGTERM; agnhost and nginx
 * exit on it. `createAndTestPodRepeatedly(3 workers, 15 iterations)` runs 3 pods at once in one
 * manager for 5 rounds, with delays spread over the Go ranges instead of `rand`. The clock starts
 * at 2025-01-01 so a real start time is never the Unix epoch the verifier rejects. The health
 * probe case found that a probe kill published the killed container Terminated before its
 * restart, and the negative grace case that TGPS -1 was kept: both fixed.
 */
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../src/api/defaulting.js';
import type { PodContainerStatus, PodStatus } from '../../src/api/pod-status.js';
import type { Container, Pod } from '../../src/api/types.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import type { PodSandbox } from '../../src/ports/runtime.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { drive } from './e2e-drive.js';

const S = 1_000;
const EPOCH = '1970-01-01T00:00:00Z';

class SandboxRuntime extends FakeRuntime {
  readonly sandboxes: string[] = [];
  async runPodSandbox(pod: Pod): Promise<PodSandbox> {
    this.sandboxes.push(pod.metadata?.name ?? '');
    return { id: `sb-${pod.metadata?.name}`, podIP: `10.244.0.${this.sandboxes.length + 10}` };
  }
  async stopPodSandbox(): Promise<void> {}
}

/** Every published status of every pod, with whether the pod had been deleted (the watch's DeletionTimestamp). */
function harness() {
  const clock = new VirtualClock({ startAt: Date.UTC(2025, 0, 1) });
  const runtime = new SandboxRuntime({ clock });
  const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock });
  const deleted = new Set<string>();
  const watch = new Map<string, Array<{ status: PodStatus; deleted: boolean }>>();
  const events: KubeEvent[] = [];
  manager.on('event', (e) => events.push(e));
  manager.on('podStatus', (pod, status) => {
    const name = pod.metadata?.name ?? '';
    watch.set(name, [...(watch.get(name) ?? []), { status, deleted: deleted.has(name) }]);
  });
  const remove = (pod: Pod, options = {}) => {
    deleted.add(pod.metadata?.name ?? '');
    return manager.deletePod(pod, options);
  };
  return { clock, runtime, manager, watch, events, remove };
}
type H = ReturnType<typeof harness>;

const pod = (name: string, spec: Pod['spec']): Pod => ({
  metadata: { name, namespace: 'pods', uid: `uid-${name}` },
  spec,
});
const bb = (name: string, command: string[], extra: Partial<Container> = {}): Container => ({
  name,
  image: 'busybox',
  command,
  ...extra,
});

/** `startPod` + `WaitForPodNameRunningInNamespace`. */
async function running(h: H, p: Pod): Promise<void> {
  expect((await drive(h, h.manager.startPod(p), 5 * 60 * S)).phase).toBe('Running');
}

/** A run of `name` exits with `code` as soon as it runs (busybox `/bin/false`, `/bin/true`). */
function exits(h: H, name: string, code: number): void {
  h.manager.on('step', (st) => {
    if (st.kind === 'running' && st.container === name) h.runtime.crash(`${st.pod.name}/${name}`, { exitCode: code });
  });
}

const find = (s: PodStatus, name: string): PodContainerStatus | undefined =>
  [...s.initContainerStatuses, ...s.containerStatuses].find((c) => c.name === name);

/** `verifyFinal` on the last event. */
function verifyFinal(last: PodStatus, terminal: boolean, hasRunning: boolean, waitCreated: boolean): string[] {
  const errs: string[] = [];
  const names = last.containerStatuses.filter((c) => c.state.running).map((c) => c.name);
  if (!terminal && names.length > 0) errs.push(`no terminal phase before being deleted, running: ${names}`);
  else if (!terminal && last.phase !== 'Pending' && waitCreated)
    errs.push(`not Pending but no running containers: ${last.phase}`);
  if (hasRunning) errs.push('had running or unknown container status before being deleted');
  return errs;
}

/** `podStartVerifier` (Verify on every event, stop at the first error, then VerifyFinal). */
function verifyStart(events: Array<{ status: PodStatus }>, waitCreated: boolean, withInit: boolean): string[] {
  const v = { init: false, containers: false, terminated: false, running: false, terminal: false };
  const verify = (s: PodStatus): string | undefined => {
    if (withInit) {
      if (s.initContainerStatuses.length === 0) return v.init ? 'incorrect init containers' : undefined;
      v.init = true;
      if (s.initContainerStatuses.length !== 1) return 'incorrect init containers';
    } else if (s.initContainerStatuses.length !== 0) return 'incorrect init containers';
    if (s.containerStatuses.length === 0) return v.containers ? 'incorrect containers' : undefined;
    v.containers = true;
    if (s.containerStatuses.length !== 1) return 'incorrect containers';
    const blocked = find(s, 'blocked');
    if (blocked && (blocked.started || blocked.lastState.terminated || !blocked.state.waiting))
      return 'should not have started the blocked container';
    const status = find(s, 'fail');
    if (!status) return 'incorrect containers';
    const t = status.state.terminated;
    if (v.terminated && (status.state.waiting || status.state.running)) return 'was terminated and then changed state';
    if (v.terminated && !t) return 'was terminated and then had termination cleared';
    v.running = !status.state.waiting && !t;
    if (t) {
      v.terminated = true;
      const killed = t.exitCode === 137 && (t.reason === 'ContainerStatusUnknown' || t.reason === 'Error');
      const canceled = /context canceled|signal: killed/.test(t.message ?? '');
      if (!waitCreated && t.exitCode === 128 && t.reason === 'StartError' && canceled) return undefined;
      if (t.exitCode !== 1 && !killed) return `container unexpected exit code ${t.exitCode} reason=${t.reason}`;
      if (t.finishedAt && (!t.startedAt || t.startedAt === EPOCH)) return 'had finish time but not start time';
    }
    if (s.phase === 'Failed' || s.phase === 'Succeeded') v.terminal = true;
    else if (v.terminal) return 'was in a terminal phase and then reverted';
    return undefined;
  };
  for (const { status } of events) {
    const err = verify(status);
    if (err) return [err];
  }
  return verifyFinal(events[events.length - 1]!.status, v.terminal, v.running, waitCreated);
}

/** `podDeleteVerifier` (container "normal", restarted by a failing probe, then deleted). */
function verifyDelete(events: Array<{ status: PodStatus; deleted: boolean }>): string[] {
  const v = { containers: false, terminated: false, running: false, terminal: false };
  for (const { status: s, deleted } of events) {
    if (s.containerStatuses.length === 0) {
      if (v.containers) return ['incorrect containers'];
      continue;
    }
    v.containers = true;
    const status = s.containerStatuses.length === 1 ? find(s, 'normal') : undefined;
    if (!status) return ['incorrect containers'];
    const t = status.state.terminated;
    if (!v.terminated && t && s.phase !== 'Failed') return [`incorrect containers: Terminated in phase ${s.phase}`];
    if (v.terminated && (status.state.waiting || status.state.running || !t)) return ['terminated and then changed'];
    v.running = !status.state.waiting && !t;
    v.terminated ||= t !== undefined;
    if (t && !(deleted && t.exitCode === 137 && t.reason === 'Error')) return [`unexpected exit code ${t.exitCode}`];
    if (s.phase === 'Failed' || s.phase === 'Succeeded') v.terminal = true;
    else if (v.terminal) return ['was in a terminal phase and then reverted'];
  }
  return verifyFinal(events[events.length - 1]!.status, v.terminal, v.running, true);
}

/** `podFastDeleteScenario.Pod`: TGPS 1, restartPolicy Never, `fail` runs /bin/false. */
const fastDeletePod = (name: string, init: boolean): Pod =>
  pod(name, {
    restartPolicy: 'Never',
    terminationGracePeriodSeconds: 1,
    ...(init
      ? { initContainers: [bb('fail', ['/bin/false'])], containers: [bb('blocked', ['/bin/true'])] }
      : { containers: [bb('fail', ['/bin/false'])] }),
  });

/** `createAndTestPodRepeatedly(3, rounds, podFastDeleteScenario{…})`: no verifier error for any pod. */
async function fastDeleteRounds(opts: { waitCreated: boolean; init?: boolean; delayMs?: number }, rounds = 5) {
  const h = harness();
  const sleep = (ms: number) => new Promise<void>((r) => h.clock.setTimeout(r, ms)); // the workers' time.Sleep
  exits(h, 'fail', 1);
  exits(h, 'blocked', 0);
  const errors: Record<string, string[]> = {};
  const worker = async (w: number, round: number) => {
    const p = fastDeletePod(`pod-terminate-status-${w}-${round}`, opts.init === true);
    const name = p.metadata?.name ?? '';
    h.runtime.onStart('fail', { delayMs: ((w + round) % 4) * 400 }, { podName: name, times: 1 }); // pull + create
    void h.manager.startPod(p).catch(() => undefined);
    // Eventually(phase != Pending).WithPolling(50ms).WithTimeout(1m)
    if (opts.waitCreated)
      for (let t = 0; h.manager.podStatus(p).phase === 'Pending' && t < 60 * S; t += 50) await sleep(50);
    if (opts.delayMs) await sleep((((w * 5 + round * 3) % 8) * opts.delayMs) / 8); // rand.Intn(delayMs)
    await h.remove(p); // Delete(…, DeleteOptions{}), then the watch's Deleted event
    await sleep(S);
    errors[name] = verifyStart(h.watch.get(name) ?? [], opts.waitCreated, opts.init === true);
  };
  for (let round = 0; round < rounds; round++) await drive(h, Promise.all([0, 1, 2].map((w) => worker(w, round))));
  expect(Object.values(errors).flat()).toEqual([]);
  expect(Object.keys(errors)).toHaveLength(3 * rounds);
}

describe('[sig-node] Pods (test/e2e/common/node/pods.go)', () => {
  it('should be submitted and removed [NodeConformance] [Conformance]: deleted gracefully (30), within DefaultPodDeletionTimeout (spec §4.1, §4.2-A)', async () => {
    const h = harness();
    const p = pod('pod-submit-remove', { containers: [{ name: 'nginx', image: 'nginx' }] });
    await running(h, p); // else "the deletion may be carried out immediately rather than gracefully"
    const t0 = h.clock.now();
    const lastPod = await drive(h, h.remove(p, { gracePeriodSeconds: 30 }));
    expect(lastPod.finishedAt - t0).toBeLessThanOrEqual(3 * 60 * S);
    // lastPod.DeletionTimestamp != nil (now + 30 s: graceful, not immediate); spec TGPS != 0
    expect(lastPod).toMatchObject({ deletionGracePeriodSeconds: 30, gracePeriodSeconds: 30 });
    expect(applyDefaults(p).spec?.terminationGracePeriodSeconds).toBe(30);
    expect(h.watch.get('pod-submit-remove')?.at(-1)?.deleted).toBe(true);
  });

  it('should delete a collection of pods [Conformance]: 3 pods, DeleteCollection(grace 1), all gone within PodDelete (spec §4.1, §4.2-A, C.7)', async () => {
    const h = harness();
    const names = ['test-pod-1', 'test-pod-2', 'test-pod-3'];
    const spec = {
      terminationGracePeriodSeconds: 1,
      restartPolicy: 'Never',
      containers: [{ name: 'token-test', image: 'agnhost' }],
    };
    const pods = names.map((n) => pod(n, spec));
    for (const p of pods) await running(h, p); // WaitForPodsRunningReady(3)
    const t0 = h.clock.now();
    const results = await drive(h, Promise.all(pods.map((p) => h.remove(p, { gracePeriodSeconds: 1 }))));
    for (const r of results) {
      expect(r).toMatchObject({ deletionGracePeriodSeconds: 1, gracePeriodSeconds: 1 });
      expect(r.containers[0]).toMatchObject({ outcome: 'stopped', stopTimeoutSeconds: 2 });
      expect(r.finishedAt - t0).toBeLessThanOrEqual(5 * 60 * S); // f.Timeouts.PodDelete
    }
    for (const n of names) expect(h.runtime.container(`${n}/token-test`)?.state).toBe('exited');
  });

  it.skip('should run through the lifecycle of Pods and PodStatus [Conformance] (spec §4.1): API patch/UpdateStatus of Ready conditions; its DeleteCollection(grace 1) is the collection case above', () => {});
});

describe('[sig-node] Pods Extended (test/e2e/node/pods.go)', () => {
  it('Delete Grace Period should be submitted and removed: graceful 30, gone from the kubelet within 3x grace (spec §4.1, §4.2-A)', async () => {
    const h = harness();
    const p = pod('pod-submit-remove', { containers: [{ name: 'agnhost', image: 'agnhost', args: ['pause'] }] });
    await running(h, p);
    const t0 = h.clock.now();
    const lastPod = await drive(h, h.remove(p, { gracePeriodSeconds: 30 })); // RESTClient Delete, 200 OK
    expect(lastPod).toMatchObject({ deletionGracePeriodSeconds: 30, gracePeriodSeconds: 30 });
    expect(lastPod.finishedAt - t0).toBeLessThanOrEqual(3 * 30 * S); // wait.Poll(5s, 30s*3)
  });

  it.each([
    ['should never report success for a pending container', { waitCreated: true }],
    ['should never report container start when an init container fails', { waitCreated: true, init: true }],
    ['should report StartError for pod removal (deleted 0–2 s after creation)', { waitCreated: false, delayMs: 2_000 }],
  ])('Pod Container Status %s (spec §3.7; spec pod §5.1, §5.3)', async (_name, opts) => {
    await fastDeleteRounds(opts);
  });

  it('Pod Container Status should not return an error when any health probe fails: no status shows the killed container Terminated while the pod runs, it is restarted in the killing sync (spec pod §3.2, §5.1, §6.1)', async () => {
    const h = harness();
    h.runtime.onExec(['/bin/false'], { exitCode: 1 });
    h.runtime.onStop('normal', { exitsOn: [] }); // `sleep 1800` as PID 1
    const errors: string[] = [];
    for (let round = 0; round < 3; round++) {
      // podDelayDeleteScenario.Pod: restartPolicy Always, TGPS 1, startupProbe /bin/false (threshold 1, period 1, TGPS 1)
      const probe = { exec: { command: ['/bin/false'] }, failureThreshold: 1, periodSeconds: 1 };
      const p = pod(`pod-terminate-status-0-${round}`, {
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 1,
        containers: [bb('normal', ['sleep', '1800'], { startupProbe: { ...probe, terminationGracePeriodSeconds: 1 } })],
      });
      void h.manager.startPod(p).catch(() => undefined);
      // Eventually(restartCount == 1).WithPolling(100ms).WithTimeout(3m)
      for (let t = 0; h.manager.podStatus(p).containerStatuses[0]?.restartCount !== 1 && t < 3 * 60 * S; t += 100)
        await h.clock.advance(100);
      await drive(h, h.remove(p));
      await h.clock.advance(S);
      errors.push(...verifyDelete(h.watch.get(p.metadata!.name!) ?? []));
    }
    expect(errors).toEqual([]);
  });

  it('Pod Container lifecycle should not create extra sandbox if all containers are done (spec pod §3, §4.1)', async () => {
    const h = harness();
    exits(h, 'foo', 0);
    exits(h, 'bar', 0);
    const p = pod('pod-always-succeed', {
      restartPolicy: 'OnFailure',
      initContainers: [bb('foo', ['/bin/true'])],
      containers: [bb('bar', ['/bin/true'])],
    });
    void h.manager.startPod(p).catch(() => undefined);
    const done = await drive(h, h.manager.waitForPod(p, 'Succeeded', { timeoutMs: 5 * 60 * S }));
    expect(done.phase).toBe('Succeeded'); // WaitForPodSuccessInNamespace
    await h.clock.advance(60 * S);
    const about = h.events.filter((e) => (e.object.podName ?? e.object.name) === 'pod-always-succeed');
    expect(about.length).toBeGreaterThan(0);
    expect(about.filter((e) => e.reason === 'SandboxChanged')).toEqual([]);
    expect(h.runtime.sandboxes).toEqual(['pod-always-succeed']); // one sandbox, never re-created
    await drive(h, h.remove(p)); // DeferCleanup
  });

  it.skip('Pod Container lifecycle evicted pods should be terminal (spec §4.2-A kill override): ephemeral-storage limits and eviction are not modelled', () => {});

  it('Pod TerminationGracePeriodSeconds is negative / pod with negative grace period: TGPS -1 is stored as 1, so a kill outside a delete runs preStop with 1 s (spec §1.1, §4.2-C.1, C.5)', async () => {
    const h = harness();
    h.runtime.onExec(['/bin/poststart-fails'], { exitCode: 1 });
    // The Go pod (busybox `sleep 10000`, TGPS -1), given hooks to show what the kubelet reads.
    const hook = (command: string) => ({ exec: { command: [command] } });
    const lifecycle = { postStart: hook('/bin/poststart-fails'), preStop: hook('/bin/true') };
    const p = pod('pod-negative-grace-period', {
      restartPolicy: 'OnFailure',
      terminationGracePeriodSeconds: -1,
      containers: [bb('foo', ['/bin/sh', '-c', 'sleep 10000'], { lifecycle })],
    });
    // podClient.Create, then Get: `*pod.Spec.TerminationGracePeriodSeconds != 1` fails the test
    expect(applyDefaults(p).spec?.terminationGracePeriodSeconds).toBe(1);
    // setTerminationGracePeriod reads that TGPS: a kill that is not a delete (here the one after a
    // failed postStart) gets 1 s, so preStop runs (`gracePeriod > 0`), then the 2 s minimum.
    const started = await drive(h, h.manager.startContainer(p, 'foo'));
    const kill = { gracePeriodSeconds: 1, preStop: { outcome: 'succeeded' }, stopTimeoutSeconds: 2 };
    expect(started.kill).toMatchObject(kill);
  });
});

describe('[sig-node] Terminate Pods (test/e2e_node/terminate_pods_test.go)', () => {
  it.skip('should not hang when terminating pods mounting non-existent volumes (spec §4.1): no volumes here (the kubelet cancels WaitForAttachAndMount when the pod becomes terminating)', () => {});
  it.skip('when kubelet restarts and there is a terminating pod should finish terminating (spec §4.2-C.2): static-pod manifests and kubelet restarts are not modelled', () => {});
});
