import {
  type ContainerRef,
  containersInOrder,
  type KubeEvent,
  type LifecycleManager,
  type LifecycleStep,
  type Pod,
  type PodStatus,
  type PodTerminationResult,
  type Runtime,
} from '../index.js';
import { formatSeconds } from './durations.js';
import { ExitCode, errorMessage } from './errors.js';
import { serveExec } from './exec-socket.js';
import type { CliIo } from './io.js';
import { RunCountdown } from './run-countdown.js';
import { wallClock } from './run-runtime.js';
import { RunStateWriter } from './run-state-writer.js';
import { StatusLines } from './run-status-lines.js';
import type { PodStatePaths } from './state-dir.js';

/** What a {@link RunSession} drives. */
export interface RunSessionOptions {
  readonly io: CliIo;
  /** The prepared pod: defaults and UID set (and the pod IP, for runtimes without a sandbox). */
  readonly pod: Pod;
  readonly manager: LifecycleManager;
  readonly runtime: Runtime & { dispose(): Promise<void> };
  /** `--grace`: gracePeriodSeconds of the first delete (default: the pod's). */
  readonly grace: number | undefined;
  /** The runtime in words, for the banner. */
  readonly description: string;
  /** `process`, `oci` or `docker` (written to the state directory). */
  readonly runtimeName: string;
  /** The manifest file, for the state directory. */
  readonly manifest: string;
  /** The pod's entry in the state directory (see state-dir.ts). */
  readonly state: PodStatePaths;
}

/** How long the third interrupt waits for the best-effort SIGKILL of everything before exiting. */
const FORCED_EXIT_WAIT_MS = 3000;

/**
 * One `kube-lifecycle run`: hands the pod to the manager's pod worker (`startPod`: ordering,
 * restarts with CrashLoopBackOff on the real clock, probes, completion), prints events and status
 * changes live, keeps the state directory entry current and serves `exec`, deletes the pod on an
 * interrupt, and resolves with the exit code (0 clean, 1 failed).
 */
export class RunSession {
  readonly #o: RunSessionOptions;
  readonly #t0 = wallClock.now();
  readonly #lines = new StatusLines();
  /** The latest exit code of each container. */
  readonly #exits = new Map<string, number>();
  /** Why the pod counts as failed, with how often each happened. */
  readonly #failures = new Map<string, number>();
  readonly #writer: RunStateWriter;
  readonly #countdown: RunCountdown;
  #status: PodStatus | undefined;
  #interrupts = 0;
  #deletion: Promise<PodTerminationResult> | undefined;
  /** A delete was asked for: set before `deletePod`, whose first status (the worker stopped) comes synchronously. */
  #deleting = false;
  #wake: () => void = () => {};

  constructor(options: RunSessionOptions) {
    this.#o = options;
    this.#writer = new RunStateWriter(options, this.#t0);
    this.#writer.onError = (error) =>
      this.#print(
        `${this.#at()}  cannot write the state directory (${errorMessage(error)}): describe and exec will not see this pod`,
      );
    this.#countdown = new RunCountdown(options.io, () => this.#at());
  }

  /** Runs the pod to its end; resolves with the exit code. */
  async run(): Promise<number> {
    const { io, manager, runtime } = this.#o;
    const keepAlive = setInterval(() => {}, 1 << 30);
    let forced: (code: number) => void = () => {};
    const forcedExit = new Promise<number>((resolve) => {
      forced = resolve;
    });
    const unsubscribe = io.onInterrupt((signal) => this.#interrupt(signal ?? 'SIGINT', forced));
    const onEvent = (e: KubeEvent): void => {
      this.#print(
        `${this.#at()}  ${e.type.padEnd(7)}  ${e.reason.padEnd(20)}  ${e.object.name}: ${e.message}${e.detail === undefined ? '' : `\n          ${e.detail}`}`,
      );
      this.#writer.event(e);
    };
    const onStatus = (_pod: Pod, status: PodStatus): void => this.#onStatus(status);
    const onStep = (step: LifecycleStep): void => this.#countdown.step(step);
    manager.on('event', onEvent).on('podStatus', onStatus).on('step', onStep);
    let server: { close(): void } | undefined;
    try {
      this.#writer.write(this.#status, false);
      server = await serveExec(this.#o.state.socket, runtime, (name) => this.#resolve(name)).catch((error) => {
        this.#print(`${this.#at()}  exec is not available from another terminal: ${errorMessage(error)}`);
        return undefined;
      });
      return await Promise.race([this.#main(), forcedExit]);
    } finally {
      unsubscribe();
      manager.off('event', onEvent).off('podStatus', onStatus).off('step', onStep);
      clearInterval(keepAlive);
      this.#countdown.stop();
      server?.close();
      this.#writer.remove();
      await runtime.dispose().catch(() => undefined);
    }
  }

  async #main(): Promise<number> {
    const { pod, manager } = this.#o;
    const name = pod.metadata?.name;
    this.#print(
      `${this.#at()}  running pod ${name} (uid ${pod.metadata?.uid}) on ${this.#o.description}; Ctrl-C deletes it`,
    );
    manager.startPod(pod).catch((error: unknown) => {
      this.#print(`${this.#at()}  the pod could not be started: ${errorMessage(error)}`);
      this.#fail('the pod could not be started');
      this.#delete(this.#o.grace === undefined ? {} : { gracePeriodSeconds: this.#o.grace });
    });
    const isDone = (): boolean =>
      this.#deletion !== undefined || this.#status?.phase === 'Succeeded' || this.#status?.phase === 'Failed';
    await this.#until(isDone);
    if (this.#deletion === undefined) {
      const phase = this.#status?.phase;
      this.#print(
        `${this.#at()}  pod ${name} ${phase === 'Succeeded' ? 'Succeeded: every container exited 0' : 'Failed: a container exited non-zero and is not restarted'} (restartPolicy ${pod.spec?.restartPolicy ?? 'Always'}); nothing to delete`,
      );
      // The phase decides: an OnFailure container that failed, was restarted and then exited 0 succeeded.
      return phase === 'Succeeded' ? ExitCode.ok : ExitCode.invalid;
    }
    let current = this.#deletion;
    let result: PodTerminationResult;
    try {
      result = await current;
      while (this.#deletion !== current) {
        current = this.#deletion;
        result = await current;
      }
    } catch (error) {
      this.#print(`${this.#at()}  deleting pod ${name} failed: ${errorMessage(error)}`);
      return ExitCode.invalid;
    }
    this.#countdown.stop();
    this.#catchUp();
    this.#print(`${this.#at()}  pod ${name} terminated (grace ${result.gracePeriodSeconds}s)`);
    for (const c of result.containers) {
      if (c.outcome === 'notRunning') continue;
      const preStop =
        c.preStop.outcome === 'skipped'
          ? ''
          : `, preStop ${c.preStop.outcome}${c.preStop.elapsedMs === undefined ? '' : ` after ${formatSeconds(Math.round(c.preStop.elapsedMs / 100) * 100)}`}`;
      const code = this.#exits.get(c.container);
      this.#print(
        `  ${c.container}: ${c.outcome}${preStop}${c.stopTimeoutSeconds === undefined ? '' : `, stop timeout ${c.stopTimeoutSeconds}s`}${code === undefined ? '' : `, exit code ${code}`}`,
      );
      if (c.outcome === 'stopFailed') this.#fail(`container ${c.container} could not be stopped`);
    }
    if (this.#failures.size > 0)
      this.#print(`pod failed: ${[...this.#failures].map(([why, n]) => (n > 1 ? `${why} (x${n})` : why)).join('; ')}`);
    return this.#failures.size > 0 ? ExitCode.invalid : ExitCode.ok;
  }

  #onStatus(status: PodStatus): void {
    this.#status = status;
    this.#writer.write(status, this.#deleting);
    const change = this.#lines.follow(status);
    for (const line of change.lines) this.#print(`${this.#at()}  ${line}`);
    for (const exit of change.exits) {
      this.#exits.set(exit.name, exit.terminated.exitCode);
      this.#countdown.exited(exit.name);
      if (!this.#deleting && exit.kind === 'main' && exit.terminated.exitCode !== 0)
        this.#fail(`container ${exit.name} exited with code ${exit.terminated.exitCode}`);
    }
    // restartPolicy Never: a container the runtime cannot start is final (with Docker it would
    // terminate with StartError and fail the pod); else the worker retries it, as the kubelet.
    if (change.startErrors.length > 0 && !this.#deleting && this.#o.pod.spec?.restartPolicy === 'Never') {
      for (const e of change.startErrors) this.#fail(`container ${e.name} did not become Running`);
      this.#print(`${this.#at()}  the pod failed to start: deleting it (restartPolicy Never: nothing is restarted)`);
      this.#delete(this.#o.grace === undefined ? {} : { gracePeriodSeconds: this.#o.grace });
    }
    this.#wake();
  }

  /** The status the worker holds now (exits a termination caused), if it was not published yet. */
  #catchUp(): void {
    try {
      const status = this.#o.manager.podStatus(this.#o.pod);
      if (status !== this.#status) this.#onStatus(status);
    } catch {
      // the pod never reached the worker (startPod rejected)
    }
  }

  /**
   * The container `exec` means: the named one, else the first regular container (as kubectl).
   * A started container is reachable during its postStart too (as with kubectl exec): the ref
   * comes from the container layer's status, which knows the id from the runtime's start on.
   */
  #resolve(name: string | undefined): { ref: ContainerRef } | { error: string } {
    const { pod, manager } = this.#o;
    const names = containersInOrder(pod).map((c) => c.container.name);
    const wanted = name ?? pod.spec?.containers?.[0]?.name ?? '';
    if (!names.includes(wanted))
      return {
        error: `container ${JSON.stringify(wanted)} not found in pod ${pod.metadata?.name} (containers: ${names.join(', ')})`,
      };
    const status = manager.status(pod, wanted);
    const isStarted =
      status.state === 'Running' || (status.state === 'Waiting' && status.reason === 'ContainerCreating');
    if (!isStarted || status.containerID === undefined)
      return { error: `container ${wanted} is not running (${status.reason ?? status.state})` };
    return {
      ref: {
        id: status.containerID,
        name: wanted,
        podName: pod.metadata?.name ?? '',
        podNamespace: pod.metadata?.namespace ?? 'default',
        podUID: pod.metadata?.uid ?? '',
      },
    };
  }

  #interrupt(signal: string, forced: (code: number) => void): void {
    this.#interrupts++;
    const what = signal === 'SIGINT' ? 'Ctrl-C' : signal;
    if (this.#interrupts === 1) {
      const { grace, pod } = this.#o;
      const effective = grace ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      this.#print(
        `${this.#at()}  ${what}: deleting pod ${pod.metadata?.name} with grace ${effective}s (Ctrl-C again: grace 1s, like kubectl delete --now)`,
      );
      this.#delete(grace === undefined ? {} : { gracePeriodSeconds: grace });
    } else if (this.#interrupts === 2) {
      this.#print(
        `${this.#at()}  ${what} again: grace shortened to 1s (a hook already running keeps its budget, as the kubelet: k/k#113717; Ctrl-C a third time kills everything)`,
      );
      this.#delete({ gracePeriodSeconds: 1 });
    } else {
      this.#print(`${this.#at()}  ${what} a third time: killing everything now and exiting`);
      const dispose = this.#o.runtime.dispose().catch(() => undefined);
      const timeout = new Promise((resolve) => setTimeout(resolve, FORCED_EXIT_WAIT_MS).unref());
      void Promise.race([dispose, timeout]).then(() => forced(ExitCode.invalid));
    }
    this.#wake();
  }

  #delete(options: { gracePeriodSeconds?: number }): void {
    const { manager, pod } = this.#o;
    this.#countdown.deleting(options.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30);
    this.#deleting = true;
    this.#deletion = manager.deletePod(pod, options);
    this.#writer.write(this.#status, true);
  }

  #fail(why: string): void {
    this.#failures.set(why, (this.#failures.get(why) ?? 0) + 1);
  }

  #until(done: () => boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#wake = () => {
        if (done()) resolve();
      };
      this.#wake();
    });
  }

  #at(): string {
    return `+${(Math.max(0, wallClock.now() - this.#t0) / 1000).toFixed(1)}s`;
  }

  #print(line: string): void {
    this.#countdown.print(line);
  }
}
