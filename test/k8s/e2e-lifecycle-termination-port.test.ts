/**
 * Port of the TERMINATION half of kubernetes/kubernetes test/e2e_node/container_lifecycle_test.go
 * ([E2EN]) onto `LifecycleManager` + FakeRuntime on a VirtualClock (virtual time only).
 *
 * Translation of the agnhost/busybox `ExecCommand` vocabulary:
 * - `Delay: n` on a regular container with restartPolicy Never → it exits by itself n s after it runs
 *   (`exitsAfter`); a long `Delay` (60/600) is "runs until stopped" (FakeRuntime's default).
 * - `TerminationSeconds: n, ExitCode: c` → `onStop(name, { exitDelayMs: n s, exitCode: c })`:
 *   the process handles SIGTERM, exits with c after n s; SIGKILL after the stop timeout gives 137.
 * - `sleep 10000` as PID 1 ignores SIGTERM → `onStop(name, { exitsOn: [] })`.
 * - a preStop `ExecCommand(Delay: n)` → an exec script with `delayMs: n s`; `LoopForever` → `hang`.
 * - `ExitsBefore(a, b)` → a's `exit` entry in the runtime timeline is earlier than b's;
 *   `TimeOfStart(PreStop-x)` → the time of the preStop `exec` entry;
 *   `expectPodTerminationContainerStatuses` → `podStatus(pod)` terminated exitCode/reason.
 */
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/api/types.js';
import { exitsAfter, podHarness, podOf } from '../manager/pod-harness.js';

type H = ReturnType<typeof podHarness>;

const preStop = (name: string): NonNullable<Container['lifecycle']> => ({
  preStop: { exec: { command: ['/bin/prestop', name] } },
});
const sidecar = (name: string, extra: Partial<Container> = {}): Container => ({
  name,
  image: 'busybox',
  restartPolicy: 'Always',
  ...extra,
});
const regular = (name: string, extra: Partial<Container> = {}): Container => ({ name, image: 'busybox', ...extra });

/** The preStop exec of `name` behaves as `script`. */
function onPreStop(h: H, name: string, script: Parameters<H['runtime']['onExec']>[1]): void {
  h.runtime.onExec((argv) => argv[0] === '/bin/prestop' && argv[1] === name, script);
}

const at = (h: H, kind: string, container: string): number =>
  h.runtime.timeline.find((e) => e.kind === kind && e.container === container)?.at ?? Number.NaN;
const exitOf = (h: H, c: string) => at(h, 'exit', c);
const preStopStart = (h: H, c: string) =>
  h.runtime.timeline.find((e) => e.kind === 'exec' && e.container === c && e.argv?.[0] === '/bin/prestop')?.at;
const preStopEnd = (h: H, c: string) =>
  h.runtime.timeline.find((e) => e.kind === 'exec-result' && e.container === c && e.argv?.[0] === '/bin/prestop')?.at;

/** `expectPodTerminationContainerStatuses`: name → [exitCode, reason]. */
function terminated(
  statuses: readonly { name: string; state: { terminated?: { exitCode: number; reason?: string } } }[],
) {
  return Object.fromEntries(statuses.map((s) => [s.name, [s.state.terminated?.exitCode, s.state.terminated?.reason]]));
}

/** Start the pod with startPod and run the clock until it is Running. */
async function running(h: H, pod: Pod): Promise<void> {
  const started = h.manager.startPod(pod);
  await h.clock.advance(1_000);
  expect((await started).phase).toBe('Running');
}

async function settle<T>(h: H, p: Promise<T>, maxMs = 10 * 60_000): Promise<T> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await h.clock.flush();
  while (!done && h.clock.pendingTimers > 0 && h.clock.now() < maxMs) await h.clock.next();
  return p;
}

const SC = ['restartable-init-1', 'restartable-init-2', 'restartable-init-3'] as const;

describe('[E2EN] "a pod cannot terminate gracefully" (spec §4.2-C.5, C.7, C.8)', () => {
  it('should respect termination grace period seconds: SIGTERM ignored → SIGKILL at TGPS 30 (< 30 + 30 s buffer)', async () => {
    const h = podHarness();
    h.runtime.onStop('regular1', { exitsOn: [] });
    const pod = podOf([regular('regular1')]);
    await running(h, pod);
    const t0 = h.clock.now();
    const result = await settle(h, h.manager.deletePod(pod));
    expect(result.containers[0]).toMatchObject({ stopTimeoutSeconds: 30 });
    expect(exitOf(h, 'regular1') - t0).toBe(30_000);
    expect(result.finishedAt - t0).toBeLessThan(60_000);
  });

  it('should respect termination grace period seconds with long-running preStop hook: preStop cut at 30 s, +2 s minimum', async () => {
    const h = podHarness();
    h.runtime.onStop('regular1', { exitsOn: [] });
    onPreStop(h, 'regular1', { hang: true });
    const pod = podOf([regular('regular1', { lifecycle: preStop('regular1') })]);
    await running(h, pod);
    const t0 = h.clock.now();
    const result = await settle(h, h.manager.deletePod(pod));
    expect(result.containers[0]).toMatchObject({ preStop: { outcome: 'timedOut' }, stopTimeoutSeconds: 2 });
    expect(exitOf(h, 'regular1') - t0).toBe(32_000);
    expect(result.finishedAt - t0).toBeLessThan(60_000);
  });
});

/** The pod of "A pod with restartable init containers is terminating": 3 sidecars + regular-1 (Delay 5). */
function serializePod(h: H, withPreStop: boolean): Pod {
  for (const s of SC) h.runtime.onStop(s, { exitDelayMs: 5_000, exitCode: 0 });
  exitsAfter(h, 'regular-1', 5_000, 0);
  return podOf([regular('regular-1')], {
    restartPolicy: 'Never',
    initContainers: SC.map((s) => sidecar(s, withPreStop ? { lifecycle: preStop(s) } : {})),
  });
}

describe('[E2EN] "A pod with restartable init containers is terminating" (spec §4.2-C.5, C.6)', () => {
  it('The containers exit successfully / should terminate sidecars in reverse order after all main containers have exited', async () => {
    const h = podHarness();
    const pod = serializePod(h, false);
    const started = h.manager.startPod(pod);
    const done = await settle(
      h,
      h.manager.waitForPod(pod, 'Succeeded').catch(() => h.manager.podStatus(pod)),
    );
    await started;
    expect(done.phase).toBe('Succeeded');
    expect(terminated(done.initContainerStatuses)).toEqual(Object.fromEntries(SC.map((s) => [s, [0, 'Completed']])));
    // main containers exit first, followed by sidecars in reverse order
    const [e1, e2, e3, r] = [...SC.map((s) => exitOf(h, s)), exitOf(h, 'regular-1')];
    expect(r).toBeLessThan(e3!);
    expect(e3).toBeLessThan(e2!);
    expect(e2).toBeLessThan(e1!);
  });

  // KillPod kills the sidecars together, as a deletion does (spec §4.2-B, C.6).
  it("The PreStop hooks don't exit / should terminate sidecars simultaneously if prestop doesn't exit (~32 s = 30 + 2)", async () => {
    const h = podHarness();
    const pod = serializePod(h, true);
    for (const s of SC) onPreStop(h, s, { hang: true });
    h.manager.startPod(pod);
    const done = await settle(
      h,
      h.manager.waitForPod(pod, 'Succeeded').catch(() => h.manager.podStatus(pod)),
    );
    // all restartable init containers are SIGKILLed with exit code 137
    expect(terminated(done.initContainerStatuses)).toEqual(Object.fromEntries(SC.map((s) => [s, [137, 'Error']])));
    const starts = SC.map((s) => preStopStart(h, s)!);
    const lasts = SC.map((s) => preStopEnd(h, s)!);
    // killed at the same time (Go toleration 1 s), each lived ~32 s (Go toleration 1.5 s)
    expect(Math.max(...lasts) - Math.min(...lasts)).toBeLessThanOrEqual(1_000);
    for (let i = 0; i < 3; i++) expect(Math.abs(lasts[i]! - starts[i]! - 32_000)).toBeLessThanOrEqual(1_500);
  });

  // The sidecars' preStops start together at 5 s (spec §4.2-B, C.6).
  it('the restartable init containers have multiple PreStop hooks / should call sidecar container PreStop hook simultaneously', async () => {
    const h = podHarness();
    const pod = serializePod(h, true);
    for (const s of SC) onPreStop(h, s, { exitCode: 0, delayMs: 1_000 });
    h.manager.startPod(pod);
    const done = await settle(
      h,
      h.manager.waitForPod(pod, 'Succeeded').catch(() => h.manager.podStatus(pod)),
    );
    expect(terminated(done.initContainerStatuses)).toEqual(Object.fromEntries(SC.map((s) => [s, [0, 'Completed']])));
    const [e1, e2, e3] = SC.map((s) => exitOf(h, s));
    expect(exitOf(h, 'regular-1')).toBeLessThan(e3!);
    expect(e3).toBeLessThan(e2!);
    expect(e2).toBeLessThan(e1!);
    const starts = SC.map((s) => preStopStart(h, s)!);
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThanOrEqual(1_000);
  });

  it('Restartable init containers are terminated during initialization / should not hang in termination (< grace 3 + 3 s)', async () => {
    const h = podHarness();
    h.runtime.onStop('start-init', { exitCode: 0 }); // TerminationSeconds 0
    for (const s of SC) onPreStop(h, s, { exitCode: 0, delayMs: 1_000 });
    const pod = podOf([regular('regular-1')], {
      restartPolicy: 'Never',
      initContainers: [regular('start-init'), ...SC.map((s) => sidecar(s, { lifecycle: preStop(s) }))],
    });
    void h.manager.startPod(pod).catch(() => undefined);
    await h.clock.advance(2_000);
    expect(h.manager.podStatus(pod).phase).toBe('Pending');
    const t0 = h.clock.now();
    const result = await settle(h, h.manager.deletePod(pod, { gracePeriodSeconds: 3 }));
    expect(result.finishedAt - t0).toBeLessThan(3_000 + 3_000);
    // no sidecar (nor the regular container) was ever started or waited on
    expect(h.runtime.timeline.filter((e) => e.kind === 'start').map((e) => e.container)).toEqual(['start-init']);
  });

  it('there is a non-started restartable init container / should terminate restartable init containers gracefully (< 1 + 60 s)', async () => {
    const h = podHarness();
    exitsAfter(h, 'init-1', 1_000, 0);
    h.runtime.onExec(['false'], { exitCode: 1 });
    for (const s of ['restartable-init-2', 'restartable-init-3', 'regular-1'])
      h.runtime.onStop(s, { exitDelayMs: 1_000, exitCode: 0 });
    const pod = podOf([regular('regular-1')], {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 180,
      initContainers: [
        regular('init-1'),
        sidecar('restartable-init-2', { startupProbe: { exec: { command: ['false'] }, failureThreshold: 600 } }),
        sidecar('restartable-init-3'),
      ],
    });
    void h.manager.startPod(pod).catch(() => undefined);
    await h.clock.advance(5_000);
    const st = h.manager.podStatus(pod);
    expect(st.phase).toBe('Pending');
    expect(st.initContainerStatuses[1]).toMatchObject({ started: false, state: { running: expect.anything() } });
    const t0 = h.clock.now();
    const result = await settle(h, h.manager.deletePod(pod, { gracePeriodSeconds: 180 }));
    expect(result.finishedAt - t0).toBeLessThan(61_000);
  });
});

/** The finalizer pods: 3 sidecars + regular-1, restartPolicy Never, deleted with grace = TGPS. */
async function deleteScenario(
  h: H,
  tgps: number,
  spec: Record<string, { termSeconds: number; exitCode?: number; preStopSeconds?: number; preStopExit?: number }>,
) {
  for (const [name, s] of Object.entries(spec)) {
    h.runtime.onStop(name, { exitDelayMs: s.termSeconds * 1_000, exitCode: s.exitCode ?? 0 });
    if (s.preStopSeconds !== undefined)
      onPreStop(h, name, { exitCode: s.preStopExit ?? 0, delayMs: s.preStopSeconds * 1_000 });
  }
  const withHook = (n: string) => (spec[n]?.preStopSeconds !== undefined ? { lifecycle: preStop(n) } : {});
  const pod = podOf([regular('regular-1', withHook('regular-1'))], {
    restartPolicy: 'Never',
    terminationGracePeriodSeconds: tgps,
    initContainers: SC.map((s) => sidecar(s, withHook(s))),
  });
  await running(h, pod);
  await settle(h, h.manager.deletePod(pod, { gracePeriodSeconds: tgps }));
  const st = h.manager.podStatus(pod);
  return { phase: st.phase, regular: terminated(st.containerStatuses), sidecars: terminated(st.initContainerStatuses) };
}

type Spec = Parameters<typeof deleteScenario>[2];
type Exit = [code: number, reason: string];
const OK: Exit = [0, 'Completed'];
const KILLED: Exit = [137, 'Error'];
const quick = { termSeconds: 1 };

/** [Go context / It, TGPS, per-container spec, phase, regular-1's exit, the sidecars' exits]. */
const finalizerCases: Array<[string, number, Spec, string, Exit, [Exit, Exit, Exit]]> = [
  [
    'The restartable init containers exit with non-zero exit code / should mark pod as succeeded',
    30,
    {
      'restartable-init-1': quick,
      'restartable-init-2': { termSeconds: 1, exitCode: 1 },
      'restartable-init-3': quick,
      'regular-1': quick,
    },
    'Succeeded',
    OK,
    [OK, [1, 'Error'], OK],
  ],
  [
    '... exit with non-zero exit code by prestop hook / should mark pod as succeeded (a failed preStop does not change the exit)',
    30,
    {
      'restartable-init-1': { termSeconds: 1, preStopSeconds: 1 },
      'restartable-init-2': { termSeconds: 1, preStopSeconds: 1, preStopExit: 1 },
      'restartable-init-3': { termSeconds: 1, preStopSeconds: 1 },
      'regular-1': quick,
    },
    'Succeeded',
    OK,
    [OK, OK, OK],
  ],
  [
    'The regular container has exceeded its termination grace period seconds / should mark pod as failed',
    5,
    {
      'restartable-init-1': { termSeconds: 20 },
      'restartable-init-2': quick,
      'restartable-init-3': { termSeconds: 20 },
      'regular-1': { termSeconds: 20 },
    },
    'Failed',
    KILLED,
    [KILLED, OK, KILLED],
  ],
  [
    'The restartable init containers have exceeded its termination grace period seconds / should mark pod as succeeded',
    5,
    {
      'restartable-init-1': quick,
      'restartable-init-2': { termSeconds: 20 },
      'restartable-init-3': quick,
      'regular-1': quick,
    },
    'Succeeded',
    OK,
    [OK, KILLED, OK],
  ],
  [
    'The regular containers have exceeded its termination grace period seconds by prestop hook / should mark pod as failed',
    5,
    {
      'restartable-init-1': quick,
      'restartable-init-2': { termSeconds: 20 },
      'restartable-init-3': quick,
      'regular-1': { termSeconds: 20, preStopSeconds: 20 },
    },
    'Failed',
    KILLED,
    [OK, KILLED, OK],
  ],
  [
    'The restartable init containers have exceeded its termination grace period seconds by prestop hook / should mark pod as succeeded',
    5,
    {
      'restartable-init-1': { termSeconds: 1, preStopSeconds: 1 },
      'restartable-init-2': { termSeconds: 20, preStopSeconds: 30 },
      'restartable-init-3': { termSeconds: 1, preStopSeconds: 1 },
      'regular-1': quick,
    },
    'Succeeded',
    OK,
    [OK, KILLED, OK],
  ],
];

describe('[E2EN] exit codes and phase after deletion (spec §4.2-C.5–C.8; spec pod phase)', () => {
  it.each(finalizerCases)('%s', async (_name, tgps, spec, phase, regularExit, sidecarExits) => {
    const r = await deleteScenario(podHarness(), tgps, spec);
    expect(r.phase).toBe(phase);
    expect(r.regular).toEqual({ 'regular-1': regularExit });
    expect(r.sidecars).toEqual(Object.fromEntries(SC.map((s, i) => [s, sidecarExits[i]])));
  });
});
