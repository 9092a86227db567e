import { containersInOrder } from '../api/container-order.js';
import type { Pod } from '../api/types.js';
import { assertValidPod } from '../api/validation.js';
import type { ContainerStatus, LifecycleStep, StartResult } from '../container/results.js';
import type { KubeEvent } from '../hooks/events.js';
import { LifecycleManager } from '../manager/lifecycle-manager.js';
import { deliverHooksTimes } from './duplicate-delivery.js';
import { FakeHttpClient } from './fake-http-client.js';
import { FakeRuntime } from './fake-runtime.js';
import type { Scenario } from './scenario.js';
import { type CheckedAction, checkScenario, scenarioPolicy } from './scenario-check.js';
import { scriptFakes } from './scenario-fakes.js';
import type { RunScenarioOptions, ScenarioResult, ScenarioTrace } from './scenario-result.js';
import { checkTraceInvariants } from './trace-invariants.js';
import { VirtualClock } from './virtual-clock.js';

/** The signal of waits that end only with the container (a scenario's run ends with its containers). */
const NEVER_ABORTED = new AbortController().signal;

type MutableResult = { -readonly [K in keyof ScenarioResult]: ScenarioResult[K] };

/**
 * Play a declarative {@link Scenario} against a pod on a `VirtualClock`, a `FakeRuntime` and a
 * `FakeHttpClient` (unmatched requests get 200), and return the whole trace. Runtime exits reach
 * the manager through the runtime's `waitContainer`, as with every adapter. Actions run in time order (input order on ties),
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
 * trace.runtime.filter((e) => e.kind === 'signal').map((e) => `${e.signal}@${e.at}`);
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
  const clock = new VirtualClock({ microtaskTurns: options.microtaskTurns, drain: options.drain });
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

  const results: MutableResult[] = actions.map((a) => ({
    index: a.index,
    kind: a.kind,
    at: a.at,
    atMs: a.at,
    ...(a.after === undefined ? {} : { after: a.after }),
    ...(a.container === undefined ? {} : { container: a.container }),
    status: 'pending',
  }));
  const performed = new Set<number>();
  let isDeleting = false;
  const settledHooks = results.map(() => [] as Array<() => void>);
  const settle = (result: MutableResult, fields: Partial<MutableResult>): void => {
    const settledAt = clock.now();
    Object.assign(result, fields);
    result.settledAt = settledAt;
    result.settledAtMs = settledAt;
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
        const exited =
          state === undefined
            ? Promise.resolve(0)
            : runtime.waitContainer(state.ref, { signal: NEVER_ABORTED }).then((exit) => exit.exitCode);
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
    result.at = clock.now();
    result.atMs = result.at;
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
  for (const action of actions.filter((x) => x.after === undefined).sort((x, y) => x.at - y.at || x.index - y.index)) {
    if (options.ties === 'actionsFirst') {
      clock.setTimeout(() => perform(action), action.at, `actions[${action.index}]`);
      continue;
    }
    await clock.advanceTo(action.at);
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
    endAt: clock.now(),
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
    if (++fired >= maxTimers && clock.pendingTimerList().some((t) => t.deadlineAt !== Infinity)) {
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
