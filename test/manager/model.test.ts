/**
 * Model-based property test of the manager (issue 3): random start / stop / crash / delete /
 * time sequences with random hook latencies and adapter faults. After every run: every manager
 * promise settled, no timer is left once all containers are terminated, the trace keeps the
 * Kubernetes invariants, and the same commands replayed give the identical trace.
 */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import type { Container, LifecycleHandler, Pod } from '../../src/api/types.js';
import type { LifecyclePolicy } from '../../src/container/policy.js';
import type { LifecycleStep } from '../../src/container/results.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { checkTraceInvariants } from '../../src/testing/trace-invariants.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

type HookPlan = 'none' | 'exec-ok' | 'exec-fail' | 'exec-hang' | 'exec-throw' | 'sleep' | 'http';
interface ContainerPlan {
  readonly postStart: HookPlan;
  readonly preStop: HookPlan;
  readonly hookDelayMs: number;
  readonly sleepSeconds: number;
  readonly stop: 'normal' | 'ignore-sigterm' | 'slow' | 'reject-once';
}
type Action =
  | { readonly kind: 'start'; readonly container: number }
  | { readonly kind: 'stop'; readonly container: number; readonly override?: number | undefined }
  | { readonly kind: 'crash'; readonly container: number; readonly exitCode: number }
  | { readonly kind: 'delete'; readonly grace?: number | undefined }
  | { readonly kind: 'advance'; readonly ms: number };

const hookPlan = fc.constantFrom<HookPlan>('none', 'exec-ok', 'exec-fail', 'exec-hang', 'exec-throw', 'sleep', 'http');
const containerPlan = fc.record<ContainerPlan>({
  postStart: fc.constantFrom<HookPlan>('none', 'exec-ok', 'exec-fail', 'sleep', 'http'),
  preStop: hookPlan,
  hookDelayMs: fc.integer({ min: 0, max: 40_000 }),
  sleepSeconds: fc.integer({ min: 0, max: 20 }),
  stop: fc.constantFrom('normal', 'ignore-sigterm', 'slow', 'reject-once'),
});
const action = (containers: number): fc.Arbitrary<Action> =>
  fc.oneof(
    fc.record({ kind: fc.constant('start' as const), container: fc.nat(containers - 1) }),
    fc.record({
      kind: fc.constant('stop' as const),
      container: fc.nat(containers - 1),
      override: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
    }),
    fc.record({
      kind: fc.constant('crash' as const),
      container: fc.nat(containers - 1),
      exitCode: fc.integer({ min: 0, max: 255 }),
    }),
    fc.record({
      kind: fc.constant('delete' as const),
      grace: fc.option(fc.integer({ min: -1, max: 40 }), { nil: undefined }),
    }),
    fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 30_000 }) }),
  );
const scenario = fc
  .record({
    tgps: fc.integer({ min: 0, max: 40 }),
    plans: fc.array(containerPlan, { minLength: 1, maxLength: 3 }),
    sidecars: fc.integer({ min: 0, max: 2 }),
    policy: fc.record<LifecyclePolicy>({
      shorterGraceDuringTermination: fc.constantFrom('kubelet', 'interrupt'),
      unfinishedPreStopEvent: fc.boolean(),
    }),
  })
  .chain((s) =>
    fc.record({ s: fc.constant(s), actions: fc.array(action(s.plans.length + s.sidecars), { maxLength: 25 }) }),
  );

function handler(plan: HookPlan, name: string, hook: string, sleepSeconds: number): LifecycleHandler | undefined {
  if (plan === 'none') return undefined;
  if (plan === 'sleep') return { sleep: { seconds: sleepSeconds } };
  if (plan === 'http') return { httpGet: { port: 8080, path: `/${name}/${hook}` } };
  return { exec: { command: [plan, name, hook] } };
}

function buildPod(tgps: number, plans: readonly ContainerPlan[], sidecars: number): Pod {
  const container = (plan: ContainerPlan, name: string, sidecar: boolean): Container => {
    const postStart = handler(plan.postStart, name, 'postStart', Math.min(plan.sleepSeconds, tgps));
    const preStop = handler(plan.preStop, name, 'preStop', Math.min(plan.sleepSeconds, tgps));
    return {
      name,
      ...(sidecar ? { restartPolicy: 'Always' } : {}),
      ...(postStart || preStop
        ? { lifecycle: { ...(postStart ? { postStart } : {}), ...(preStop ? { preStop } : {}) } }
        : {}),
    };
  };
  return {
    metadata: { name: 'model', namespace: 'default', uid: 'model-uid' },
    spec: {
      terminationGracePeriodSeconds: tgps,
      containers: plans.map((p, i) => container(p, `c${i}`, false)),
      initContainers: Array.from({ length: sidecars }, (_, i) =>
        container(plans[i % plans.length] as ContainerPlan, `s${i}`, true),
      ),
    },
    status: { podIP: '10.1.2.3' },
  };
}

/** The pod a model run builds and the policy it runs under (not the testing kit's `Scenario`: no actions). */
interface PodModel {
  readonly tgps: number;
  readonly plans: readonly ContainerPlan[];
  readonly sidecars: number;
  readonly policy: LifecyclePolicy;
}

async function run(s: PodModel, actions: readonly Action[]) {
  const clock = new VirtualClock();
  const runtime = new FakeRuntime({ clock });
  const pod = buildPod(s.tgps, s.plans, s.sidecars);
  const names = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name);
  const planOf = (name: string): ContainerPlan => s.plans[Number(name.slice(1)) % s.plans.length] as ContainerPlan;
  for (const name of names) {
    const plan = planOf(name);
    const delayMs = plan.hookDelayMs;
    runtime.onExec((argv) => argv[0] === 'exec-ok' && argv[1] === name, { exitCode: 0, delayMs });
    runtime.onExec((argv) => argv[0] === 'exec-fail' && argv[1] === name, { exitCode: 1, stderr: 'nope', delayMs });
    runtime.onExec((argv) => argv[0] === 'exec-hang' && argv[1] === name, { hang: true });
    runtime.onExec((argv) => argv[0] === 'exec-throw' && argv[1] === name, { throw: new Error('adapter bug') });
    if (plan.stop === 'ignore-sigterm') runtime.onStop(name, { exitsOn: [] });
    if (plan.stop === 'slow') runtime.onStop(name, { exitDelayMs: delayMs });
    if (plan.stop === 'reject-once')
      runtime.onStop(name, { reject: new Error('rpc error: Unavailable') }, { times: 1 });
  }
  // An HTTP client that answers after 1.5 s and, like any conformant client, honours abort.
  const http = {
    request: (req: { url: string }, { signal }: { signal: AbortSignal }) =>
      new Promise<{ status: number }>((resolve, reject) => {
        const timer = clock.setTimeout(() => resolve({ status: req.url.includes('c0') ? 500 : 200 }), 1_500);
        signal.addEventListener('abort', () => {
          clock.clearTimeout(timer);
          reject(signal.reason);
        });
      }),
  };
  const manager = new LifecycleManager({ runtime, httpClient: http, clock, policy: s.policy });
  const events: KubeEvent[] = [];
  const steps: LifecycleStep[] = [];
  manager.on('event', (e) => events.push(e));
  manager.on('step', (st) => steps.push(st));
  const pending: Promise<unknown>[] = [];
  const unexpected: unknown[] = [];
  const track = (p: Promise<unknown>) =>
    pending.push(
      p.catch((error: { code?: string }) => {
        if (error?.code !== 'ERR_INVALID_STATE') unexpected.push(error);
      }),
    );
  for (const a of actions) {
    const name = names[
      a.kind === 'start' || a.kind === 'stop' || a.kind === 'crash' ? a.container % names.length : 0
    ] as string;
    if (a.kind === 'start') track(manager.startContainer(pod, name));
    else if (a.kind === 'stop')
      track(manager.stopContainer(pod, name, a.override !== undefined ? { gracePeriodOverride: a.override } : {}));
    else if (a.kind === 'crash') {
      if (runtime.container(name)?.state === 'running') runtime.crash(name, { exitCode: a.exitCode });
    } else if (a.kind === 'delete')
      track(manager.deletePod(pod, a.grace !== undefined ? { gracePeriodSeconds: a.grace } : {}));
    else await clock.advance(a.ms);
  }
  // Finish: delete the pod (again), let everything play out.
  track(manager.deletePod(pod));
  let all = false;
  void Promise.all(pending).then(() => (all = true));
  for (let i = 0; i < 10_000 && !all; i++) {
    if (!(await clock.next())) break;
  }
  await clock.flush();
  return { clock, runtime, manager, events, steps, pending: all, unexpected, names, pod };
}

test.prop([scenario], { numRuns: 150 })(
  'random sequences keep the Kubernetes invariants and replay identically',
  async ({ s, actions }) => {
    const first = await run(s, actions);
    const hangs = s.plans.some((p) => p.postStart === 'exec-hang');
    expect(first.unexpected).toEqual([]);
    if (!hangs) expect(first.pending).toBe(true);
    const violations = checkTraceInvariants(
      { events: first.events, steps: first.steps, runtime: first.runtime.timeline },
      { allowReissuedStops: s.policy.shorterGraceDuringTermination === 'interrupt' },
    );
    expect(violations).toEqual([]);
    // Once every container is terminated (none running in the fake), no timer is left behind.
    if (first.runtime.containers().every((c) => c.state === 'exited')) {
      expect(first.clock.pendingTimerList()).toEqual([]);
    }
    // Same inputs, same trace.
    const second = await run(s, actions);
    expect(JSON.stringify(second.events)).toBe(JSON.stringify(first.events));
    expect(JSON.stringify(second.runtime.timeline)).toBe(JSON.stringify(first.runtime.timeline));
  },
);
