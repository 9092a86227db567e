import type { Clock } from './clock.js';

/** Node fires any delay above this (about 24.8 days) after 1 ms; longer waits are chained. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

interface SystemTimer {
  handle: ReturnType<typeof globalThis.setTimeout> | undefined;
}

/**
 * The real clock: `performance.now()` for reading time (monotonic) and the global timers.
 * This is the only file of the core allowed to touch global time (a test enforces it).
 * Delays longer than Node's 2^31−1 ms limit are honoured by chaining timers; `Infinity` never fires.
 * Timers are `unref`'d, so a pending grace timer never keeps a process alive on its own.
 */
export const systemClock: Clock = Object.freeze({
  now: (): number => performance.now(),
  setTimeout: (callback: () => void, delayMs: number): unknown => {
    const timer: SystemTimer = { handle: undefined };
    const deadline = performance.now() + (Number.isNaN(delayMs) || delayMs < 0 ? 0 : delayMs);
    const arm = (remaining: number): void => {
      if (remaining === Infinity) return;
      const step = Math.min(remaining, MAX_TIMER_DELAY_MS);
      timer.handle = globalThis.setTimeout(() => {
        const left = deadline - performance.now();
        if (left > 1) arm(left);
        else callback();
      }, step);
      timer.handle.unref?.();
    };
    arm(deadline - performance.now());
    return timer;
  },
  clearTimeout: (handle: unknown): void => {
    const timer = handle as SystemTimer | undefined;
    if (timer?.handle !== undefined) globalThis.clearTimeout(timer.handle);
  },
});
