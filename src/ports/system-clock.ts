import type { Clock } from './clock.js';
import { runCallbacks, type TimerEntry, TimerQueue } from './timer-queue.js';

/** Node fires any delay above this (about 24.8 days) after 1 ms; longer waits are re-armed. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * A timer counts as due this close to its deadline: Node counts whole milliseconds of its own
 * loop time, so it may fire up to a millisecond before a `performance.now()` deadline.
 */
const EARLY_TOLERANCE_MS = 1;

/**
 * The pending timers of {@link systemClock}, multiplexed on one Node timer armed for the earliest
 * deadline. When it fires, every timer then due runs, in deadline order (first-in first-out on
 * ties), back to back; then it is armed for the next. Ten thousand grace expiries falling due
 * together thus run their callbacks first and the promise chains those resume afterwards, as one
 * batch. With one Node timer each, Node ran every callback's whole chain (the container's exit
 * bookkeeping) before the next callback, so each expiry waited for all earlier ones' work: the
 * late tail of the real-clock benchmark (docs/performance-history.md).
 */
const queue = new TimerQueue();
let seq = 0;
/**
 * The Node timer armed for the queue, the deadline it is armed for, and the global timer
 * functions it was armed and is to be cleared with (fake timers may come and go meanwhile).
 */
let nodeTimer: ReturnType<typeof globalThis.setTimeout> | undefined;
let nodeTimerDueAt = Infinity;
let armedWith: typeof globalThis.setTimeout | undefined;
let clearWith: typeof globalThis.clearTimeout | undefined;
const OWNER = Object.freeze({ clock: 'systemClock' });
/** Open {@link systemClock.keepAlive} holds: while any is open, the Node timer is ref'd. */
let holds = 0;

/** Callbacks waiting for {@link systemClock.whenIdle}'s next check phase (one `setImmediate` per batch). */
let idleCallbacks: Array<() => void> | undefined;

/** The check phase came: run every `whenIdle` callback of the batch (a throw does not stop the others). */
function runIdle(): void {
  const callbacks = idleCallbacks ?? [];
  idleCallbacks = undefined;
  runCallbacks(callbacks);
}

/** Arm the Node timer for the earliest pending deadline (again if that changed). */
function schedule(): void {
  const head = queue.peek();
  const dueAt = head === undefined ? Infinity : head.deadlineAt;
  if (dueAt === nodeTimerDueAt && armedWith === globalThis.setTimeout) return;
  if (nodeTimer !== undefined) clearWith?.(nodeTimer);
  nodeTimer = undefined;
  nodeTimerDueAt = dueAt;
  armedWith = globalThis.setTimeout;
  clearWith = globalThis.clearTimeout;
  if (dueAt === Infinity) return;
  nodeTimer = globalThis.setTimeout(runDue, Math.min(Math.max(0, dueAt - performance.now()), MAX_TIMER_DELAY_MS));
  // Pending timers keep a process alive only while someone holds it (keepAlive).
  if (holds === 0) nodeTimer.unref?.();
}

/**
 * The Node timer fired: run every timer due by now that was armed before this turn (one armed by
 * a callback, even with delay 0, waits for the next Node turn, as with Node's own timers, so a
 * timer that re-arms itself cannot starve the event loop), then arm for the next one. A throwing
 * callback does not hold up the others; the first error is rethrown once they have run, so it
 * surfaces as an uncaught exception from a timer, as it would have from Node's own.
 */
function runDue(): void {
  nodeTimer = undefined;
  nodeTimerDueAt = Infinity;
  const armedBefore = seq;
  let firstError: { error: unknown } | undefined;
  // Node fired for the earliest timer, perhaps a hair early: that one gets the tolerance, and so
  // do the others due at the same instant; the rest run only once really due, so a batch never
  // runs a timer earlier than the one Node fired for.
  let tolerance = EARLY_TOLERANCE_MS;
  let firstDeadlineAt = -Infinity;
  // The time is read again only when the next timer does not look due yet: a burst of expiries
  // due by the last reading runs without a clock read each (time only moves forward, so a timer
  // due by then is due now).
  let now = performance.now();
  try {
    for (;;) {
      const head = queue.peek();
      if (head === undefined || head.seq >= armedBefore) break;
      if (head.deadlineAt > firstDeadlineAt && head.deadlineAt - now > tolerance) {
        now = performance.now();
        if (head.deadlineAt - now > tolerance) break;
      }
      if (firstDeadlineAt === -Infinity) firstDeadlineAt = head.deadlineAt;
      tolerance = 0;
      queue.pop();
      try {
        head.callback();
      } catch (error) {
        firstError ??= { error };
      }
    }
  } finally {
    schedule();
  }
  if (firstError !== undefined) throw firstError.error;
}

/**
 * The real clock: `performance.now()` for reading time (monotonic) and one global timer for all
 * its timers (see {@link queue}). This is the only file of the core allowed to touch global time
 * (a test enforces it). Delays longer than Node's 2^31−1 ms limit are honoured (the Node timer is
 * re-armed until the deadline); `Infinity` never fires; negative and NaN delays count as 0. The
 * Node timer is `unref`'d, so pending timers keep a process alive only while a `keepAlive` hold
 * is open (the `LifecycleManager` holds one while it has work). Installing
 * or removing fake timers (`vi.useFakeTimers()`) is noticed at the next `setTimeout`, which arms
 * through whatever `globalThis.setTimeout` then is. `whenIdle` callbacks run at the next check
 * phase (`setImmediate`), all those of one event-loop turn together.
 */
export const systemClock: Clock = Object.freeze({
  now: (): number => performance.now(),
  setTimeout: (callback: () => void, delayMs: number): unknown => {
    const delay = Number.isNaN(delayMs) || delayMs < 0 ? 0 : delayMs;
    const deadlineAt = performance.now() + delay;
    // A timer that never fires waits nowhere: its handle is inert ('cleared' from the start).
    const state = deadlineAt === Infinity ? 'cleared' : 'pending';
    const entry: TimerEntry = { deadlineAt, seq: seq++, callback, label: undefined, owner: OWNER, state };
    if (state === 'pending') {
      queue.push(entry);
      if (deadlineAt < nodeTimerDueAt || armedWith !== globalThis.setTimeout) schedule();
    }
    return entry;
  },
  clearTimeout: (handle: unknown): void => {
    if (typeof handle === 'object' && handle !== null && (handle as Partial<TimerEntry>).owner === OWNER) {
      // If it was the earliest, the Node timer still fires, finds nothing due and re-arms.
      queue.clear(handle as TimerEntry);
    }
  },
  whenIdle: (callback: () => void): void => {
    if (idleCallbacks === undefined) {
      idleCallbacks = [];
      globalThis.setImmediate(runIdle);
    }
    idleCallbacks.push(callback);
  },
  keepAlive: (): (() => void) => {
    holds++;
    if (holds === 1) nodeTimer?.ref?.();
    let isOpen = true;
    return () => {
      if (!isOpen) return;
      isOpen = false;
      holds--;
      if (holds === 0) nodeTimer?.unref?.();
    };
  },
});
