/**
 * Run `body` with an inner AbortSignal linked to the caller's `signal`: an abort of `signal`
 * aborts the inner one (cancelling the daemon request) and rejects at once with its reason. The
 * listener on `signal` is removed however the call ends, so a signal shared by many calls (as the
 * manager shares one) never piles up listeners. A result the body produces after the abort goes
 * to `onLate` (e.g. to remove a container created just too late).
 */
export async function linkedAbort<T>(
  signal: AbortSignal,
  body: (inner: AbortSignal) => Promise<T>,
  onLate?: (value: T) => void,
): Promise<T> {
  signal.throwIfAborted();
  const inner = new AbortController();
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      inner.abort(signal.reason);
      reject(signal.reason);
    };
  });
  signal.addEventListener('abort', onAbort);
  const work = body(inner.signal);
  try {
    return await Promise.race([work, aborted]);
  } catch (error) {
    if (signal.aborted) work.then((value) => onLate?.(value)).catch(() => undefined);
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Resolve after `ms` of wall time (adapter code: the daemon's time is real), or reject on abort. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return linkedAbort(
    signal,
    (inner) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        inner.addEventListener('abort', () => clearTimeout(timer), { once: true });
      }),
  );
}
