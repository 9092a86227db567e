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
  /** True when the SIGKILL deadline passed before the container exited. */
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
export async function stopWithEscalation(options: EscalationOptions): Promise<EscalationResult> {
  const { clock, timeoutSeconds, sendSignal, signal } = options;
  const stopSignal = options.stopSignal ?? 'SIGTERM';
  const signalsSent: string[] = [];
  signal?.throwIfAborted();

  let isExited = false;
  const exited = Promise.resolve(options.exited).then(
    () => { isExited = true; },
    () => { isExited = true; },
  );
  const send = async (name: string): Promise<void> => {
    signalsSent.push(name);
    try {
      await sendSignal(name);
    } catch (error) {
      // Signalling a process that has just exited fails (ESRCH): the stop still succeeded.
      for (let turn = 0; turn < 4 && !isExited; turn++) await Promise.resolve();
      if (!isExited) throw error;
    }
  };
  // A signal delivery that hangs must not hold up a container that has exited meanwhile.
  const sendUnlessExited = (name: string): Promise<unknown> => Promise.race([send(name), exited, aborted]);

  let timer: unknown;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    if (signal === undefined) return;
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    const immediateKill = !(timeoutSeconds > 0) || stopSignal === 'SIGKILL';
    if (immediateKill) {
      await sendUnlessExited('SIGKILL');
      await Promise.race([exited, aborted]);
      return { signalsSent, killed: stopSignal !== 'SIGKILL' };
    }
    // The SIGKILL deadline counts from the stop request, not from when the signal was delivered
    // (CRI StopContainer), so a slow delivery never pushes the SIGKILL later.
    // timeoutSeconds = Infinity: wait for the exit without ever escalating.
    const deadline = new Promise<'deadline'>((resolve) => {
      if (Number.isFinite(timeoutSeconds)) timer = clock.setTimeout(() => resolve('deadline'), timeoutSeconds * 1000);
    });
    await sendUnlessExited(stopSignal);
    const first = await Promise.race([exited.then(() => 'exited' as const), deadline, aborted]);
    if (first === 'exited' || isExited) return { signalsSent, killed: false };
    await sendUnlessExited('SIGKILL');
    await Promise.race([exited, aborted]);
    return { signalsSent, killed: true };
  } finally {
    if (timer !== undefined) clock.clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  }
}
