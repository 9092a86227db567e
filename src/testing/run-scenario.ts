import { containersInOrder } from '../api/container-order.js';
import type { Pod } from '../api/types.js';
import { assertValidPod } from '../api/validation.js';
import type {
  ContainerStatus,
  LifecycleStep,
  PodTerminationResult,
  StartResult,
  StopResult,
} from '../container/results.js';
import type { KubeEvent } from '../hooks/events.js';
import { LifecycleManager } from '../manager/lifecycle-manager.js';
import { type DuplicateDeliveryOptions, deliverHooksTimes } from './duplicate-delivery.js';
import { FakeHttpClient } from './fake-http-client.js';
import type { RecordedHttpRequest } from './fake-http-routes.js';
import { FakeRuntime } from './fake-runtime.js';
import type { RuntimeTimelineEntry } from './fake-runtime-scripts.js';
import type { Scenario, ScenarioActionKind } from './scenario.js';
import { type CheckedAction, checkScenario, scenarioPolicy } from './scenario-check.js';
import { scriptFakes } from './scenario-fakes.js';
import { checkTraceInvariants, type LifecycleTrace, type TraceViolation } from './trace-invariants.js';
import { type PendingTimer, VirtualClock } from './virtual-clock.js';

/**
 * Options of {@link runScenario}.
 * @example runScenario(pod, scenario, { hookDeliveries: 2, deliveryOptions: { mode: 'concurrent' } })
 */
export interface RunScenarioOptions {
  /** `VirtualClockOptions.microtaskTurns` of the clock the run uses. @default 200 */
  readonly microtaskTurns?: number | undefined;
  /**
   * Deliver every exec and HTTP hook this many times (see `deliverHooksTimes`), as a kubelet
   * restart can, to property-test hook idempotency. @default 1
   */
  readonly hookDeliveries?: number | undefined;
  /** How duplicate deliveries run. @default { mode: 'sequential' } */
  readonly deliveryOptions?: DuplicateDeliveryOptions | undefined;
  /**
   * Which goes first when an `at` action and a timer armed during the run fall due at the same
   * virtual time. `'timersFirst'`: the action sees everything due by then (a hook that ends at
   * 10 s has ended when `{ at: 10_000, delete: true }` runs). `'actionsFirst'`: the action runs
   * before them, as if its timer had been armed when the run started; so `{ at: 0, delete: true }`
   * arrives while `startAll` is still starting the pod, even when every step takes 0 ms.
   * @default 'timersFirst'
   * @example runScenario(pod, { actions: [{ startAll: true }, { at: 0, delete: true }] }, { ties: 'actionsFirst' })
   */
  readonly ties?: 'timersFirst' | 'actionsFirst' | undefined;
}

/**
 * What became of one action of the scenario. Plain data (errors are `{ name, code, message }`).
 * @example { index: 1, kind: 'delete', atMs: 5000, status: 'fulfilled', settledAtMs: 35000, termination: { … } }
 */
export interface ScenarioResult {
  /** Index of the action in `scenario.actions`. */
  readonly index: number;
  readonly kind: ScenarioActionKind;
  /** Virtual time the action ran (for an `after` action that never ran: 0). */
  readonly atMs: number;
  /** The `after` of the action, when it had one. */
  readonly after?: number;
  readonly container?: string;
  /**
   * - `fulfilled`: the manager's promise resolved (or the crash happened);
   * - `rejected`: it rejected (e.g. `ERR_INVALID_STATE`: starting a running container);
   * - `pending`: it had not settled when the run ended (a postStart that hangs, with no timeout);
   * - `ignored`: a crash of a container that was not running (see `note`).
   */
  readonly status: 'fulfilled' | 'rejected' | 'pending' | 'ignored';
  readonly settledAtMs?: number;
  /** `start`: the manager's result. */
  readonly start?: StartResult;
  /** `startAll`: the result of every container started, in start order (so far, when pending). */
  readonly starts?: readonly StartResult[];
  /** `stop`: the manager's result. */
  readonly stop?: StopResult;
  /** `delete`: the pod termination. */
  readonly termination?: PodTerminationResult;
  readonly error?: { readonly name: string; readonly code?: string; readonly message: string };
  readonly note?: string;
}

/**
 * Everything a scenario run produced, in virtual time. Deterministic for a given input, and JSON
 * as it is (`JSON.stringify(trace)`).
 * @example
 * ```ts
 * const { violations, results, statuses, endMs } = await runScenario(pod, scenario);
 * ```
 */
export interface ScenarioTrace extends LifecycleTrace {
  readonly events: readonly KubeEvent[];
  readonly steps: readonly LifecycleStep[];
  /** The `FakeRuntime` timeline: starts, execs, stops, signals, exits. */
  readonly runtime: readonly RuntimeTimelineEntry[];
  /** Every HTTP request the hooks sent, with its outcome. */
  readonly http: readonly RecordedHttpRequest[];
  /** One result per action, in `scenario.actions` order. */
  readonly results: readonly ScenarioResult[];
  /** Final status of every container, by name, in start order. */
  readonly statuses: Readonly<Record<string, ContainerStatus>>;
  /** Things worth knowing: an ignored crash, containers `startAll` did not start, a stopped run. */
  readonly notes: readonly string[];
  /** Virtual time at which the run ended. */
  readonly endMs: number;
  /** `settled`: no timer left; `until`: reached `scenario.until`; `maxTimers`: the guard stopped it. */
  readonly endReason: 'settled' | 'until' | 'maxTimers';
  /** Timers still armed at the end (empty when `endReason` is `settled`). */
  readonly pendingTimers: readonly PendingTimer[];
  /** `checkTraceInvariants` of this trace, with the scenario's policy. Empty for a sound run. */
  readonly violations: readonly TraceViolation[];
}

type MutableResult = { -readonly [K in keyof ScenarioResult]: ScenarioResult[K] };

/**
 * Play a declarative {@link Scenario} against a pod on a `VirtualClock`, a `FakeRuntime` and a
 * `FakeHttpClient` (unmatched requests get 200), and return the whole trace. Runtime exits reach
 * the manager (`notifyExited`) automatically. Actions run in time order (input order on ties),
 * each after every timer due at or before its time (see `options.ties`); then the run goes on
 * until no timer is left (or `until`). A 30-second grace takes microseconds of real time.
 *
 * Rejects with `LifecycleSpecError` for an invalid pod, and with a `ScenarioError`
 * (`ERR_SCENARIO_INVALID`, naming the path such as `actions[2].crash`) for a malformed scenario.
 * Manager rejections during the run are data (`results[i].status === 'rejected'`), not throws.
 *
 * @example
 * ```ts
 * const trace = await runScenario(pod, {
 *   actions: [{ at: 0, startAll: true }, { at: 5_000, delete: true }],
 *   hooks: { 'web.preStop': { exitCode: 0, delayMs: 8_000 } },
 *   stops: { web: { ignoreSigterm: true } },
 * });
 * trace.violations; // []
 * trace.runtime.filter((e) => e.kind === 'signal').map((e) => `${e.signal}@${e.atMs}`);
 * // ['SIGTERM@13000', 'SIGKILL@35000']
 * ```
 */
export async function runScenario(
  pod: Pod,
  scenario: Scenario,
  options: RunScenarioOptions = {},
): Promise<ScenarioTrace> {
  const policy = scenarioPolicy(scenario);
  const defaulted = assertValidPod(pod, { allowZeroSleep: policy.allowZeroSleep });
  const { actions } = checkScenario(defaulted, scenario);
  const kubeletVersion = scenario.kubeletVersion ?? '1.35';
  const clock = new VirtualClock(
    options.microtaskTurns === undefined ? {} : { microtaskTurns: options.microtaskTurns },
  );
  const runtime = new FakeRuntime({ clock });
  const http = new FakeHttpClient({ clock, unmatched: { status: 200 } });
  scriptFakes(defaulted, scenario, runtime, http, clock, kubeletVersion);
  const deliveries = options.hookDeliveries ?? 1;
  const ports =
    deliveries === 1
      ? { runtime, httpClient: http }
      : deliverHooksTimes(deliveries, { runtime, httpClient: http }, options.deliveryOptions);
  const manager = new LifecycleManager({ ...ports, clock, policy, kubeletVersion });

  const events: KubeEvent[] = [];
  const steps: LifecycleStep[] = [];
  const notes: string[] = [];
  manager.on('event', (e) => events.push(e));
  manager.on('step', (s) => steps.push(s));
  const exitWaiters = new Map<string, (exitCode: number) => void>();
  runtime.onExit((ref, info) => {
    manager.notifyExited(defaulted, ref.name, { exitCode: info.exitCode });
    exitWaiters.get(ref.id)?.(info.exitCode);
  });

  const results: MutableResult[] = actions.map((a) => ({
    index: a.index,
    kind: a.kind,
    atMs: a.atMs,
    ...(a.after === undefined ? {} : { after: a.after }),
    ...(a.container === undefined ? {} : { container: a.container }),
    status: 'pending',
  }));
  const performed = new Set<number>();
  let isDeleting = false;
  const settledHooks = results.map(() => [] as Array<() => void>);
  const settle = (result: MutableResult, fields: Partial<MutableResult>): void => {
    Object.assign(result, { ...fields, settledAtMs: clock.now() });
    for (const then of settledHooks[result.index] ?? []) then();
  };
  const track = <T>(result: MutableResult, promise: Promise<T>, store: (value: T) => void): void => {
    promise.then(
      (value) => {
        store(value);
        settle(result, { status: 'fulfilled' });
      },
      (error: unknown) => settle(result, { status: 'rejected', error: errorData(error) }),
    );
  };

  const startAll = async (result: MutableResult): Promise<void> => {
    const starts: StartResult[] = [];
    result.starts = starts;
    for (const { container, kind } of containersInOrder(defaulted)) {
      if (isDeleting) {
        notes.push(
          `actions[${result.index}] (startAll): ${container.name} was not started: the pod was already terminating`,
        );
        continue;
      }
      const started = await manager.startContainer(defaulted, container.name);
      starts.push(started);
      if (kind === 'container') continue;
      if (started.outcome !== 'running') {
        notes.push(
          `actions[${result.index}] (startAll): ${kind} container ${container.name} did not become Running (${started.outcome}); later containers were not started`,
        );
        return;
      }
      if (kind === 'init') {
        const plan = scenario.init?.[container.name] ?? {};
        const id = started.containerID as string;
        const state = runtime.container(id);
        const exited = new Promise<number>((resolve) => exitWaiters.set(id, resolve));
        // Its own timer, cleared when the container exits first (killed, crashed): no stale timer keeps the run going.
        const completes =
          state?.state === 'running'
            ? clock.setTimeout(
                () => runtime.crash(id, { exitCode: plan.exitCode ?? 0 }),
                plan.exitAfterMs ?? 0,
                `init ${container.name} completes`,
              )
            : undefined;
        const exitCode = state?.state === 'running' ? await exited : (state?.exitCode ?? 0);
        clock.clearTimeout(completes);
        if (exitCode !== 0) {
          notes.push(
            `actions[${result.index}] (startAll): init container ${container.name} failed (exit ${exitCode}); later containers were not started`,
          );
          return;
        }
      }
    }
  };

  const perform = (a: CheckedAction) => {
    const result = results[a.index] as MutableResult;
    result.atMs = clock.now();
    performed.add(a.index);
    const name = a.container as string;
    switch (a.kind) {
      case 'start':
        return track(result, manager.startContainer(defaulted, name), (v) => (result.start = v));
      case 'startAll':
        return track(result, startAll(result), () => undefined);
      case 'stop':
        return track(
          result,
          manager.stopContainer(defaulted, name, {
            ...(a.gracePeriodOverride === undefined ? {} : { gracePeriodOverride: a.gracePeriodOverride }),
            ...(a.reason === undefined ? {} : { reason: a.reason }),
          }),
          (v) => (result.stop = v),
        );
      case 'delete':
        isDeleting = true;
        return track(
          result,
          manager.deletePod(
            defaulted,
            a.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: a.gracePeriodSeconds },
          ),
          (v) => (result.termination = v),
        );
      case 'crash': {
        const state = runtime.container(name);
        if (state?.state !== 'running') {
          const note = `actions[${a.index}]: crash of ${name} at ${clock.now()} ms ignored: the container was not running then`;
          notes.push(note);
          return settle(result, { status: 'ignored', note });
        }
        runtime.crash(state.ref.id, { exitCode: a.exitCode ?? 1 });
        settle(result, { status: 'fulfilled' });
      }
    }
  };

  for (const action of actions) if (action.after !== undefined) settledHooks[action.after]?.push(() => perform(action));
  for (const action of actions
    .filter((x) => x.after === undefined)
    .sort((x, y) => x.atMs - y.atMs || x.index - y.index)) {
    if (options.ties === 'actionsFirst') {
      clock.setTimeout(() => perform(action), action.atMs, `actions[${action.index}]`);
      continue;
    }
    await clock.advanceTo(action.atMs);
    perform(action);
  }
  const endReason = await finish(clock, scenario, notes);
  for (const a of actions) {
    if (!performed.has(a.index))
      notes.push(`actions[${a.index}] never ran: actions[${a.after}] had not settled when the run ended`);
  }

  const statuses: Record<string, ContainerStatus> = {};
  for (const { container } of containersInOrder(defaulted))
    statuses[container.name] = manager.status(defaulted, container.name);
  const trace = { events, steps, runtime: [...runtime.timeline] };
  return {
    ...trace,
    http: http.requests.map((r) => ({ ...r })),
    results: results.map((r) => ({ ...r, ...(r.starts === undefined ? {} : { starts: [...r.starts] }) })),
    statuses,
    notes,
    endMs: clock.now(),
    endReason,
    pendingTimers: clock.pendingTimerList(),
    violations: checkTraceInvariants(trace, {
      minimumStopGraceSeconds: policy.minimumStopGraceSeconds,
      allowReissuedStops: policy.shorterGraceDuringTermination === 'interrupt',
    }),
  };
}

/** Runs the clock to the end condition. */
async function finish(clock: VirtualClock, scenario: Scenario, notes: string[]): Promise<ScenarioTrace['endReason']> {
  if (scenario.until !== undefined) {
    await clock.advanceTo(scenario.until);
    return 'until';
  }
  const maxTimers = scenario.maxTimers ?? 100_000;
  let fired = 0;
  while (await clock.next()) {
    if (++fired >= maxTimers && clock.pendingTimerList().some((t) => t.deadlineMs !== Infinity)) {
      notes.push(
        `the run stopped at ${clock.now()} ms after ${fired} timers (maxTimers) with timers still armed: something keeps rescheduling`,
      );
      return 'maxTimers';
    }
  }
  await clock.flush();
  return 'settled';
}

function errorData(error: unknown): NonNullable<ScenarioResult['error']> {
  const e = error as { name?: unknown; code?: unknown; message?: unknown } | null;
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    message: typeof e?.message === 'string' ? e.message : String(error),
  };
}
