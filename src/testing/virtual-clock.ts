import type { Clock } from '../ports/clock.js';
import { runCallbacks, type TimerEntry, TimerQueue } from '../ports/timer-queue.js';
import { DrainedFlush } from './virtual-clock-drain.js';
import {
  busyError,
  checkedAdvance,
  checkedAdvanceTo,
  checkedOptions,
  fireSimultaneous,
  MAX_FLUSH_TURNS,
  type PendingTimer,
  pendingTimer,
  timerLimitError,
  type VirtualClockOptions,
} from './virtual-clock-options.js';

export { MAX_FLUSH_TURNS, type PendingTimer, type VirtualClockOptions } from './virtual-clock-options.js';

/**
 * A {@link Clock} whose time moves only when you tell it to: a 30-second grace runs in
 * microseconds and two runs with the same inputs fire the same timers in the same order.
 *
 * - Timers fire in deadline order, first-in first-out on equal deadlines. `now()` equals the
 *   deadline of the timer firing, so a callback never sees time in the past or the future.
 * - A timer armed by a callback (or by a promise chain it resumed) that falls within the range
 *   being advanced fires in the same `advance`, at its own deadline.
 * - Promise chains settle between timers: after each timer the clock runs windows of
 *   `microtaskTurns` microtask turns (a chain of `Promise.prototype.then`, no global timer, no
 *   `queueMicrotask`) until a whole window passes without anything touching the clock, so a hook
 *   resumed by a timer reaches its next `await clock`-based sleep before the next timer is
 *   chosen, however long the chain of work before it. The clock cannot see other microtasks: a
 *   chain that runs more than `microtaskTurns` turns without touching the clock is the limit.
 * - Delays that are negative or NaN count as 0, like Node. A delay of `Infinity` never fires.
 * - Moving backwards (`advanceTo` a past time, a negative or NaN `advance`) is refused with a
 *   {@link VirtualClockError}; so is a second `advance` started while one is still running.
 * - An error thrown by a timer callback does not stop the others; the first one is rethrown
 *   once the call that fired it has finished moving time.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * const slept = sleepOn(clock, 30_000);
 * await clock.advance(30_000); // resolves at once, `slept` has settled
 * clock.now(); // 30000
 * ```
 */
export class VirtualClock implements Clock {
  readonly #queue = new TimerQueue();
  readonly #turns: number;
  readonly #batch: boolean;
  /** The flush with the `drain` option (undefined without it). */
  readonly #drained: DrainedFlush | undefined;
  #now: number;
  #seq = 0;
  #busy: string | undefined;
  /** Calls of `now`, `setTimeout` and `clearTimeout`: work in flight shows up here (see {@link flush}). */
  #activity = 0;
  /** Callbacks of {@link whenIdle}, run when a flush finds the promise chains idle. */
  #idle: Array<() => void> = [];

  constructor(options: VirtualClockOptions = {}) {
    const { startAt, microtaskTurns, batchSimultaneousTimers, drain } = checkedOptions(options);
    this.#now = startAt;
    this.#turns = microtaskTurns;
    this.#batch = batchSimultaneousTimers;
    const idle = { pending: () => this.#idle.length > 0, run: () => this.#runIdle() };
    this.#drained = drain === undefined ? undefined : new DrainedFlush(drain, microtaskTurns, idle);
  }

  /** Current virtual time in milliseconds. Bound: safe to pass around detached. */
  readonly now = (): number => {
    this.#activity++;
    return this.#now;
  };

  /**
   * Arm a timer `delayMs` from now. The optional `label` shows up in `pendingTimerList()` and in
   * the error of `runAll`, which helps find who keeps rescheduling. Bound (works detached, e.g.
   * as p-timeout's `customTimers`, which calls it with `this` undefined).
   */
  readonly setTimeout = (callback: () => void, delayMs: number, label?: string): unknown => {
    this.#activity++;
    const delay = Number.isNaN(delayMs) || !(delayMs > 0) ? 0 : delayMs;
    const entry: TimerEntry = {
      deadlineAt: this.#now + delay,
      seq: this.#seq++,
      callback,
      label,
      state: 'pending',
      owner: this,
    };
    this.#queue.push(entry);
    return entry;
  };

  /** Cancel a timer. Fired, already-cleared, foreign and `undefined` handles are ignored. Bound. */
  readonly clearTimeout = (handle: unknown): void => {
    this.#activity++;
    if (typeof handle === 'object' && handle !== null && (handle as Partial<TimerEntry>).owner === this) {
      this.#queue.clear(handle as TimerEntry);
    }
  };

  /**
   * Call `callback` once the promise chains in flight are idle: at the end of the next flush
   * (`flush`, and every `advance`/`advanceTo`/`next`/`runAll`, before a timer fires), once a whole
   * window of `microtaskTurns` turns passes without anything touching the clock. The callback may
   * touch the clock; the flush then goes on until idle again. Bound. See {@link Clock.whenIdle}.
   */
  readonly whenIdle = (callback: () => void): void => {
    this.#idle.push(callback);
  };

  /** Number of timers armed and not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#queue.size;
  }

  /** Armed timers in the order they will fire: deadline and label. */
  pendingTimerList(): PendingTimer[] {
    return this.#queue.list().map(pendingTimer);
  }

  /**
   * Let pending promise chains settle without moving time: runs windows of `microtaskTurns`
   * microtask turns until one passes in which nothing touched the clock (no `now`, `setTimeout`
   * or `clearTimeout`), however many windows that takes — so a long chain of work (hundreds of
   * sequential container starts) finishes before time moves (issue 14 item 9). Bounded by
   * {@link MAX_FLUSH_TURNS} for a chain that polls the clock forever without a timer.
   * Useful after kicking off work and before inspecting state. With the `drain` option, one
   * `drain()` (plus one per round of `whenIdle` callbacks) replaces the windows.
   */
  flush(): Promise<void> {
    if (this.#drained !== undefined) return this.#drained.flush();
    if (this.#turns === 0) {
      this.#runIdle();
      return Promise.resolve();
    }
    return this.#idleWindow(0);
  }

  /**
   * One window of `microtaskTurns` turns (this `then` included); another while the clock was
   * touched. An idle window runs the {@link whenIdle} callbacks, then one more window for what
   * they resumed.
   */
  #idleWindow(spent: number): Promise<void> {
    const before = this.#activity;
    let chain = Promise.resolve();
    for (let i = 2; i < this.#turns; i++) chain = chain.then();
    return chain.then(() => {
      const next = spent + this.#turns;
      if (next >= MAX_FLUSH_TURNS) return undefined;
      if (this.#activity === before) {
        if (this.#idle.length === 0) return undefined;
        this.#runIdle();
      }
      return this.#idleWindow(next);
    });
  }

  /** Run the pending {@link whenIdle} callbacks; a throw does not stop the others, the first is rethrown. */
  #runIdle(): void {
    if (this.#idle.length === 0) return;
    const callbacks = this.#idle;
    this.#idle = [];
    runCallbacks(callbacks);
  }

  /**
   * Move time forward by `ms`, firing every timer that falls due on the way (including timers
   * armed meanwhile), settling promise chains between them. Ends with `now()` = start + `ms`.
   */
  async advance(ms: number): Promise<void> {
    checkedAdvance(ms, this.#now);
    await this.#runUntil(this.#now + ms, 'advance');
  }

  /** Move time forward to the absolute time `t` (see {@link VirtualClock.advance}). `t` must be ≥ `now()`. */
  async advanceTo(t: number): Promise<void> {
    checkedAdvanceTo(t, this.#now);
    await this.#runUntil(t, 'advanceTo');
  }

  /**
   * Settle promise chains, then jump to the earliest armed timer and fire it (and settle again).
   * Resolves `false`, without moving time, when no timer is armed (or only `Infinity` ones).
   */
  next(): Promise<boolean> {
    if (this.#drained === undefined || this.#batch) return this.#next();
    // With `drain`: promise `then`s, not nested async functions (≈ 1 KB less garbage per step).
    try {
      this.#enter('next');
    } catch (error) {
      return Promise.reject(error);
    }
    return this.flush().then(this.#fireDrained).then(this.#leave, this.#leaveThrowing);
  }

  readonly #leave = (value: boolean): boolean => {
    this.#busy = undefined;
    return value;
  };

  readonly #leaveThrowing = (error: unknown): never => {
    this.#busy = undefined;
    throw error;
  };

  async #next(): Promise<boolean> {
    this.#enter('next');
    try {
      await this.flush();
      const errors: unknown[] = [];
      const fired = await this.#fireNext(Infinity, errors);
      if (errors.length > 0) throw errors[0];
      return fired;
    } finally {
      this.#busy = undefined;
    }
  }

  /**
   * Fire timers one by one (as {@link VirtualClock.next}) until none is left. Rejects with
   * `ERR_CLOCK_TIMER_LIMIT` once `maxTimers` have fired and more are still armed: something
   * keeps rescheduling (an interval, a retry loop); the message lists what is still pending.
   * Resolves with the number of timers fired.
   */
  async runAll(options: { maxTimers?: number } = {}): Promise<number> {
    const { maxTimers = 10_000 } = options;
    this.#enter('runAll');
    const errors: unknown[] = [];
    let fired = 0;
    try {
      await this.flush();
      for (;;) {
        const head = this.#queue.peek();
        if (head === undefined || head.deadlineAt === Infinity) break;
        if (fired >= maxTimers) throw timerLimitError(fired, this.pendingTimerList(), this.#now);
        await this.#fireNext(Infinity, errors);
        fired++;
      }
      if (errors.length > 0) throw errors[0];
      return fired;
    } finally {
      this.#busy = undefined;
    }
  }

  async #runUntil(target: number, caller: string): Promise<void> {
    this.#enter(caller);
    const errors: unknown[] = [];
    try {
      await this.flush();
      while (await this.#fireNext(target, errors));
      this.#now = target;
      if (errors.length > 0) throw errors[0];
    } finally {
      this.#busy = undefined;
    }
  }

  /**
   * `next()` with `drain` (and no batching), after its first flush: fire the earliest timer, then
   * flush; false when none is armed.
   */
  readonly #fireDrained = (): boolean | Promise<boolean> => {
    const head = this.#queue.peek();
    if (head === undefined || head.deadlineAt === Infinity) return false;
    this.#queue.pop();
    if (head.deadlineAt > this.#now) this.#now = head.deadlineAt;
    try {
      head.callback();
    } catch (error) {
      return this.flush().then(() => Promise.reject(error));
    }
    return this.flush().then(fired);
  };

  /** Fire the earliest timer due at or before `limit`, then flush. False when none is due. */
  async #fireNext(limit: number, errors: unknown[]): Promise<boolean> {
    const head = this.#queue.peek();
    if (head === undefined || head.deadlineAt > limit || head.deadlineAt === Infinity) return false;
    this.#queue.pop();
    if (head.deadlineAt > this.#now) this.#now = head.deadlineAt;
    const armedBefore = this.#seq;
    try {
      head.callback();
    } catch (error) {
      errors.push(error);
    }
    if (this.#batch) {
      // In slices with a flush between: the same timers in the same order (see BATCH_SLICE).
      while (fireSimultaneous(this.#queue, head.deadlineAt, armedBefore, errors)) await this.flush();
    }
    await this.flush();
    return true;
  }

  #enter(caller: string): void {
    if (this.#busy !== undefined) throw busyError(caller, this.#busy);
    this.#busy = caller;
  }
}

const fired = (): boolean => true;
