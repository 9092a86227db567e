/**
 * The exec probe of one probe worker, with its deadline built in (docs/performance.md round 6):
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
 * `value`, `error`), read by {@link execOutcome}. It must not be a thenable (it resolves a promise).
 */
class ExecAttempt {
  kind: 'fulfilled' | 'rejected' | 'aborted' | undefined = undefined;
  value: unknown = undefined;
  error: unknown = undefined;
  timedOut = false;

  constructor(
    readonly argv: readonly string[],
    readonly resolve: Resolve,
  ) {}
}

/** Turn 2 of an attempt (as `runExecProbe`'s `.then`): the settlement as the probe's outcome. */
function outcomeOf(attempt: ExecAttempt): ProbeOutcome {
  return execOutcome(attempt as never, attempt.argv, attempt.kind === 'aborted' && attempt.timedOut);
}

/** The exec probe of one worker: its command, its kept deadline controller, its pending attempt. */
export class ExecProber {
  #controller: AbortController | undefined = undefined;
  #pending: ExecAttempt | undefined = undefined;
  #timer: unknown = undefined;
  #tries = 0;
  #ref: ContainerRef | undefined = undefined;
  readonly #timeoutMs: number;
  /** Whether the command has a `$` to expand (else each attempt gets a plain copy). */
  readonly #expands: boolean;
  /** The callbacks of every attempt, made once (a worker runs one attempt at a time). */
  readonly #onTimeout = (): void => this.#expire();
  readonly #released = (outcome: ProbeOutcome): ProbeOutcome => {
    this.clock.clearTimeout(this.#timer);
    return outcome;
  };
  readonly #releasedRejection = (error: unknown): never => {
    this.clock.clearTimeout(this.#timer);
    throw error;
  };
  readonly #attempted = (outcome: ProbeOutcome): ProbeOutcome | Promise<ProbeOutcome> =>
    outcome.error === undefined ? outcome : this.#from(this.#tries + 1, outcome);
  readonly #attemptRejected = (error: unknown): Promise<ProbeOutcome> =>
    this.#from(this.#tries + 1, { result: 'unknown', output: '', error: `internal error: ${String(error)}` });

  constructor(
    private readonly command: readonly string[],
    private readonly env: Parameters<typeof expandProbeCommand>[1],
    timeoutSeconds: number,
    private readonly clock: Clock,
    private readonly runtime: Runtime,
    /** True once the worker stopped (its signal aborted): no further attempt. */
    private readonly isStopped: () => boolean,
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

  /** Attempt number `tries` after `last` (as `attemptFrom`). */
  #from(tries: number, last: ProbeOutcome | undefined): Promise<ProbeOutcome> {
    if (tries >= MAX_PROBE_RETRIES || this.isStopped()) {
      return Promise.resolve(last ?? { result: 'unknown', output: '', error: 'probe not run' });
    }
    this.#tries = tries;
    let pending: Promise<ProbeOutcome>;
    try {
      pending = this.#attempt();
    } catch (error) {
      pending = Promise.reject(error);
    }
    return pending.then(this.#attempted, this.#attemptRejected);
  }

  /** One attempt: turns 1–3 as `settle`, `runExecProbe`'s `.then` and `withDeadline`'s release. */
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
    const attempt = new ExecAttempt(argv, captured.resolve as Resolve);
    const reject: Reject = captured.reject;
    this.#pending = attempt;
    const { signal } = controller;
    let call: unknown;
    try {
      call = this.runtime.exec(this.#ref as ContainerRef, argv, { signal });
    } catch (error) {
      this.#settle('rejected', error);
      return settled.then(outcomeOf).then(this.#released, this.#releasedRejection);
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
      reject(error); // as a throw in `settle`'s executor did (a promise whose `constructor` getter throws)
    }
    return settled.then(outcomeOf).then(this.#released, this.#releasedRejection);
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
