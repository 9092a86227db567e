/**
 * The timers of one pod's sync engine (src/pod/pod-sync.ts): the sandbox retry and the requeued
 * sync, one each like the kubelet's work queue. Two fields, where a `Map` per pod held them
 * (≈ 0.2 KB with its table, docs/performance-history.md round 6); the two are never armed together, as
 * syncs begin once the sandbox is up.
 *
 * @internal
 * @module
 */

import type { Clock } from '../ports/clock.js';

/** What the timers call back. */
export interface SyncTimersHost {
  readonly clock: Clock;
  /** Create the sandbox again (after a failure). */
  begin(): Promise<void>;
  /** Sync again. */
  kick(): void;
}

/** The pending timers of one pod's sync. */
export class SyncTimers {
  #sandbox: unknown = undefined;
  #requeue: unknown = undefined;
  /** The requeue timer's callback (one per pod, not two closures per requeue). */
  readonly #onRequeue = (): void => {
    this.#requeue = undefined;
    this.host.kick();
  };

  constructor(private readonly host: SyncTimersHost) {}

  /** (Re)arm the sandbox retry. */
  armSandbox(delayMs: number): void {
    const { clock } = this.host;
    if (this.#sandbox !== undefined) clock.clearTimeout(this.#sandbox);
    this.#sandbox = clock.setTimeout(
      () => {
        this.#sandbox = undefined;
        void this.host.begin();
      },
      Math.max(0, delayMs),
    );
  }

  /** (Re)arm the requeued sync. */
  armRequeue(delayMs: number): void {
    const { clock } = this.host;
    if (this.#requeue !== undefined) clock.clearTimeout(this.#requeue);
    this.#requeue = clock.setTimeout(this.#onRequeue, Math.max(0, delayMs));
  }

  /** Clear the pending timers (in the order they were armed: the sandbox retry comes first). */
  clear(): void {
    const { clock } = this.host;
    if (this.#sandbox !== undefined) clock.clearTimeout(this.#sandbox);
    if (this.#requeue !== undefined) clock.clearTimeout(this.#requeue);
    this.#sandbox = undefined;
    this.#requeue = undefined;
  }
}
