import type { Clock } from './clock.js';

/**
 * The real clock: `performance.now()` for reading time (monotonic) and the global timers.
 * This is the only file of the core allowed to touch global time (a test enforces it).
 */
export const systemClock: Clock = Object.freeze({
  now: (): number => performance.now(),
  setTimeout: (callback: () => void, delayMs: number): unknown => {
    const handle = globalThis.setTimeout(callback, delayMs);
    // A pending grace timer must not keep a CLI or test process alive on its own.
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout: (handle: unknown): void => {
    globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]);
  },
});
