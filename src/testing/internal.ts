/** A wait for an abort: see {@link untilAborted}. Internal. */
export interface AbortWait {
  /** Rejects with `signal.reason` once the signal aborts (at once if it already has); never resolves. */
  readonly promise: Promise<never>;
  /** Remove the abort listener (call it once the work raced against `promise` has settled). Idempotent. */
  readonly dispose: () => void;
}

/**
 * A promise that rejects with `signal.reason` once `signal` aborts (never resolves), and a
 * `dispose` that removes its listener. The manager may pass one long-lived signal to many
 * adapter calls, so a call that races this against its work must `dispose` once it settled;
 * a wait that only ends with the abort (a `hang`) needs no dispose: the listener is `once`.
 * Internal.
 */
export function untilAborted(signal: AbortSignal): AbortWait {
  let dispose = (): void => undefined;
  const promise = new Promise<never>((_, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    dispose = () => signal.removeEventListener('abort', onAbort);
  });
  return { promise, dispose };
}

/**
 * Run `work` and race its result against `signal` (as `Promise.race([untilAborted(signal),
 * work()])`, the abort listed first), removing the abort listener once the race has settled,
 * whatever the outcome (including a synchronous throw of `work`). Internal.
 */
export async function raceAbort<T>(signal: AbortSignal, work: () => T | PromiseLike<T>): Promise<T> {
  const aborted = untilAborted(signal);
  aborted.promise.catch(() => undefined); // a synchronous throw of `work` leaves it unraced
  try {
    return await Promise.race([aborted.promise, work()]);
  } finally {
    aborted.dispose();
  }
}
