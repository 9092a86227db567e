/**
 * What {@link runScenario} takes besides the pod and the scenario, and what it hands back: the
 * options, one result per action and the whole trace.
 *
 * @module
 */
import type {
  ContainerStatus,
  LifecycleStep,
  PodTerminationResult,
  StartResult,
  StopResult,
} from '../container/results.js';
import type { KubeEvent } from '../hooks/events.js';
import type { DuplicateDeliveryOptions } from './duplicate-delivery.js';
import type { RecordedHttpRequest } from './fake-http-routes.js';
import type { RuntimeTimelineEntry } from './fake-runtime-scripts.js';
import type { runScenario } from './run-scenario.js';
import type { ScenarioActionKind } from './scenario.js';
import type { LifecycleTrace, TraceViolation } from './trace-invariants.js';
import type { PendingTimer } from './virtual-clock.js';

/**
 * Options of {@link runScenario}.
 * @example runScenario(pod, scenario, { hookDeliveries: 2, deliveryOptions: { mode: 'concurrent' } })
 */
export interface RunScenarioOptions {
  /** `VirtualClockOptions.microtaskTurns` of the clock the run uses. @default 200 */
  readonly microtaskTurns?: number | undefined;
  /**
   * `VirtualClockOptions.drain` of the clock the run uses: a yield to the event loop that settles
   * every pending microtask, e.g. `() => new Promise((r) => setImmediate(r))` on Node. Same trace
   * as the default for the manager's chains, in fewer steps (docs/performance.md). @default undefined
   */
  readonly drain?: (() => PromiseLike<void>) | undefined;
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
 * @example { index: 1, kind: 'delete', at: 5000, status: 'fulfilled', settledAt: 35000, termination: { … } }
 */
export interface ScenarioResult {
  /** Index of the action in `scenario.actions`. */
  readonly index: number;
  readonly kind: ScenarioActionKind;
  /** The virtual instant the action ran (for an `after` action that never ran: 0). */
  readonly at: number;
  /** @deprecated Use `at` (same value); removed in 0.2.0. */
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
  /** The virtual instant the action settled (absent while `pending`). */
  readonly settledAt?: number;
  /** @deprecated Use `settledAt` (same value); removed in 0.2.0. */
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
 * const { violations, results, statuses, endAt } = await runScenario(pod, scenario);
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
  /** The virtual instant at which the run ended. */
  readonly endAt: number;
  /** @deprecated Use `endAt` (same value); removed in 0.2.0. */
  readonly endMs: number;
  /** `settled`: no timer left; `until`: reached `scenario.until`; `maxTimers`: the guard stopped it. */
  readonly endReason: 'settled' | 'until' | 'maxTimers';
  /** Timers still armed at the end (empty when `endReason` is `settled`). */
  readonly pendingTimers: readonly PendingTimer[];
  /** `checkTraceInvariants` of this trace, with the scenario's policy. Empty for a sound run. */
  readonly violations: readonly TraceViolation[];
}
