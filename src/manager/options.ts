/**
 * The manager's options: what a caller passes to `new LifecycleManager(...)`, checked and
 * resolved into the context the container sequences run on.
 */

import type { EventSink, ManagerContext } from '../container/context.js';
import { type LifecyclePolicy, resolvePolicy } from '../container/policy.js';
import { InvalidArgumentError } from '../errors.js';
import type { KillReason } from '../grace/kill-grace.js';
import type { Clock } from '../ports/clock.js';
import type { HttpClient } from '../ports/http-client.js';
import type { Runtime } from '../ports/runtime.js';
import { systemClock } from '../ports/system-clock.js';

/** Options of {@link LifecycleManager}. */
export interface LifecycleManagerOptions {
  /** The container runtime (e.g. `ProcessRuntime`, `OciRuntime`, or `FakeRuntime` in tests). */
  readonly runtime: Runtime;
  /** The HTTP client for httpGet hooks (e.g. `NodeHttpClient`, or `FakeHttpClient`). */
  readonly httpClient: HttpClient;
  /** The clock every timing decision uses. @default systemClock */
  readonly clock?: Clock;
  /** Named deviations from Kubernetes (docs/semantics.md). @default every option as Kubernetes */
  readonly policy?: LifecyclePolicy;
  /**
   * `major.minor` of the kubelet being reproduced: sent as `User-Agent: kube-lifecycle/<v>`, and it selects
   * the event texts that changed between versions (1.35: `Container started`; earlier:
   * `Started container <name>`, see `EventMessages`). @default '1.35'
   */
  readonly kubeletVersion?: string;
  /**
   * The kubelet's `--runtime-request-timeout`: how long a runtime start may take, and how long
   * past its own timeout a runtime stop may take, before the manager gives up on it. @default 120
   */
  readonly runtimeRequestTimeoutSeconds?: number;
}

/** Options of {@link LifecycleManager.stopContainer}. */
export interface StopOptions {
  /** Replaces the base grace, bounding preStop too (spec §4.2-C.4). Integer ≥ 0. */
  readonly gracePeriodOverride?: number;
  /** Why the container is killed; selects probe-level grace (spec §4.2-C.1). @default 'Unknown' */
  readonly reason?: KillReason;
  /** The `Killing` event message. @default `Stopping container <name>` */
  readonly message?: string;
}

/** Options of {@link LifecycleManager.deletePod}. */
export interface DeleteOptions {
  /** `DeleteOptions.gracePeriodSeconds`; 0 = force. @default the pod's terminationGracePeriodSeconds */
  readonly gracePeriodSeconds?: number;
}

/** Check the options and build the context; throws `InvalidArgumentError` naming the bad option. */
export function resolveOptions(options: LifecycleManagerOptions, hub: EventSink): ManagerContext {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError('options', options, 'an object with runtime and httpClient');
  }
  requireMethods('options.runtime', options.runtime, ['startContainer', 'exec', 'stopContainer']);
  requireMethods('options.httpClient', options.httpClient, ['request']);
  const clock = options.clock ?? systemClock;
  requireMethods('options.clock', clock, ['now', 'setTimeout', 'clearTimeout']);
  const kubeletVersion = options.kubeletVersion ?? '1.35';
  if (typeof kubeletVersion !== 'string' || !/^\d+\.\d+$/.test(kubeletVersion)) {
    throw new InvalidArgumentError('options.kubeletVersion', kubeletVersion, "a 'major.minor' string such as '1.35'");
  }
  const runtimeRequestTimeoutSeconds = options.runtimeRequestTimeoutSeconds ?? 120;
  if (
    !(
      typeof runtimeRequestTimeoutSeconds === 'number' &&
      runtimeRequestTimeoutSeconds > 0 &&
      Number.isFinite(runtimeRequestTimeoutSeconds)
    )
  ) {
    throw new InvalidArgumentError(
      'options.runtimeRequestTimeoutSeconds',
      runtimeRequestTimeoutSeconds,
      'a finite number of seconds > 0',
    );
  }
  return {
    clock,
    runtime: options.runtime,
    httpClient: options.httpClient,
    policy: resolvePolicy(options.policy),
    kubeletVersion,
    runtimeRequestTimeoutSeconds,
    hub,
  };
}

function requireMethods(name: string, value: unknown, methods: readonly string[]): void {
  const missing = methods.filter(
    (m) => typeof (value as Record<string, unknown> | null | undefined)?.[m] !== 'function',
  );
  if (value === null || typeof value !== 'object' || missing.length > 0) {
    throw new InvalidArgumentError(name, value, `an object with ${methods.map((m) => `${m}()`).join(', ')}`);
  }
}
