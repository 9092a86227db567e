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
  // pending stop is what a burst of 10,000 holds in memory (docs/performance.md).
  return new Promise<EscalationResult>((resolve, reject) => {
    const signalsSent: string[] = [];
    const immediateKill = !(timeoutSeconds > 0) || stopSignal === 'SIGKILL';
    /** Where the escalation is: delivering the stop signal, waiting, delivering SIGKILL, killed. */
    let stage: 'stopping' | 'waiting' | 'killing' | 'killed' = immediateKill ? 'killing' : 'stopping';
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
          signalsSent,
          killed: immediateKill ? stopSignal !== 'SIGKILL' : stage === 'killing' || stage === 'killed',
        });
    };
    const onAbort = (): void => finish({ reason: signal?.reason });
    const onExited = (): void => {
      isExited = true;
      finish(undefined); // whatever delivery may still hang: a container that has exited is stopped
    };
    const startKill = (): void => {
      stage = 'killing';
      deliver('SIGKILL', () => {
        stage = 'killed';
      });
    };
    const onDeadline = (): void => {
      timer = undefined;
      // SIGKILL is due at request + timeout, even while the stop signal's delivery still hangs.
      if (stage === 'stopping' || stage === 'waiting') startKill();
    };
    /**
     * Send `name`; `delivered` runs once it was delivered, unless the stop is over by then. A
     * stop signal whose delivery fails after SIGKILL went out no longer matters.
     */
    const deliver = (name: string, delivered: () => void): void => {
      signalsSent.push(name);
      const failed = (error: unknown): void => {
        if (name !== 'SIGKILL' && (stage === 'killing' || stage === 'killed')) return;
        // Signalling a process that has just exited fails (ESRCH): the stop still succeeded.
        let turn = 0;
        const check = (): void => {
          if (isDone || isExited) return;
          if (++turn <= 4) void Promise.resolve().then(check);
          else finish({ reason: error });
        };
        check();
      };
      let result: void | Promise<void>;
      try {
        result = sendSignal(name);
      } catch (error) {
        failed(error);
        return;
      }
      Promise.resolve(result).then(() => {
        if (!isDone) delivered();
      }, failed);
    };

    signal?.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(options.exited).then(onExited, onExited);
    if (immediateKill) {
      startKill();
      return;
    }
    // The SIGKILL deadline counts from the stop request, not from when the signal was delivered
    // (CRI StopContainer), so a slow delivery never pushes the SIGKILL later.
    // timeoutSeconds = Infinity: wait for the exit without ever escalating.
    if (Number.isFinite(timeoutSeconds)) timer = clock.setTimeout(onDeadline, timeoutSeconds * 1000);
    deliver(stopSignal, () => {
      if (stage === 'stopping') stage = 'waiting';
    });
  });
}
