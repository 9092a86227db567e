/**
 * The kubelet's CrashLoopBackOff (spec pod §4): `flowcontrol.Backoff` keyed per container, with
 * the 1.35 constants, the `KubeletCrashLoopBackOffMax` / `ReduceDefaultCrashLoopBackOffDecay`
 * variants as policy values, and the kubelet's Waiting message and `BackOff` event text.
 * Deterministic: no jitter (the kubelet builds `NewBackOff` without one, spec pod §4.1).
 *
 * @module
 */

import { goDurationString } from '../api/go-format.js';
import type { SyncRequeuePolicy } from './sync-requeue.js';

/**
 * Back-off figures (DESIGN §10 policy `crashLoopBackOff`). Each is optional; the defaults are the
 * kubelet's 1.35 ones (spec pod §4.1). `requeue` and `syncFrequencySeconds` say when a pod in
 * back-off is synced again, i.e. how often `BackOff` repeats (spec pod §4.3, `SyncRequeuePolicy`).
 */
export interface CrashLoopBackOffPolicy extends SyncRequeuePolicy {
  /** First wait (after the second crash). @default 10 (1 with `reducedDecay`) */
  readonly initialSeconds?: number | undefined;
  /** Cap of the doubling (`maxContainerRestartPeriod`). @default 300 (`KubeletCrashLoopBackOffMax` is on in 1.35, so also with `reducedDecay`) */
  readonly maxSeconds?: number | undefined;
  /** An exit more than this long after the last start decision resets the back-off. @default 600 */
  readonly resetAfterSeconds?: number | undefined;
  /**
   * Gate `ReduceDefaultCrashLoopBackOffDecay` (alpha in 1.35, off): initial 1 s, max 60 s, and
   * with `KubeletCrashLoopBackOffMax` (on) the max back to 300 s unless `maxSeconds` says otherwise
   * (spec pod §4.1, §8 item 3: code and docs disagree; this follows the code).
   * @default false
   */
  readonly reducedDecay?: boolean | undefined;
  /**
   * The back-off check of a container restarted because a liveness or startup probe killed it
   * (spec pod §3.2 rule 3, §4.2).
   * - `'killingSync'` (the kubelet): the replacement starts in the sync that killed the container,
   *   from the status read before the kill, so `doBackOff` reads the exit of the instance before
   *   the killed one; after a first instance there is none, and it starts at once without a
   *   back-off step. A container that fails its probe every 20 s so restarts at once until its
   *   back-off outgrows that; a refused start is followed by the sync the exit itself triggers
   *   (a second `BackOff`), which waits from the killed instance's exit (k/k#22240).
   * - `'killedExit'`: the check reads the killed instance's own exit, as after any other exit.
   * @default 'killingSync'
   */
  readonly afterProbeKill?: AfterProbeKill | undefined;
}

/** Which exit a restart after a probe kill waits from ({@link CrashLoopBackOffPolicy.afterProbeKill}). */
export type AfterProbeKill = 'killingSync' | 'killedExit';

/** Resolved back-off figures in milliseconds. */
export interface CrashLoopBackOffConfig {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly resetAfterMs: number;
}

/** 1.35 constants (spec pod §4.1). */
export const CRASH_LOOP_BACK_OFF_DEFAULTS = Object.freeze({
  initialSeconds: 10,
  maxSeconds: 300,
  reducedInitialSeconds: 1,
  reducedMaxSeconds: 60,
  resetAfterSeconds: 600,
});

/**
 * `newCrashLoopBackOff(cfg)` (spec pod §4.1): start 10 s / 300 s; reduced decay → 1 s / 60 s; then
 * `KubeletCrashLoopBackOffMax` (on in 1.35) sets max to the configured value (defaulted to 300 s)
 * and lowers initial to max when max < initial.
 *
 * @example resolveCrashLoopBackOff({ maxSeconds: 2 }) // { initialMs: 2000, maxMs: 2000, resetAfterMs: 600000 }
 */
export function resolveCrashLoopBackOff(policy: CrashLoopBackOffPolicy = {}): CrashLoopBackOffConfig {
  const d = CRASH_LOOP_BACK_OFF_DEFAULTS;
  let initial: number = policy.reducedDecay ? d.reducedInitialSeconds : d.initialSeconds;
  // KubeletCrashLoopBackOffMax on: the defaulter fills a nil max with 300 s (spec pod §4.1).
  const max = policy.maxSeconds ?? d.maxSeconds;
  if (policy.initialSeconds !== undefined) initial = policy.initialSeconds;
  else if (max < initial) initial = max;
  return {
    initialMs: initial * 1000,
    maxMs: max * 1000,
    resetAfterMs: (policy.resetAfterSeconds ?? d.resetAfterSeconds) * 1000,
  };
}

interface BackOffEntry {
  readonly backOffMs: number;
  readonly lastUpdateAt: number;
}

/**
 * `flowcontrol.Backoff` as the kubelet uses it (spec pod §4.2), keyed by container. Time is
 * passed in (clock ms); nothing here reads a clock.
 *
 * The kubelet also garbage-collects the back-off in its housekeeping (`HandlePodCleanups` ends
 * with `crashLoopBackOff.GC()`, every 2 s): an entry not updated for more than `resetAfter`
 * (`now − lastUpdate > 600 s`) is dropped, so a container that ran a few minutes and then waits
 * out a long back-off restarts at the first sync after that instant, with the back-off reset.
 * Here an entry is dropped when it is next read at such a `now` (the housekeeping's up to 2 s of
 * lag are not modelled).
 */
export class CrashLoopBackOff {
  readonly config: CrashLoopBackOffConfig;
  readonly #entries = new Map<string, BackOffEntry>();

  constructor(config: CrashLoopBackOffConfig = resolveCrashLoopBackOff()) {
    this.config = config;
  }

  /** The entry of `key`, unless the kubelet's `GC()` would have dropped it by `now` (see the class). */
  #live(key: string, now: number): BackOffEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || !this.#expired(now, entry)) return entry;
    this.#entries.delete(key);
    return undefined;
  }

  /** `HasExpiredFunc`: `eventTime − lastUpdate > resetAfter`, strictly (spec pod §4.2). */
  #expired(eventAt: number, entry: BackOffEntry): boolean {
    return eventAt - entry.lastUpdateAt > this.config.resetAfterMs;
  }

  /**
   * `IsInBackOffSince(key, finishedAt)`: an entry exists, has not expired, and less than its
   * back-off has passed since `finishedAt`.
   */
  isInBackOffSince(key: string, finishedAt: number, now: number): boolean {
    const entry = this.#live(key, now);
    if (!entry || this.#expired(finishedAt, entry)) return false;
    return now - finishedAt < entry.backOffMs;
  }

  /** The current back-off of `key` in ms (0 without an entry). */
  backOffMs(key: string): number {
    return this.#entries.get(key)?.backOffMs ?? 0;
  }

  /** `Next(key, finishedAt)`: initial for a new or expired entry, else double up to the cap. */
  next(key: string, finishedAt: number, now: number): void {
    const entry = this.#live(key, now);
    const backOffMs =
      !entry || this.#expired(finishedAt, entry)
        ? this.config.initialMs
        : Math.min(entry.backOffMs * 2, this.config.maxMs);
    this.#entries.set(key, { backOffMs, lastUpdateAt: now });
  }
}

/** The pod as the kubelet names it in messages: `<name>_<namespace>(<uid>)`. */
export function podDescription(pod: { name: string; namespace: string; uid: string }): string {
  return `${pod.name}_${pod.namespace}(${pod.uid})`;
}

/**
 * Waiting message while backing off (spec pod §4.4):
 * `back-off 10s restarting failed container=app pod=web_default(uid)`.
 */
export function crashLoopBackOffMessage(
  backOffMs: number,
  container: string,
  pod: { name: string; namespace: string; uid: string },
): string {
  // One flat string: the record keeps it while the container waits (a template literal's rope of
  // ≈ 10 cons strings held ≈ 350 B more per container: docs/performance-history.md round 6).
  const parts = [
    'back-off ',
    goDurationString(backOffMs),
    ' restarting failed container=',
    container,
    ' pod=',
    pod.name,
    '_',
    pod.namespace,
    '(',
    pod.uid,
    ')',
  ];
  return parts.join('');
}

/**
 * Warning `BackOff` event message (spec pod §4.5):
 * `Back-off restarting failed container app in pod web_default(uid)`.
 */
export function backOffEventMessage(container: string, pod: { name: string; namespace: string; uid: string }): string {
  return `Back-off restarting failed container ${container} in pod ${podDescription(pod)}`;
}
