import pTimeout from 'p-timeout';
import type { Clock } from '../ports/clock.js';
import { appendNode, captured, capturedPromise, type IntrusiveList, unlinkNode } from '../ports/intrusive-list.js';

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
 * A clock with `keepsDeadlineTimers` (opt-in) never hands over: the first timer races the work
 * until one of them settles (the turns and timer order this changes are listed on the option).
 *
 * Which path runs never changes the outcome: both race the same due time on the same clock. (An
 * earlier version handed over after a fixed count of microtask turns, `PROBE_TURNS`; an adapter
 * taking more `await`s than that paid for the slow path although it answered at once.)
 */
export function raceDeadline<T>(clock: Clock, promise: PromiseLike<T>, delayMs: number): Promise<T | typeof DEADLINE> {
  const work = Promise.resolve(promise);
  const dueAt = clock.now() + delayMs;
  const result = capturedPromise<T | typeof DEADLINE>();
  const race = new Race<T>(clock, work, dueAt, captured.resolve as Resolve, captured.reject);
  // The steps in the order they always ran (arm, listen, wait for idle); a throw rejects the race.
  try {
    if (delayMs < Infinity)
      // biome-ignore lint/complexity/useMathMinMax: a NaN delay must become 0 (Math.max keeps NaN).
      race.timer = clock.setTimeout(() => race.expire(), delayMs > 0 ? delayMs : 0);
    work.then(
      (value) => {
        if (race.settle()) race.resolve(value);
      },
      (error: unknown) => {
        if (race.settle()) race.reject(error);
      },
    );
    const { whenIdle } = clock;
    // Opt-in (`Clock.keepsDeadlineTimers`): the first timer decides, nothing is handed over.
    if (clock.keepsDeadlineTimers === true) return result;
    if (whenIdle === undefined) race.handOver();
    else handOverWhenIdle(clock, whenIdle, race);
  } catch (error) {
    race.reject(error);
  }
  return result;
}

type Resolve = (value: unknown) => void;
type Reject = (error: unknown) => void;

/** Where a {@link Race} is: the first timer decides; p-timeout has it; settled. */
const PLAIN = 0;
const RACING = 1;
const DONE = 2;

/**
 * The state of one {@link raceDeadline}: one object with three callbacks around it (the first
 * timer, the work's fulfilment and rejection), where the race used to keep six closures and a
 * `Set` entry; it is also its own node in the list of races waiting for the clock's idle signal
 * ({@link IdleBatch}), so joining and leaving it allocates nothing.
 */
class Race<T = unknown> {
  stage: typeof PLAIN | typeof RACING | typeof DONE = PLAIN;
  timer: unknown = undefined;
  /** The idle batch this race waits in, and its neighbours there. */
  list: IdleBatch | undefined = undefined;
  prev: Race | undefined = undefined;
  next: Race | undefined = undefined;

  constructor(
    readonly clock: Clock,
    readonly work: Promise<T>,
    readonly dueAt: number,
    readonly resolve: Resolve,
    readonly reject: Reject,
  ) {}

  /** The first timer fired: the deadline won, unless p-timeout has the race or it settled. */
  expire(): void {
    if (this.stage !== PLAIN) return;
    this.stage = DONE;
    this.leave();
    this.resolve(DEADLINE);
  }

  /** The work settled: true if it decides the race (the first timer is cleared). */
  settle(): boolean {
    if (this.stage !== PLAIN) return false;
    this.stage = DONE;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.leave();
    return true;
  }

  /** The clock is idle: work still pending goes to p-timeout for what is left of the deadline. */
  handOver(): void {
    if (this.stage !== PLAIN) return;
    const { clock } = this;
    try {
      const leftMs = this.dueAt - clock.now();
      if (leftMs <= 0) return; // due: the first timer fires (or has fired) at the deadline
      this.stage = RACING;
      if (this.timer !== undefined) clock.clearTimeout(this.timer);
      this.resolve(timedRace(clock, this.work, leftMs));
    } catch (error) {
      this.stage = DONE;
      this.reject(error); // a clock that throws: the race fails rather than never settling
    }
  }

  /** Leave the idle batch, if still in one. */
  leave(): void {
    unlinkNode<Race>(this);
  }
}

/**
 * The races of one clock waiting for its next idle signal, behind one `whenIdle` callback per
 * clock and idle period: a list in call order. A race that settles first leaves it (its
 * `handOver` would find nothing to do): a `VirtualClock` that is never flushed (work that always
 * settles at once) then keeps nothing per race, where one `whenIdle` callback per race piled up
 * until a flush (≈ 2 KB per lifecycle cycle: docs/performance-history.md).
 */
type IdleBatch = IntrusiveList<Race>;

const idleRaces = new WeakMap<Clock, IdleBatch>();

/** Run `race.handOver` at `clock`'s next idle signal (in call order). */
function handOverWhenIdle(clock: Clock, whenIdle: NonNullable<Clock['whenIdle']>, race: Race): void {
  let batch = idleRaces.get(clock);
  if (batch === undefined) {
    const fresh: IdleBatch = { head: undefined, tail: undefined };
    batch = fresh;
    idleRaces.set(clock, fresh);
    whenIdle.call(clock, () => {
      if (idleRaces.get(clock) === fresh) idleRaces.delete(clock);
      // Each race is taken out before its hand-over (which never throws: it rejects its race).
      for (let next = fresh.head; next !== undefined; next = fresh.head) {
        next.leave();
        next.handOver();
      }
    });
  }
  appendNode<Race>(batch, race);
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
