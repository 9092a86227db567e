/**
 * Port of the sleep half of Kubernetes' e2e `test/e2e/common/node/lifecycle_hook.go` ([E2E]):
 * "Lifecycle Sleep Hook", "Lifecycle sleep action zero value" and "[Feature:ContainerStopSignals]",
 * in virtual time. Source: kubernetes/kubernetes @008b3652959ca58af8be3fb5b6ecfe9ae7638282 (≥1.34:
 * the sleep cases are conformance "Release v1.34", no `[Feature:PodLifecycleSleepAction*]` tag),
 * plus the 1.29–1.33 revision of the sleep cases @8921bcdb70d8b3cc58dde1c47adfd68650219e25.
 * The exec/http hook cases are in e2e-lifecycle-hook-port.test.ts.
 *
 * Gates at 1.35 defaults: PodLifecycleSleepAction and PodLifecycleSleepActionAllowZero GA and
 * locked (spec §1.2), so no option is set for them. ContainerStopSignals is alpha (off in 1.35);
 * its Go test runs only `WithFeatureGate`, so that case turns it on.
 *
 * Mapping: `pause` runs until SIGTERM (FakeRuntime's default); busybox `sh -c "sleep 3"` /
 * `"exit 0"` exits by itself (`exitsAfter`). CreateSync = `startPod` until Running; Delete =
 * `deletePod`; DeleteSync = `deletePod` until it returns, within `f.Timeouts.PodDelete` (5 min).
 * `deletionTimestamp` (delete time + grace) and `finishedAt` are whole seconds, as `metav1.Time`
 * reads them from the API. Not modelled: the `test/finalizer` finalizer (it only keeps the pod
 * readable after deletion; `podStatus` stays readable here), `MustMixinRestrictedPodSecurity`
 * (no securityContext in the model).
 */
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/api/types.js';
import { exitsAfter, podHarness } from '../manager/pod-harness.js';
import { createSync, drive } from './e2e-drive.js';

type H = ReturnType<typeof podHarness>;
const S = 1_000;
const PAUSE = 'registry.k8s.io/pause:3.10';
const BUSYBOX = 'registry.k8s.io/e2e-test-images/busybox:1.37.0-1';
const POD_DELETE_TIMEOUT = 5 * 60 * S;
const NAME = 'pod-with-prestop-sleep-hook';

/** `podClient.Create` of a pod whose container exits by itself. */
function create(h: H, pod: Pod): void {
  void h.manager.startPod(pod).catch(() => undefined);
}

/** `e2epod.WaitForContainerTerminated` on the first container, within `timeoutMs`. */
async function waitForContainerTerminated(h: H, pod: Pod, timeoutMs: number) {
  const terminated = () => h.manager.podStatus(pod).containerStatuses[0]?.state.terminated;
  const end = h.clock.now() + timeoutMs;
  while (terminated() === undefined && h.clock.now() < end) await h.clock.advance(S);
  expect(terminated(), 'container terminated in time').toBeDefined();
  return terminated()!;
}

/** `validDuration(d, low, high)`: low s ≤ d ≤ high s. */
function expectValidDuration(ms: number, low: number, high: number) {
  expect(ms).toBeGreaterThanOrEqual(low * S);
  expect(ms).toBeLessThanOrEqual(high * S);
}

/** `getPodWithHook(name, image, preStop sleep)`, TGPS `tgps` (unset = the API default 30). */
function sleepPod(name: string, seconds: number, tgps?: number, extra: Partial<Container> = {}): Pod {
  const image = extra.command ? BUSYBOX : PAUSE;
  const container: Container = { name, image, lifecycle: { preStop: { sleep: { seconds } } }, ...extra };
  return {
    metadata: { name, namespace: 'e2e', uid: `uid-${name}` },
    spec: {
      containers: [container],
      ...(tgps === undefined ? {} : { terminationGracePeriodSeconds: tgps }),
      ...(extra.command ? { restartPolicy: 'Never' } : {}),
    },
  };
}

describe('[E2E] Lifecycle Sleep Hook / when create a pod with lifecycle hook using sleep action (spec §4.1, §4.2-C.5, §5.3)', () => {
  /** Delete, read deletionTimestamp, wait for the container; sleep_duration = finishAt − deletionTS + grace. */
  async function sleepDuration(sleepSeconds: number, tgps: number, deleteGrace?: number) {
    const h = podHarness();
    const pod = sleepPod(NAME, sleepSeconds, tgps);
    await createSync(h, pod);
    const grace = deleteGrace ?? tgps;
    const deleting = h.manager.deletePod(pod, deleteGrace === undefined ? {} : { gracePeriodSeconds: deleteGrace });
    const deletionTS = Math.floor((h.clock.now() + grace * S) / S) * S;
    const terminated = await waitForContainerTerminated(h, pod, sleepSeconds * 2 * S);
    const result = await drive(h, deleting);
    expect(result.deletionGracePeriodSeconds).toBe(grace);
    return { sleepDuration: Date.parse(terminated.finishedAt!) - deletionTS + grace * S, kill: result.containers[0] };
  }

  it('valid prestop hook using sleep action: sleep 50, TGPS 100, delete → 50 s ≤ sleep_duration ≤ 100 s (§4.2-C.5)', async () => {
    const { sleepDuration: d, kill } = await sleepDuration(50, 100);
    expectValidDuration(d, 50, 100);
    expect(kill).toMatchObject({ preStop: { outcome: 'succeeded', elapsedMs: 50 * S }, stopTimeoutSeconds: 50 });
  });

  it('reduce GracePeriodSeconds during runtime: sleep 50, TGPS 100, delete with 30 → 30 s ≤ sleep_duration ≤ 50 s (§4.1, §4.2-C.4/C.5, §4.2-F.5)', async () => {
    const { sleepDuration: d, kill } = await sleepDuration(50, 100, 30);
    expectValidDuration(d, 30, 50);
    // The kubelet: override 30 bounds the preStop wait, then g = 30 − 30 → minimum 2 (§4.2-C.7).
    expect(kill).toMatchObject({ preStop: { outcome: 'timedOut', elapsedMs: 30 * S }, stopTimeoutSeconds: 2 });
  });

  it('ignore terminated container: `sleep 3` exits by itself (Never) → finishedAt − startedAt ≤ 10 s; the deferred delete runs no preStop (§4.2-B, §5.3)', async () => {
    const h = podHarness();
    exitsAfter(h, NAME, 3 * S, 0);
    const pod = sleepPod(NAME, 10, 30, { command: ['/bin/sh'], args: ['-c', 'sleep 3'] });
    create(h, pod);
    const terminated = await waitForContainerTerminated(h, pod, 30 * S);
    expectValidDuration(Date.parse(terminated.finishedAt!) - Date.parse(terminated.startedAt!), 0, 10);
    // defer podClient.DeleteSync(…, f.Timeouts.PodDelete)
    const t0 = h.clock.now();
    const result = await drive(h, h.manager.deletePod(pod), POD_DELETE_TIMEOUT);
    expect(result.finishedAt - t0).toBeLessThanOrEqual(POD_DELETE_TIMEOUT);
    expect(result.containers[0]).toMatchObject({ outcome: 'notRunning', preStop: { outcome: 'skipped' } });
  });
});

describe('[E2E] [Feature:PodLifecycleSleepAction] 1.29–1.33 revision (@8921bcdb): cost = Delete → DeleteSync returns (spec §4.2-C.5, §5.3)', () => {
  it.each<[string, number, number | undefined, number, number]>([
    ['valid prestop hook using sleep action: sleep 5, default TGPS 30 → 5 s ≤ cost ≤ 30 s', 5, undefined, 5, 30],
    ['reduce GracePeriodSeconds during runtime: sleep 15, delete with 2 → 2 s ≤ cost ≤ 15 s', 15, 2, 2, 15],
  ])('%s', async (_name, seconds, deleteGrace, low, high) => {
    const h = podHarness();
    const pod = sleepPod(NAME, seconds);
    await createSync(h, pod);
    const t0 = h.clock.now();
    const options = deleteGrace === undefined ? {} : { gracePeriodSeconds: deleteGrace };
    const result = await drive(h, h.manager.deletePod(pod, options), POD_DELETE_TIMEOUT);
    expectValidDuration(result.finishedAt - t0, low, high);
  });

  it('ignore terminated container: `exit 0` (Never), wait terminated, DeleteSync → 0 s ≤ cost ≤ 15 s', async () => {
    const h = podHarness();
    exitsAfter(h, NAME, 0, 0);
    const pod = sleepPod(NAME, 20, undefined, { command: ['/bin/sh'], args: ['-c', 'exit 0'] });
    create(h, pod);
    await waitForContainerTerminated(h, pod, 3 * 60 * S);
    const t0 = h.clock.now();
    const result = await drive(h, h.manager.deletePod(pod), POD_DELETE_TIMEOUT);
    expectValidDuration(result.finishedAt - t0, 0, 15);
  });
});

describe('[E2E] Lifecycle sleep action zero value (PodLifecycleSleepActionAllowZero GA in 1.34; spec §1.2, §2 rule 5, §5.3)', () => {
  it('when create a pod with lifecycle hook using sleep action with a duration of zero seconds / prestop hook using sleep action with zero duration: accepted, 0 s ≤ cost ≤ 30 s', async () => {
    const h = podHarness();
    const pod = sleepPod('pod-with-prestop-sleep-hook-zero-duration', 0);
    await createSync(h, pod); // the API server accepts seconds: 0 (validation in startPod)
    const t0 = h.clock.now();
    const result = await drive(h, h.manager.deletePod(pod), POD_DELETE_TIMEOUT);
    expectValidDuration(result.finishedAt - t0, 0, 30);
    expect(result.containers[0]?.preStop.outcome).toBe('succeeded');
  });
});

describe('[E2E] [Feature:ContainerStopSignals] WithFeatureGate(ContainerStopSignals) (spec §1.1, §2 rule 9, §4.2-D)', () => {
  it('when create a pod with a StopSignal lifecycle / StopSignal defined with pod.OS: the pod runs', async () => {
    const h = podHarness({ featureGates: { ContainerStopSignals: true } });
    const pod: Pod = {
      metadata: { name: 'pod-x7k2q', namespace: 'e2e', uid: 'uid-stop-signal' },
      spec: {
        os: { name: 'linux' },
        containers: [{ name: 'test', image: PAUSE, lifecycle: { stopSignal: 'SIGTERM' } }],
      },
    };
    const status = await createSync(h, pod); // WaitForPodRunningInNamespace
    expect(status.containerStatuses[0]?.state.running).toBeDefined();
  });
});
