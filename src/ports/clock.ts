/**
 * The time port. Every timing decision of the core goes through a `Clock`: reading time,
 * arming and cancelling timers. Inject {@link systemClock} in production and a
 * `VirtualClock` (from `kube-lifecycle/testing`) in tests, so a 30-second grace runs in microseconds.
 */
export interface Clock {
  /** Current time in milliseconds on a monotonic scale (not necessarily the Unix epoch). */
  now(): number;
  /** Call `callback` once, `delayMs` milliseconds from now. Returns an opaque handle. */
  setTimeout(callback: () => void, delayMs: number): unknown;
  /** Cancel a timer armed by this clock's `setTimeout`. Unknown or fired handles are ignored. */
  clearTimeout(handle: unknown): void;
  /**
   * Optional: keep the process alive while this clock has a pending timer, until the returned
   * function is called (once; later calls are no-ops). The manager holds one while it has work —
   * a start, a stop, a delete, a pod worker that runs — so a grace period or a back-off wait on a
   * clock whose timers do not keep the process alive by themselves (`systemClock`) still ends.
   * Clocks without it (a `VirtualClock`) need nothing.
   */
  keepAlive?(): () => void;
  /**
   * Optional: call `callback` once, when the work now in flight has gone as far as it can without
   * time moving: for a `VirtualClock`, when a flush finds the promise chains idle (before any
   * timer fires); for `systemClock`, at the event loop's next check phase (`setImmediate`), after
   * this turn's microtasks. The manager's deadline races use it as the signal that separates work
   * an in-memory adapter answers at once (however many `await`s it takes) from work that waits on
   * I/O or on time. Without it a race takes the slower path from the start, with the same outcome.
   */
  whenIdle?(callback: () => void): void;
  /**
   * Optional, opt-in: `true` keeps each of the manager's deadline races (a runtime or hook call
   * against its time limit) on the timer it armed when the call began, until the race settles,
   * instead of handing a call still pending at the idle signal ({@link Clock.whenIdle}) to
   * p-timeout with a new timer for the rest of the same limit. Every outcome is the same. What
   * changes, and why it is not the default: an embedder can observe that a pending call's answer
   * reaches the manager one microtask turn after the adapter settles (through p-timeout, five), and
   * that the limit's timer keeps its place among timers due at the same instant (armed at the
   * call, not at the idle signal). What it saves: a pending call retains ≈ 1.3 KB less (p-timeout's
   * promises, closures and timer) and arms one timer fewer. On the real clock with thousands of
   * calls pending at once (a burst of stops), that state is what the garbage collector copies
   * while the SIGKILLs fall due (docs/performance-history.md, round 6).
   * @default undefined (hand over to p-timeout, DESIGN §2)
   * @example
   * ```ts
   * const clock: Clock = { ...systemClock, keepsDeadlineTimers: true };
   * const manager = new LifecycleManager({ runtime, httpClient, clock });
   * ```
   */
  readonly keepsDeadlineTimers?: boolean | undefined;
}

/**
 * Resolve after `delayMs` on `clock`, or reject with `signal.reason` as soon as `signal` aborts.
 * Leaves no timer armed and no abort listener on `signal` once settled.
 */
export function sleepOn(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let handle: unknown;
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(signal?.reason);
    };
    // Listen before arming: a clock that fires at once must still find the listener to remove.
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      handle = clock.setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, delayMs),
      );
    } catch (error) {
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    }
  });
}
