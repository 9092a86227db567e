import { describe, expect, it } from 'vitest';
import { stopWithEscalation } from '../../src/ports/escalation.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

/** A scripted process: records signals and exits when told to. */
function processStub(clock: VirtualClock, exitOn: readonly string[] = ['SIGTERM', 'SIGKILL']) {
  let exit!: () => void;
  const exited = new Promise<void>((resolve) => (exit = resolve));
  const received: string[] = [];
  return {
    exited,
    exit,
    received,
    sendSignal: (s: string): void => {
      received.push(`${s}@${clock.now()}`);
      if (exitOn.includes(s)) exit();
    },
  };
}

describe('stopWithEscalation', () => {
  it('sends SIGTERM by default and resolves when the process exits, without SIGKILL', async () => {
    const clock = new VirtualClock();
    const p = processStub(clock);
    const result = await stopWithEscalation({ clock, timeoutSeconds: 10, sendSignal: p.sendSignal, exited: p.exited });
    expect(result).toEqual({ signalsSent: ['SIGTERM'], killed: false });
    expect(clock.pendingTimers).toBe(0);
  });

  it('sends the given stop signal', async () => {
    const clock = new VirtualClock();
    const p = processStub(clock, ['SIGQUIT']);
    const result = await stopWithEscalation({
      clock,
      stopSignal: 'SIGQUIT',
      timeoutSeconds: 5,
      sendSignal: p.sendSignal,
      exited: p.exited,
    });
    expect(result.signalsSent).toEqual(['SIGQUIT']);
  });

  it('sends SIGKILL exactly timeoutSeconds after the stop signal, not before', async () => {
    const clock = new VirtualClock();
    const p = processStub(clock, ['SIGKILL']);
    const stopping = stopWithEscalation({ clock, timeoutSeconds: 10, sendSignal: p.sendSignal, exited: p.exited });
    await clock.advance(9_999);
    expect(p.received).toEqual(['SIGTERM@0']);
    await clock.advance(1);
    expect(await stopping).toEqual({ signalsSent: ['SIGTERM', 'SIGKILL'], killed: true });
    expect(p.received).toEqual(['SIGTERM@0', 'SIGKILL@10000']);
  });

  it('sends SIGKILL at once for a timeout <= 0, and once only for a SIGKILL stop signal', async () => {
    const clock = new VirtualClock();
    const a = processStub(clock);
    expect(await stopWithEscalation({ clock, timeoutSeconds: 0, sendSignal: a.sendSignal, exited: a.exited })).toEqual({
      signalsSent: ['SIGKILL'],
      killed: true,
    });
    const b = processStub(clock);
    expect(
      await stopWithEscalation({
        clock,
        stopSignal: 'SIGKILL',
        timeoutSeconds: 30,
        sendSignal: b.sendSignal,
        exited: b.exited,
      }),
    ).toEqual({
      signalsSent: ['SIGKILL'],
      killed: false,
    });
  });

  it('never escalates with timeoutSeconds = Infinity', async () => {
    const clock = new VirtualClock();
    const p = processStub(clock, []);
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: Infinity,
      sendSignal: p.sendSignal,
      exited: p.exited,
    });
    await clock.advance(1e12);
    expect(p.received).toEqual(['SIGTERM@0']);
    p.exit();
    expect(await stopping).toEqual({ signalsSent: ['SIGTERM'], killed: false });
  });

  it('succeeds when signalling fails because the process has already exited', async () => {
    const clock = new VirtualClock();
    const result = await stopWithEscalation({
      clock,
      timeoutSeconds: 10,
      sendSignal: () => {
        throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
      },
      exited: Promise.resolve(),
    });
    expect(result).toEqual({ signalsSent: ['SIGTERM'], killed: false });
  });

  it('fails when signalling fails and the process is still running', async () => {
    const clock = new VirtualClock();
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 10,
      sendSignal: () => Promise.reject(new Error('permission denied')),
      exited: new Promise(() => undefined),
    });
    await expect(stopping).rejects.toThrow('permission denied');
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not wait for a signal delivery that hangs once the process has exited', async () => {
    const clock = new VirtualClock();
    let exit!: () => void;
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 10,
      sendSignal: () => {
        exit();
        return new Promise<void>(() => undefined);
      },
      exited: new Promise<void>((resolve) => (exit = resolve)),
    });
    await clock.flush();
    expect(await stopping).toEqual({ signalsSent: ['SIGTERM'], killed: false });
  });

  it('counts a rejected `exited` as exited', async () => {
    const clock = new VirtualClock();
    const exited = Promise.reject(new Error('wait failed'));
    expect(await stopWithEscalation({ clock, timeoutSeconds: 10, sendSignal: () => undefined, exited })).toMatchObject({
      killed: false,
    });
  });

  it('stops waiting on abort: rejects with the reason, disarms the timer, sends nothing more', async () => {
    const clock = new VirtualClock();
    const p = processStub(clock, []);
    const controller = new AbortController();
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 10,
      sendSignal: p.sendSignal,
      exited: p.exited,
      signal: controller.signal,
    });
    await clock.advance(1_000);
    controller.abort(new Error('caller gave up'));
    await expect(stopping).rejects.toThrow('caller gave up');
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(20_000);
    expect(p.received).toEqual(['SIGTERM@0']);
  });

  it('rejects at once with an already-aborted signal, sending nothing', async () => {
    const clock = new VirtualClock();
    const p = processStub(clock);
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 10,
      sendSignal: p.sendSignal,
      exited: p.exited,
      signal: AbortSignal.abort(new Error('too late')),
    });
    await expect(stopping).rejects.toThrow('too late');
    expect(p.received).toEqual([]);
  });
});

describe('stopWithEscalation: the deadline counts from the stop request', () => {
  it('sends SIGKILL at request + timeout even when delivering the stop signal was slow', async () => {
    const clock = new VirtualClock();
    const sent: Array<[string, number]> = [];
    let exit!: () => void;
    const exited = new Promise<void>((resolve) => (exit = resolve));
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited,
      sendSignal: async (signal) => {
        sent.push([signal, clock.now()]);
        if (signal === 'SIGTERM')
          await new Promise<void>((resolve) => clock.setTimeout(resolve, 3_000)); // slow delivery
        else exit();
      },
    });
    await clock.runAll();
    await expect(stopping).resolves.toEqual({ signalsSent: ['SIGTERM', 'SIGKILL'], killed: true });
    expect(sent).toEqual([
      ['SIGTERM', 0],
      ['SIGKILL', 5_000],
    ]);
  });

  it("sends SIGKILL at request + timeout even while the stop signal's delivery still hangs, and ignores its late failure", async () => {
    const clock = new VirtualClock();
    const sent: Array<[string, number]> = [];
    let failDelivery!: (error: Error) => void;
    let exit!: () => void;
    const exited = new Promise<void>((resolve) => (exit = resolve));
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited,
      sendSignal: (signal) => {
        sent.push([signal, clock.now()]);
        if (signal === 'SIGKILL') return void exit();
        return new Promise<void>((_, reject) => (failDelivery = reject)); // e.g. `runc kill` hung
      },
    });
    await clock.advance(4_999);
    expect(sent).toEqual([['SIGTERM', 0]]);
    await clock.advance(1);
    await expect(stopping).resolves.toEqual({ signalsSent: ['SIGTERM', 'SIGKILL'], killed: true });
    expect(sent).toEqual([
      ['SIGTERM', 0],
      ['SIGKILL', 5_000],
    ]);
    failDelivery(new Error('runc kill: context deadline exceeded')); // too late to matter
    await clock.flush();
    expect(clock.pendingTimers).toBe(0);
  });

  it('a stop signal that fails after SIGKILL went out, before the exit, does not fail the stop', async () => {
    const clock = new VirtualClock();
    let failDelivery!: (error: Error) => void;
    let exit!: () => void;
    const exited = new Promise<void>((resolve) => (exit = resolve));
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 1,
      exited,
      sendSignal: (signal) =>
        signal === 'SIGKILL' ? undefined : new Promise<void>((_, reject) => (failDelivery = reject)),
    });
    await clock.advance(1_000); // SIGKILL sent; the process has not exited yet
    failDelivery(new Error('late SIGTERM failure'));
    await clock.flush();
    exit();
    await expect(stopping).resolves.toEqual({ signalsSent: ['SIGTERM', 'SIGKILL'], killed: true });
  });

  it('resolves in the same microtask turn after the exit whether the signal was delivered synchronously or by a promise', async () => {
    // A synchronous delivery makes no promise (nothing can fail later): the turns an embedder
    // sees between the exit and the result must not depend on that (docs/performance-history.md round 6).
    const turnsToResult = async (sendSignal: () => undefined | Promise<void>): Promise<string[]> => {
      const clock = new VirtualClock();
      let exit!: () => void;
      const exited = new Promise<void>((resolve) => (exit = resolve));
      const order: string[] = [];
      const stopping = stopWithEscalation({ clock, timeoutSeconds: 0, sendSignal, exited });
      exit();
      void stopping.then(() => order.push('stopped'));
      void Promise.resolve()
        .then(() => order.push('turn 1'))
        .then(() => order.push('turn 2'))
        .then(() => order.push('turn 3'));
      await stopping;
      for (let i = 0; i < 5; i++) await Promise.resolve();
      return order;
    };
    const expected = ['turn 1', 'stopped', 'turn 2', 'turn 3'];
    expect(await turnsToResult(() => undefined)).toEqual(expected);
    expect(await turnsToResult(() => Promise.resolve())).toEqual(expected);
  });
});
