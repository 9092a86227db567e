/**
 * Black-box contract: stopWithEscalation (docs/semantics.md "Stop deadline in the escalation helper", docs/adapters.md,
 * DESIGN §5, spec §4.2-C.8).
 * Exercised only through the public barrels with hand-written adapters (test/support/scripted-adapters.ts).
 */
import { describe, expect, it } from 'vitest';
import { sleepOn, stopWithEscalation, systemClock } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { countAbortListeners, realSleep, watch } from '../support/scripted-adapters.js';
import { settle } from '../support/settle.js';

interface FakeProcess {
  readonly sent: Array<{ signal: string; at: number }>;
  readonly exited: Promise<void>;
  exit(): void;
  isExited(): boolean;
}

/** A main process for stopWithEscalation: `exit()` settles `exited`. */
function fakeProcess(): FakeProcess {
  let exit!: () => void;
  let done = false;
  const exited = new Promise<void>((r) => {
    exit = () => {
      done = true;
      r();
    };
  });
  return { sent: [], exited, exit: () => exit(), isExited: () => done };
}

describe('3b. stopWithEscalation (semantics.md "Stop deadline in the escalation helper", DESIGN §5, spec §4.2-C.8)', () => {
  it('systemClock: a process that ignores SIGTERM gets SIGKILL at request + timeout, not before', async () => {
    const p = fakeProcess();
    const requestedAt = systemClock.now();
    const result = await stopWithEscalation({
      clock: systemClock,
      timeoutSeconds: 0.03,
      exited: p.exited,
      sendSignal: (s) => {
        p.sent.push({ signal: s, at: systemClock.now() });
        if (s === 'SIGKILL') p.exit();
      },
    });
    expect(p.sent.map((s) => s.signal)).toEqual(['SIGTERM', 'SIGKILL']);
    expect(result).toEqual({ signalsSent: ['SIGTERM', 'SIGKILL'], killed: true });
    expect(p.sent[0]!.at - requestedAt).toBeLessThan(10);
    expect(p.sent[1]!.at - requestedAt).toBeGreaterThanOrEqual(29);
    expect(p.sent[1]!.at - requestedAt).toBeLessThan(30 + 500);
  });

  it('systemClock: a process that exits on SIGTERM resolves without SIGKILL, and no SIGKILL follows later', async () => {
    const p = fakeProcess();
    const result = await stopWithEscalation({
      clock: systemClock,
      timeoutSeconds: 0.02,
      exited: p.exited,
      sendSignal: (s) => {
        p.sent.push({ signal: s, at: systemClock.now() });
        if (s === 'SIGTERM') setTimeout(() => p.exit(), 3);
      },
    });
    expect(result).toEqual({ signalsSent: ['SIGTERM'], killed: false });
    await realSleep(40);
    expect(p.sent.map((s) => s.signal)).toEqual(['SIGTERM']);
  });

  it('systemClock: an abort rejects with signal.reason promptly and sends nothing more', async () => {
    const p = fakeProcess();
    const controller = new AbortController();
    const reason = new Error('given up');
    const stopping = stopWithEscalation({
      clock: systemClock,
      timeoutSeconds: 0.03,
      exited: p.exited,
      signal: controller.signal,
      sendSignal: (s) => void p.sent.push({ signal: s, at: systemClock.now() }),
    });
    setTimeout(() => controller.abort(reason), 5);
    await expect(stopping).rejects.toBe(reason);
    await realSleep(50);
    expect(p.sent.map((s) => s.signal)).toEqual(['SIGTERM']);
  });

  it('VirtualClock: SIGKILL exactly at request + timeout (not 1 ms early), a timer pending right after the call and none after', async () => {
    const clock = new VirtualClock({ startAt: 1_000 });
    const p = fakeProcess();
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited: p.exited,
      sendSignal: (s) => {
        p.sent.push({ signal: s, at: clock.now() });
        if (s === 'SIGKILL') p.exit();
      },
    });
    expect(clock.pendingTimerList().map((t) => t.deadlineAt)).toEqual([6_000]);
    await clock.advanceTo(5_999);
    expect(p.sent.map((s) => s.signal)).toEqual(['SIGTERM']);
    await clock.advance(1);
    expect(await stopping).toEqual({ signalsSent: ['SIGTERM', 'SIGKILL'], killed: true });
    expect(p.sent).toEqual([
      { signal: 'SIGTERM', at: 1_000 },
      { signal: 'SIGKILL', at: 6_000 },
    ]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('VirtualClock: a slow stop-signal delivery (3 s of a 5 s timeout) does not move the SIGKILL: still at request + 5 s', async () => {
    const clock = new VirtualClock();
    const p = fakeProcess();
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited: p.exited,
      sendSignal: (s) => {
        p.sent.push({ signal: s, at: clock.now() });
        if (s === 'SIGKILL') {
          p.exit();
          return undefined;
        }
        return sleepOn(clock, 3_000);
      },
    });
    await clock.runAll();
    await stopping;
    expect(p.sent).toEqual([
      { signal: 'SIGTERM', at: 0 },
      { signal: 'SIGKILL', at: 5_000 },
    ]);
  });

  it('VirtualClock: a stop-signal delivery that never settles does not hold back the SIGKILL due at request + timeout (DESIGN §5 "SIGKILL after timeoutSeconds")', async () => {
    const clock = new VirtualClock();
    const p = fakeProcess();
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited: p.exited,
      sendSignal: (s) => {
        p.sent.push({ signal: s, at: clock.now() });
        if (s === 'SIGKILL') {
          p.exit();
          return undefined;
        }
        return new Promise<void>(() => undefined); // `runc kill` hung
      },
    });
    const state = watch(stopping);
    await clock.advanceTo(5_000);
    await settle();
    expect(p.sent).toEqual([
      { signal: 'SIGTERM', at: 0 },
      { signal: 'SIGKILL', at: 5_000 },
    ]);
    expect(state.settled).toBe(true);
  });

  it.each([
    { label: 'timeout 0', timeoutSeconds: 0, stopSignal: undefined },
    { label: 'a negative timeout', timeoutSeconds: -3, stopSignal: undefined },
    { label: 'stop signal SIGKILL', timeoutSeconds: 30, stopSignal: 'SIGKILL' },
  ])(
    'SIGKILL at once, exactly once, and no timer for $label (VirtualClock)',
    async ({ timeoutSeconds, stopSignal }) => {
      const clock = new VirtualClock();
      const p = fakeProcess();
      const stopping = stopWithEscalation({
        clock,
        timeoutSeconds,
        stopSignal,
        exited: p.exited,
        sendSignal: (s) => void p.sent.push({ signal: s, at: clock.now() }),
      });
      await clock.flush();
      expect(p.sent).toEqual([{ signal: 'SIGKILL', at: 0 }]);
      expect(clock.pendingTimers).toBe(0);
      p.exit();
      expect((await stopping).signalsSent).toEqual(['SIGKILL']);
      await clock.advance(60_000);
      expect(p.sent).toHaveLength(1);
    },
  );

  it('systemClock: timeout 0 sends SIGKILL at once, without waiting', async () => {
    const p = fakeProcess();
    const t0 = systemClock.now();
    const result = await stopWithEscalation({
      clock: systemClock,
      timeoutSeconds: 0,
      exited: p.exited,
      sendSignal: (s) => {
        p.sent.push({ signal: s, at: systemClock.now() });
        p.exit();
      },
    });
    expect(result.signalsSent).toEqual(['SIGKILL']);
    expect(p.sent[0]!.at - t0).toBeLessThan(10);
  });

  it('VirtualClock: an abort rejects with signal.reason, disarms the timer, sends nothing more, and leaves no abort listener', async () => {
    const clock = new VirtualClock();
    const p = fakeProcess();
    const controller = new AbortController();
    const listeners = countAbortListeners(controller.signal);
    const reason = new Error('caller gave up');
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited: p.exited,
      signal: controller.signal,
      sendSignal: (s) => void p.sent.push({ signal: s, at: clock.now() }),
    });
    const state = watch(stopping);
    await clock.advanceTo(1_000);
    controller.abort(reason);
    await clock.flush();
    expect(state.error).toBe(reason);
    expect(clock.pendingTimers).toBe(0);
    await clock.advanceTo(10_000);
    expect(p.sent.map((s) => s.signal)).toEqual(['SIGTERM']);
    expect(listeners.left()).toBe(0);
  });

  it('an already-aborted signal rejects at once and sends nothing', async () => {
    const clock = new VirtualClock();
    const p = fakeProcess();
    const reason = new Error('too late');
    await expect(
      stopWithEscalation({
        clock,
        timeoutSeconds: 5,
        exited: p.exited,
        signal: AbortSignal.abort(reason),
        sendSignal: (s) => void p.sent.push({ signal: s, at: clock.now() }),
      }),
    ).rejects.toBe(reason);
    expect(p.sent).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a stop that succeeds leaves no abort listener on the signal (docs/adapters.md rule for adapters)', async () => {
    const clock = new VirtualClock();
    const p = fakeProcess();
    const controller = new AbortController();
    const listeners = countAbortListeners(controller.signal);
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited: p.exited,
      signal: controller.signal,
      sendSignal: () => {
        clock.setTimeout(() => p.exit(), 100);
      },
    });
    await clock.runAll();
    await stopping;
    expect(listeners.left()).toBe(0);
  });

  const esrch = (): Error => Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
  it.each([
    { label: 'a synchronous throw', reject: false },
    { label: 'a rejection', reject: true },
  ])('ESRCH ($label) from signalling a process that has just exited counts as success', async ({ reject }) => {
    const clock = new VirtualClock();
    const p = fakeProcess();
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited: p.exited,
      sendSignal: (s) => {
        p.sent.push({ signal: s, at: clock.now() });
        if (s !== 'SIGKILL') return undefined;
        p.exit(); // it exited just as the SIGKILL went out
        if (reject) return Promise.reject(esrch());
        throw esrch();
      },
    });
    const state = watch(stopping);
    await clock.advanceTo(5_000);
    await settle();
    expect(state.error).toBeUndefined();
    expect(state.settled).toBe(true);
    expect(state.value?.signalsSent).toEqual(['SIGTERM', 'SIGKILL']);
  });

  it('ESRCH on the stop signal of a process that exited meanwhile counts as success', async () => {
    const clock = new VirtualClock();
    const p = fakeProcess();
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited: p.exited,
      sendSignal: () => {
        p.exit();
        throw esrch();
      },
    });
    await clock.flush();
    await expect(stopping).resolves.toMatchObject({ signalsSent: ['SIGTERM'] });
    expect(clock.pendingTimers).toBe(0);
  });

  it('a signalling error while the process still runs fails the stop (control for the ESRCH cases)', async () => {
    const clock = new VirtualClock();
    const p = fakeProcess();
    const error = Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited: p.exited,
      sendSignal: () => {
        throw error;
      },
    });
    const state = watch(stopping);
    await clock.flush();
    await settle();
    expect(state.error).toBe(error);
    expect(p.isExited()).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a hanging delivery does not block a process that has exited: resolves at the exit, no timer left', async () => {
    const clock = new VirtualClock();
    const p = fakeProcess();
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited: p.exited,
      sendSignal: () => {
        clock.setTimeout(() => p.exit(), 10);
        return new Promise<void>(() => undefined);
      },
    });
    const state = watch(stopping);
    await clock.advanceTo(10);
    await settle();
    expect(state.settled).toBe(true);
    expect(state.value).toEqual({ signalsSent: ['SIGTERM'], killed: false });
    expect(clock.pendingTimers).toBe(0);
  });

  it('systemClock: a hanging delivery does not block a process that has exited', async () => {
    const p = fakeProcess();
    const t0 = systemClock.now();
    const result = await stopWithEscalation({
      clock: systemClock,
      timeoutSeconds: 1,
      exited: p.exited,
      sendSignal: () => {
        setTimeout(() => p.exit(), 5);
        return new Promise<void>(() => undefined);
      },
    });
    expect(result.signalsSent).toEqual(['SIGTERM']);
    expect(systemClock.now() - t0).toBeLessThan(500);
  });
});
