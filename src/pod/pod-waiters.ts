/**
 * `waitForPod` semantics (DESIGN §10) over a stream of published statuses: resolve with the first
 * status that satisfies the condition, `ERR_WAIT_TIMEOUT` on the injected clock, the signal's
 * reason on abort, `ERR_POD_TERMINAL` once the condition can no longer hold.
 *
 * @module
 */

import type { PodLifecycleStatus } from '../api/pod-status.js';
import type { Clock } from '../ports/clock.js';
import { findCondition } from './pod-conditions.js';
import { PodWaitError } from './pod-errors.js';

/** What to wait for: a named goal or a predicate over the status. */
export type PodWaitCondition = 'Ready' | 'Succeeded' | 'Failed' | ((status: PodLifecycleStatus) => boolean);

/** Options of `waitFor`. */
export interface PodWaitOptions {
  /** Give up after this many ms on the injected clock. @default no timeout */
  readonly timeoutMs?: number | undefined;
  /** Abort the wait; it rejects with `signal.reason`. */
  readonly signal?: AbortSignal | undefined;
}

/** Where the worker stands, for deciding whether a condition can still hold. */
export interface PodWaitView {
  readonly status: PodLifecycleStatus;
  /** The pod was deleted (`stop()`). */
  readonly deleted: boolean;
  /** No further status change can come. */
  readonly final: boolean;
}

function satisfied(condition: PodWaitCondition, status: PodLifecycleStatus): boolean {
  if (typeof condition === 'function') return condition(status);
  if (condition === 'Ready') return findCondition(status.conditions, 'Ready')?.status === 'True';
  return status.phase === condition;
}

function hopeless(condition: PodWaitCondition, view: PodWaitView): boolean {
  if (view.final) return true;
  if (typeof condition === 'function') return false;
  const terminal = view.status.phase === 'Succeeded' || view.status.phase === 'Failed';
  return terminal || (view.deleted && condition === 'Ready');
}

interface Waiter {
  check(view: PodWaitView): void;
}

/** The set of pending waits of one pod; `update` after every published status. */
export class PodWaiters {
  readonly #waiters = new Set<Waiter>();
  readonly #clock: Clock;
  readonly #podName: string;

  constructor(clock: Clock, podName: string) {
    this.#clock = clock;
    this.#podName = podName;
  }

  /** Re-evaluate every pending wait against `view`. */
  update(view: PodWaitView): void {
    for (const waiter of [...this.#waiters]) waiter.check(view);
  }

  /** Wait for `condition`; `view` is read now and at every `update`. */
  wait(condition: PodWaitCondition, view: PodWaitView, options: PodWaitOptions = {}): Promise<PodLifecycleStatus> {
    const label = typeof condition === 'function' ? 'matching the condition' : condition;
    return new Promise<PodLifecycleStatus>((resolve, reject) => {
      const { signal, timeoutMs } = options;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      let timer: unknown;
      let last = view.status;
      const done = (): void => {
        this.#waiters.delete(waiter);
        if (timer !== undefined) this.#clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        done();
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        check: (v) => {
          last = v.status;
          let ok: boolean;
          try {
            ok = satisfied(condition, v.status);
          } catch (error) {
            done();
            reject(error);
            return;
          }
          if (ok) {
            done();
            resolve(v.status);
          } else if (hopeless(condition, v)) {
            done();
            const why = v.deleted ? 'the pod was deleted' : `the pod is ${v.status.phase}`;
            reject(
              new PodWaitError('ERR_POD_TERMINAL', this.#podName, label, v.status, `${why}; it cannot become ${label}`),
            );
          }
        },
      };
      this.#waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) {
        timer = this.#clock.setTimeout(() => {
          done();
          reject(
            new PodWaitError(
              'ERR_WAIT_TIMEOUT',
              this.#podName,
              label,
              last,
              `not reached within ${timeoutMs} ms; raise timeoutMs or check the events`,
            ),
          );
        }, timeoutMs);
      }
      waiter.check(view);
    });
  }
}
