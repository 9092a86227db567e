/**
 * When the pod worker syncs a pod again after a sync that did not finish its work (spec pod
 * §4.3, the kubelet's `pod_workers.go` `completeWork`): a container found in CrashLoopBackOff, or
 * a start that failed. Every such sync emits `BackOff` again for each container still backing off
 * (spec pod §4.5), so the requeue cadence decides how fast that event's count grows
 * (`x5 over 4m`, as `kubectl describe` shows it).
 *
 * Pure: the caller arms one timer per pod with {@link requeueDelayMs}.
 *
 * @module
 */

import { InvalidArgumentError } from '../errors.js';

/**
 * How a sync that found a container in back-off is requeued (spec pod §4.3, §9 item 9).
 * - `backoffAligned` (1.35, k/k#133066): requeue at the back-off's expiry, but no later than
 *   `syncFrequency` (60 s): a 5-minute back-off is re-checked (and `BackOff` emitted) every minute.
 * - `fixed10s` (before 1.35, k/k#123602): requeue after the kubelet's `backOffPeriod` (10 s)
 *   whatever the back-off, so `BackOff` repeats every 10 s and a restart waits for the first sync
 *   at or after the expiry.
 */
export type CrashLoopRequeue = 'backoffAligned' | 'fixed10s';

/** The requeue figures of a pod worker (spec pod §4.1, §4.3). */
export interface SyncRequeuePolicy {
  /** @default 'backoffAligned' (the 1.35 kubelet) */
  readonly requeue?: CrashLoopRequeue;
  /** The kubelet's `syncFrequency`: the longest a failed sync waits for the next one. @default 60 */
  readonly syncFrequencySeconds?: number;
}

/** Resolved {@link SyncRequeuePolicy} in milliseconds. */
export interface SyncRequeueConfig {
  readonly requeue: CrashLoopRequeue;
  readonly syncFrequencyMs: number;
}

/** 1.35 figures (spec pod §4.1): `syncFrequency` 1 m, `backOffPeriod` (error retry) 10 s. */
export const SYNC_REQUEUE_DEFAULTS = Object.freeze({
  requeue: 'backoffAligned' as CrashLoopRequeue,
  syncFrequencySeconds: 60,
  errorRetrySeconds: 10,
});

/**
 * Check and resolve a {@link SyncRequeuePolicy}; throws `InvalidArgumentError` naming the field
 * (`path` prefixes it, e.g. `options.crashLoopBackOff`).
 *
 * @example resolveSyncRequeue({}) // { requeue: 'backoffAligned', syncFrequencyMs: 60000 }
 */
export function resolveSyncRequeue(policy: SyncRequeuePolicy = {}, path = 'crashLoopBackOff'): SyncRequeueConfig {
  const requeue = policy.requeue ?? SYNC_REQUEUE_DEFAULTS.requeue;
  if (requeue !== 'backoffAligned' && requeue !== 'fixed10s') {
    throw new InvalidArgumentError(`${path}.requeue`, policy.requeue, "'backoffAligned' or 'fixed10s'");
  }
  const seconds = policy.syncFrequencySeconds ?? SYNC_REQUEUE_DEFAULTS.syncFrequencySeconds;
  if (!(typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0)) {
    throw new InvalidArgumentError(`${path}.syncFrequencySeconds`, seconds, 'a finite number of seconds > 0');
  }
  return { requeue, syncFrequencyMs: seconds * 1000 };
}

/** Why a sync did not finish its work. */
export type SyncShortfall =
  /** A container is in back-off until `backOffEndsAt` (the kubelet's `BackoffError`). */
  | { readonly kind: 'backOff'; readonly backOffEndsAt: number }
  /** Any other sync error (a failed start, a failed sandbox). */
  | { readonly kind: 'error' };

/**
 * The delay before the next sync (spec pod §4.3 rule 4): `d = backOffUntil − now` for a back-off
 * (`backoffAligned`), else the 10 s `backOffPeriod`; clamped to `[0, syncFrequency]`; then
 * `Jitter(d, 0.5) = d + random()·0.5·d` when a random source is given (none: exactly `d`).
 * Several shortfalls in one sync: the earliest wins.
 *
 * @example requeueDelayMs([{ kind: 'backOff', backOffEndsAt: 300_000 }], 0, cfg) // 60000
 */
export function requeueDelayMs(
  shortfalls: readonly SyncShortfall[],
  now: number,
  config: SyncRequeueConfig,
  random?: () => number,
): number {
  const errorRetryMs = SYNC_REQUEUE_DEFAULTS.errorRetrySeconds * 1000;
  let delayMs = Infinity;
  for (const s of shortfalls) {
    const d = s.kind === 'backOff' && config.requeue === 'backoffAligned' ? s.backOffEndsAt - now : errorRetryMs;
    delayMs = Math.min(delayMs, Math.max(0, Math.min(d, config.syncFrequencyMs)));
  }
  if (delayMs === Infinity) return 0;
  const factor = random === undefined ? 0 : random();
  return delayMs + (Number.isFinite(factor) && factor > 0 ? Math.min(factor, 1) * 0.5 * delayMs : 0);
}
