/**
 * The exec probe of one probe worker, with its deadline built in (docs/performance-history.md round 6):
 * the same attempts, outcomes, clock calls and microtask turns as {@link runProbeWithRetries}
 * over {@link runExecProbe} and `withDeadline`, without their per-run machinery. The worker holds
 * the deadline's `AbortController` (kept across runs, replaced after a timeout), where
 * `withDeadline` found it in a `WeakMap` and linked it to the worker's own controller by a
 * listener; the timer callback and the worker's stop settle the pending attempt directly, where
 * the hook runner's `settle` kept a waiter per call on the signal.
 *
 * Used for an exec probe run by the real handlers (no scripted `attempt`).
 *
 * @internal
 * @module
 */

import type { Clock } from '../ports/clock.js';
import { captured, capturedPromise } from '../ports/intrusive-list.js';
import type { ContainerRef, Runtime } from '../ports/runtime.js';
import { execOutcome, expandProbeCommand } from './exec-probe.js';
import { type ProbeOutcome, ProbeTimeoutError } from './probe-outcome.js';
import { MAX_PROBE_RETRIES } from './run-probe.js';

type Resolve = (value: unknown) => void;
type Reject = (error: unknown) => void;

/**
 * One attempt: the exec call's settlement in the shape of the hook runner's `Settled` (`kind`,
 * `value`, `error`), read by {@link execOutcome}, then its outcome. It is the value its steps pass
 * on (a worker's steps are shared functions, not closures per worker); it must not be a thenable.
 */
class ExecAttempt {
  kind: 'fulfilled' | 'rejected' | 'aborted' | undefined = undefined;
  value: unknown = undefined;
  error: unknown = undefined;
  timedOut = false;
  outcome: ProbeOutcome | undefined = undefined;
  /** What a step threw (the general path's rejection, carried to the step that handles it). */
  thrown: { readonly error: unknown } | undefined = undefined;

  constructor(
    readonly prober: ExecProber,
    readonly argv: readonly string[],
    readonly resolve: Resolve,
  ) {}
}

/** Turn 2 of an attempt (as `runExecProbe`'s `.then`): the settlement as the probe's outcome. */
function outcomeStep(attempt: ExecAttempt): ExecAttempt {
  try {
    const timedOutAfterMs = attempt.kind === 'aborted' && attempt.timedOut ? attempt.prober.timeoutMs : undefined;
    attempt.outcome = execOutcome(attempt as never, attempt.argv, timedOutAfterMs);
  } catch (error) {
    attempt.thrown = { error };
  }
  return attempt;
}

/** Turn 3 (as `withDeadline`'s release): the deadline timer is cleared. */
function releaseStep(attempt: ExecAttempt): ExecAttempt {
  attempt.prober.release();
  return attempt;
}

/** Turn 4 (as `attemptFrom`'s `.then`): the outcome, or the next attempt after an error or a throw. */
function attemptedStep(attempt: ExecAttempt): ProbeOutcome | Promise<ProbeOutcome> {
  const { prober, outcome, thrown } = attempt;
  if (thrown !== undefined)
    return prober.retry({ result: 'unknown', output: '', error: `internal error: ${String(thrown.error)}` });
  return (outcome as ProbeOutcome).error === undefined
    ? (outcome as ProbeOutcome)
    : prober.retry(outcome as ProbeOutcome);
}

/** Where the prober reads whether its worker stopped (the worker's signal aborted). */
export interface ExecProberOwner {
  readonly isStopped: boolean;
}

/** The exec probe of one worker: its command, its kept deadline controller, its pending attempt. */
export class ExecProber {
  #controller: AbortController | undefined = undefined;
  #pending: ExecAttempt | undefined = undefined;
  #timer: unknown = undefined;
  #tries = 0;
  #ref: ContainerRef | undefined = undefined;
  readonly #timeoutMs: number;

  /** The probe's `timeoutSeconds`, in milliseconds. */
  get timeoutMs(): number {
    return this.#timeoutMs;
  }
  /** Whether the command has a `$` to expand (else each attempt gets a plain copy). */
  readonly #expands: boolean;
  /** The deadline timer's callback (one per prober). */
  readonly #onTimeout = (): void => this.#expire();

  constructor(
    private readonly command: readonly string[],
    private readonly env: Parameters<typeof expandProbeCommand>[1],
    timeoutSeconds: number,
    private readonly clock: Clock,
    private readonly runtime: Runtime,
    /** Its worker: once stopped, no further attempt. */
    private readonly owner: ExecProberOwner,
  ) {
    this.#timeoutMs = timeoutSeconds * 1000;
    this.#expands = !command.every((arg) => typeof arg === 'string' && !arg.includes('$'));
  }

  /**
   * One probe run on container instance `ref`: up to {@link MAX_PROBE_RETRIES} attempts while the
   * prober errors, as `runProbeWithRetries(probe, ctx, runProbeAttempt)`. Never rejects.
   */
  run(ref: ContainerRef): Promise<ProbeOutcome> {
    this.#ref = ref;
    return this.#from(0, undefined);
  }

  /**
   * The worker stopped: the pending attempt settles as aborted, then the deadline's signal aborts
   * with `reason` (in that order, as the hook runner's `settle` listener came first on the signal).
   */
  stop(reason: unknown): void {
    this.#settle('aborted', undefined);
    this.#controller?.abort(reason);
  }

  /** The attempt's deadline timer is cleared (turn 3). */
  release(): void {
    this.clock.clearTimeout(this.#timer);
  }

  /** The next attempt after `last` errored (turn 4). */
  retry(last: ProbeOutcome): Promise<ProbeOutcome> {
    return this.#from(this.#tries + 1, last);
  }

  /** Attempt number `tries` after `last` (as `attemptFrom`). */
  #from(tries: number, last: ProbeOutcome | undefined): Promise<ProbeOutcome> {
    if (tries >= MAX_PROBE_RETRIES || this.owner.isStopped) {
      return Promise.resolve(last ?? { result: 'unknown', output: '', error: 'probe not run' });
    }
    this.#tries = tries;
    try {
      return this.#attempt();
    } catch (error) {
      // A throw before the exec call (as `runExecProbe`'s rejection): turn 1 handles it.
      return Promise.reject(error).then(undefined, (thrown: unknown) =>
        this.retry({ result: 'unknown', output: '', error: `internal error: ${String(thrown)}` }),
      );
    }
  }

  /**
   * One attempt, turn by turn as the general path: 1 the exec settles (`settle`), 2 its outcome
   * (`runExecProbe`'s `.then`), 3 the timer cleared (`withDeadline`'s release), 4 the outcome or a
   * retry (`attemptFrom`'s `.then`). A step that throws there rejects; here it is carried in the
   * attempt to step 4, which retries as `attemptFrom`'s rejection handler did.
   */
  #attempt(): Promise<ProbeOutcome> {
    const { command } = this;
    const argv = this.#expands ? expandProbeCommand(command, this.env) : command.slice();
    let controller = this.#controller;
    if (controller === undefined || controller.signal.aborted) {
      controller = new AbortController();
      this.#controller = controller;
    }
    this.#timer = this.clock.setTimeout(this.#onTimeout, this.#timeoutMs);
    const settled = capturedPromise<ExecAttempt>();
    const attempt = new ExecAttempt(this, argv, captured.resolve as Resolve);
    const reject: Reject = captured.reject;
    this.#pending = attempt;
    const { signal } = controller;
    let call: unknown;
    try {
      call = this.runtime.exec(this.#ref as ContainerRef, argv, { signal });
    } catch (error) {
      this.#settle('rejected', error);
      return settled.then(outcomeStep).then(releaseStep).then(attemptedStep);
    }
    try {
      Promise.resolve(call).then(
        (value) => {
          if (this.#pending === attempt) this.#settle('fulfilled', value);
        },
        (error: unknown) => {
          if (this.#pending === attempt) this.#settle('rejected', error);
        },
      );
    } catch (error) {
      // As a throw in `settle`'s executor did (a promise whose `constructor` getter throws): the
      // settlement rejects, turns 2–4 pass the rejection on, clear the timer, and retry.
      reject(error);
      return settled
        .then(outcomeStep)
        .then(undefined, (thrown: unknown) => {
          this.release();
          throw thrown;
        })
        .then(undefined, (thrown: unknown) =>
          this.retry({ result: 'unknown', output: '', error: `internal error: ${String(thrown)}` }),
        );
    }
    return settled.then(outcomeStep).then(releaseStep).then(attemptedStep);
  }

  /** Settle the pending attempt, if any. */
  #settle(kind: 'fulfilled' | 'rejected' | 'aborted', result: unknown): void {
    const attempt = this.#pending;
    if (attempt === undefined) return;
    this.#pending = undefined;
    attempt.kind = kind;
    if (kind === 'fulfilled') attempt.value = result;
    else if (kind === 'rejected') attempt.error = result;
    attempt.resolve(attempt);
  }

  /** The deadline fired: the attempt settles as timed out, then the signal aborts (a `TimeoutError`). */
  #expire(): void {
    const attempt = this.#pending;
    if (attempt !== undefined) attempt.timedOut = true;
    this.#settle('aborted', undefined);
    this.#controller?.abort(new ProbeTimeoutError(`probe timed out after ${this.#timeoutMs} ms`));
  }
}
