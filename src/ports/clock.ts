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
