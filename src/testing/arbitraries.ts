/**
 * fast-check arbitraries for kube-lifecycle: valid and invalid pods, handlers, lifecycles, fault
 * plans and whole scenarios. fast-check is an optional peer dependency, so nothing here imports
 * it at runtime: pass your `fc` (from `fast-check` or `@fast-check/vitest`).
 *
 * @module
 */
import type { Lifecycle, LifecycleHandler, Pod } from '../api/types.js';
import {
  type Arbitrary,
  type FastCheckApi,
  type InvalidPod,
  invalidPod,
  validHandler,
  validLifecycle,
  validPod,
} from './pod-arbitraries.js';
import type { FaultPlan, Scenario } from './scenario.js';
import {
  faultPlan,
  podScenario,
  runnablePod,
  type ScenarioArbitraryOptions,
  scenarioFor,
} from './scenario-arbitraries.js';

/** What {@link lifecycleArbitraries} returns. */
export interface LifecycleArbitraries {
  /** Pods `validatePod` accepts, with odd but legal names, ports, headers, probes, OS and signals. */
  readonly validPod: Arbitrary<Pod>;
  /** A valid pod with one field broken, and the field path validation must report. */
  readonly invalidPod: Arbitrary<InvalidPod>;
  /** Valid handlers for a pod with this grace (sleep ≤ it). @default gracePeriodSeconds 30 */
  readonly handler: (gracePeriodSeconds?: number) => Arbitrary<LifecycleHandler>;
  /** Valid `lifecycle` blocks (`stopSignal` only with an OS). @default gracePeriodSeconds 30 */
  readonly lifecycle: (gracePeriodSeconds?: number, osName?: 'linux' | 'windows') => Arbitrary<Lifecycle>;
  /** Pods `runScenario` can play: `c0…`, sidecars `s0…`, init `i0…`, a pod IP, hooks of every kind. */
  readonly runnablePod: Arbitrary<Pod>;
  /** Scripted hook results, stop and start faults, init exits, for a given pod. */
  readonly faultPlan: (pod: Pod) => Arbitrary<FaultPlan>;
  /** Random actions at random times with faults and a policy, for a given pod. */
  readonly scenarioFor: (pod: Pod) => Arbitrary<Scenario>;
  /** A runnable pod and a scenario for it: `runScenario(pod, scenario)`. */
  readonly scenario: Arbitrary<{ readonly pod: Pod; readonly scenario: Scenario }>;
}

/**
 * Build the arbitraries on your fast-check. Shrinking works as usual: a failing scenario shrinks
 * towards fewer actions, fewer containers and no faults.
 *
 * @example
 * ```ts
 * import { fc, test } from '@fast-check/vitest';
 * const arbs = lifecycleArbitraries(fc);
 * test.prop([arbs.scenario])('random scenarios keep the invariants', async ({ pod, scenario }) => {
 *   expect((await runScenario(pod, scenario)).violations).toEqual([]);
 * });
 * ```
 */
export function lifecycleArbitraries(fc: FastCheckApi, options: ScenarioArbitraryOptions = {}): LifecycleArbitraries {
  return {
    validPod: validPod(fc),
    invalidPod: invalidPod(fc),
    handler: (gracePeriodSeconds = 30) => validHandler(fc, gracePeriodSeconds),
    lifecycle: (gracePeriodSeconds = 30, osName) => validLifecycle(fc, gracePeriodSeconds, osName),
    runnablePod: runnablePod(fc, options),
    faultPlan: (pod) => faultPlan(fc, pod, options),
    scenarioFor: (pod) => scenarioFor(fc, pod, options),
    scenario: podScenario(fc, options),
  };
}

export type { Arbitrary, FastCheckApi, InvalidPod, ScenarioArbitraryOptions };
