/**
 * Arbitraries of runnable pods, fault plans and scenarios for `runScenario`. fast-check is only a
 * type here (see `pod-arbitraries.ts`). Use through `lifecycleArbitraries(fc)`.
 *
 * @module
 */

import { containersInOrder } from '../api/container-order.js';
import type { Container, LifecycleHandler, Pod } from '../api/types.js';
import type { LifecyclePolicy } from '../container/policy.js';
import type { Arbitrary, FastCheckApi } from './pod-arbitraries.js';
import type {
  ExecFault,
  FaultPlan,
  HttpFault,
  InitPlan,
  Scenario,
  ScenarioAction,
  StartFault,
  StopFault,
} from './scenario.js';

/** Bounds of the generated pods and scenarios. */
export interface ScenarioArbitraryOptions {
  /** Regular containers per pod (at least 1). @default 3 */
  readonly maxContainers?: number | undefined;
  /** Sidecars per pod. @default 2 */
  readonly maxSidecars?: number | undefined;
  /** Init containers (run to completion) per pod. @default 1 */
  readonly maxInitContainers?: number | undefined;
  /** Actions per scenario (a leading `startAll`, and a delete `after` it, are added half the time). @default 12 */
  readonly maxActions?: number | undefined;
  /** Latest action time and longest scripted delay, in ms. @default 60_000 */
  readonly maxTimeMs?: number | undefined;
}

type HookKind = 'none' | 'exec' | 'httpGet' | 'sleep' | 'tcpSocket';

/**
 * Pods `runScenario` can play: containers `c0…`, sidecars `s0…`, init containers `i0…`, a pod IP,
 * and hooks of every kind (exec argv `['/hooks/run', <container>, <hook>]`, httpGet on port 8080
 * over HTTP or HTTPS, sleep within the grace, tcpSocket which always fails).
 */
export function runnablePod(fc: FastCheckApi, options: ScenarioArbitraryOptions = {}): Arbitrary<Pod> {
  const { maxContainers = 3, maxSidecars = 2, maxInitContainers = 1 } = options;
  const hookKind = fc.constantFrom<HookKind>('none', 'exec', 'exec', 'httpGet', 'sleep', 'tcpSocket');
  const container = (name: string, grace: number, sidecar: boolean): Arbitrary<Container> =>
    fc
      .record({
        postStart: hookKind,
        preStop: hookKind,
        sleep: fc.integer({ min: 0, max: Math.min(grace, 20) }),
        https: fc.boolean(),
      })
      .map((h) => {
        const handler = (kind: HookKind, hook: string): LifecycleHandler | undefined => {
          if (kind === 'exec') return { exec: { command: ['/hooks/run', name, hook] } };
          if (kind === 'httpGet')
            return { httpGet: { port: 8080, path: `/hooks/${name}/${hook}`, scheme: h.https ? 'HTTPS' : 'HTTP' } };
          if (kind === 'sleep') return { sleep: { seconds: h.sleep } };
          if (kind === 'tcpSocket') return { tcpSocket: { port: 8080 } };
          return undefined;
        };
        const postStart = handler(h.postStart, 'postStart');
        const preStop = handler(h.preStop, 'preStop');
        const lifecycle = { ...(postStart ? { postStart } : {}), ...(preStop ? { preStop } : {}) };
        return {
          name,
          image: 'app:1',
          ...(postStart || preStop ? { lifecycle } : {}),
          ...(sidecar ? { restartPolicy: 'Always' } : {}),
        };
      });
  return fc
    .record({
      grace: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
      regular: fc.integer({ min: 1, max: Math.max(1, maxContainers) }),
      sidecars: fc.integer({ min: 0, max: maxSidecars }),
      inits: fc.integer({ min: 0, max: maxInitContainers }),
    })
    .chain(({ grace, regular, sidecars, inits }) => {
      const g = grace ?? 30;
      const initArbs = [
        ...Array.from({ length: inits }, (_, i) => fc.constant<Container>({ name: `i${i}`, image: 'migrate:1' })),
        ...Array.from({ length: sidecars }, (_, i) => container(`s${i}`, g, true)),
      ];
      return fc
        .tuple(
          fc.tuple(...initArbs),
          fc.tuple(...Array.from({ length: regular }, (_, i) => container(`c${i}`, g, false))),
        )
        .map(
          ([initContainers, containers]): Pod => ({
            metadata: { name: 'pod', namespace: 'default', uid: 'uid-pod' },
            spec: {
              containers,
              ...(initContainers.length > 0 ? { initContainers } : {}),
              ...(grace === undefined ? {} : { terminationGracePeriodSeconds: grace }),
            },
            status: { podIP: '10.0.0.7' },
          }),
        );
    });
}

/** Exec outcomes: exit 0/1/2 after a delay, a hang, a rejection, a synchronous throw. */
export function execFault(fc: FastCheckApi, maxTimeMs = 60_000): Arbitrary<ExecFault> {
  const delayMs = fc.integer({ min: 0, max: maxTimeMs });
  return fc.oneof(
    fc.record({ exitCode: fc.constantFrom(0, 0, 1, 2), stderr: fc.constantFrom('', 'boom'), delayMs }),
    fc.constant({ hang: true as const }),
    fc.record({ reject: fc.constant('rpc error: code = Unavailable'), delayMs }),
    fc.constant({ throw: 'adapter bug' }),
  );
}

/** HTTP outcomes: a status (200, 302, 404, 500) after a delay, a hang, an error, plain HTTP. */
export function httpFault(fc: FastCheckApi, maxTimeMs = 60_000): Arbitrary<HttpFault> {
  const delayMs = fc.integer({ min: 0, max: maxTimeMs });
  return fc.oneof(
    fc.record({ status: fc.constantFrom(200, 404, 500), delayMs }),
    fc.record({ status: fc.constant(302), headers: fc.constant({ location: '/moved' }), delayMs }),
    fc.constant({ hang: true as const }),
    fc.record({ error: fc.constant('read ECONNRESET'), errorCode: fc.constant('ECONNRESET'), delayMs }),
    fc.record({ plainHttp: fc.constant(true as const), delayMs }),
  );
}

/** Scripted hooks (exec and httpGet ones), stop and start behaviour and init exits for `pod`. */
export function faultPlan(fc: FastCheckApi, pod: Pod, options: ScenarioArbitraryOptions = {}): Arbitrary<FaultPlan> {
  const maxTimeMs = options.maxTimeMs ?? 60_000;
  const order = containersInOrder(pod);
  const hooks: Record<string, Arbitrary<ExecFault | HttpFault | undefined>> = {};
  for (const { container } of order) {
    for (const hook of ['postStart', 'preStop'] as const) {
      const handler = container.lifecycle?.[hook];
      const fault =
        handler?.exec !== undefined
          ? execFault(fc, maxTimeMs)
          : handler?.httpGet !== undefined
            ? httpFault(fc, maxTimeMs)
            : undefined;
      if (fault !== undefined) hooks[`${container.name}.${hook}`] = fc.option(fault, { nil: undefined, freq: 3 });
    }
  }
  const stop: Arbitrary<StopFault> = fc.oneof(
    fc.record(
      { exitDelayMs: fc.integer({ min: 0, max: maxTimeMs }), exitCode: fc.constantFrom(0, 143) },
      { requiredKeys: [] },
    ),
    fc.constant({ ignoreSigterm: true }),
    fc.constant({ reject: 'rpc error: code = DeadlineExceeded', times: 1 }),
  );
  const start: Arbitrary<StartFault> = fc.oneof(
    fc.record({ delayMs: fc.integer({ min: 0, max: 5_000 }) }),
    fc.constant({ reject: 'image pull back-off', times: 1 }),
  );
  const perContainer = <T>(arb: Arbitrary<T>, names: readonly string[]): Arbitrary<Record<string, T>> =>
    fc
      .tuple(...names.map((n) => fc.option(arb, { nil: undefined, freq: 3 }).map((v) => [n, v] as const)))
      .map((pairs) => Object.fromEntries(pairs.filter(([, v]) => v !== undefined)) as Record<string, T>);
  const names = order.map((o) => o.container.name);
  const inits = order.filter((o) => o.kind === 'init').map((o) => o.container.name);
  const init: Arbitrary<InitPlan> = fc.record({
    exitAfterMs: fc.integer({ min: 0, max: 5_000 }),
    exitCode: fc.constantFrom(0, 0, 0, 1),
  });
  return fc
    .record({
      hooks: fc.record(hooks),
      stops: perContainer(stop, names),
      starts: perContainer(start, names),
      init: perContainer(init, inits),
    })
    .map(({ hooks: h, ...rest }) => ({
      hooks: Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<
        string,
        ExecFault | HttpFault
      >,
      ...rest,
    }));
}

/** Random actions at random times, faults and a policy, for `pod`. */
export function scenarioFor(fc: FastCheckApi, pod: Pod, options: ScenarioArbitraryOptions = {}): Arbitrary<Scenario> {
  const { maxActions = 12, maxTimeMs = 60_000 } = options;
  const names = containersInOrder(pod).map((o) => o.container.name);
  const at = fc.integer({ min: 0, max: maxTimeMs });
  const name = fc.constantFrom(...names);
  const action: Arbitrary<ScenarioAction> = fc.oneof(
    fc.record({ at, start: name }),
    fc.record({ at, startAll: fc.constant(true as const) }),
    fc.record(
      {
        at,
        stop: name,
        gracePeriodOverride: fc.integer({ min: 0, max: 40 }),
        reason: fc.constantFrom('Unknown' as const, 'LivenessProbe' as const, 'StartupProbe' as const),
      },
      { requiredKeys: ['at', 'stop'] },
    ),
    fc.record({ at, crash: name, exitCode: fc.integer({ min: 0, max: 255 }) }),
    fc.record(
      { at, delete: fc.constant(true as const), gracePeriodSeconds: fc.integer({ min: -1, max: 40 }) },
      { requiredKeys: ['at', 'delete'] },
    ),
  );
  const policy: Arbitrary<LifecyclePolicy> = fc.record(
    {
      shorterGraceDuringTermination: fc.constantFrom('kubelet' as const, 'interrupt' as const),
      unfinishedPreStopEvent: fc.boolean(),
      httpStatus: fc.constantFrom('ignore' as const, 'probe' as const),
      postStartTimeoutSeconds: fc.integer({ min: 1, max: 30 }),
      minimumStopGraceSeconds: fc.integer({ min: 0, max: 3 }),
    },
    { requiredKeys: [] },
  );
  return fc
    .record({
      lead: fc.boolean(),
      deleteWhenUp: fc.boolean(),
      actions: fc.array(action, { maxLength: maxActions }),
      faults: faultPlan(fc, pod, options),
      policy,
    })
    .map(({ lead, deleteWhenUp, actions, faults, policy: p }) => ({
      // With a leading startAll, half the time also "delete once the pod is up" (after: 0).
      actions: lead
        ? [
            { at: 0, startAll: true as const },
            ...actions,
            ...(deleteWhenUp ? [{ after: 0, delete: true as const }] : []),
          ]
        : actions,
      ...faults,
      policy: p,
    }));
}

/** A runnable pod with a scenario for it. */
export function podScenario(
  fc: FastCheckApi,
  options: ScenarioArbitraryOptions = {},
): Arbitrary<{ pod: Pod; scenario: Scenario }> {
  return runnablePod(fc, options).chain((pod) => scenarioFor(fc, pod, options).map((scenario) => ({ pod, scenario })));
}
