/**
 * API-server graceful delete (spec §4.1): `CheckGracefulDelete` and `BeforeDelete`, as pure functions
 * over plain numbers. Times are milliseconds on the caller's clock; periods are whole seconds.
 */

/** The deletion fields the API server keeps on a pod (`metadata.deletion*`). */
export interface DeletionState {
  /** `metadata.deletionGracePeriodSeconds`. */
  readonly deletionGracePeriodSeconds: number;
  /** `metadata.deletionTimestamp`: the instant the grace period ends, in milliseconds on the caller's clock. */
  readonly deletionAt: number;
  /** @deprecated Use `deletionAt` (same value); removed in 0.2.0. */
  readonly deletionTimestampMs: number;
}

/**
 * A stored {@link DeletionState} as {@link gracefulDelete} reads it: the instant in `deletionAt`, or
 * only in the deprecated `deletionTimestampMs` (states kept from before the rename). When both are
 * given, `deletionAt` wins.
 */
export type DeletionStateInput = { readonly deletionGracePeriodSeconds: number } & (
  | { readonly deletionAt: number; readonly deletionTimestampMs?: number | undefined }
  | {
      readonly deletionAt?: undefined;
      /** @deprecated Use `deletionAt`; removed in 0.2.0. */
      readonly deletionTimestampMs: number;
    }
);

/** What the API server knows of the pod when a delete arrives. */
export interface GracefulDeleteInput {
  /** `spec.terminationGracePeriodSeconds` (after defaulting normally 30). */
  readonly terminationGracePeriodSeconds?: number | undefined;
  /** `spec.nodeName`; an unscheduled pod (`""`) is deleted at once. `undefined` = assume scheduled. */
  readonly nodeName?: string | undefined;
  /** `status.phase`; `Succeeded`/`Failed` pods are deleted at once. */
  readonly phase?: string | undefined;
  /** The deletion state stored by an earlier delete, if the pod is already terminating. */
  readonly existing?: DeletionStateInput | undefined;
}

/** The outcome of one delete request. */
export interface GracefulDeleteResult {
  /** The deletion state after this request (unchanged on a no-op repeat). */
  readonly state: DeletionState;
  /** True when the object is removed at once (period 0, or a repeat on a stored period of 0). */
  readonly immediate: boolean;
  /** True when this request changed the stored state (first delete, or a shorter repeat). */
  readonly changed: boolean;
}

/**
 * One delete request against a pod, as the API server handles it (spec §4.1).
 *
 * First delete: `period = gracePeriodSeconds ?? TGPS ?? 0`; unscheduled or finished pods get 0;
 * negative becomes 1. Repeat delete (a stored negative period counts, and is handed back, as 1): a stored period of 0 deletes at once; a strictly smaller
 * period moves the timestamp to `old − oldPeriod + new` (clamped to now, where a non-zero period
 * becomes 1); larger, equal or omitted values change nothing — the grace can only shrink.
 *
 * @example
 * ```ts
 * gracefulDelete({ terminationGracePeriodSeconds: 30 }, {}, 0).state
 * // { deletionGracePeriodSeconds: 30, deletionAt: 30000, deletionTimestampMs: 30000 }
 * ```
 */
export function gracefulDelete(
  pod: GracefulDeleteInput,
  options: { readonly gracePeriodSeconds?: number | undefined },
  now: number,
): GracefulDeleteResult {
  const requested = options.gracePeriodSeconds;
  const existing = pod.existing;
  if (existing !== undefined) {
    const stored = coerceNegative(existing.deletionGracePeriodSeconds);
    const storedAt = existing.deletionAt ?? existing.deletionTimestampMs;
    // A stored negative period is handed back coerced (1), as Go does (issue 18).
    const current = handedBack(existing, stored, storedAt);
    if (stored === 0) return { state: current, immediate: true, changed: false };
    if (requested === undefined) return { state: current, immediate: false, changed: false };
    let period = coerceNegative(requested);
    if (period >= stored) return { state: current, immediate: false, changed: false };
    let deletionAt = storedAt - stored * 1000 + period * 1000;
    if (deletionAt < now) {
      deletionAt = now;
      if (period !== 0) period = 1;
    }
    return {
      state: deletionState(period, deletionAt),
      immediate: period === 0,
      changed: true,
    };
  }
  let period = requested ?? pod.terminationGracePeriodSeconds ?? 0;
  if (pod.nodeName === '') period = 0;
  if (pod.phase === 'Succeeded' || pod.phase === 'Failed') period = 0;
  period = coerceNegative(period);
  return {
    state: deletionState(period, now + period * 1000),
    immediate: period === 0,
    changed: true,
  };
}

/** A deletion state carrying the instant under both names (the deprecated one until 0.2.0). */
function deletionState(period: number, deletionAt: number): DeletionState {
  return { deletionGracePeriodSeconds: period, deletionAt, deletionTimestampMs: deletionAt };
}

/** The stored state as it is handed back: the same object when it is complete and unchanged. */
function handedBack(existing: DeletionStateInput, period: number, deletionAt: number): DeletionState {
  const isComplete = existing.deletionAt === deletionAt && existing.deletionTimestampMs === deletionAt;
  return isComplete && period === existing.deletionGracePeriodSeconds
    ? (existing as DeletionState)
    : deletionState(period, deletionAt);
}

/** Negative grace periods are treated as 1 (k/k#103476, k/k#115606). */
function coerceNegative(seconds: number): number {
  return seconds < 0 ? 1 : seconds;
}
