/**
 * Kubelet grace arithmetic (spec §4.2-A, §4.2-C), as pure functions over whole seconds.
 */
import type { Container, Pod } from '../api/types.js';

/** Why a container is killed: selects the probe-level grace (spec §4.2-C.1, [KM]). */
export type KillReason = 'StartupProbe' | 'LivenessProbe' | 'FailedPostStartHook' | 'Unknown';

/** All kill reasons, for validation and documentation. */
export const KILL_REASONS: readonly KillReason[] = Object.freeze([
  'StartupProbe',
  'LivenessProbe',
  'FailedPostStartHook',
  'Unknown',
]);

/** The kubelet's `minimumGracePeriodInSeconds` ([KM]). */
export const MINIMUM_GRACE_PERIOD_SECONDS = 2;

/** Inputs of the pod worker's `calculateEffectiveGracePeriod` (spec §4.2-A). */
export interface EffectiveGraceInput {
  /** The effective grace stored by an earlier update; 0 the first time. */
  readonly previousSeconds: number;
  /** `metadata.deletionGracePeriodSeconds`. */
  readonly deletionGracePeriodSeconds?: number | undefined;
  /** A kill-option override (eviction and similar). */
  readonly killOverrideSeconds?: number | undefined;
  /** `spec.terminationGracePeriodSeconds`. */
  readonly terminationGracePeriodSeconds?: number | undefined;
}

/** The pod worker's effective grace, whether an override set it, and whether it shrank. */
export interface EffectiveGrace {
  readonly gracePeriodSeconds: number;
  readonly overridden: boolean;
  readonly shortened: boolean;
}

/**
 * The pod worker's effective grace period (spec §4.2-A): DGPS or a kill override when smaller,
 * else the spec TGPS, floored at 1 so it never reaches the runtime as 0.
 */
export function effectiveGracePeriod(input: EffectiveGraceInput): EffectiveGrace {
  let gp = input.previousSeconds;
  let overridden = false;
  const dgps = input.deletionGracePeriodSeconds;
  if (dgps !== undefined && (gp === 0 || dgps < gp)) {
    gp = dgps;
    overridden = true;
  }
  const override = input.killOverrideSeconds;
  if (override !== undefined && (gp === 0 || override < gp)) {
    gp = override;
    overridden = true;
  }
  if (!overridden && gp === 0 && input.terminationGracePeriodSeconds !== undefined) {
    gp = input.terminationGracePeriodSeconds;
  }
  if (gp < 1) gp = 1;
  const shortened = input.previousSeconds !== 0 && input.previousSeconds !== gp;
  return { gracePeriodSeconds: gp, overridden, shortened };
}

/**
 * The base grace of one container kill (spec §4.2-C.1, `setTerminationGracePeriod`): the pod's
 * DGPS if set; else the startup or liveness probe's own grace for kills by that probe; else the
 * pod TGPS; else the 2-second minimum.
 */
export function containerBaseGrace(pod: Pod, container: Container, reason: KillReason): number {
  const dgps = pod.metadata?.deletionGracePeriodSeconds;
  if (dgps !== undefined && dgps !== null) return dgps;
  const tgps = pod.spec?.terminationGracePeriodSeconds;
  if (tgps === undefined || tgps === null) return MINIMUM_GRACE_PERIOD_SECONDS;
  if (reason === 'StartupProbe') return container.startupProbe?.terminationGracePeriodSeconds ?? tgps;
  if (reason === 'LivenessProbe') return container.livenessProbe?.terminationGracePeriodSeconds ?? tgps;
  return tgps;
}

/** Whole seconds the kubelet charges for a wait: `floor(elapsedMs / 1000)` (spec §4.2-C.5, §10). */
export function chargedSeconds(elapsedMs: number): number {
  return Math.max(0, Math.floor(elapsedMs / 1000));
}

/**
 * The stop timeout handed to the runtime: the remaining grace, raised to the minimum
 * (spec §4.2-C.7, the "one-off grace period extension of 2 seconds").
 */
export function stopTimeoutSeconds(remainingSeconds: number, minimumSeconds = MINIMUM_GRACE_PERIOD_SECONDS): number {
  return Math.max(remainingSeconds, minimumSeconds);
}

/** One step of a container kill as planned from its grace (spec §4.2-C.4–7). */
export interface KillPlanInput {
  /** Base grace (`containerBaseGrace`). */
  readonly baseGraceSeconds: number;
  /** The pod-worker override, applied before preStop (k/k#115835). */
  readonly overrideSeconds?: number | undefined;
  readonly hasPreStop: boolean;
  /** Milliseconds the preStop took (or the grace timer, whichever came first). */
  readonly preStopElapsedMs: number;
  /** Milliseconds spent waiting for sidecar ordering. */
  readonly orderingWaitMs: number;
  /**
   * Milliseconds left before a lowered deadline (the `interrupt` policy for a shorter second
   * delete): the remaining grace never exceeds its whole seconds. `undefined`: no lowered deadline.
   */
  readonly remainingCapMs?: number | undefined;
  readonly minimumSeconds?: number | undefined;
}

/** The resulting budget at each step. */
export interface KillPlan {
  /** Grace after the override: the preStop budget. */
  readonly gracePeriodSeconds: number;
  /** Whether preStop runs at all (defined and grace > 0). */
  readonly runsPreStop: boolean;
  /** Grace left after preStop and ordering waits, before the minimum. */
  readonly remainingSeconds: number;
  /** Timeout handed to the runtime. */
  readonly stopTimeoutSeconds: number;
}

/**
 * The whole kill arithmetic in one pure function (spec §4.2-C): override before preStop,
 * `floor` of elapsed seconds, ordering wait, minimum 2. The kill sequence (src/container/) calls
 * it at each step with what it has measured so far; it computes no grace itself.
 *
 * @example
 * ```ts
 * killPlan({ baseGraceSeconds: 30, hasPreStop: true, preStopElapsedMs: 29_999, orderingWaitMs: 0 })
 * // { gracePeriodSeconds: 30, runsPreStop: true, remainingSeconds: 1, stopTimeoutSeconds: 2 }
 * ```
 */
export function killPlan(input: KillPlanInput): KillPlan {
  const grace = input.overrideSeconds ?? input.baseGraceSeconds;
  const remaining = remainingSecondsAfter(input, input.preStopElapsedMs, input.orderingWaitMs, input.remainingCapMs);
  return {
    gracePeriodSeconds: grace,
    runsPreStop: input.hasPreStop && grace > 0,
    remainingSeconds: remaining,
    stopTimeoutSeconds: stopTimeoutSeconds(remaining, input.minimumSeconds),
  };
}

/**
 * {@link killPlan}'s `remainingSeconds` for `input` with what the kill measured since
 * (`preStopElapsedMs`, `orderingWaitMs`, `remainingCapMs` in place of the input's), without
 * building the input or the plan: a kill asks it after its waits, once per container.
 *
 * @example stopTimeoutSeconds(remainingSecondsAfter(input, 1500, 0, undefined), input.minimumSeconds)
 * @internal
 */
export function remainingSecondsAfter(
  input: Pick<KillPlanInput, 'baseGraceSeconds' | 'overrideSeconds' | 'hasPreStop'>,
  preStopElapsedMs: number,
  orderingWaitMs: number,
  remainingCapMs: number | undefined,
): number {
  const grace = input.overrideSeconds ?? input.baseGraceSeconds;
  let remaining = grace;
  if (input.hasPreStop && grace > 0) remaining -= chargedSeconds(Math.min(preStopElapsedMs, grace * 1000));
  if (remaining > 0) remaining -= chargedSeconds(Math.min(orderingWaitMs, remaining * 1000));
  if (remainingCapMs !== undefined) remaining = Math.min(remaining, chargedSeconds(remainingCapMs));
  return remaining;
}

/**
 * The timeout of a stop re-issued before a lowered deadline (the `interrupt` policy, spec
 * §4.2-F.6): the whole seconds left, raised to the minimum.
 */
export function reissuedStopTimeoutSeconds(remainingMs: number, minimumSeconds = MINIMUM_GRACE_PERIOD_SECONDS): number {
  return stopTimeoutSeconds(chargedSeconds(remainingMs), minimumSeconds);
}
