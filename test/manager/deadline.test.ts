import { describe, expect, it } from 'vitest';
import { DEADLINE, raceDeadline } from '../../src/manager/deadline.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

describe('raceDeadline (p-timeout on the injected clock)', () => {
  it('resolves with the value when it comes first, and leaves no timer', async () => {
    const clock = new VirtualClock();
    const raced = raceDeadline(clock, new Promise((resolve) => clock.setTimeout(() => resolve('done'), 5)), 10);
    await clock.runAll();
    await expect(raced).resolves.toBe('done');
    expect(clock.pendingTimers).toBe(0);
  });

  it('resolves with DEADLINE at the deadline; a deadline <= 0 is due at once', async () => {
    const clock = new VirtualClock();
    const never = new Promise<never>(() => undefined);
    const late = raceDeadline(clock, never, 1_000);
    const now = raceDeadline(clock, never, 0);
    await clock.runAll();
    await expect(late).resolves.toBe(DEADLINE);
    await expect(now).resolves.toBe(DEADLINE);
    expect(clock.now()).toBe(1_000);
  });

  it('passes a rejection through', async () => {
    const clock = new VirtualClock();
    await expect(raceDeadline(clock, Promise.reject(new Error('boom')), 10)).rejects.toThrow('boom');
  });

  it('leaves Error.stackTraceLimit as it found it', () => {
    const before = Error.stackTraceLimit;
    void raceDeadline(new VirtualClock(), Promise.resolve(1), 10);
    expect(Error.stackTraceLimit).toBe(before);
  });
});
