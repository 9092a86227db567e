import type { Clock } from './clock.js';

/** What {@link stopWithEscalation} needs from an adapter. */
export interface EscalationOptions {
  /** The clock that times the escalation (the manager's clock, or `systemClock`). */
  readonly clock: Clock;
  /** Signal to send first. @default "SIGTERM" (the runtime default of containerd and CRI-O) */
  readonly stopSignal?: string | undefined;
  /**
   * Seconds to wait for exit after the stop signal before SIGKILL; `<= 0` (or NaN) sends SIGKILL
   * at once, `Infinity` never escalates.
   */
  readonly timeoutSeconds: number;
  /**
   * Deliver a signal to the container's processes. A throw or rejection fails the stop, unless
   * `exited` has settled by then (a process that exits as it is signalled makes `kill` fail with
   * ESRCH: that stop succeeded). A delivery that never settles is not waited for once exited.
   */
  readonly sendSignal: (signal: string) => void | Promise<void>;
  /** Settles once the container has exited (resolve or reject: both count as exited). */
  readonly exited: PromiseLike<unknown>;
  /** Stops waiting (rejects with `signal.reason`) and disarms the timer; sends nothing more. */
  readonly signal?: AbortSignal | undefined;
}

/** The abort listener's options: one object for every stop (they are only read). */
const ONCE: { readonly once: true } = Object.freeze({ once: true });

/** What happened during an escalation. */
export interface EscalationResult {
  /** Signals sent, in order (the stop signal, then `SIGKILL` when the deadline passed). */
  readonly signalsSent: readonly string[];
  /**
   * True when SIGKILL was sent as an escalation: the deadline passed before the container exited,
   * or `timeoutSeconds <= 0` sent it at once in place of another stop signal. False when the
   * container exited in time, and when the stop signal itself was `SIGKILL`.
   */
  readonly killed: boolean;
}

/**
 * CRI StopContainer semantics for adapters that signal processes themselves (child processes,
 * `runc kill`): send the stop signal, wait `timeoutSeconds` on the injected clock, then SIGKILL,
 * and resolve once the container has exited. No global timers: the same escalation runs in
 * virtual time in tests and on `systemClock` in production.
 *
 * @example
 * ```ts
 * await stopWithEscalation({
 *   clock: systemClock, stopSignal: 'SIGTERM', timeoutSeconds: 10,
 *   sendSignal: (s) => process.kill(-child.pid!, s as NodeJS.Signals),
 *   exited: onceExited,
 * });
 * ```
 */
export function stopWithEscalation(options: EscalationOptions): Promise<EscalationResult> {
  const { clock, timeoutSeconds, sendSignal, signal } = options;
  const stopSignal = options.stopSignal ?? 'SIGTERM';
  if (signal?.aborted) return Promise.reject(signal.reason);
  // One promise and a handful of callbacks, not an async function racing five promises: a
  // pending stop is what a burst of 10,000 holds in memory, and its SIGKILL is what a burst of
  // expiries runs back to back (docs/performance-history.md, round 6).
  return new Promise<EscalationResult>((resolve, reject) => {
    const immediateKill = !(timeoutSeconds > 0) || stopSignal === 'SIGKILL';
    // Which signals went out (the result's `signalsSent` is built from these when it resolves:
    // one array of the right length, not an array grown by a push at the SIGKILL). Once SIGKILL
    // has gone out, a later failure of the stop signal's delivery no longer matters. (A
    // delivery's success changes nothing: only its failure is waited for.)
    let sentStop = false;
    let sentKill = false;
    let isExited = false;
    let isDone = false;
    let timer: unknown;

    const finish = (error: { readonly reason: unknown } | undefined): void => {
      if (isDone) return;
      isDone = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error !== undefined) reject(error.reason);
      else
        resolve({
          signalsSent: sentStop ? (sentKill ? [stopSignal, 'SIGKILL'] : [stopSignal]) : sentKill ? ['SIGKILL'] : [],
          killed: immediateKill ? stopSignal !== 'SIGKILL' : sentKill,
        });
    };
    const onAbort = (): void => finish({ reason: signal?.reason });
    const onExited = (): void => {
      isExited = true;
      finish(undefined); // whatever delivery may still hang: a container that has exited is stopped
    };
    const onDeadline = (): void => {
      timer = undefined;
      // SIGKILL is due at request + timeout, even while the stop signal's delivery still hangs.
      if (!sentKill) deliver('SIGKILL');
    };
    /** Delivering `name` failed: the stop fails, unless it is over or the container has exited meanwhile. */
    const failed = (name: string, error: unknown): void => {
      if (name !== 'SIGKILL' && sentKill) return;
      // Signalling a process that has just exited fails (ESRCH): the stop still succeeded.
      let turn = 0;
      const check = (): void => {
        if (isDone || isExited) return;
        if (++turn <= 4) void Promise.resolve().then(check);
        else finish({ reason: error });
      };
      check();
    };
    /** Send `name`; a delivery that fails (throws, or rejects unless the stop is over) fails the stop. */
    const deliver = (name: string): void => {
      if (name === 'SIGKILL') sentKill = true;
      else sentStop = true;
      let result: void | Promise<void>;
      try {
        result = sendSignal(name);
      } catch (error) {
        failed(name, error);
        return;
      }
      // A synchronous delivery (`void`) cannot fail later: nothing to wait for, no promise made
      // (a burst of SIGKILLs paid one promise, one reaction and two closures each).
      if (result === undefined) return;
      Promise.resolve(result).then(undefined, (error: unknown) => failed(name, error));
    };

    signal?.addEventListener('abort', onAbort, ONCE);
    Promise.resolve(options.exited).then(onExited, onExited);
    if (immediateKill) {
      deliver('SIGKILL');
      return;
    }
    // The SIGKILL deadline counts from the stop request, not from when the signal was delivered
    // (CRI StopContainer), so a slow delivery never pushes the SIGKILL later.
    // timeoutSeconds = Infinity: wait for the exit without ever escalating.
    if (Number.isFinite(timeoutSeconds)) timer = clock.setTimeout(onDeadline, timeoutSeconds * 1000);
    deliver(stopSignal);
  });
}
