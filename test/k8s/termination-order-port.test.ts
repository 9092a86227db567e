/**
 * Port of kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_termination_order_test.go
 * @7ed318129ff57a0e1d0834010a0aabd9b03adddd ([KTOT]) onto the manager's observable behaviour.
 *
 * The Go tests drive `terminationOrdering` directly: goroutines call `waitForTurn(name, grace)`,
 * "terminate" after a sleep, then call `containerTerminated(name)`; the assertion is the
 * truncated seconds each `waitForTurn` returned. In the kubelet that value is subtracted from the
 * grace handed to CRI StopContainer (`killContainer`, [KC]: `gracePeriod -= int64(waitForTurn(…))`),
 * and `containerTerminated` follows a successful StopContainer. Here the same pods are deleted
 * through `LifecycleManager.deletePod`; a container's "time to terminate" is a FakeRuntime stop
 * script (`exitDelayMs`), and the Go delay shows as the virtual time of the sidecar's stop call,
 * its `orderingWaitMs`, and `stopTimeoutSeconds = grace - floor(delay)` (min 2).
 */
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/api/types.js';
import { setup } from '../support/manager-harness.js';

type Env = ReturnType<typeof setup>;

const sidecar = (name: string, extra: Partial<Container> = {}): Container => ({
  name,
  image: 'busybox',
  restartPolicy: 'Always',
  ...extra,
});
const regular = (name: string, extra: Partial<Container> = {}): Container => ({
  name,
  image: 'busybox',
  ...extra,
});

/** The Go tests' pod: UID 12345678, name bar, namespace new. */
function goPod(initContainers: Container[], containers: Container[], tgps?: number): Pod {
  return {
    metadata: { uid: '12345678', name: 'bar', namespace: 'new' },
    spec: { initContainers, containers, ...(tgps !== undefined ? { terminationGracePeriodSeconds: tgps } : {}) },
    status: { podIP: '10.0.0.7' },
  };
}

/** Start every container, sidecars first (the kubelet's start order, spec pod §3). */
async function startAll(env: Env, pod: Pod): Promise<void> {
  env.track(pod);
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    await env.settle(env.manager.startContainer(pod, c.name));
  }
}

/** Every stop call handed to the runtime: [container, virtual ms, timeoutSeconds]. */
const stops = (env: Env) =>
  env.runtime.timeline.filter((t) => t.kind === 'stop').map((t) => [t.container, t.at, t.timeoutSeconds]);

describe('kuberuntime_termination_order_test.go [KTOT] (spec §4.2-C.6)', () => {
  it('TestTerminationOrderingSidecarStopAfterMain: the sidecar waits 1 s for main, main does not wait (spec §4.2-C.6)', async () => {
    const env = setup();
    // Go: main sleeps 1 s between its turn and containerTerminated("main").
    env.runtime.onStop('main', { exitDelayMs: 1_000 });
    const pod = goPod([sidecar('init')], [regular('main')]);
    await startAll(env, pod);

    const result = await env.settle(env.manager.deletePod(pod));

    // sidecarWaitDelay == 1, mainWaitDelay == 0; the delay is charged against the 30 s grace.
    expect(stops(env)).toEqual([
      ['main', 0, 30],
      ['init', 1_000, 29],
    ]);
    expect(result.containers.map((c) => [c.container, c.orderingWaitMs])).toEqual([
      ['init', 1_000],
      ['main', 0],
    ]);
  });

  it('TestTerminationOrderingSidecarsInReverseOrder: sc1 = 3, sc2 = 2, sc3 = 1, main = 0 (spec §4.2-C.6)', async () => {
    const env = setup();
    // Go: every container sleeps 1.25 s between its turn and containerTerminated.
    for (const name of ['sc1', 'sc2', 'sc3', 'main']) env.runtime.onStop(name, { exitDelayMs: 1_250 });
    const pod = goPod([sidecar('sc1'), sidecar('sc2'), sidecar('sc3')], [regular('main')]);
    await startAll(env, pod);

    const result = await env.settle(env.manager.deletePod(pod));

    // Turns at 0, 1.25, 2.5, 3.75 s; int64() truncation gives 0, 1, 2, 3 charged seconds.
    expect(stops(env)).toEqual([
      ['main', 0, 30],
      ['sc3', 1_250, 29],
      ['sc2', 2_500, 28],
      ['sc1', 3_750, 27],
    ]);
    expect(Object.fromEntries(result.containers.map((c) => [c.container, c.orderingWaitMs]))).toEqual({
      sc1: 3_750,
      sc2: 2_500,
      sc3: 1_250,
      main: 0,
    });
  });

  it('TestTerminationOrderingObeysGrace: with a 2 s grace sc1 = 2, sc2 = 2, sc3 = 1, main = 0 (spec §4.2-C.6, C.7)', async () => {
    const env = setup();
    // Go: waitForTurn(name, 2), then a 1 s sleep before containerTerminated.
    for (const name of ['sc1', 'sc2', 'sc3', 'main']) env.runtime.onStop(name, { exitDelayMs: 1_000 });
    const pod = goPod([sidecar('sc1'), sidecar('sc2'), sidecar('sc3')], [regular('main')]);
    await startAll(env, pod);

    // The pod worker's effective grace (2) is the override every kill starts from (spec §4.2-A/B).
    const result = await env.settle(env.manager.deletePod(pod, { gracePeriodSeconds: 2 }));

    expect(result.gracePeriodSeconds).toBe(2);
    // sc1 is cut by the grace at 2 s although sc2 has not terminated yet (it does at 3 s);
    // every remaining grace (2, 1, 0, 0) is raised to the 2 s minimum (spec §4.2-C.7).
    // (sc1 and sc2 both go at 2 s; Go leaves their relative order to the scheduler.)
    expect(new Map(stops(env).map(([name, at, timeout]) => [name, [at, timeout]]))).toEqual(
      new Map([
        ['main', [0, 2]],
        ['sc3', [1_000, 2]],
        ['sc2', [2_000, 2]],
        ['sc1', [2_000, 2]],
      ]),
    );
    expect(Object.fromEntries(result.containers.map((c) => [c.container, c.orderingWaitMs]))).toEqual({
      sc1: 2_000,
      sc2: 2_000,
      sc3: 1_000,
      main: 0,
    });
  });
});

/**
 * Read from the source, no Go unit test case: `newTerminationOrdering` ([KTO]) pre-closes the
 * channel of every container that is not running; `killContainer` ([KC]) charges
 * `int64(preStop elapsed)`, then calls `waitForTurn(name, gracePeriod)` with what is left (its
 * timer starts when the wait starts), and calls `containerTerminated` only after StopContainer.
 */
describe('source-derived: newTerminationOrdering, killContainer + waitForTurn [KTO], [KC] (spec §4.2-C.5–7)', () => {
  it('[KTO] newTerminationOrdering: containers not running do not hold a sidecar back (spec §4.2-B, C.6)', async () => {
    // newTerminationOrdering pre-closes the channel of every container not in the running list.
    const env = setup();
    env.runtime.onStop('main', { exitDelayMs: 1_000 });
    const pod = goPod([sidecar('sc1'), sidecar('sc2')], [regular('main'), regular('never-started')]);
    env.track(pod);
    for (const name of ['sc1', 'main']) await env.settle(env.manager.startContainer(pod, name));

    const result = await env.settle(env.manager.deletePod(pod));

    // sc1 waits for main (1 s) only: neither sc2 nor never-started was running.
    expect(stops(env)).toEqual([
      ['main', 0, 30],
      ['sc1', 1_000, 29],
    ]);
    expect(result.containers.map((c) => [c.container, c.outcome])).toEqual([
      ['sc1', 'stopped'],
      ['sc2', 'notRunning'],
      ['main', 'stopped'],
      ['never-started', 'notRunning'],
    ]);
  });

  it('[KC] killContainer: whole-second preStop: 30 - floor(2 s preStop) - floor(5 s turn) = 23 (spec §4.2-C.5, C.6)', async () => {
    const env = setup();
    env.runtime.onStop('main', { exitDelayMs: 7_000 });
    const pod = goPod([sidecar('sc', { lifecycle: { preStop: { sleep: { seconds: 2 } } } })], [regular('main')]);
    await startAll(env, pod);

    const result = await env.settle(env.manager.deletePod(pod));

    expect(stops(env)).toEqual([
      ['main', 0, 30],
      ['sc', 7_000, 23],
    ]);
    expect(result.containers[0]).toMatchObject({ preStop: { outcome: 'succeeded', elapsedMs: 2_000 } });
    expect(result.containers[0]).toMatchObject({ orderingWaitMs: 5_000 });
  });

  it('[KC] killContainer: after a 1.5 s preStop, waitForTurn(9) times out at 10.5 s, not 10 s (spec §4.2-C.6)', async () => {
    // Go: preStop 1.5 s → g = 10 - 1 = 9; waitForTurn(sc, 9) times out 9 s after it started,
    // at 10.5 s; g = 9 - 9 = 0 → 2.
    const env = setup();
    env.runtime.onExec(['/drain'], { exitCode: 0, delayMs: 1_500 });
    env.runtime.onStop('main', { exitsOn: [] });
    const pod = goPod(
      [sidecar('sc', { lifecycle: { preStop: { exec: { command: ['/drain'] } } } })],
      [regular('main', { lifecycle: { preStop: { sleep: { seconds: 20 } } } })],
    );
    await startAll(env, pod);

    await env.settle(env.manager.deletePod(pod, { gracePeriodSeconds: 10 }));

    // main: preStop cut at 10 s, remaining 0 → 2; SIGKILL at 12 s.
    expect(stops(env)).toEqual([
      ['main', 10_000, 2],
      ['sc', 10_500, 2],
    ]);
  });

  it('[KC] killContainer: a main container exiting during its sleep preStop releases sidecars when its kill ends (spec §4.2-C.6, C.9)', async () => {
    // Go: containerTerminated("main") follows StopContainer, which follows executePreStopHook; the
    // sleep handler runs on a context nobody cancels (k/k#113606), so main's kill ends at 20 s.
    const env = setup();
    const pod = goPod([sidecar('sc')], [regular('main', { lifecycle: { preStop: { sleep: { seconds: 20 } } } })]);
    await startAll(env, pod);

    const deleted = env.manager.deletePod(pod);
    env.runtime.crash('main', { afterMs: 5_000, exitCode: 0 });
    const result = await env.settle(deleted);

    // main's preStop runs its 20 s; its StopContainer (a no-op on an exited container) follows;
    // only then does the sidecar's stop signal go out: 30 - floor(20 s turn) = 10 s left.
    expect(stops(env)).toEqual([
      ['main', 20_000, 10],
      ['sc', 20_000, 10],
    ]);
    expect(result.containers.map((c) => [c.container, c.orderingWaitMs, c.exitedAt])).toEqual([
      ['sc', 20_000, 20_000],
      ['main', 0, 5_000],
    ]);
  });
});
