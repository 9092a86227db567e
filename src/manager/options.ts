/**
 * The manager's options: what a caller passes to `new LifecycleManager(...)`, checked and
 * resolved into the context the container sequences run on.
 */

import type { FeatureGates } from '../api/drop-disabled-fields.js';
import { resolveFeatureGates } from '../api/drop-disabled-fields.js';
import type { EventSink, ManagerContext } from '../container/context.js';
import { type LifecyclePolicy, resolvePolicy } from '../container/policy.js';
import { InvalidArgumentError } from '../errors.js';
import type { KillReason } from '../grace/kill-grace.js';
import type { CrashLoopBackOffPolicy } from '../pod/crash-loop-back-off.js';
import { resolveSyncRequeue } from '../pod/sync-requeue.js';
import type { Clock } from '../ports/clock.js';
import type { GrpcHealthChecker } from '../ports/grpc-health-checker.js';
import type { HttpClient } from '../ports/http-client.js';
import type { Runtime } from '../ports/runtime.js';
import { systemClock } from '../ports/system-clock.js';
import type { TcpDialer } from '../ports/tcp-dialer.js';

/** Options of {@link LifecycleManager}. */
export interface LifecycleManagerOptions {
  /** The container runtime (e.g. `ProcessRuntime`, `OciRuntime`, or `FakeRuntime` in tests). */
  readonly runtime: Runtime;
  /** The HTTP client for httpGet hooks (e.g. `NodeHttpClient`, or `FakeHttpClient`). */
  readonly httpClient: HttpClient;
  /** The clock every timing decision uses. @default systemClock */
  readonly clock?: Clock | undefined;
  /** Named deviations from Kubernetes (docs/semantics.md). @default every option as Kubernetes */
  readonly policy?: LifecyclePolicy | undefined;
  /**
   * `major.minor` of the kubelet being reproduced: sent as `User-Agent: kube-lifecycle/<v>`, and it selects
   * the event texts that changed between versions (1.35: `Container started`; earlier:
   * `Started container <name>`, see `EventMessages`). @default '1.35'
   */
  readonly kubeletVersion?: string | undefined;
  /**
   * The kubelet's `--runtime-request-timeout`: how long a runtime start may take, and how long
   * past its own timeout a runtime stop may take, before the manager gives up on it. @default 120
   */
  readonly runtimeRequestTimeoutSeconds?: number | undefined;
  /**
   * CrashLoopBackOff figures of the pod worker (DESIGN §10, spec pod §4.1): `initialSeconds`,
   * `maxSeconds`, `resetAfterSeconds`, or `reducedDecay` for the ReduceDefaultCrashLoopBackOffDecay
   * variant. @default the kubelet 1.35's: 10 s initial, doubling, 300 s cap, reset after 600 s running
   */
  readonly crashLoopBackOff?: CrashLoopBackOffPolicy | undefined;
  /**
   * Feature gates as in a 1.35 cluster, applied to validation (a disabled gate's fields are
   * dropped as the API server does) and to the pod worker's restart rules.
   * @default { ContainerRestartRules: true, ContainerStopSignals: true }
   */
  readonly featureGates?: FeatureGates | undefined;
  /**
   * Delay between a container's exit and the pod worker acting on it, like the kubelet's PLEG
   * relist (up to 1 s on a node; spec pod §9). `finishedAt` keeps the real exit time. @default 0
   */
  readonly exitObservationDelayMs?: number | undefined;
  /**
   * A `[0, 1)` random source for the kubelet's requeue jitter (spec pod §4.3): a restart then
   * comes within `[expiry, expiry + 50 % of the wait)`. Seed it for replayable runs.
   * @default none: a restart happens exactly when its back-off expires
   */
  readonly random?: (() => number) | undefined;
  /** Dials tcpSocket probes (e.g. `NodeTcpDialer`). Without it a pod with one is rejected at `startPod` (`ERR_MISSING_PORT`). */
  readonly tcpDialer?: TcpDialer | undefined;
  /** Runs grpc probes (e.g. `NodeGrpcHealthChecker`). Without it a pod with one is rejected at `startPod` (`ERR_MISSING_PORT`). */
  readonly grpcHealthChecker?: GrpcHealthChecker | undefined;
}

/** The pod-level options of a manager, checked (see {@link resolvePodOptions}). */
export interface PodOptions {
  readonly crashLoopBackOff: CrashLoopBackOffPolicy | undefined;
  readonly featureGates: Required<{ [K in keyof FeatureGates]: boolean }>;
  readonly exitObservationDelayMs: number;
  readonly random: (() => number) | undefined;
  readonly tcpDialer: TcpDialer | undefined;
  readonly grpcHealthChecker: GrpcHealthChecker | undefined;
}

/** Check the pod-level options; throws `InvalidArgumentError` naming the bad option. */
export function resolvePodOptions(options: LifecycleManagerOptions): PodOptions {
  const backOff = options.crashLoopBackOff;
  if (backOff !== undefined) {
    if (backOff === null || typeof backOff !== 'object') {
      throw new InvalidArgumentError(
        'options.crashLoopBackOff',
        backOff,
        'an object { initialSeconds?, maxSeconds?, resetAfterSeconds? }',
      );
    }
    for (const key of ['initialSeconds', 'maxSeconds', 'resetAfterSeconds'] as const) {
      const value = backOff[key];
      if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
        throw new InvalidArgumentError(`options.crashLoopBackOff.${key}`, value, 'a finite number of seconds > 0');
      }
    }
    resolveSyncRequeue(backOff, 'options.crashLoopBackOff'); // requeue, syncFrequencySeconds
    const { afterProbeKill } = backOff;
    if (afterProbeKill !== undefined && afterProbeKill !== 'killingSync' && afterProbeKill !== 'killedExit') {
      throw new InvalidArgumentError(
        'options.crashLoopBackOff.afterProbeKill',
        afterProbeKill,
        "'killingSync' or 'killedExit'",
      );
    }
  }
  const gates = options.featureGates;
  if (gates !== undefined && (gates === null || typeof gates !== 'object')) {
    throw new InvalidArgumentError('options.featureGates', gates, 'an object such as { ContainerRestartRules: false }');
  }
  const delay = options.exitObservationDelayMs ?? 0;
  if (!(typeof delay === 'number' && Number.isFinite(delay) && delay >= 0)) {
    throw new InvalidArgumentError('options.exitObservationDelayMs', delay, 'a finite number of milliseconds >= 0');
  }
  if (options.random !== undefined && typeof options.random !== 'function') {
    throw new InvalidArgumentError('options.random', options.random, 'a function returning a number in [0, 1)');
  }
  if (options.tcpDialer !== undefined) requireMethods('options.tcpDialer', options.tcpDialer, ['connect']);
  if (options.grpcHealthChecker !== undefined) {
    requireMethods('options.grpcHealthChecker', options.grpcHealthChecker, ['check']);
  }
  return {
    crashLoopBackOff: backOff,
    featureGates: resolveFeatureGates(gates),
    exitObservationDelayMs: delay,
    random: options.random,
    tcpDialer: options.tcpDialer,
    grpcHealthChecker: options.grpcHealthChecker,
  };
}

/** Options of {@link LifecycleManager.stopContainer}. */
export interface StopOptions {
  /** Replaces the base grace, bounding preStop too (spec §4.2-C.4). Integer ≥ 0. */
  readonly gracePeriodOverride?: number | undefined;
  /** Why the container is killed; selects probe-level grace (spec §4.2-C.1). @default 'Unknown' */
  readonly reason?: KillReason | undefined;
  /** The `Killing` event message. @default `Stopping container <name>` */
  readonly message?: string | undefined;
}

/** Options of {@link LifecycleManager.deletePod}. */
export interface DeleteOptions {
  /** `DeleteOptions.gracePeriodSeconds`; 0 = force. @default the pod's terminationGracePeriodSeconds */
  readonly gracePeriodSeconds?: number | undefined;
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
