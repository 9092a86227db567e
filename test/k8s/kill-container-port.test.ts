/**
 * Port of the kill-path cases of kubernetes/kubernetes
 * - pkg/kubelet/kuberuntime/kuberuntime_container_test.go ([KCT]): TestKillContainer,
 *   TestKillContainerGracePeriod, TestLifeCycleHook, TestLifeCycleHookForRestartableInitContainer;
 * - pkg/kubelet/pod_workers_test.go ([PWT]): Test_calculateEffectiveGracePeriod and the grace
 *   periods TestUpdatePod pins.
 *
 * Go calls `killContainer`/`startContainer`/`setTerminationGracePeriod`/`calculateEffectiveGracePeriod`
 * directly. Here each case is pinned twice where the architecture allows: on the pure function
 * that reproduces the Go one (`containerBaseGrace`, `effectiveGracePeriod`), and on what the
 * manager does (exec/HTTP calls, `Killing`, the grace and the timeout handed to the runtime's stop).
 */
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/api/types.js';
import { UnknownContainerError } from '../../src/errors.js';
import { containerBaseGrace, effectiveGracePeriod, type KillReason } from '../../src/grace/kill-grace.js';
import { RecordingHttpClient, setup } from '../support/manager-harness.js';

type Env = ReturnType<typeof setup>;

const stops = (env: Env) =>
  env.runtime.timeline.filter((t) => t.kind === 'stop').map((t) => [t.container, t.at, t.timeoutSeconds]);
const execs = (env: Env) => env.runtime.timeline.filter((t) => t.kind === 'exec').map((t) => t.argv);

describe('TestKillContainer [KCT] (spec §4.2-C.2)', () => {
  it('TestKillContainer "Failed to find container in pods, expect to return error"', async () => {
    const env = setup();
    // Go's "empty_container" is not a valid container name (RFC 1123 label) and the manager
    // validates every pod as the API server does: the declared container is "empty-container".
    const pod: Pod = {
      metadata: { uid: 'pod1_id', name: 'pod1', namespace: 'default' },
      spec: { containers: [{ name: 'empty-container', image: 'busybox' }] },
    };
    await expect(
      env.manager.stopContainer(pod, 'not_exist_container', { gracePeriodOverride: 0, message: 'unknown reason' }),
    ).rejects.toBeInstanceOf(UnknownContainerError);
    expect(env.runtime.timeline).toEqual([]);
  });
});

// TestKillContainerGracePeriod: shortGracePeriod 10, mediumGracePeriod 30, longGracePeriod 60.
const SHORT = 10;
const MEDIUM = 30;
const LONG = 60;
interface GraceCase {
  readonly name: string;
  readonly tgps?: number;
  readonly startup?: number;
  readonly liveness?: number;
  readonly reason: KillReason;
  readonly expected: number;
}
/** [name, pod TGPS, startup probe TGPS, liveness probe TGPS, kill reason, expected grace]. */
type GraceRow = [string, number | undefined, number | undefined, number | undefined, KillReason, number];
const rows: GraceRow[] = [
  ['default termination grace period', undefined, undefined, undefined, 'Unknown', 2],
  ['use pod termination grace period', LONG, undefined, undefined, 'Unknown', LONG],
  ['liveness probe overrides pod termination grace period', LONG, undefined, SHORT, 'LivenessProbe', SHORT],
  ['startup probe overrides pod termination grace period', LONG, SHORT, undefined, 'StartupProbe', SHORT],
  [
    'startup probe overrides pod termination grace period, probe period > pod period',
    SHORT,
    LONG,
    undefined,
    'StartupProbe',
    LONG,
  ],
  [
    'liveness probe overrides pod termination grace period, probe period > pod period',
    SHORT,
    undefined,
    LONG,
    'LivenessProbe',
    LONG,
  ],
  ['non-liveness probe failure, use pod termination grace period', LONG, undefined, SHORT, 'Unknown', LONG],
  ['non-startup probe failure, use pod termination grace period', LONG, SHORT, undefined, 'Unknown', LONG],
  ['all three grace periods set, use pod termination grace period', LONG, SHORT, MEDIUM, 'Unknown', LONG],
  ['all three grace periods set, use startup termination grace period', LONG, SHORT, MEDIUM, 'StartupProbe', SHORT],
  ['all three grace periods set, use liveness termination grace period', LONG, SHORT, MEDIUM, 'LivenessProbe', MEDIUM],
];
const graceCases: readonly GraceCase[] = rows.map(([name, tgps, startup, liveness, reason, expected]) => ({
  name,
  reason,
  expected,
  ...(tgps !== undefined ? { tgps } : {}),
  ...(startup !== undefined ? { startup } : {}),
  ...(liveness !== undefined ? { liveness } : {}),
}));

/** The case's container `foo`; probes get an exec handler, which the API server requires. */
function graceContainer(c: GraceCase): Container {
  const probe = (seconds: number) => ({ exec: { command: ['true'] }, terminationGracePeriodSeconds: seconds });
  return {
    name: 'foo',
    image: 'busybox',
    ...(c.startup !== undefined ? { startupProbe: probe(c.startup) } : {}),
    ...(c.liveness !== undefined ? { livenessProbe: probe(c.liveness) } : {}),
  };
}
function gracePod(c: GraceCase): Pod {
  return {
    metadata: { uid: 'uid-grace', name: 'grace', namespace: 'default' },
    spec: {
      containers: [graceContainer(c)],
      ...(c.tgps !== undefined ? { terminationGracePeriodSeconds: c.tgps } : {}),
    },
  };
}

describe('TestKillContainerGracePeriod [KCT] — setTerminationGracePeriod (spec §4.2-C.1)', () => {
  it.each(graceCases)('TestKillContainerGracePeriod "$name": containerBaseGrace = $expected', (c) => {
    expect(containerBaseGrace(gracePod(c), graceContainer(c), c.reason)).toBe(c.expected);
  });

  // Through the manager: no preStop, so the grace is the timeout handed to the runtime. A pod
  // without TGPS cannot reach the kill path: the manager applies API defaulting first (TGPS 30).
  it.each(graceCases.filter((c) => c.tgps !== undefined))(
    'TestKillContainerGracePeriod "$name": stopContainer({ reason: $reason }) stops with $expected s',
    async (c) => {
      const env = setup();
      const pod = gracePod(c);
      env.track(pod);
      await env.settle(env.manager.startContainer(pod, 'foo'));
      const result = await env.settle(env.manager.stopContainer(pod, 'foo', { reason: c.reason }));
      expect(result).toMatchObject({ gracePeriodSeconds: c.expected, stopTimeoutSeconds: c.expected });
      expect(stops(env)).toEqual([['foo', 0, c.expected]]);
    },
  );
});

// testLifeCycleHook: PostStart exec PostStartCMD; PreStop httpGet testHost.com/GracefulExit:80;
// PreStop exec PreStopCMD; killContainer(pod, "foo", message "testKill", override 30).
const cmdPostStart: Container['lifecycle'] = { postStart: { exec: { command: ['PostStartCMD'] } } };
const httpLifeCycle: Container['lifecycle'] = {
  preStop: { httpGet: { host: 'testHost.com', path: '/GracefulExit', port: 80 } },
};
const cmdLifeCycle: Container['lifecycle'] = { preStop: { exec: { command: ['PreStopCMD'] } } };

const foo = (lifecycle: Container['lifecycle'], extra: Partial<Container> = {}): Container => ({
  name: 'foo',
  image: 'busybox',
  command: ['testCommand'],
  workingDir: 'testWorkingDir',
  ...(lifecycle !== undefined ? { lifecycle } : {}),
  ...extra,
});

/**
 * TestLifeCycleHook: `foo` is the pod's container. TestLifeCycleHookForRestartableInitContainer:
 * `foo` is a restartable init container; the Go pod has no regular container, which the API
 * server's validation (which the manager applies) rejects, so a plain `main` is added.
 */
const variants = [
  {
    test: 'TestLifeCycleHook',
    pod: (c: Container, zeroGrace = false): Pod => ({
      metadata: { name: 'bar', namespace: 'default', ...(zeroGrace ? { deletionGracePeriodSeconds: 0 } : {}) },
      spec: { containers: [c], ...(zeroGrace ? { terminationGracePeriodSeconds: 0 } : {}) },
      status: { podIP: '127.0.0.1' },
    }),
  },
  {
    test: 'TestLifeCycleHookForRestartableInitContainer',
    pod: (c: Container, zeroGrace = false): Pod => ({
      metadata: { name: 'bar', namespace: 'default', ...(zeroGrace ? { deletionGracePeriodSeconds: 0 } : {}) },
      spec: {
        initContainers: [{ ...c, restartPolicy: 'Always' }],
        containers: [{ name: 'main', image: 'busybox' }],
        ...(zeroGrace ? { terminationGracePeriodSeconds: 0 } : {}),
      },
      status: { podIP: '127.0.0.1' },
    }),
  },
] as const;

describe.each(variants)('$test [KCT] (spec §3, §4.2-C)', ({ test, pod: makeTestPod }) => {
  async function runningFoo(env: Env, pod: Pod): Promise<void> {
    env.track(pod);
    await env.settle(env.manager.startContainer(pod, 'foo'));
  }

  it(`${test} "PreStop-CMDExec": the exec preStop runs, then the stop (spec §4.2-C.3–8)`, async () => {
    const env = setup();
    const pod = makeTestPod(foo(cmdLifeCycle));
    await runningFoo(env, pod);
    await env.settle(env.manager.stopContainer(pod, 'foo', { gracePeriodOverride: 30, message: 'testKill' }));
    expect(execs(env)).toEqual([['PreStopCMD']]);
    expect(env.events.find((e) => e.reason === 'Killing')).toMatchObject({ type: 'Normal', message: 'testKill' });
    expect(stops(env)).toEqual([['foo', 0, 30]]);
  });

  it(`${test} "PreStop-HTTPGet/consistent": the request goes to httpGet.host (spec §4.2-C.5, §5.2)`, async () => {
    const http = new RecordingHttpClient();
    const env = setup({ http });
    const pod = makeTestPod(foo(httpLifeCycle));
    await runningFoo(env, pod);
    await env.settle(env.manager.stopContainer(pod, 'foo', { gracePeriodOverride: 30, message: 'testKill' }));
    expect(http.requests).toHaveLength(1);
    expect(http.requests[0]?.url).toContain('testHost.com');
    expect(http.requests[0]?.url).toBe('http://testHost.com:80/GracefulExit');
  });

  it(`${test} "PreStop-NoTimeToRun": an override of 0 skips preStop; the stop still gets 2 s (spec §4.2-C.5, C.7, §4.2-E)`, async () => {
    const http = new RecordingHttpClient();
    const env = setup({ http });
    // Go sets DeletionGracePeriodSeconds = TerminationGracePeriodSeconds = 0 on the pod, override 0.
    const pod = makeTestPod(foo(httpLifeCycle), true);
    await runningFoo(env, pod);
    const result = await env.settle(
      env.manager.stopContainer(pod, 'foo', { gracePeriodOverride: 0, message: 'testKill' }),
    );
    expect(http.requests).toEqual([]);
    expect(result).toMatchObject({ gracePeriodSeconds: 0, preStop: { outcome: 'skipped' }, stopTimeoutSeconds: 2 });
    expect(stops(env)).toEqual([['foo', 0, 2]]);
  });

  it(`${test} "PostStart-CmdExe": starting the container runs the exec postStart (spec §3.1)`, async () => {
    const env = setup();
    const pod = makeTestPod(foo(cmdPostStart));
    env.track(pod);
    const result = await env.settle(env.manager.startContainer(pod, 'foo'));
    expect(result.outcome).toBe('running');
    expect(execs(env)).toEqual([['PostStartCMD']]);
  });
});

describe('pod_workers_test.go [PWT] — calculateEffectiveGracePeriod (spec §4.2-A)', () => {
  // Test_calculateEffectiveGracePeriod: a fresh podSyncStatus (gracePeriod 0), so previousSeconds 0.
  it.each([
    { desc: 'use termination grace period from the spec when no overrides', tgps: 30, expected: 30 },
    { desc: 'use pod DeletionGracePeriodSeconds when set', tgps: 30, dgps: 5, expected: 5 },
    { desc: 'use grace period override when set', tgps: 30, dgps: 5, override: 2, expected: 2 },
    { desc: 'use 1 when pod DeletionGracePeriodSeconds is zero', tgps: 30, dgps: 0, expected: 1 },
    { desc: 'use 1 when grace period override is zero', tgps: 30, dgps: 5, override: 0, expected: 1 },
  ] as Array<{ desc: string; tgps: number; dgps?: number; override?: number; expected: number }>)(
    'Test_calculateEffectiveGracePeriod "$desc" = $expected',
    ({ tgps, dgps, override, expected }) => {
      const result = effectiveGracePeriod({
        previousSeconds: 0,
        terminationGracePeriodSeconds: tgps,
        deletionGracePeriodSeconds: dgps,
        killOverrideSeconds: override,
      });
      expect(result.gracePeriodSeconds).toBe(expected);
    },
  );

  // The cases a delete request can express (the kill-option override is the kubelet's own, e.g.
  // eviction: deletePod has no equivalent). The API server turns the request into DGPS (spec §4.1).
  it.each([
    { desc: 'use termination grace period from the spec when no overrides', request: undefined, expected: 30 },
    { desc: 'use pod DeletionGracePeriodSeconds when set', request: 5, expected: 5 },
    { desc: 'use 1 when pod DeletionGracePeriodSeconds is zero', request: 0, expected: 1 },
  ])('Test_calculateEffectiveGracePeriod "$desc": deletePod stops with $expected s', async ({ request, expected }) => {
    const env = setup();
    const pod: Pod = {
      metadata: { uid: '1', name: 'running-pod', namespace: 'ns' },
      spec: { terminationGracePeriodSeconds: 30, containers: [{ name: 'c', image: 'busybox' }] },
    };
    env.track(pod);
    await env.settle(env.manager.startContainer(pod, 'c'));
    const result = await env.settle(
      env.manager.deletePod(pod, request === undefined ? {} : { gracePeriodSeconds: request }),
    );
    expect(result.gracePeriodSeconds).toBe(expected);
    // With no preStop the effective grace (override) is the stop timeout, raised to 2 (spec §4.2-C.7).
    expect(stops(env)).toEqual([['c', 0, Math.max(expected, 2)]]);
  });

  it('TestUpdatePod "a running pod is terminated when an update contains a deletionTimestamp": grace 15 is the kill override', async () => {
    const env = setup();
    const pod: Pod = {
      metadata: { uid: '1', name: 'running-pod', namespace: 'ns' },
      spec: { terminationGracePeriodSeconds: 30, containers: [{ name: 'c', image: 'busybox' }] },
    };
    env.track(pod);
    await env.settle(env.manager.startContainer(pod, 'c'));
    const result = await env.settle(env.manager.deletePod(pod, { gracePeriodSeconds: 15 }));
    expect(result).toMatchObject({ gracePeriodSeconds: 15, deletionGracePeriodSeconds: 15 });
    expect(result.containers[0]).toMatchObject({ gracePeriodSeconds: 15, stopTimeoutSeconds: 15 });
  });

  it('TestUpdatePod "a running pod is terminated when an eviction is requested" / TestUpdatePodDoesNotForgetSyncPodKill: no DGPS, no override → 30', () => {
    expect(effectiveGracePeriod({ previousSeconds: 0, terminationGracePeriodSeconds: 30 })).toEqual({
      gracePeriodSeconds: 30,
      overridden: false,
      shortened: false,
    });
  });
});
