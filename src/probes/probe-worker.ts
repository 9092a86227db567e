/**
 * The timing of one probe worker (spec pod §6.1 "Timing"): `doProbe` runs at once, then on a
 * ticker of `periodSeconds` anchored at that instant — Go's `time.Ticker`, whose channel holds
 * one tick, so a tick that comes while a probe is still running waits for it and further ticks
 * are dropped. A manual trigger probes at once and resets the ticker. Every wait is on the
 * injected clock; `stop()` clears the timer and aborts the pending probe's signal.
 *
 * Not reproduced: the kubelet-restart jitter (a worker created less than one period after the
 * prober manager started first sleeps `rand·period`) — there is no kubelet restart here, and a
 * random sleep would make runs irreproducible.
 *
 * @module
 */

import type { Clock } from '../ports/clock.js';
import type { ExecProber } from './exec-prober.js';
import type { ProbeRunContext } from './probe-outcome.js';
import type { ResolvedProbe } from './probe-spec.js';

/** The per-worker state `doProbe` reads and writes (spec pod §6.1 steps 5, 11–13). */
export interface ProbeWorkerState {
  readonly probe: ResolvedProbe;
  /** The result of the last counted run. */
  lastResult?: 'Success' | 'Failure';
  /** How many counted runs in a row gave `lastResult`. */
  resultRun: number;
  /** Set after a liveness failure or any startup result is published; cleared by a new container. */
  isOnHold: boolean;
  /** Aborted when the worker stops: the pending handler call gives up. */
  readonly signal: AbortSignal;
}

/** One probe type's worker: its ticker and its state. `doProbe` returns false to stop the worker. */
export class ProbeWorker implements ProbeWorkerState {
  lastResult?: 'Success' | 'Failure';
  resultRun = 0;
  isOnHold = false;
  /** The context of the last run, reused while its instance, signal and pod IP are the same. */
  context: ProbeRunContext | undefined;
  /**
   * The exec prober with its deadline built in, for an exec probe run by the real handlers (set
   * by the owner before `start()`); the worker's stop aborts its pending attempt and signal.
   */
  exec: ExecProber | undefined;
  /** Made on first use of {@link ProbeWorker.signal} (an exec prober never reads it). */
  private controller: AbortController | undefined;
  private stopReason: Error | undefined;
  private timer: unknown;
  private anchorAt = 0;
  private isRunning = false;
  private hasPendingTick = false;
  private stopped = false;
  private isStarted = false;

  constructor(
    readonly probe: ResolvedProbe,
    private readonly clock: Clock,
    private readonly doProbe: (worker: ProbeWorker) => Promise<boolean>,
    private readonly onStopped: (worker: ProbeWorker) => void,
  ) {}

  get signal(): AbortSignal {
    let { controller } = this;
    if (controller === undefined) {
      controller = new AbortController();
      this.controller = controller;
      if (this.stopReason !== undefined) controller.abort(this.stopReason);
    }
    return controller.signal;
  }

  /** True once stopped (by `stop()` or by `doProbe` returning false). */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** Probe now, then every period from now. */
  start(): void {
    if (this.isStarted || this.stopped) return;
    this.isStarted = true;
    this.anchorAt = this.clock.now();
    this.schedule();
    this.fire();
  }

  /**
   * The manual trigger: probe now (after a running probe) and re-anchor the ticker at now.
   * Ignored before `start()`, which probes at once anyway.
   */
  trigger(): void {
    if (this.stopped || !this.isStarted) return;
    this.clock.clearTimeout(this.timer);
    this.anchorAt = this.clock.now();
    this.schedule();
    this.fire();
  }

  /** Stop: no further probe, the timer cleared, the pending handler call aborted. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const reason = new Error('probe worker stopped');
    this.stopReason = reason;
    this.controller?.abort(reason);
    this.exec?.stop(reason);
    this.onStopped(this);
  }

  private schedule(): void {
    const periodMs = this.probe.periodSeconds * 1000;
    const now = this.clock.now();
    const ticks = Math.floor((now - this.anchorAt) / periodMs) + 1;
    this.timer = this.clock.setTimeout(this.tick, this.anchorAt + ticks * periodMs - now);
  }

  /** The ticker's callback (one per worker, not one per tick). */
  private readonly tick = (): void => {
    if (this.stopped) return;
    this.schedule();
    this.fire();
  };

  private fire(): void {
    if (this.isRunning) {
      this.hasPendingTick = true; // the ticker channel's one buffered tick
      return;
    }
    this.run();
  }

  /** One `doProbe`, then the buffered tick if one came meanwhile (a promise chain, not an async frame). */
  private run(): void {
    this.isRunning = true;
    let pending: Promise<boolean>;
    try {
      pending = this.doProbe(this);
    } catch {
      this.ran(true); // doProbe guards its callbacks; a bug must not kill the ticker
      return;
    }
    pending.then(this.onRan, this.onRunRejected);
  }

  /** `run`'s callbacks, made once (a worker runs one `doProbe` at a time). */
  private readonly onRan = (keepGoing: boolean): void => this.ran(keepGoing);
  private readonly onRunRejected = (): void => this.ran(true);

  private ran(keepGoing: boolean): void {
    this.isRunning = false;
    if (!keepGoing) this.stop();
    if (this.stopped || !this.hasPendingTick) return;
    this.hasPendingTick = false;
    this.run();
  }
}
