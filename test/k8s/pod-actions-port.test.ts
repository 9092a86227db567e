/**
 * Port of Kubernetes' `computePodActions` tests (`pkg/kubelet/kuberuntime/kuberuntime_manager_test.go`:
 * TestComputePodActions, …WithInitContainers, …WithRestartableInitContainers,
 * …WithContainerRestartRules) and of `pkg/api/v1/pod/util_test.go` (TestIsContainerRestartable,
 * TestContainerHasRestartablePolicy = ContainerShouldRestart), spec pod §3.
 *
 * Sources: the ≥1.35 copy in yuanwang04/kubernetes @bca651cd (has RestartAllContainers and the
 * ContainerRestartRules test; same cases as the kubernetes/kubernetes copy ≈1.33, id 79542686),
 * read against 1.35 `computeInitContainerActions` (spec [KC]) and util.go (spec [PU]).
 *
 * Mapping: Go computes one sync's whole plan (ContainersToStart, InitContainersToStart, KillPod)
 * from runtime states; our worker takes one action at a time (`nextPodAction`). `drive` applies
 * the actions (a start → running via `applyStart`, a settle → done) until `wait` or `complete`
 * and returns what was started, in order. Go states map to records: Running → running,
 * Exited(code) → exited + lastExit, Created (start failed) → notStarted, no status → notStarted.
 * Sandbox re-creation, Unknown runtime state, spec-hash changes, resize and ephemeral containers
 * have no equivalent (DESIGN §10 leaves them out). Kills for probes go through `PodWorker`.
 */
import { describe, expect, it } from 'vitest';
import type { Container } from '../../src/api/types.js';
import { applyStart, type ContainerRecord, newContainerRecord } from '../../src/pod/container-record.js';
import { nextPodAction } from '../../src/pod/pod-actions.js';
import { PodWorker } from '../../src/pod/pod-worker.js';
import { isContainerRestartable, shouldContainerRestart } from '../../src/pod/restart-decision.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { FakeDriver, podOf } from '../pod/fake-driver.js';

/** A record: 'r' running, a number = exited with that code, '-' = no status / Created. */
type St = 'r' | '-' | number;
function rec(container: Partial<Container> & { name: string }, kind: ContainerRecord['kind'], st: St) {
  const r = newContainerRecord({ image: 'busybox', ...container }, kind);
  if (st === '-') return r;
  applyStart(r, { outcome: 'running', containerID: `${r.name}-id` }, 0, 0, 0);
  if (typeof st === 'number') {
    r.state = 'exited';
    r.lastExit = { exitCode: st, reason: st === 0 ? 'Completed' : 'Error', finishedAt: 0 };
  }
  return r;
}

interface Scene {
  inits: ContainerRecord[];
  regulars: ContainerRecord[];
  policy?: string;
  initialized?: boolean;
}
function drive({ inits, regulars, policy, initialized = false }: Scene) {
  const started: string[] = [];
  for (let step = 0; step < 30; step++) {
    const skip = new Set<string>();
    const a = nextPodAction({
      initContainers: inits,
      containers: regulars,
      podRestartPolicy: policy,
      initialized,
      skip,
    });
    if (a.kind === 'wait' || a.kind === 'complete') return { started, end: a.kind };
    if (a.kind === 'settle') a.container.state = 'done';
    else {
      started.push(a.container.name);
      applyStart(a.container, { outcome: 'running', containerID: `${a.container.name}-new` }, 1, 0, 0);
      if (a.container.kind === 'regular') initialized = true;
    }
  }
  throw new Error('no fixpoint');
}

const FOO = ['foo1', 'foo2', 'foo3'];
const R = (i: number) => `restartable-init-${i}`;
const state = (token: string | undefined): St => (token === 'r' || token === '-' ? token : Number(token));

/**
 * A scene from the Go fixtures, e.g. `p=Never c=0,111,r`: `p` pod restartPolicy; `c` foo1..3
 * (makeBasePodAndStatus; default r,r,r, or -,-,- when there are init containers); `i` init1..3
 * (makeBasePodAndStatusWithInitContainers); `s` restartable-init-1..3, where 2 and 3 have liveness
 * and startup probes with startup Success unless `r?` (…WithRestartableInitContainers); `cp`
 * container-level restartPolicy of foo1 and foo2; `init` = some regular container has started.
 * States: `r` running, `-` no status or Created, a number = exited with that code.
 */
function scene(text: string): Scene {
  const kv = Object.fromEntries(text.split(' ').map((t) => [t.split('=')[0], t.split('=')[1] ?? '']));
  const list = (v: string | undefined, d: string) => (v ?? d).split(',');
  const hasInit = kv.i !== undefined || kv.s !== undefined;
  const cs = list(kv.c, hasInit ? '-,-,-' : 'r,r,r');
  const regulars = FOO.map((name, n) => {
    const restartPolicy = kv.cp !== undefined && n < 2 ? { restartPolicy: kv.cp } : {};
    return rec({ name, ...restartPolicy }, 'regular', state(cs[n]));
  });
  const inits = kv.i ? list(kv.i, '').map((t, n) => rec({ name: `init${n + 1}` }, 'init', state(t))) : [];
  const sidecars = list(kv.s, '').map((t, n) => {
    const probes = n > 0 ? { livenessProbe: {}, startupProbe: {} } : {};
    const r = rec({ name: R(n + 1), restartPolicy: 'Always', ...probes }, 'sidecar', state(t.replace('?', '')));
    if (n > 0 && r.state === 'running') r.startup = !t.endsWith('?');
    return r;
  });
  return { inits: kv.s ? sidecars : inits, regulars, ...(kv.p ? { policy: kv.p } : {}), initialized: 'init' in kv };
}

/** Rows `Go case | scene | started, in order | wait or complete`. */
function table(test: string, spec: string, rows: string[]) {
  describe(`kuberuntime_manager_test.go ${test} (spec pod ${spec})`, () => {
    for (const row of rows) {
      const [go = '', text = '', started = '', end = ''] = row.split(' | ');
      it(`${test} "${go}" (spec pod ${spec})`, () =>
        expect(drive(scene(text))).toEqual({ started: started === '' ? [] : started.split(' '), end }));
    }
  });
}

table('TestComputePodActions', '§3.1, §3.2', [
  'everything is good; do nothing | p=Always |  | wait',
  'start pod sandbox and all containers for a new pod (containers part) | c=-,-,- | foo1 foo2 foo3 | wait',
  'restart exited containers if RestartPolicy == Always | p=Always c=0,111,r | foo1 foo2 | wait',
  'restart failed containers if RestartPolicy == OnFailure | p=OnFailure c=0,111,r | foo2 | wait',
  'restart created but not started containers if RestartPolicy == OnFailure | p=OnFailure c=0,-,r | foo2 | wait',
  "don't restart containers if RestartPolicy == Never | p=Never c=0,111,r |  | wait",
  'Verify we do not create a pod sandbox if no ready sandbox for pod with RestartPolicy=Never and all containers exited (KillPod part) | p=Never c=0,0,0 init |  | complete',
  'Verify we do not create a pod sandbox if no ready sandbox for pod with RestartPolicy=OnFailure and all containers succeeded (KillPod part) | p=OnFailure c=0,0,0 init |  | complete',
  'Restart the container if the container is in created state | p=Never c=r,-,r | foo2 | wait',
]);

table('TestComputePodActionsWithContainerRestartRules', '§3.1', [
  'restart exited containers if RestartPolicy == Always | p=Never cp=Always c=0,111,r | foo1 foo2 | wait',
  'restart failed containers if RestartPolicy == OnFailure | p=Never cp=OnFailure c=0,111,r | foo2 | wait',
  'restart created but not started containers if RestartPolicy == OnFailure | p=Never cp=OnFailure c=0,-,r | foo2 | wait',
  "don't restart containers if RestartPolicy == Never | p=Always cp=Never c=0,111,r |  | wait",
]);

table('TestComputePodActionsWithInitContainers', '§3.3', [
  'initialization completed; start all containers | i=0,0,0 | foo1 foo2 foo3 | wait',
  'no init containers have been started; start the first one | i=-,-,- | init1 | wait',
  'initialization in progress; do nothing | p=Always i=0,0,r |  | wait',
  'initialization failed; restart the last init container if RestartPolicy == Always | p=Always i=0,0,137 | init3 | wait',
  'initialization failed; restart the last init container if RestartPolicy == OnFailure | p=OnFailure i=0,0,137 | init3 | wait',
  'initialization failed; kill pod if RestartPolicy == Never | p=Never i=0,0,137 |  | complete',
  // Our records never lose a status: the completed init1/init2 stay done (exit 0), not missing.
  "some of the init container statuses are missing but the last init container is running, don't restart preceding ones | p=Always i=0,0,r |  | wait",
  'an init container is in the created state due to an unknown error when starting container; restart it | p=Always i=0,0,- | init3 | wait',
]);

table('TestComputePodActionsWithRestartableInitContainers', '§3.4', [
  'initialization completed; start all containers | s=r,r,r | foo1 foo2 foo3 | wait',
  // Go's sync starts restartable-init-1; its next sync (running, no startup probe) starts -2, as our next action does.
  `no init containers have been started; start the first one | s=-,-,- | ${R(1)} ${R(2)} | wait`,
  `an init container is stuck in the created state; restart it | p=Always s=r,r,- | ${R(3)} | wait`,
  `restartable init container has started; start the next | p=Always s=r,-,- | ${R(2)} | wait`,
  `livenessProbe has not been run; start the nothing | p=Always s=r,r,- | ${R(3)} | wait`,
  `livenessProbe in progress; start the next | p=Always s=r,r,- | ${R(3)} | wait`,
  `livenessProbe has completed; start the next | p=Always s=r,r,- | ${R(3)} | wait`,
  'kill and recreate the restartable init container if the liveness check has failed (start part) | p=Always s=r,r,r | foo1 foo2 foo3 | wait',
  'startupProbe has not been run; do nothing | p=Always s=r,r?,- |  | wait',
  'startupProbe in progress; do nothing | p=Always s=r,r?,- |  | wait',
  `startupProbe has completed; start the next | p=Always s=r,r,- | ${R(3)} | wait`,
  'kill and recreate the restartable init container if the startup check has failed (start part) | p=Always s=r,r,r? |  | wait',
  `restart terminated restartable init container and next init container | p=Always s=0,r,0 | ${R(1)} ${R(3)} | wait`,
  `restart terminated restartable init container and regular containers | p=Always s=0,r,r | ${R(1)} foo1 foo2 foo3 | wait`,
  `initialization failed; restart the last restartable init container even if pod's RestartPolicy == Never | p=Never s=r,r,137 | ${R(3)} | wait`,
  `restart restartable init container if regular containers are running even if pod's RestartPolicy == Never | p=Never s=r,r,137 c=r,r,r init | ${R(3)} | wait`,
  "kill the pod if all main containers succeeded if pod's RestartPolicy == Never | p=Never s=r,r,r c=0,0,0 init |  | complete",
]);

describe('kuberuntime_manager_test.go divergences (spec pod §3.4 rule 2)', () => {
  // Go: the last init container running and started marks the pod initialized
  // (computeInitContainerActions, reverse scan), so regular containers start in the same sync as
  // the earlier sidecars; ours waits for restartable-init-2's startup probe (pod-actions.ts initAction).
  it('TestComputePodActionsWithRestartableInitContainers "some of the init container statuses are missing but the last init container is running, restart restartable init and regular containers" (spec pod §3.4 rule 2)', () => {
    expect(drive(scene('p=Always s=-,-,r'))).toEqual({ started: [R(1), R(2), ...FOO], end: 'wait' });
  });
});

describe('kuberuntime_manager_test.go probe kills through PodWorker (spec pod §3.2 rule 2, §3.4 rule 3)', () => {
  async function killScene(target: string, probe: 'liveness' | 'startup') {
    const clock = new VirtualClock();
    const pod = podOf(
      FOO.map((name) => ({ name, image: 'busybox' })),
      {
        restartPolicy: 'Always',
        initContainers: [{ name: R(3), image: 'bar-image', restartPolicy: 'Always' }],
      },
    );
    const driver = new FakeDriver(clock, pod);
    const worker = new PodWorker({ pod, driver, clock });
    void worker.start();
    await clock.advance(0);
    await worker.killForProbe(target, probe);
    await clock.advance(0);
    const killing = driver.events.filter((e) => e.reason === 'Killing').map((e) => e.message);
    return { kills: driver.kills.map((k) => [k.name, k.reason]), killing, starts: driver.starts.map((s) => s.name) };
  }
  // Go's verifyActions blanks reason and message: the Killing texts are spec pod §3.2/§3.4's, the
  // kill + restart is the Go case's (probe specs are left out of the pod: the kill path does not read them).
  const cases: Array<[string, string, 'liveness' | 'startup', string, string]> = [
    [
      'TestComputePodActions',
      'foo2',
      'liveness',
      'LivenessProbe',
      'Container foo2 failed liveness probe, will be restarted',
    ],
    [
      'TestComputePodActions',
      'foo2',
      'startup',
      'StartupProbe',
      'Container foo2 failed startup probe, will be restarted',
    ],
    [
      'TestComputePodActionsWithRestartableInitContainers',
      R(3),
      'liveness',
      'LivenessProbe',
      `Init container ${R(3)} failed liveness probe`,
    ],
    [
      'TestComputePodActionsWithRestartableInitContainers',
      R(3),
      'startup',
      'StartupProbe',
      `Init container ${R(3)} failed startup probe`,
    ],
  ];
  for (const [test, target, probe, reason, message] of cases) {
    it(`${test} "kill and recreate the ${target === 'foo2' ? 'container' : 'restartable init container'} if the ${probe} check has failed" (spec pod ${target === 'foo2' ? '§3.2 rule 2' : '§3.4 rule 3'})`, async () => {
      const seen = await killScene(target, probe);
      expect(seen.kills).toEqual([[target, reason]]);
      expect(seen.killing).toEqual([message]);
      expect(seen.starts).toEqual([R(3), ...FOO, target]);
    });
  }
});

/**
 * Rows `Go case | pod restartPolicy | container restartPolicy | rule (op:codes, or "any" without
 * exitCodes) | exit code | expected`; empty = unset.
 */
function restartRows(rows: string[]) {
  return rows.map((row) => {
    const [name = '', pod = '', policy = '', rule = '', exit = '', expected = ''] = row.split(' | ');
    const [operator = '', codes = ''] = rule.split(':');
    const exitCodes = rule === 'any' ? {} : { exitCodes: { operator, values: codes.split(',').map(Number) } };
    const rules = rule === '' ? {} : { restartPolicyRules: [{ action: 'Restart', ...exitCodes }] };
    const container = { ...(policy ? { restartPolicy: policy } : {}), ...rules };
    return { name, pod, container, exitCode: Number(exit), expected: expected === 'true' };
  });
}

describe('util_test.go (spec pod §3.1)', () => {
  const restartable = restartRows([
    "Container: Rule action 'Restart' should always be true | Never | Never | any |  | true",
    "Container: Policy 'Always' is restartable | Never | Always |  |  | true",
    "Container: Policy 'OnFailure' is restartable | Never | OnFailure |  |  | true",
    "Container: Policy 'Never' is not restartable | Always | Never |  |  | false",
    "Pod Fallback: Policy 'Always' is restartable | Always |  |  |  | true",
    "Pod Fallback: Policy 'OnFailure' is restartable | OnFailure |  |  |  | true",
    "Pod Fallback: Policy 'Never' is not restartable | Never |  |  |  | false",
    "Pod Fallback: Default empty policy is restartable (since it's not 'Never') |  |  |  |  | true",
  ]);
  for (const { name, pod, container, expected } of restartable) {
    it(`TestIsContainerRestartable "${name}" (spec pod §3.1)`, () =>
      expect(isContainerRestartable({ kind: 'regular', container, podRestartPolicy: pod })).toBe(expected));
  }
  const should = restartRows([
    "Rule: 'In' operator matches with 'Restart' action |  | Never | In:42,50,60 | 42 | true",
    "Rule: 'NotIn' operator matches with 'Restart' action |  | Never | NotIn:0,1,2 | 99 | true",
    "Rule: 'In' operator does not match, should fall back to container policy |  | Never | In:10,20 | 30 | false",
    "Rule: 'NotIn' operator does not match, should fall back to container policy |  | Never | NotIn:10,20 | 10 | false",
    "Container Policy: 'Always' | Never | Always |  | 0 | true",
    "Container Policy: 'OnFailure' with exit code 0 | Never | OnFailure |  | 0 | false",
    "Container Policy: 'OnFailure' with non-zero exit code | Never | OnFailure |  | 1 | true",
    "Container Policy: 'Never' should return false | Always | Never |  | 1 | false",
    "Pod Policy: Fallback to pod 'Always' | Always |  |  | 0 | true",
    "Pod Policy: Fallback to pod 'OnFailure' with non-zero exit code | OnFailure |  |  | 1 | true",
    "Pod Policy: Fallback to pod 'Never' | Never |  |  | 1 | false",
    'Pod Policy: Fallback with no policies specified should return true |  |  |  | 0 | true',
  ]);
  for (const { name, pod, container, exitCode, expected } of should) {
    it(`TestContainerHasRestartablePolicy (ContainerShouldRestart) "${name}" (spec pod §3.1)`, () =>
      expect(shouldContainerRestart({ kind: 'regular', container, podRestartPolicy: pod, exitCode })).toBe(expected));
  }
});
