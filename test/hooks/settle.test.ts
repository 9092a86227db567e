/**
 * settle(): an adapter call raced against the hook's signal. One shared `abort` listener per
 * signal (not an add and a remove per call); an abort settles every pending call at once; a late
 * adapter result or rejection after the abort is absorbed.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { type Settled, settle, settleCall } from '../../src/hooks/settle.js';
import { deferred } from '../idempotency/helpers.js';

/**
 * Count the `abort` listeners added to and removed from `signal`, through own properties on the
 * instance that delegate to `AbortSignal.prototype`.
 */
function countAbortListeners(signal: AbortSignal): { added: number; removed: number } {
  const counts = { added: 0, removed: 0 };
  const proto = AbortSignal.prototype;
  Object.defineProperty(signal, 'addEventListener', {
    configurable: true,
    value(this: AbortSignal, ...args: unknown[]) {
      if (args[0] === 'abort') counts.added++;
      return Reflect.apply(proto.addEventListener, this, args) as unknown;
    },
  });
  Object.defineProperty(signal, 'removeEventListener', {
    configurable: true,
    value(this: AbortSignal, ...args: unknown[]) {
      if (args[0] === 'abort') counts.removed++;
      return Reflect.apply(proto.removeEventListener, this, args) as unknown;
    },
  });
  return counts;
}

/** Observe a settle() result synchronously (`undefined` while pending). */
function track<T>(promise: Promise<Settled<T>>): { result: Settled<T> | undefined } {
  const seen: { result: Settled<T> | undefined } = { result: undefined };
  void promise.then((result) => {
    seen.result = result;
  });
  return seen;
}

/** Run `count` settle() calls that settle at once; weak references to their `start` functions. */
async function settledCalls(signal: AbortSignal, count: number): Promise<Array<WeakRef<object>>> {
  const refs: Array<WeakRef<object>> = [];
  for (let i = 0; i < count; i++) {
    const start = (): number => i;
    refs.push(new WeakRef(start));
    await settle(start, signal);
  }
  return refs;
}

/** Start a settle() call that never settles; a weak reference to its `start` function. */
function pendingCall(signal: AbortSignal): WeakRef<object> {
  const start = (): Promise<never> => new Promise<never>(() => undefined);
  void settle(start, signal);
  return new WeakRef(start);
}

async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await undefined;
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  unhandled.length = 0;
});

describe('settle (adapter call raced against the hook signal)', () => {
  it('100 sequential calls on one signal add exactly one abort listener in total, kept until the abort', async () => {
    const controller = new AbortController();
    const counts = countAbortListeners(controller.signal);
    for (let i = 0; i < 100; i++) {
      await expect(settle(() => Promise.resolve(i), controller.signal)).resolves.toEqual({
        kind: 'fulfilled',
        value: i,
      });
    }
    expect(counts).toEqual({ added: 1, removed: 0 });
    controller.abort();
    await expect(settle(() => 'after', controller.signal)).resolves.toEqual({ kind: 'aborted' });
    expect(counts.added).toBe(1);
  });

  it('passes a plain value, a resolved value and a later rejection through', async () => {
    const signal = new AbortController().signal;
    await expect(settle(() => 7, signal)).resolves.toEqual({ kind: 'fulfilled', value: 7 });
    const later = deferred<string>();
    const pending = track(settle(() => later.promise, signal));
    await turns(5);
    expect(pending.result).toBeUndefined();
    const error = new Error('adapter failed');
    later.reject(error);
    await turns(2);
    expect(pending.result).toEqual({ kind: 'rejected', error });
    expect((pending.result as { error: unknown }).error).toBe(error);
  });

  it('an abort settles every pending call on the signal with aborted, at once (within abort())', async () => {
    const controller = new AbortController();
    const counts = countAbortListeners(controller.signal);
    let started = 0;
    const calls = [0, 1, 2].map(() =>
      track(
        settle(() => {
          started++;
          return new Promise<never>(() => undefined);
        }, controller.signal),
      ),
    );
    await turns(10);
    expect(started).toBe(3);
    expect(calls.map((c) => c.result)).toEqual([undefined, undefined, undefined]);
    expect(counts.added).toBe(1);

    controller.abort();
    // One microtask turn: only then-callbacks queued by abort() itself have run by now.
    await undefined;
    expect(calls.map((c) => c.result)).toEqual([{ kind: 'aborted' }, { kind: 'aborted' }, { kind: 'aborted' }]);
  });

  it('a call on an already aborted signal settles aborted at once, without calling start or adding a listener', async () => {
    const controller = new AbortController();
    controller.abort();
    const counts = countAbortListeners(controller.signal);
    let started = 0;
    const call = track(
      settle(() => {
        started++;
        return 'ran';
      }, controller.signal),
    );
    await turns(1);
    expect(call.result).toEqual({ kind: 'aborted' });
    expect(started).toBe(0);
    expect(counts).toEqual({ added: 0, removed: 0 });
  });

  it('a start() that throws synchronously settles rejected with the thrown value; a later abort does not change it', async () => {
    const controller = new AbortController();
    const error = new Error('sync throw');
    const call = settle(() => {
      throw error;
    }, controller.signal);
    const result = await call;
    expect(result).toEqual({ kind: 'rejected', error });
    expect((result as { error: unknown }).error).toBe(error);
    controller.abort();
    await expect(call).resolves.toEqual({ kind: 'rejected', error });
  });

  it('an adapter that rejects after the abort is absorbed: the call stays aborted and nothing goes unhandled', async () => {
    process.on('unhandledRejection', onUnhandled);
    const controller = new AbortController();
    const failing = deferred<never>();
    const succeeding = deferred<string>();
    const rejected = track(settle(() => failing.promise, controller.signal));
    const fulfilled = track(settle(() => succeeding.promise, controller.signal));
    controller.abort();
    await turns(1);
    expect(rejected.result).toEqual({ kind: 'aborted' });
    expect(fulfilled.result).toEqual({ kind: 'aborted' });

    failing.reject(new Error('late rejection'));
    succeeding.resolve('late value');
    // Node reports unhandled rejections once the microtask queue drains: one macrotask turn.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
    expect(rejected.result).toEqual({ kind: 'aborted' });
    expect(fulfilled.result).toEqual({ kind: 'aborted' });
  });

  it('two signals get one listener each, and aborting one leaves the calls on the other pending', async () => {
    const a = new AbortController();
    const b = new AbortController();
    const countsA = countAbortListeners(a.signal);
    const countsB = countAbortListeners(b.signal);
    const onA = [0, 1, 2].map(() => track(settle(() => new Promise<never>(() => undefined), a.signal)));
    const answerB = deferred<string>();
    const onB = [0, 1].map(() => track(settle(() => answerB.promise, b.signal)));
    expect(countsA.added).toBe(1);
    expect(countsB.added).toBe(1);

    a.abort();
    await turns(2);
    expect(onA.map((c) => c.result?.kind)).toEqual(['aborted', 'aborted', 'aborted']);
    expect(onB.map((c) => c.result)).toEqual([undefined, undefined]);

    answerB.resolve('b');
    await turns(2);
    expect(onB.map((c) => c.result)).toEqual([
      { kind: 'fulfilled', value: 'b' },
      { kind: 'fulfilled', value: 'b' },
    ]);
    expect(countsB).toEqual({ added: 1, removed: 0 });
  });

  it('a call that settled no longer waits on the signal: nothing of it stays reachable from a live signal', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const controller = new AbortController();
    const settled = await settledCalls(controller.signal, 10);
    const pending = pendingCall(controller.signal); // control: a waiting call is kept
    // WeakRef targets stay alive until the current job ends: collect from a later macrotask.
    await new Promise<void>((resolve) => setImmediate(resolve));
    gc();
    expect(settled.map((ref) => ref.deref() === undefined)).toEqual(settled.map(() => true));
    expect(pending.deref()).toBeDefined();
    controller.abort(); // keeps the controller (and its signal) alive up to here
  });

  it('a call that settled no longer waits: an abort afterwards leaves its result alone and settles only the pending ones', async () => {
    const controller = new AbortController();
    const done = track(settle(() => 'done', controller.signal));
    const waiting = track(settle(() => new Promise<never>(() => undefined), controller.signal));
    await turns(2);
    expect(done.result).toEqual({ kind: 'fulfilled', value: 'done' });
    controller.abort();
    await turns(1);
    expect(done.result).toEqual({ kind: 'fulfilled', value: 'done' });
    expect(waiting.result).toEqual({ kind: 'aborted' });
  });
});

describe('settleCall (settle of call(a, b, c), no closure per call)', () => {
  it('calls with the three arguments and `this` undefined, and settles with its value', async () => {
    const seen: unknown[] = [];
    const call = function (this: unknown, a: number, b: string, c: { readonly n: number }): Promise<string> {
      seen.push(this, a, b, c);
      return Promise.resolve(`${a}${b}${c.n}`);
    };
    const c = { n: 3 };
    await expect(settleCall(call, 1, 'x', c, new AbortController().signal)).resolves.toEqual({
      kind: 'fulfilled',
      value: '1x3',
    });
    expect(seen).toEqual([undefined, 1, 'x', c]);
  });

  it('on an aborted signal settles aborted without calling; a synchronous throw settles rejected', async () => {
    const aborted = new AbortController();
    aborted.abort();
    let calls = 0;
    const counting = (): number => ++calls;
    await expect(settleCall(counting, 0, 0, 0, aborted.signal)).resolves.toEqual({ kind: 'aborted' });
    expect(calls).toBe(0);
    const boom = new Error('boom');
    const throwing = (): never => {
      throw boom;
    };
    await expect(settleCall(throwing, 0, 0, 0, new AbortController().signal)).resolves.toEqual({
      kind: 'rejected',
      error: boom,
    });
  });

  it('settles in the same turn as settle() of the same call', async () => {
    const turnOf = async (run: () => Promise<unknown>): Promise<number> => {
      let turn = 0;
      let done = -1;
      void run().then(() => {
        done = turn;
      });
      while (done < 0 && turn < 50) {
        turn++;
        await Promise.resolve();
      }
      return done;
    };
    const signal = new AbortController().signal;
    const value = (): Promise<number> => Promise.resolve(1);
    expect(await turnOf(() => settleCall(value, 0, 0, 0, signal))).toBe(await turnOf(() => settle(value, signal)));
  });
});
