import pTimeout from 'p-timeout';
import type { Clock } from '../ports/clock.js';

/** Marker returned by {@link raceDeadline} when the deadline came first. */
export const DEADLINE = Symbol('deadline');

/**
 * How many microtask turns {@link raceDeadline} waits for a call to settle before arming its
 * timer. An in-memory adapter's call (a fake, a test double) settles within a few turns, and so
 * does the handler runner around it; a call doing real I/O does not, and is raced on the clock.
 * No real clock fires a timer within microtask turns; a `VirtualClock` runs `microtaskTurns`
 * (default 200) of them before moving time, so the timer is armed in time as long as the call
 * was made in a chain less than `microtaskTurns - 16` turns deep (its option says to keep ≥ 50).
 */
export const PROBE_TURNS = 16;

/** A settled promise whose `then` schedules a probe turn. */
const TURN = Promise.resolve();

/**
 * Race `promise` against `delayMs` on the injected clock. Resolves with the value, or
 * {@link DEADLINE}; rejects if `promise` rejects first. No timer stays armed once settled.
 * `delayMs` of `Infinity` never times out; `<= 0` is due at once (after the work has had its
 * {@link PROBE_TURNS}: work that settles without time passing always wins, as with any clock).
 *
 * A call that settles within {@link PROBE_TURNS} microtask turns — before any timer of any clock
 * could fire — needs no timer: it resolves without one. Otherwise the deadline race is p-timeout
 * with the clock's timers as `customTimers` (DESIGN §2), armed for what is left of `delayMs`
 * counted from this call, so the deadline is the same as if the timer had been armed at once.
 */
export function raceDeadline<T>(clock: Clock, promise: PromiseLike<T>, delayMs: number): Promise<T | typeof DEADLINE> {
  const work = Promise.resolve(promise);
  const dueMs = clock.now() + delayMs;
  return new Promise<T | typeof DEADLINE>((resolve, reject) => {
    let isSettled = false;
    let isRacing = false;
    work.then(
      (value) => {
        isSettled = true;
        if (!isRacing) resolve(value);
      },
      (error: unknown) => {
        isSettled = true;
        if (!isRacing) reject(error);
      },
    );
    let turn = 0;
    const probe = (): void => {
      if (isSettled) return;
      if (++turn < PROBE_TURNS) {
        void TURN.then(probe);
        return;
      }
      isRacing = true;
      try {
        const leftMs = dueMs - clock.now();
        // Already due: nothing to race (a timer would fire before the work could settle anyway).
        resolve(leftMs > 0 ? timedRace(clock, work, leftMs) : DEADLINE);
      } catch (error) {
        reject(error); // a clock that throws: the race fails rather than never settling
      }
    };
    void TURN.then(probe);
  });
}

const deadlineFallback = (): typeof DEADLINE => DEADLINE;

/** p-timeout on the clock's timers: `work`, or {@link DEADLINE} after `delayMs` (> 0). */
function timedRace<T>(clock: Clock, work: Promise<T>, delayMs: number): Promise<T | typeof DEADLINE> {
  // p-timeout builds a TimeoutError on every call (a stack capture); with a fallback it is never
  // used, so it is built without a stack: the limit is restored before anything else can run.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return pTimeout(work, {
      milliseconds: delayMs,
      fallback: deadlineFallback,
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
