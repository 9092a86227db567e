import pTimeout from 'p-timeout';
import type { Clock } from '../ports/clock.js';

/** Marker returned by {@link raceDeadline} when the deadline came first. */
export const DEADLINE = Symbol('deadline');

/**
 * Race `promise` against `delayMs` on the injected clock: p-timeout with the clock's timers as
 * `customTimers` (DESIGN §2). Resolves with the value, or {@link DEADLINE}; rejects if `promise`
 * rejects first. No timer stays armed once settled. `delayMs` of `Infinity` never times out;
 * `<= 0` is due at once. (p-timeout builds its `TimeoutError` eagerly on every call; its cost is
 * measured in docs/performance.md.)
 */
export function raceDeadline<T>(clock: Clock, promise: PromiseLike<T>, delayMs: number): Promise<T | typeof DEADLINE> {
  // p-timeout builds a TimeoutError on every call (a stack capture); with a fallback it is never
  // used, so it is built without a stack: the limit is restored before anything else can run.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return pTimeout(Promise.resolve(promise), {
      milliseconds: delayMs > 0 ? delayMs : Number.MIN_VALUE,
      fallback: () => DEADLINE,
      customTimers: clockTimers(clock),
    });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

type CustomTimers = NonNullable<Parameters<typeof pTimeout>[1]['customTimers']>;
const timersByClock = new WeakMap<Clock, CustomTimers>();

/** The clock's timers in p-timeout's `customTimers` shape (one object per clock). */
function clockTimers(clock: Clock): CustomTimers {
  let timers = timersByClock.get(clock);
  if (timers === undefined) {
    timers = {
      setTimeout: (callback: () => void, ms: number) => clock.setTimeout(callback, ms),
      clearTimeout: (handle: unknown) => {
        if (handle !== undefined) clock.clearTimeout(handle);
      },
    } as unknown as CustomTimers;
    timersByClock.set(clock, timers);
  }
  return timers;
}

/**
 * An AbortController whose signal also aborts, with the same reason, when `parent` aborts (at
 * once if it already has): `AbortSignal.any([parent, controller.signal])` without its cost (a
 * WeakRef and a dependant-signal registry per call, a quarter of a cycle's time with GC).
 * `dispose` detaches it from `parent` once the work it guards has settled.
 */
export function linkedController(parent: AbortSignal): { readonly controller: AbortController; readonly dispose: () => void } {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { controller, dispose: () => undefined };
  }
  const onAbort = (): void => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return { controller, dispose: () => parent.removeEventListener('abort', onAbort) };
}

/** A promise with its resolve function exposed. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  readonly resolve: (value: T) => void;
}

/** Create a {@link Deferred}. */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Call `fn`, turning a synchronous throw into a rejection. */
export function callSafely<T>(fn: () => PromiseLike<T> | T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}
