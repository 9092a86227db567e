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
 * Run `start` and race its promise against `signal`. Never rejects. An abort wins over an adapter
 * that settles later (whose late result or rejection is absorbed, so nothing goes unhandled), and
 * the abort listener is removed once settled. Uses no timers.
 */
export function settle<T>(start: () => PromiseLike<T> | T, signal: AbortSignal): Promise<Settled<T>> {
  return new Promise<Settled<T>>((resolve) => {
    if (signal.aborted) {
      resolve({ kind: 'aborted' });
      return;
    }
    let isDone = false;
    const onAbort = (): void => finish({ kind: 'aborted' });
    const finish = (result: Settled<T>): void => {
      if (isDone) return;
      isDone = true;
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    signal.addEventListener('abort', onAbort, { once: true });
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
