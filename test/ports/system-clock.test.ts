// Real time on purpose: this file tests the one adapter of the global timers.
import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/ports/system-clock.js';

describe('systemClock', () => {
  it('reads monotonic milliseconds and fires a timer after its delay', async () => {
    const start = systemClock.now();
    await new Promise<void>((resolve) => systemClock.setTimeout(resolve, 20));
    expect(systemClock.now() - start).toBeGreaterThanOrEqual(19);
  });

  it('cancels a timer', async () => {
    const fired = vi.fn();
    const handle = systemClock.setTimeout(fired, 5);
    systemClock.clearTimeout(handle);
    systemClock.clearTimeout(undefined);
    await new Promise((resolve) => globalThis.setTimeout(resolve, 30));
    expect(fired).not.toHaveBeenCalled();
  });

  it('does not fire delays beyond the 2^31-1 ms limit early, nor Infinity', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const fired = vi.fn();
      const never = vi.fn();
      systemClock.setTimeout(fired, 30 * 24 * 3600_000); // 30 days
      systemClock.setTimeout(never, Infinity);
      vi.advanceTimersByTime(2 ** 31);
      expect(fired).not.toHaveBeenCalled();
      vi.advanceTimersByTime(30 * 24 * 3600_000 - 2 ** 31 + 10);
      expect(fired).toHaveBeenCalledOnce();
      expect(never).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });
});
