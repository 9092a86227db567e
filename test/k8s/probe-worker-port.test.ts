/**
 * Port of Kubernetes' own probe tests (spec pod §6.1, §5.3): `pkg/kubelet/prober/worker_test.go`
 * (kubernetes/kubernetes @632f162d, cases identical in the ktesting-era copy ≈1.33) against the
 * 1.35-era `worker.go` (spec [PRW]), and the behavioural tests of `prober_manager_test.go` (newest
 * stored copy, ≥1.36) against the 1.35 `prober_manager.go` (spec [PRM]).
 *
 * Mapping: Go calls `w.doProbe()` by hand on a pod with `restartPolicy: Never` and the probe
 * defaults of `setTestProbe` (period 1, success 1, failure 1). Here a `ContainerProbes` runs on a
 * VirtualClock: its first doProbe at creation (t=0), then one per 1 s tick. Go's results-manager
 * value is `probes.result(type)`; "continue" is a live worker. Manager-level cases go through
 * `LifecycleManager` with FakeRuntime, where a worker is seen by its exec probe calls.
 */
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/api/types.js';
import { INITIAL_PROBE_RESULTS, type ProbeResult, probeStatusOf } from '../../src/probes/probe-results.js';
import { PROBE_FIELDS, type ProbeSpec, type ProbeType } from '../../src/probes/probe-spec.js';
import { exitsAfter, podHarness, podOf } from '../manager/pod-harness.js';
import { type Harness, harness } from '../probes/harness.js';
import { makePod } from '../probes/helpers.js';

const TYPES: readonly ProbeType[] = ['liveness', 'readiness', 'startup'];
const [S, F, U] = ['Success', 'Failure', 'Unknown'] as const;
const GO_DEFAULTS = { periodSeconds: 1, successThreshold: 1, failureThreshold: 1 };
const goProbe = (spec: ProbeSpec = {}): ProbeSpec => ({ tcpSocket: { port: 80 }, ...GO_DEFAULTS, ...spec });

/** `newTestWorker`: one probe of `type`; `answer(n)` is the n-th probe's verdict. */
type WorkerOptions = { running?: boolean; deleting?: boolean };
function goWorker(type: ProbeType, spec: ProbeSpec, answer: (n: number) => boolean, o: WorkerOptions = {}): Harness {
  const container = { name: 'cOnTaInEr_NaMe', [PROBE_FIELDS[type]]: goProbe(spec) };
  const pod: Pod = makePod(container as Container, { restartPolicy: 'Never' });
  if (o.deleting) pod.metadata = { ...pod.metadata, deletionTimestamp: '1970-01-01T00:00:00Z' };
  let n = 0;
  const options = { podSpec: { restartPolicy: 'Never' }, startAtCreation: o.running ?? true, extra: { pod } };
  return harness(container, () => answer(n++), options);
}

const fresh = new WeakSet<Harness>();
/** `count` doProbe calls (the creation one first on a fresh worker), the cached result after each. */
async function doProbes(h: Harness, type: ProbeType, count: number): Promise<Array<ProbeResult | undefined>> {
  const seen: Array<ProbeResult | undefined> = [];
  for (let i = 0; i < count; i++) {
    await h.clock.advance(fresh.has(h) ? 1000 : 0);
    fresh.add(h);
    seen.push(h.probes.result(type));
  }
  return seen;
}

const exec = (command: string, extra = {}) => ({ exec: { command: [command] }, periodSeconds: 1, ...extra });
const execTimes = (h: ReturnType<typeof podHarness>, command: string): number[] =>
  h.runtime.timeline.filter((e) => e.kind === 'exec' && e.argv?.[0] === command).map((e) => e.at / 1000);

describe('worker_test.go TestDoProbe (spec pod §6.1 doProbe)', () => {
  for (const type of TYPES) {
    it(`TestDoProbe "No status" / "No container status" [${type}]: keeps going, sets nothing (spec pod §6.1 steps 1, 3)`, async () => {
      const h = goWorker(type, {}, () => true, { running: false });
      await h.clock.advance(3000);
      expect([h.attempts, h.results, h.probes.activeProbes]).toEqual([[], [], [type]]);
    });
    it(`TestDoProbe "Container waiting" [${type}]: Failure, keeps going (spec pod §6.1 step 6)`, async () => {
      const h = goWorker(type, {}, () => true, { running: false });
      h.start();
      h.probes.containerExited(); // not Terminated yet: the worker waits for the next instance
      await h.clock.advance(1000);
      expect([h.probes.result(type), h.probes.activeProbes]).toEqual([F, [type]]);
    });
    it(`TestDoProbe "Probe successful" / "Initial delay passed" (delay -100) [${type}]: Success, keeps going (spec pod §6.1 steps 8, 13)`, async () => {
      const h = goWorker(type, { initialDelaySeconds: -100 }, () => true);
      expect(await doProbes(h, type, 1)).toEqual([S]);
      expect(h.probes.activeProbes).toEqual([type]);
    });
    it(`TestDoProbe "Pod deletion" [${type}]: liveness/startup set Success and stop, readiness probes on (spec pod §6.1 step 7)`, async () => {
      const h = goWorker(type, {}, () => true, { deleting: true });
      await h.clock.advance(2000);
      expect(h.results.filter((r) => r.type === type && r.result === S).length).toBeGreaterThan(0);
      expect(h.probes.activeProbes).toEqual(type === 'readiness' ? [type] : []);
      expect(h.times(type)).toEqual(type === 'readiness' ? [0, 1, 2] : []);
    });
    it(`TestInitialDelay [${type}]: the initial value during initialDelaySeconds, Success after (spec pod §6.1 steps 4, 8)`, async () => {
      const h = goWorker(type, { initialDelaySeconds: 10 }, () => true);
      await h.clock.advance(9000);
      expect([h.attempts, h.probes.result(type)]).toEqual([[], INITIAL_PROBE_RESULTS[type]]);
      await h.clock.advance(1000);
      expect([h.times(type), h.probes.result(type)]).toEqual([[10], S]);
    });
    it(`TestCleanUp [${type}]: stop (called 10 times) ends the worker and clears its result (spec pod §6.1)`, async () => {
      const h = goWorker(type, {}, () => true);
      expect(await doProbes(h, type, 1)).toEqual([S]);
      for (let i = 0; i < 10; i++) h.probes.stop();
      expect([h.probes.result(type), h.probes.activeProbes, h.clock.pendingTimers]).toEqual([undefined, [], 0]);
    });
  }
  it('TestDoProbe "Container terminated" (Never pod, exit 0): that container\'s workers stop, all types (spec pod §6.1 step 6)', async () => {
    const h = podHarness();
    exitsAfter(h, 'app', 5500, 0);
    exitsAfter(h, 'boot', 5500, 0);
    h.runtime.onExec(['boot'], { exitCode: 1 });
    const app = { name: 'app', image: 'a', livenessProbe: exec('live'), readinessProbe: exec('ready') };
    const boot = { name: 'boot', image: 'b', startupProbe: exec('boot', { failureThreshold: 100 }) };
    const pod = podOf([app, boot, { name: 'other', image: 'c' }] as Container[], { restartPolicy: 'Never' });
    await h.manager.startPod(pod);
    await h.clock.advance(20_000);
    expect(h.manager.podStatus(pod).phase).toBe('Running');
    for (const command of ['live', 'ready', 'boot']) expect(execTimes(h, command).at(-1)).toBe(5);
    await h.manager.deletePod(pod, { gracePeriodSeconds: 0 });
  });
  it('TestDoProbe "Pod failed": no worker probes once the pod is Failed, a sidecar\'s included (spec pod §6.1 step 2)', async () => {
    const h = podHarness();
    exitsAfter(h, 'job', 3500, 1);
    const side = { name: 'side', image: 's', restartPolicy: 'Always', readinessProbe: exec('side-ready') };
    const pod = podOf([{ name: 'job', image: 'j' }], { restartPolicy: 'Never', initContainers: [side as Container] });
    await h.manager.startPod(pod);
    await h.clock.advance(20_000);
    const failedAt = h.statuses.find((s) => s.phase === 'Failed')?.at ?? Number.NaN;
    expect(failedAt).toBeGreaterThanOrEqual(3500);
    expect(execTimes(h, 'side-ready').length).toBeGreaterThan(2);
    expect(Math.max(...execTimes(h, 'side-ready'))).toBeLessThanOrEqual(failedAt / 1000);
  });
});

describe('worker_test.go thresholds and hold (spec pod §6.1 steps 11–13)', () => {
  it('TestFailureThreshold (readiness, success 1, failure 3): 2 failures keep Success, the 3rd publishes Failure; twice (spec pod §6.1 step 12)', async () => {
    const verdicts = [true, true, true, false, false, false, false, false];
    const h = goWorker('readiness', { failureThreshold: 3 }, (n) => verdicts[n % 8] ?? true);
    expect(await doProbes(h, 'readiness', 16)).toEqual([S, S, S, S, S, F, F, F, S, S, S, S, S, F, F, F]);
  });
  it('TestSuccessThreshold (readiness, success 3, failure 1): 2 successes keep Failure, the 3rd publishes Success; twice (spec pod §6.1 step 12)', async () => {
    const h = goWorker('readiness', { successThreshold: 3 }, (n) => n % 6 !== 5);
    expect(await doProbes(h, 'readiness', 12)).toEqual([F, F, S, S, S, F, F, F, S, S, S, F]);
  });
  it('TestStartupProbeSuccessThreshold: Success at once, then on hold (no further startup probe) (spec pod §6.1 step 13)', async () => {
    const h = goWorker('startup', { failureThreshold: 3 }, () => true);
    expect(await doProbes(h, 'startup', 3)).toEqual([S, S, S]);
    expect(h.times('startup')).toEqual([0]);
  });
  it('TestStartupProbeFailureThreshold: Unknown, Unknown, then Failure; on hold after it (and a StartupProbe kill) (spec pod §6.1 step 13)', async () => {
    const h = goWorker('startup', { failureThreshold: 3 }, () => false);
    expect(await doProbes(h, 'startup', 4)).toEqual([U, U, F, F]);
    expect(h.times('startup')).toEqual([0, 1, 2]);
    expect(h.kills.map((k) => [k.at, k.reason])).toEqual([[2000, 'StartupProbe']]);
  });
  for (const type of ['liveness', 'startup'] as const) {
    it(`TestOnHoldOnLivenessOrStartupCheckFailure [${type}]: on hold after the Failure; a new container ID lifts it (spec pod §6.1 steps 4, 5, 13)`, async () => {
      const h = goWorker(type, {}, (n) => n > 0);
      expect(await doProbes(h, type, 2)).toEqual([F, F]);
      expect(h.times(type)).toEqual([0]); // "while on hold": no probe at 1 s
      h.start('newCont_ID');
      expect(await doProbes(h, type, 1)).toEqual([S]);
      await h.clock.advance(2000);
      // liveness is no longer on hold; startup is on hold again after its Success
      expect(h.times(type)).toEqual(type === 'liveness' ? [0, 2, 3, 4] : [0, 2]);
    });
  }
  it('TestResultRunOnLivenessCheckFailure (success 1, failure 3): Success, 2 failures keep it, the 3rd fails; the count restarts at 0 (spec pod §6.1 step 13)', async () => {
    const h = goWorker('liveness', { failureThreshold: 3 }, (n) => n === 0);
    expect(await doProbes(h, 'liveness', 4)).toEqual([S, S, S, F]);
    expect(h.kills.map((k) => k.at)).toEqual([3000]);
    h.start(); // resultRun was reset: the new container gets 3 failures again
    await h.clock.advance(3000);
    expect(h.kills.map((k) => k.at)).toEqual([3000, 6000]);
  });
  it('TestResultRunOnStartupCheckFailure (success 1, failure 3): Unknown, Unknown, Failure; the count restarts at 0 (spec pod §6.1 step 13)', async () => {
    const h = goWorker('startup', { failureThreshold: 3 }, () => false);
    expect(await doProbes(h, 'startup', 3)).toEqual([U, U, F]);
    h.start();
    await h.clock.advance(3000);
    expect(h.kills.map((k) => k.at)).toEqual([2000, 5000]);
  });
  it('TestLivenessProbeDisabledByStarted: liveness does not run before started, then fails (spec pod §6.1 step 9)', async () => {
    const h = harness(
      { name: 'app', startupProbe: goProbe({ failureThreshold: 100 }), livenessProbe: goProbe() },
      (type, at) => type === 'startup' && at >= 3000,
      { podSpec: { restartPolicy: 'Never' }, startAtCreation: true },
    );
    await h.clock.advance(2000);
    expect([h.times('liveness'), h.probes.result('liveness')]).toEqual([[], S]);
    await h.clock.advance(2000);
    // startup passed at 3 s; its worker ticks before liveness at the same instant (spec pod §9 item 1)
    expect([h.times('liveness'), h.probes.result('liveness')]).toEqual([[3], F]);
  });
  it('TestStartupProbeDisabledByStarted (failure 2): Unknown, Success; once started a failing startup probe changes nothing (spec pod §6.1 steps 9, 13)', async () => {
    const h = goWorker('startup', { failureThreshold: 2 }, (n) => n !== 0 && n !== 2);
    expect(await doProbes(h, 'startup', 3)).toEqual([U, S, S]);
    expect(h.times('startup')).toEqual([0, 1]);
  });
});

describe('prober_manager_test.go (spec pod §6.1 "Which workers", §5.3)', () => {
  it('TestAddRemovePods: a worker per defined probe, none for containers without one, none once the pod is removed (spec pod §6.1 "Which workers")', async () => {
    const h = podHarness();
    const probe = (name: string) => (name.startsWith('probe') ? {} : { [`${name}Probe`]: exec(`${name}-cmd`) });
    const names = ['probe1', 'readiness', 'probe2', 'liveness', 'probe3', 'startup'];
    const pod = podOf(names.map((name) => ({ name, image: 'x', ...probe(name) }) as Container));
    await h.manager.startPod(pod);
    await h.clock.advance(3000);
    const execs = () => h.runtime.timeline.filter((e) => e.kind === 'exec');
    expect([...new Set(execs().map((e) => `${e.container}:${e.argv?.[0]}`))].sort()).toEqual([
      'liveness:liveness-cmd',
      'readiness:readiness-cmd',
      'startup:startup-cmd',
    ]);
    await h.manager.deletePod(pod, { gracePeriodSeconds: 0 });
    const before = execs().length;
    await h.clock.advance(10_000);
    expect(execs().length).toBe(before);
  });
  it('TestAddRemovePodsWithRestartableInitContainer "pod with sidecar": the sidecar gets all three workers (spec pod §6.1 "Which workers")', async () => {
    const h = podHarness();
    const side = { name: 'side', image: 's', restartPolicy: 'Always' };
    const probes = { livenessProbe: exec('l'), readinessProbe: exec('r'), startupProbe: exec('s') };
    const pod = podOf([{ name: 'main', image: 'm' }], {
      initContainers: [{ name: 'init', image: 'i' }, { ...side, ...probes } as Container],
    });
    exitsAfter(h, 'init', 0, 0);
    void h.manager.startPod(pod);
    await h.clock.advance(3000);
    expect(['s', 'r', 'l'].map((command) => execTimes(h, command).length > 0)).toEqual([true, true, true]);
    await h.manager.deletePod(pod, { gracePeriodSeconds: 0 });
  });
  it('TestAddRemovePodsWithRestartableInitContainer "pod without sidecar": no worker; probes on a regular init container are rejected at startPod, as by the API server (spec pod §2.2)', async () => {
    const h = podHarness();
    const init = { name: 'restartable-init', image: 'i', readinessProbe: exec('r') } as Container;
    const pod = podOf([{ name: 'main', image: 'm' }], { initContainers: [init] });
    await expect(h.manager.startPod(pod)).rejects.toMatchObject({ code: 'ERR_LIFECYCLE_SPEC' });
    expect(h.runtime.timeline).toEqual([]);
  });

  function stopScene() {
    const h = podHarness();
    const probes = (p: string) => ({ livenessProbe: exec(`${p}-live`), readinessProbe: exec(`${p}-ready`) });
    const side = { name: 'side', image: 's', restartPolicy: 'Always', ...probes('side') } as Container;
    const main = { name: 'main', image: 'm', lifecycle: { preStop: { sleep: { seconds: 5 } } }, ...probes('main') };
    const pod = podOf([main as Container], { initContainers: [side] });
    return { h, pod };
  }
  it('TestStopLivenessAndStartup (main container): deletion stops its liveness worker, readiness probes on through preStop (spec pod §6.1 step 7)', async () => {
    const { h, pod } = stopScene();
    await h.manager.startPod(pod);
    await h.clock.advance(10_000);
    void h.manager.deletePod(pod);
    await h.clock.advance(4500);
    expect(execTimes(h, 'main-live').at(-1)).toBe(10);
    expect(execTimes(h, 'main-ready').filter((t) => t > 10)).toEqual([11, 12, 13, 14]);
  });
  it.skip('TestStopLivenessAndStartup (sidecar): newer (≥1.36) test stops sidecar liveness too; 1.35 StopLivenessAndStartup walks Spec.Containers only (spec pod §6.1 step 7)', async () => {
    const { h, pod } = stopScene();
    await h.manager.startPod(pod);
    await h.clock.advance(10_000);
    void h.manager.deletePod(pod);
    await h.clock.advance(4500);
    expect(execTimes(h, 'side-live').filter((t) => t > 10)).toEqual([]);
  });
  it('TestUpdatePodStatus: ready = started and running and (readiness Success, or no readiness worker) (spec pod §5.3)', () => {
    const cases: Array<[string, boolean, ProbeType[], Partial<Record<ProbeType, ProbeResult>>, boolean]> = [
      ['unprobed_container', true, ['liveness'], {}, true],
      ['probed_container_ready', true, ['readiness'], { readiness: S }, true],
      ['probed_container_pending', true, ['readiness'], {}, false],
      ['probed_container_unready', true, ['readiness'], { readiness: F }, false],
      ['not_started_container_no_readiness', true, ['startup'], {}, false],
      ['started_container_no_readiness', true, ['startup'], { startup: S }, true],
      ['terminated_container', false, ['readiness'], { readiness: S }, false],
    ];
    for (const [name, running, workers, results, ready] of cases) {
      const status = probeStatusOf(running, new Set(workers), new Map(Object.entries(results)) as never);
      expect([name, status.ready]).toEqual([name, ready]);
    }
  });
  it('TestUpdatePodStatusWithInitContainers "init container with Always restartPolicy": started and ready of sidecars (spec pod §5.3)', () => {
    const of = (running: boolean, results: Array<[ProbeType, ProbeResult]>) =>
      probeStatusOf(running, new Set<ProbeType>(['startup']), new Map(results));
    expect(of(true, [])).toEqual({ started: false, ready: false }); // not_started_container
    expect(of(true, [['startup', S]])).toEqual({ started: true, ready: true }); // started_container
    expect(of(false, [['startup', S]])).toEqual({ started: false, ready: false }); // terminated_container
  });
  it('TestUpdatePodStatusWithInitContainers "init containers": a regular init container is ready once it exited 0 (spec pod §5.3)', async () => {
    const h = podHarness();
    exitsAfter(h, 'init', 1000, 0);
    const pod = podOf([{ name: 'app', image: 'a' }], { initContainers: [{ name: 'init', image: 'i' }] });
    void h.manager.startPod(pod);
    await h.clock.advance(500);
    expect(h.manager.podStatus(pod).initContainerStatuses[0]).toMatchObject({ ready: false, started: true });
    await h.clock.advance(1000);
    expect(h.manager.podStatus(pod).initContainerStatuses[0]).toMatchObject({ ready: true, started: false });
  });
  it('TestUpdateReadiness: ready while the readiness probe passes, not ready once it fails (spec pod §5.3)', async () => {
    const h = podHarness();
    h.runtime.onExec(['ready'], { exitCode: 0 }, { times: 3 }).onExec(['ready'], { exitCode: 1 });
    const pod = podOf([
      { name: 'app', image: 'a', readinessProbe: exec('ready', { failureThreshold: 1 }) } as Container,
    ]);
    await h.manager.startPod(pod);
    await h.clock.advance(1500);
    expect(h.manager.podStatus(pod).containerStatuses[0]?.ready).toBe(true);
    await h.clock.advance(3000);
    expect(h.manager.podStatus(pod).containerStatuses[0]?.ready).toBe(false);
    await h.manager.deletePod(pod, { gracePeriodSeconds: 0 });
  });
});
