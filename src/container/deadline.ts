import pTimeout from 'p-timeout';
import type { Clock } from '../ports/clock.js';

/** Marker returned by {@link raceDeadline} when the deadline came first. */
export const DEADLINE = Symbol('deadline');

/**
 * Race `promise` against `delayMs` on the injected clock. Resolves with the value, or
 * {@link DEADLINE}; rejects if `promise` rejects first. No timer stays armed once settled.
 * `delayMs` of `Infinity` never times out; `<= 0` is due at once (work that settles before the
 * clock next fires a timer still wins).
 *
 * The deadline is on the clock from the call on: a plain timer is armed at once, so a clock that
 * moves while the work runs fires it at the right time. Work that settles before the clock is
 * idle ({@link Clock.whenIdle}: a `VirtualClock`'s flush found nothing left to run, or
 * `systemClock`'s next check phase) clears that timer and is done: an in-memory adapter costs one
 * timer set and clear, however many `await`s it takes. Work still pending at that signal is raced
 * by p-timeout with the clock's timers as `customTimers` (DESIGN §2), armed for what is left of
 * the same deadline, and the first timer is cleared. A clock without `whenIdle` hands over at once.
 *
 * Which path runs never changes the outcome: both race the same due time on the same clock. (An
 * earlier version handed over after a fixed count of microtask turns, `PROBE_TURNS`; an adapter
 * taking more `await`s than that paid for the slow path although it answered at once.)
 */
export function raceDeadline<T>(clock: Clock, promise: PromiseLike<T>, delayMs: number): Promise<T | typeof DEADLINE> {
  const work = Promise.resolve(promise);
  const dueAt = clock.now() + delayMs;
  return new Promise<T | typeof DEADLINE>((resolve, reject) => {
    /** plain: the first timer decides; racing: p-timeout has it; done: settled. */
    let stage: 'plain' | 'racing' | 'done' = 'plain';
    const timer =
      delayMs < Infinity
        ? clock.setTimeout(
            () => {
              if (stage !== 'plain') return;
              stage = 'done';
              idle?.delete(handOver);
              resolve(DEADLINE);
            },
            // biome-ignore lint/complexity/useMathMinMax: a NaN delay must become 0 (Math.max keeps NaN).
            delayMs > 0 ? delayMs : 0,
          )
        : undefined;
    const settle = (): boolean => {
      if (stage !== 'plain') return false;
      stage = 'done';
      if (timer !== undefined) clock.clearTimeout(timer);
      idle?.delete(handOver);
      return true;
    };
    work.then(
      (value) => {
        if (settle()) resolve(value);
      },
      (error: unknown) => {
        if (settle()) reject(error);
      },
    );
    const handOver = (): void => {
      if (stage !== 'plain') return;
      try {
        const leftMs = dueAt - clock.now();
        if (leftMs <= 0) return; // due: the first timer fires (or has fired) at the deadline
        stage = 'racing';
        if (timer !== undefined) clock.clearTimeout(timer);
        resolve(timedRace(clock, work, leftMs));
      } catch (error) {
        stage = 'done';
        reject(error); // a clock that throws: the race fails rather than never settling
      }
    };
    const { whenIdle } = clock;
    const idle = whenIdle === undefined ? undefined : handOverWhenIdle(clock, whenIdle, handOver);
    if (idle === undefined) handOver();
  });
}

/**
 * The races of each clock waiting for its next idle signal, behind one `whenIdle` callback per
 * clock and idle period. A race that settles first leaves the set (its `handOver` would find
 * nothing to do): a `VirtualClock` that is never flushed (work that always settles at once) then
 * keeps nothing per race, where one `whenIdle` callback per race piled up until a flush
 * (≈ 2 KB per lifecycle cycle: docs/performance.md).
 */
const idleRaces = new WeakMap<Clock, Set<() => void>>();

/** Run `handOver` at `clock`'s next idle signal (in call order); returns the set to leave. */
function handOverWhenIdle(
  clock: Clock,
  whenIdle: NonNullable<Clock['whenIdle']>,
  handOver: () => void,
): Set<() => void> {
  const races = idleRaces.get(clock);
  if (races !== undefined) {
    races.add(handOver);
    return races;
  }
  const batch = new Set<() => void>([handOver]);
  idleRaces.set(clock, batch);
  whenIdle.call(clock, () => {
    if (idleRaces.get(clock) === batch) idleRaces.delete(clock);
    for (const race of batch) race(); // handOver never throws (it rejects its race instead)
    batch.clear();
  });
  return batch;
}

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

const deadlineFallback = (): typeof DEADLINE => DEADLINE;

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
export function linkedController(parent: AbortSignal): {
  readonly controller: AbortController;
  readonly dispose: () => void;
} {
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
