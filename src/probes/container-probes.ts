/**
 * The probe workers of one container (spec pod §6.1, §5.3): a worker per defined probe, the
 * results cache of the kubelet's results managers, the `started`/`ready` they imply, and the
 * kills liveness and startup failures ask for. One `ContainerProbes` lives as long as the
 * container is part of the pod, across restarts: each start is a new container instance.
 *
 * @module
 */

import type { ContainerRef } from '../ports/runtime.js';
import { type ContainerProbesOptions, probeRunContextFrom } from './container-probes-options.js';
import { ExecProber } from './exec-prober.js';
import { probeKill } from './probe-kill.js';
import type { ProbeOutcome } from './probe-outcome.js';
import { INITIAL_PROBE_RESULTS, type ProbeResult, type ProbeStatus, probeStatusOf } from './probe-results.js';
import { PROBE_TYPES, type ProbeType, resolveProbe } from './probe-spec.js';
import { ProbeWorker } from './probe-worker.js';
import type { ProbeAttempt, ProbeEvent } from './run-probe.js';
import { judgeProbeOutcome, runProbeAttempt, runProbeWithRetries } from './run-probe.js';

export type { ContainerProbesOptions } from './container-probes-options.js';
export type { ProbeKill } from './probe-kill.js';
export type { ProbeResult, ProbeStatus } from './probe-results.js';
export { INITIAL_PROBE_RESULTS } from './probe-results.js';

/** `doProbe`'s answers without a run (settled promises can be shared). */
const KEEP_GOING: Promise<boolean> = Promise.resolve(true);
const STOP: Promise<boolean> = Promise.resolve(false);

interface Instance {
  readonly ref: ContainerRef;
  readonly startedAt: number;
  isRunning: boolean;
}

/**
 * The workers of one container. Create it when the pod is first synced, before the container
 * runs, as the kubelet's `AddPod` (its workers tick from that instant); call
 * {@link ContainerProbes.containerStarted} on every start, {@link ContainerProbes.containerExited}
 * when it exits (with `willRestart: false` when it will not run again),
 * {@link ContainerProbes.podTerminating} when pod termination begins, and
 * {@link ContainerProbes.stop} when the pod is done.
 *
 * @example
 * const probes = new ContainerProbes({ pod, container, clock, runtime, httpClient,
 *   onKill: (kill) => killContainer(kill.ref, kill.reason, kill.message),
 *   onStatusChange: ({ ready }) => setReady('web', ready) });
 * probes.containerStarted({ ref, startedAt: clock.now() });
 */
export class ContainerProbes {
  private readonly workers = new Map<ProbeType, ProbeWorker>();
  private readonly results = new Map<ProbeType, ProbeResult>();
  private readonly attempt: ProbeAttempt;
  private instance: Instance | undefined;
  private status: ProbeStatus = { started: false, ready: false };
  private isTerminating = false;
  private stopped = false;

  constructor(private readonly options: ContainerProbesOptions) {
    this.attempt = options.attempt ?? runProbeAttempt;
    // A pod already being deleted: liveness/startup set Success and stop at their first run (step 7).
    const deletion = options.pod.metadata?.deletionTimestamp;
    this.isTerminating = deletion !== undefined && deletion !== null;
    // One pair of callbacks for every worker of the container.
    const doProbe = (w: ProbeWorker): Promise<boolean> => this.doProbe(w);
    const onStopped = (w: ProbeWorker): void => this.removeWorker(w);
    for (const type of PROBE_TYPES) {
      const probe = resolveProbe(options.container, type);
      if (probe === undefined) continue;
      const worker = new ProbeWorker(probe, options.clock, doProbe, onStopped);
      if (probe.action.kind === 'exec' && this.attempt === runProbeAttempt) {
        const { clock, runtime } = options;
        const { command } = probe.action;
        worker.exec = new ExecProber(command, options.container.env, probe.timeoutSeconds, clock, runtime, worker);
      }
      this.workers.set(type, worker);
    }
    if (options.running !== undefined) this.containerStarted(options.running);
    for (const worker of [...this.workers.values()]) worker.start();
  }

  /** `started`: running and (startup `Success`, or no startup worker). */
  get started(): boolean {
    return this.status.started;
  }

  /** `ready`: started, running and (readiness `Success`, or no readiness worker). */
  get ready(): boolean {
    return this.status.ready;
  }

  /** The probe types that have a live worker. */
  get activeProbes(): ProbeType[] {
    return [...this.workers.keys()];
  }

  /** The cached result of a probe type for the current instance, if any. */
  result(type: ProbeType): ProbeResult | undefined {
    return this.results.get(type);
  }

  /**
   * A new container instance is running (first start or restart): every worker drops the old
   * result, takes its initial value and leaves `onHold` (spec pod §6.1 step 4); thresholds
   * counters are kept, as the kubelet does. The readiness worker probes at once (the status
   * generation after a start triggers it, §5.3).
   */
  containerStarted(instance: { readonly ref: ContainerRef; readonly startedAt?: number }): void {
    if (this.stopped) return;
    this.instance = { ref: instance.ref, startedAt: instance.startedAt ?? this.options.clock.now(), isRunning: true };
    for (const [type, worker] of this.workers) {
      worker.isOnHold = false;
      this.set(type, INITIAL_PROBE_RESULTS[type], false);
    }
    // One status generation, one manual trigger.
    this.update(false);
    this.triggerReadiness();
  }

  /**
   * The instance's main process exited: `started`/`ready` turn false (spec pod §6.1 step 6).
   * `willRestart: false` (the kubelet's `ContainerShouldRestart` said no: `restartPolicy: Never`,
   * `OnFailure` after exit 0, a container-level rule) stops every worker at once: no timer stays
   * armed and no probe runs after the exit. The kubelet's worker stops at its next tick (step 6
   * writes `Failure` and returns false); nothing observable happens in between, so stopping now
   * only drops an idle timer. Without it the workers wait for the next instance.
   */
  containerExited(options: { readonly willRestart?: boolean } = {}): void {
    if (this.instance?.isRunning) {
      this.instance.isRunning = false;
      this.update();
    }
    if (options.willRestart === false) this.stop();
  }

  /**
   * Pod termination began (deletion or a kill of the pod): liveness and startup workers stop and
   * their results are dropped, as the prober manager's `StopLivenessAndStartup`; readiness keeps
   * probing through preStop until the container stops (spec pod §6.1 step 7).
   */
  podTerminating(): void {
    this.isTerminating = true;
    this.workers.get('liveness')?.stop();
    this.workers.get('startup')?.stop();
  }

  /**
   * A status generation (`UpdatePodStatus`, §5.3): for a started container whose readiness is not
   * `Success`, probe readiness now and reset its ticker. Called on each start and when `started`
   * turns true; call it on any status sync of your own, as the kubelet does on every one.
   */
  triggerReadiness(): void {
    const worker = this.workers.get('readiness');
    if (worker === undefined || this.instance?.isRunning !== true || !this.status.started) return;
    if (this.results.get('readiness') !== 'Success') worker.trigger();
  }

  /** Stop every worker: timers cleared, pending probes aborted, no callback afterwards. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const worker of [...this.workers.values()]) worker.stop();
  }

  /** True once {@link ContainerProbes.stop} ran. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /**
   * `doProbe` (spec pod §6.1), steps 3–13; false stops the worker. A promise chain rather than an
   * async frame (it runs every period); a throw still comes out as a rejection.
   */
  private doProbe(worker: ProbeWorker): Promise<boolean> {
    try {
      return this.probeOnce(worker);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Steps 3–9, then the run and {@link ContainerProbes.count}. */
  private probeOnce(worker: ProbeWorker): Promise<boolean> {
    const { probe } = worker;
    const type = probe.type;
    const instance = this.instance;
    if (this.stopped) return STOP;
    if (instance === undefined) return KEEP_GOING; // 3: no container yet
    if (worker.isOnHold) return KEEP_GOING; // 5
    if (!instance.isRunning) {
      this.set(type, 'Failure'); // 6: the caller stops the workers of a container that will not restart
      return KEEP_GOING;
    }
    if (this.isTerminating && type !== 'readiness') {
      this.set(type, 'Success'); // 7
      return STOP;
    }
    const { clock } = this.options;
    if (Math.trunc((clock.now() - instance.startedAt) / 1000) < probe.initialDelaySeconds) return KEEP_GOING; // 8
    if (type === 'startup' ? this.status.started : !this.status.started) return KEEP_GOING; // 9: startup gates both

    const { exec } = worker;
    let run: Promise<ProbeOutcome>;
    if (exec !== undefined)
      run = exec.run(instance.ref); // an exec probe: no context, the deadline built in
    else {
      const ctx = probeRunContextFrom(worker.context, this.options, instance.ref, worker.signal);
      worker.context = ctx;
      run = runProbeWithRetries(probe, ctx, this.attempt);
    }
    return run.then((outcome) => this.count(worker, instance, outcome));
  }

  /** Steps 10–13 for the outcome of a run on `instance`. */
  private count(worker: ProbeWorker, instance: Instance, outcome: ProbeOutcome): boolean {
    const { probe } = worker;
    const type = probe.type;
    if (this.stopped || worker.isStopped) return false;
    if (this.instance !== instance) return true; // a result of a replaced instance is not counted
    const judged = judgeProbeOutcome(type, outcome);
    if (judged.event !== undefined)
      this.call(() => this.options.onEvent?.(judged.event as ProbeEvent, instance.ref, this.options.container));
    if (judged.isError) return true; // 10: a prober error discards the result

    if (judged.result === worker.lastResult)
      worker.resultRun++; // 11
    else {
      worker.lastResult = judged.result;
      worker.resultRun = 1;
    }
    const threshold = judged.result === 'Failure' ? probe.failureThreshold : probe.successThreshold;
    if (worker.resultRun < threshold) return true; // 12
    this.set(type, judged.result); // 13
    if ((type === 'liveness' && judged.result === 'Failure') || type === 'startup') {
      worker.isOnHold = true;
      worker.resultRun = 0;
    }
    if (judged.result === 'Failure' && type !== 'readiness' && instance.isRunning) this.kill(type, instance);
    return true;
  }

  private kill(type: 'liveness' | 'startup', instance: Instance): void {
    const probe = this.workers.get(type)?.probe;
    const kill = probeKill(this.options.pod, this.options.container, type, probe, instance.ref);
    this.call(() => this.options.onKill?.(kill, this.options.container));
  }

  private set(type: ProbeType, result: ProbeResult, isUpdating = true): void {
    if (this.stopped) return;
    this.results.set(type, result);
    this.call(() => this.options.onResult?.(type, result));
    if (isUpdating) this.update();
  }

  /** A stopped worker is removed with its result (`worker.run`'s deferred cleanup). */
  private removeWorker(worker: ProbeWorker): void {
    const type = worker.probe.type;
    if (this.workers.get(type) !== worker) return;
    this.workers.delete(type);
    this.results.delete(type);
    if (!this.stopped) this.update();
  }

  /**
   * Recompute `started`/`ready` (spec pod §5.3) and report a change. A change to started is a
   * status generation: it triggers readiness (unless the caller triggers it itself).
   */
  private update(isTriggering = true): void {
    const { started, ready } = probeStatusOf(this.instance?.isRunning === true, this.workers, this.results);
    if (started === this.status.started && ready === this.status.ready) return;
    const becameStarted = started && !this.status.started;
    this.status = { started, ready };
    const status = this.status;
    this.call(() => this.options.onStatusChange?.(status, this.options.container));
    if (becameStarted && isTriggering) this.triggerReadiness();
  }

  private call(callback: () => void): void {
    try {
      callback();
    } catch {
      // a throwing callback must not stop the probes
    }
  }
}
