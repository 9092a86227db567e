/**
 * Calling an adapter safely: whatever it does (throw synchronously, reject with any value, never
 * settle), the caller gets one plain result, and an abort of the hook's signal settles at once.
 *
 * @module
 */

/** How an adapter call ended. */
export type Settled<T> =
  | { readonly kind: 'fulfilled'; readonly value: T }
  | { readonly kind: 'rejected'; readonly error: unknown }
  | { readonly kind: 'aborted' };

/**
 * Callbacks waiting for a signal to abort, behind one `abort` listener per signal. A hook's
 * adapter calls share their container instance's signal (the manager reuses it across calls and
 * instances), so one listener per signal for its lifetime replaces an add and a remove per call:
 * those were a tenth of a lifecycle cycle's time (docs/performance.md).
 */
const abortWaiters = new WeakMap<AbortSignal, Set<() => void>>();

/** Call `callback` when `signal` aborts (it must not be aborted yet); returns how to stop waiting. */
function whenAborted(signal: AbortSignal, callback: () => void): Set<() => void> {
  let waiters = abortWaiters.get(signal);
  if (waiters === undefined) {
    const set = new Set<() => void>();
    waiters = set;
    abortWaiters.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        abortWaiters.delete(signal);
        for (const waiter of set) waiter();
      },
      { once: true },
    );
  }
  waiters.add(callback);
  return waiters;
}

/**
 * Run `start` and race its promise against `signal`. Never rejects. An abort wins over an adapter
 * that settles later (whose late result or rejection is absorbed, so nothing goes unhandled). Uses
 * no timers, and leaves nothing waiting on `signal` once settled: at most one `abort` listener per
 * signal stays, shared by every call given that signal.
 */
export function settle<T>(start: () => PromiseLike<T> | T, signal: AbortSignal): Promise<Settled<T>> {
  return new Promise<Settled<T>>((resolve) => {
    if (signal.aborted) {
      resolve({ kind: 'aborted' });
      return;
    }
    let isDone = false;
    const onAbort = (): void => finish({ kind: 'aborted' });
    const waiters = whenAborted(signal, onAbort);
    const finish = (result: Settled<T>): void => {
      if (isDone) return;
      isDone = true;
      waiters.delete(onAbort);
      resolve(result);
    };
    let pending: PromiseLike<T> | T;
    try {
      pending = start();
    } catch (error) {
      finish({ kind: 'rejected', error });
      return;
    }
    Promise.resolve(pending).then(
      (value) => finish({ kind: 'fulfilled', value }),
      (error: unknown) => finish({ kind: 'rejected', error }),
    );
  });
}

/**
 * The Go context error an aborted hook reports: `context deadline exceeded` when the signal's
 * reason is a `TimeoutError` (as `AbortSignal.timeout` gives), else `context canceled`.
 */
export function contextErrorText(signal: AbortSignal): string {
  let name: unknown;
  try {
    name = (signal.reason as { name?: unknown } | null | undefined)?.name;
  } catch {
    name = undefined;
  }
  return name === 'TimeoutError' ? 'context deadline exceeded' : 'context canceled';
}
