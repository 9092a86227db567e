/**
 * The options of {@link VirtualClock} and the checks of its inputs, its flush bound and its view
 * of a pending timer.
 *
 * @module
 */

import type { TimerEntry, TimerQueue } from '../ports/timer-queue.js';
import { VirtualClockError } from './errors.js';

/** Options of {@link VirtualClock}. */
export interface VirtualClockOptions {
  /**
   * The instant the clock starts at: the initial value of `now()`, in milliseconds.
   * @default 0
   * @example new VirtualClock({ startAt: 1_700_000_000_000 })
   */
  readonly startAt?: number | undefined;
  /**
   * @deprecated Use `startAt`; removed in 0.2.0. Accepted as an alias: when both are given they
   * must be equal (else a {@link VirtualClockError}).
   */
  readonly startMs?: number | undefined;
  /**
   * The idle window of every flush (before the first timer, between two timers, and at the end
   * of `advance`/`advanceTo`/`next`): the flush runs windows of this many microtask turns until
   * one passes in which nothing touched the clock. A promise chain moves one `await` (or `.then`)
   * per turn, so this bounds how long a chain may run *without touching the clock* and still
   * settle before the clock moves on; the total length of the work is unbounded. Each turn
   * costs about 25 ns (≈5 µs per flush at the default, Node 20). The `LifecycleManager`'s chains
   * settle within 25 turns (its deadline timers are armed when each wait begins, whatever this
   * value), so the default leaves about 8× headroom for your own scripts. Raise it if a deep
   * chain of yours needs more; lower it (e.g. 50) for simulations of many thousands of containers.
   * @default 200
   */
  readonly microtaskTurns?: number | undefined;
  /**
   * Fire every timer due at the same instant back to back, then settle promise chains once,
   * instead of settling after each one: what `systemClock` does when it wakes up. A simulation
   * whose timers fall due together (the probe tickers or back-offs of pods started at once) runs
   * many times faster (docs/performance.md). The price: a chain resumed by one of these timers
   * runs only after the callbacks of the others, so code that relies on it running in between
   * (e.g. clearing a timer due at the same instant) must keep the default. Timers armed while the
   * batch fires are not part of it. More than 1,024 simultaneous timers fire in slices of 1,024,
   * the chains settling after each slice (same timers, same order), so the chains of 200,000
   * probe runs are not all alive at once.
   * @default false
   */
  readonly batchSimultaneousTimers?: boolean | undefined;
  /**
   * A yield injected by you, whose promise resolves only once every pending microtask has run.
   * On Node: `() => new Promise((r) => process.nextTick(r))` (a tick queued by a microtask runs
   * once the microtask queue is empty; nothing else runs in between; the cheaper one), or
   * `() => new Promise((r) => setImmediate(r))` (the check phase of the next event-loop turn: the
   * strict one, also right when other code queues ticks of its own, but it lets macrotasks such as
   * real I/O run in between, and costs ≈ 3 µs). With it, a flush awaits one `drain()` instead of
   * windows of `microtaskTurns` turns (and one more after running {@link VirtualClock.whenIdle}
   * callbacks): every promise chain settles, however deep. Timers fire in the same order at the
   * same times as with the default for any code whose chains settle within `microtaskTurns` turns
   * (the `LifecycleManager`'s do); deeper chains now always settle before time moves. Not the
   * default, because the testing kit uses no host API of its own. With `nextTick`, a tick queued
   * by other code just before the clock's can run first and resume a chain that then gets fewer
   * turns; with `setImmediate`, use fakes only. A chain that loops on microtasks forever (polling
   * `now()` without ever awaiting a timer) never lets the yield run, and hangs where the default
   * gives up after {@link MAX_FLUSH_TURNS} turns.
   * @default undefined (windows of microtask turns)
   * @example new VirtualClock({ drain: () => new Promise((resolve) => process.nextTick(resolve)) })
   */
  readonly drain?: (() => PromiseLike<void>) | undefined;
}

/**
 * The most microtask turns one {@link VirtualClock.flush} runs while the clock is still being
 * touched: a chain that polls `now()` forever without arming a timer would otherwise never let
 * time move.
 */
export const MAX_FLUSH_TURNS = 1_000_000;

/**
 * How many simultaneous timers a batch fires before it settles the promise chains they resumed
 * (`batchSimultaneousTimers`). The chains of a whole batch are alive at once: 200,000 probe runs
 * due at the same tick outgrow V8's young generation, every scavenge copies them and promotes
 * them to old space, and a probe cost 2–3× more at 100,000 containers than at 3,000
 * (docs/performance-history.md item 70). Slices keep that working set small; the timers, their order and
 * their times are the same.
 */
export const BATCH_SLICE = 1024;

/** A timer still armed on a {@link VirtualClock}, as reported by `pendingTimerList()`. */
export interface PendingTimer {
  /** The virtual instant at which it fires (`Infinity` = never). */
  readonly deadlineAt: number;
  /** @deprecated Use `deadlineAt` (same value); removed in 0.2.0. */
  readonly deadlineMs: number;
  /** The label given to `setTimeout`, if any. */
  readonly label?: string;
}

/** A pending timer as `pendingTimerList()` reports it. */
export function pendingTimer(e: TimerEntry): PendingTimer {
  return e.label === undefined
    ? { deadlineAt: e.deadlineAt, deadlineMs: e.deadlineAt }
    : { deadlineAt: e.deadlineAt, deadlineMs: e.deadlineAt, label: e.label };
}

/**
 * `batchSimultaneousTimers`: fire the other timers of `queue` due at `deadlineAt` armed before the
 * batch began (`seq` below `armedBefore`), at most {@link BATCH_SLICE} of them; true when it
 * stopped there (more may be due). Errors thrown by callbacks are collected in `errors`.
 */
export function fireSimultaneous(
  queue: TimerQueue,
  deadlineAt: number,
  armedBefore: number,
  errors: unknown[],
): boolean {
  for (let fired = 1; ; fired++) {
    const head = queue.peek();
    if (head === undefined || head.deadlineAt !== deadlineAt || head.seq >= armedBefore) return false;
    if (fired >= BATCH_SLICE) return true;
    queue.pop();
    try {
      head.callback();
    } catch (error) {
      errors.push(error);
    }
  }
}

/** The options with their defaults, checked: a bad value is a {@link VirtualClockError}. */
export function checkedOptions(options: VirtualClockOptions): {
  startAt: number;
  microtaskTurns: number;
  batchSimultaneousTimers: boolean;
  drain: (() => PromiseLike<void>) | undefined;
} {
  const { startAt: given, startMs, microtaskTurns = 200, batchSimultaneousTimers = false, drain } = options;
  const name = given === undefined && startMs !== undefined ? 'startMs' : 'startAt';
  const startAt = given ?? startMs ?? 0;
  if (typeof startAt !== 'number' || !Number.isFinite(startAt)) {
    throw new VirtualClockError(
      'ERR_CLOCK_INVALID_TIME',
      `VirtualClock: ${name} must be a finite number of milliseconds, got ${String(startAt)}`,
    );
  }
  if (given !== undefined && startMs !== undefined && given !== startMs) {
    throw new VirtualClockError(
      'ERR_CLOCK_INVALID_TIME',
      `VirtualClock: startAt (${String(given)}) and its deprecated alias startMs (${String(startMs)}) differ; ` +
        'give only startAt',
    );
  }
  if (!Number.isInteger(microtaskTurns) || microtaskTurns < 0) {
    throw new VirtualClockError(
      'ERR_CLOCK_INVALID_TIME',
      `VirtualClock: microtaskTurns must be an integer >= 0, got ${String(microtaskTurns)}`,
    );
  }
  if (drain !== undefined && typeof drain !== 'function') {
    throw new VirtualClockError(
      'ERR_CLOCK_INVALID_TIME',
      `VirtualClock: drain must be a function returning a promise that resolves once no microtask is left (on Node, one resolved by a nextTick or setImmediate callback), got ${typeof drain}`,
    );
  }
  return { startAt, microtaskTurns, batchSimultaneousTimers: batchSimultaneousTimers === true, drain };
}

/** `advance(ms)` at `now`: a finite duration >= 0, else a {@link VirtualClockError}. */
export function checkedAdvance(ms: number, now: number): void {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms === Infinity) {
    throw new VirtualClockError(
      'ERR_CLOCK_INVALID_TIME',
      `VirtualClock.advance: expected a finite number of milliseconds >= 0, got ${String(ms)}`,
    );
  }
  if (ms < 0) {
    throw new VirtualClockError(
      'ERR_CLOCK_BACKWARDS',
      `VirtualClock.advance(${ms}): time cannot go backwards; pass a duration >= 0 (now is ${now} ms)`,
    );
  }
}

/** `advanceTo(t)` at `now`: a finite time >= now, else a {@link VirtualClockError}. */
export function checkedAdvanceTo(t: number, now: number): void {
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    throw new VirtualClockError(
      'ERR_CLOCK_INVALID_TIME',
      `VirtualClock.advanceTo: expected a finite time in milliseconds, got ${String(t)}`,
    );
  }
  if (t < now) {
    throw new VirtualClockError(
      'ERR_CLOCK_BACKWARDS',
      `VirtualClock.advanceTo(${t}): time cannot go backwards; now is already ${now} ms (${now - t} ms later). ` +
        'Pass a time >= now(), or use advance(ms) for a relative step',
    );
  }
}

/** The error of `runAll` once `fired` timers (its `maxTimers`) have fired and `pending` are still armed. */
export function timerLimitError(fired: number, pending: readonly PendingTimer[], now: number): VirtualClockError {
  const finite = pending.filter((p) => p.deadlineAt !== Infinity);
  const shown = finite.slice(0, 5).map((p) => `${p.deadlineAt} ms${p.label === undefined ? '' : ` (${p.label})`}`);
  return new VirtualClockError(
    'ERR_CLOCK_TIMER_LIMIT',
    `VirtualClock.runAll: fired ${fired} timers (maxTimers) and ${finite.length} are still armed, ` +
      `so something keeps rescheduling itself; now is ${now} ms, next due: ${shown.join(', ')}. ` +
      'Use advance(ms) for code that polls, or raise maxTimers if the work is finite',
  );
}

/** The error of a `VirtualClock` call that moves time while `busy` (another such call) still runs. */
export function busyError(caller: string, busy: string): VirtualClockError {
  return new VirtualClockError(
    'ERR_CLOCK_BUSY',
    `VirtualClock.${caller}() was called while ${busy}() is still running; await the first call before moving time again`,
  );
}
