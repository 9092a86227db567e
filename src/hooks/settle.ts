/**
 * Calling an adapter safely: whatever it does (throw synchronously, reject with any value, never
 * settle), the caller gets one plain result, and an abort of the hook's signal settles at once.
 *
 * @module
 */

import { appendNode, captured, capturedPromise, type IntrusiveList, unlinkNode } from '../ports/intrusive-list.js';

/** How an adapter call ended. */
export type Settled<T> =
  | { readonly kind: 'fulfilled'; readonly value: T }
  | { readonly kind: 'rejected'; readonly error: unknown }
  | { readonly kind: 'aborted' };

/**
 * The calls waiting for a signal to abort, behind one `abort` listener per signal. A hook's
 * adapter calls share their container instance's signal (the manager reuses it across calls and
 * instances), so one listener per signal for its lifetime replaces an add and a remove per call:
 * those were a tenth of a lifecycle cycle's time (docs/performance-history.md). Each call is its own node
 * in the list, so waiting and leaving allocate nothing (a `Set` reallocated its table as a call
 * left it: ≈ 100 B of garbage per call).
 */
type AbortWaiters = IntrusiveList<PendingCall>;

const abortWaiters = new WeakMap<AbortSignal, AbortWaiters>();

/** One {@link settle} call: settles once, and leaves its signal's waiters as it does. */
class PendingCall {
  isDone = false;
  list: AbortWaiters | undefined = undefined;
  prev: PendingCall | undefined = undefined;
  next: PendingCall | undefined = undefined;

  constructor(
    readonly resolve: (result: Settled<unknown>) => void,
    /** The adapter call's starter (or first argument), held while the call waits (as its closures did), let go once settled. */
    public start: unknown,
  ) {}

  /** Wait for `signal` to abort (it must not be aborted yet). */
  wait(signal: AbortSignal): void {
    let waiters = abortWaiters.get(signal);
    if (waiters === undefined) {
      const list: AbortWaiters = { head: undefined, tail: undefined };
      waiters = list;
      abortWaiters.set(signal, list);
      signal.addEventListener(
        'abort',
        () => {
          abortWaiters.delete(signal);
          for (let call = list.head; call !== undefined; call = list.head) call.finish({ kind: 'aborted' });
        },
        { once: true },
      );
    }
    appendNode<PendingCall>(waiters, this);
  }

  finish(result: Settled<unknown>): void {
    if (this.isDone) return;
    this.isDone = true;
    this.start = undefined;
    unlinkNode<PendingCall>(this);
    this.resolve(result);
  }
}

type Resolve = (result: Settled<unknown>) => void;

/**
 * Run `start` and race its promise against `signal`. Never rejects. An abort wins over an adapter
 * that settles later (whose late result or rejection is absorbed, so nothing goes unhandled). Uses
 * no timers, and leaves nothing waiting on `signal` once settled: at most one `abort` listener per
 * signal stays, shared by every call given that signal.
 */
export function settle<T>(start: () => PromiseLike<T> | T, signal: AbortSignal): Promise<Settled<T>> {
  return settleCall(
    callStarter as (start: () => PromiseLike<T> | T) => PromiseLike<T> | T,
    start,
    undefined,
    undefined,
    signal,
  );
}

const callStarter = (start: () => unknown): unknown => start();

/**
 * {@link settle} of `call(a, b, c)`, without a closure per call: a hot caller (an exec hook, two
 * per container started and deleted) passes a function made once and its arguments, where
 * `settle(() => …)` made a closure and its context per call (≈ 70 B). Same steps, same turns.
 */
export function settleCall<T, A, B, C>(
  call: (a: A, b: B, c: C) => PromiseLike<T> | T,
  a: A,
  b: B,
  c: C,
  signal: AbortSignal,
): Promise<Settled<T>> {
  const result = capturedPromise<Settled<T>>();
  const resolve = captured.resolve as Resolve;
  const { reject } = captured;
  if (signal.aborted) {
    resolve({ kind: 'aborted' });
    return result;
  }
  const pendingCall = new PendingCall(resolve, a);
  pendingCall.wait(signal);
  let pending: PromiseLike<T> | T;
  try {
    pending = call(a, b, c);
  } catch (error) {
    pendingCall.finish({ kind: 'rejected', error });
    return result;
  }
  try {
    Promise.resolve(pending).then(
      (value) => pendingCall.finish({ kind: 'fulfilled', value }),
      (error: unknown) => pendingCall.finish({ kind: 'rejected', error }),
    );
  } catch (error) {
    reject(error); // as a throw in the executor did (a promise whose `constructor` getter throws)
  }
  return result;
}

/**
 * The Go context error an aborted hook reports: `context deadline exceeded` when the signal's
 * reason is a `TimeoutError` (as `AbortSignal.timeout` gives), else `context canceled`.
 */
export function contextErrorText(signal: AbortSignal): string {
  let name: unknown;
  try {
    name = (signal.reason as { name?: unknown } | null | undefined)?.name;
  } catch {
    name = undefined;
  }
  return name === 'TimeoutError' ? 'context deadline exceeded' : 'context canceled';
}
