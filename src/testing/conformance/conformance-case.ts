import { errorText } from '../../errors.js';
import { type Clock, sleepOn } from '../../ports/clock.js';
import { TestingError } from '../errors.js';
import { VirtualClock } from '../virtual-clock.js';

/** One named conformance check. `run` resolves on success and throws a descriptive error on failure. */
export interface ConformanceCase {
  readonly name: string;
  readonly run: () => Promise<void>;
}

/**
 * Register conformance cases with any test runner whose `test(name, fn)` accepts an async
 * function: vitest, jest, mocha, `node:test`, ava…
 *
 * @example
 * ```ts
 * import { test } from 'vitest';
 * registerConformanceCases(runtimeConformanceCases(makeHarness), test);
 * // equivalent to: for (const c of cases) test(c.name, c.run);
 * ```
 */
export function registerConformanceCases(
  cases: readonly ConformanceCase[],
  test: (name: string, fn: () => Promise<void>) => unknown,
  options: { prefix?: string } = {},
): void {
  for (const c of cases) test(options.prefix === undefined ? c.name : `${options.prefix}${c.name}`, c.run);
}

/** The failure of a conformance case. */
export function conformanceFailure(suite: string, name: string, detail: string, cause?: unknown): TestingError {
  return new TestingError(
    'ERR_CONFORMANCE',
    `${suite} conformance, "${name}": ${detail}`,
    cause === undefined ? {} : { cause },
  );
}

/** How a promise stood after a wait. */
export type Settlement<T> =
  | { readonly settled: false }
  | { readonly settled: true; readonly ok: true; readonly value: T }
  | { readonly settled: true; readonly ok: false; readonly error: unknown };

/**
 * Track `promise` and let `ms` pass on `clock`: a `VirtualClock` is advanced (so the adapter's
 * timers fire), any other clock is waited on in real time, stopping early once `promise` settles.
 * Returns a function that reports how the promise stands.
 */
export function track<T>(promise: Promise<T>): () => Settlement<T> {
  let state: Settlement<T> = { settled: false };
  promise.then(
    (value) => {
      state = { settled: true, ok: true, value };
    },
    (error: unknown) => {
      state = { settled: true, ok: false, error };
    },
  );
  return () => state;
}

/** Let `ms` pass (virtual: advance; real: sleep, returning early once `until` settles). */
export async function pass(clock: Clock, ms: number, until?: Promise<unknown>): Promise<void> {
  if (clock instanceof VirtualClock) return clock.advance(ms);
  const controller = new AbortController();
  const sleep = sleepOn(clock, ms, controller.signal).catch(() => undefined);
  await Promise.race(
    until === undefined
      ? [sleep]
      : [
          sleep,
          until.then(
            () => undefined,
            () => undefined,
          ),
        ],
  );
  controller.abort();
}

/** Describes a thrown value for a failure message. */
export function describeError(error: unknown): string {
  if (error instanceof Error)
    return `${error.name}: ${error.message}${'code' in error ? ` (code ${String(error.code)})` : ''}`;
  return errorText(error);
}

/** Counts the 'abort' listeners adapters leave on one signal (see {@link trackAbortListeners}). */
export interface AbortListenerTracker {
  /** Listeners added and neither removed nor (for `once` ones) fired by an abort. */
  left(): number;
  /** Put back the signal's own `addEventListener`/`removeEventListener` (drops the shadowing properties). */
  restore(): void;
}

/**
 * Count the `'abort'` listeners added to `signal` that are still attached: `addEventListener` and
 * `removeEventListener` are shadowed by own properties of this signal instance that note each
 * `(listener, capture)` pair (DOM identity: adding a pair twice is one listener) and delegate to
 * the prototype's methods. A `{ once: true }` listener counts as removed only when it is removed
 * explicitly or the signal aborts; one added with `{ signal }` when that signal aborts. (Node's
 * `onabort` setter registers its handler through `addEventListener`, so it is counted too.)
 */
export function trackAbortListeners(signal: AbortSignal): AbortListenerTracker {
  type Listener = Parameters<AbortSignal['addEventListener']>[1];
  type AddOptions = Parameters<AbortSignal['addEventListener']>[2];
  type RemoveOptions = Parameters<AbortSignal['removeEventListener']>[2];
  const live: Array<{ readonly listener: Listener; readonly capture: boolean; readonly once: boolean }> = [];
  const add = signal.addEventListener;
  const remove = signal.removeEventListener;
  const captureOf = (options: AddOptions | RemoveOptions): boolean =>
    typeof options === 'boolean' ? options : Boolean(options?.capture);
  const drop = (listener: Listener, capture: boolean): void => {
    const at = live.findIndex((e) => e.listener === listener && e.capture === capture);
    if (at >= 0) live.splice(at, 1);
  };
  const hadOwn = {
    add: Object.hasOwn(signal, 'addEventListener'),
    remove: Object.hasOwn(signal, 'removeEventListener'),
  };
  Object.defineProperty(signal, 'addEventListener', {
    configurable: true,
    writable: true,
    value(this: AbortSignal, type: string, listener: Listener | null, options?: AddOptions): void {
      add.call(this, type, listener as Listener, options);
      if (type !== 'abort' || listener === null || listener === undefined) return;
      const capture = captureOf(options);
      if (live.some((e) => e.listener === listener && e.capture === capture)) return;
      const opts = typeof options === 'object' && options !== null ? options : {};
      if (opts.signal?.aborted === true) return; // not added at all
      live.push({ listener, capture, once: opts.once === true });
      opts.signal?.addEventListener('abort', () => drop(listener, capture), { once: true });
    },
  });
  Object.defineProperty(signal, 'removeEventListener', {
    configurable: true,
    writable: true,
    value(this: AbortSignal, type: string, listener: Listener | null, options?: RemoveOptions): void {
      remove.call(this, type, listener as Listener, options);
      if (type === 'abort' && listener !== null && listener !== undefined) drop(listener, captureOf(options));
    },
  });
  return {
    left: () => live.filter((e) => !(e.once && signal.aborted)).length,
    restore: () => {
      if (hadOwn.add)
        Object.defineProperty(signal, 'addEventListener', { configurable: true, writable: true, value: add });
      else delete (signal as { addEventListener?: unknown }).addEventListener;
      if (hadOwn.remove)
        Object.defineProperty(signal, 'removeEventListener', { configurable: true, writable: true, value: remove });
      else delete (signal as { removeEventListener?: unknown }).removeEventListener;
    },
  };
}

/** Let a few microtask turns pass, so cleanup chained just after a call's promise has run. */
export async function afterSettling(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}

/** Run one call of a listener check (see {@link checkAbortListeners}), counting what it left. */
export type CountedCall = <T>(call: string, run: () => Promise<T>) => Promise<T>;

/**
 * The "removes its abort listeners once a call settles" check: `body` makes several calls with
 * one shared signal, each through `counted(call, run)`; once all have run, `fail` is thrown with
 * {@link describeLeftListeners} if any call left abort listeners on the signal once settled.
 */
export async function checkAbortListeners(
  fail: (detail: string) => Error,
  body: (signal: AbortSignal, counted: CountedCall) => Promise<void>,
): Promise<void> {
  const controller = new AbortController();
  const tracker = trackAbortListeners(controller.signal);
  const leaks: Array<{ call: string; left: number }> = [];
  const counted: CountedCall = async (call, run) => {
    const before = tracker.left();
    const result = await run();
    await afterSettling();
    const left = tracker.left() - before;
    if (left > 0) leaks.push({ call, left });
    return result;
  };
  try {
    await body(controller.signal, counted);
    if (leaks.length > 0) throw fail(describeLeftListeners(leaks));
  } finally {
    tracker.restore();
    controller.abort();
  }
}

/** The failure detail for calls that left abort listeners: which call left how many, and how to fix it. */
export function describeLeftListeners(leaks: ReadonlyArray<{ readonly call: string; readonly left: number }>): string {
  const total = leaks.reduce((sum, l) => sum + l.left, 0);
  const each = leaks.map((l) => `${l.call} left ${l.left}`).join(', ');
  return (
    `${total} abort listener(s) were still on the signal passed to every call once they had settled (${each}). ` +
    "The manager passes one signal to many calls (a container's start, its hooks' execs and requests, its stop), " +
    "so a listener left per call piles up on it: a leak, and Node's MaxListenersExceededWarning. " +
    'Remove the listener when the call settles, however it ends (resolve, reject or abort): ' +
    "e.g. signal.removeEventListener('abort', onAbort) in a finally, not only by { once: true } (see docs/adapters.md)"
  );
}
