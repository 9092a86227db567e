import {
  type ContainerRef,
  containersInOrder,
  type KubeEvent,
  type LifecycleManager,
  type LifecycleStep,
  type Pod,
  type PodTerminationResult,
  type Runtime,
  systemClock,
} from '../index.js';
import { formatSeconds } from './durations.js';
import { ExitCode } from './errors.js';
import type { CliIo } from './io.js';

/** What a {@link RunSession} drives. */
export interface RunSessionOptions {
  readonly io: CliIo;
  /** The prepared pod: defaults, UID and pod IP set. */
  readonly pod: Pod;
  readonly manager: LifecycleManager;
  readonly runtime: Runtime & { dispose(): Promise<void> };
  /** `--grace`: gracePeriodSeconds of the first delete (default: the pod's). */
  readonly grace: number | undefined;
  /** The runtime in words, for the banner. */
  readonly description: string;
  /** For runtimes without `onExit`: watch a started container and call {@link RunSession.exited}. */
  readonly watch?: ((ref: ContainerRef, signal: AbortSignal) => unknown) | undefined;
}

/** How long the third interrupt waits for the best-effort SIGKILL of everything before exiting. */
const FORCED_EXIT_WAIT_MS = 3000;

/**
 * One `kube-lifecycle run`: starts the containers in order, prints events live, deletes the pod on
 * an interrupt or after a start failure, and resolves with the exit code (0 clean, 1 failed).
 */
export class RunSession {
  readonly #o: RunSessionOptions;
  readonly #t0 = systemClock.now();
  readonly #exits = new Map<string, number>();
  readonly #failures: string[] = [];
  readonly #watches = new AbortController();
  #status = '';
  #interrupts = 0;
  #deletion: Promise<PodTerminationResult> | undefined;
  #deadline = 0;
  #effectiveGrace = 0;
  #countdown: ReturnType<typeof setInterval> | undefined;
  #wake: () => void = () => {};
  /** Per container, when SIGKILL is due as far as the manager's steps say. */
  readonly #killAt = new Map<string, number>();

  constructor(options: RunSessionOptions) {
    this.#o = options;
  }

  /** A container's main process exited (from the runtime's `onExit` or a watch). */
  exited(name: string, exitCode: number): void {
    if (this.#exits.has(name)) return;
    this.#exits.set(name, exitCode);
    this.#print(`${this.#at()}  container ${name} exited with code ${exitCode}`);
    if (this.#deletion === undefined && exitCode !== 0 && this.#isMain(name))
      this.#failures.push(`container ${name} exited with code ${exitCode}`);
    this.#o.manager.notifyExited(this.#o.pod, name, { exitCode });
    this.#wake();
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
    manager.on('event', (e: KubeEvent) =>
      this.#print(
        `${this.#at()}  ${e.type.padEnd(7)}  ${e.reason.padEnd(20)}  ${e.object.name}: ${e.message}${e.detail === undefined ? '' : `\n          ${e.detail}`}`,
      ),
    );
    // The countdown follows what the manager actually did: the grace from Killing, then the
    // timeout of the latest stop handed to the runtime (a stop in progress keeps its timeout
    // unless the policy is `interrupt`, spec §4.2-F.6).
    manager.on('step', (step: LifecycleStep) => {
      if (step.kind === 'killing' && step.seconds !== undefined)
        this.#killAt.set(step.container, step.time + step.seconds * 1000);
      if (step.kind === 'stopRequested' && step.seconds !== undefined)
        this.#killAt.set(step.container, step.time + step.seconds * 1000);
    });
    try {
      return await Promise.race([this.#main(), forcedExit]);
    } finally {
      unsubscribe();
      clearInterval(keepAlive);
      this.#stopCountdown();
      this.#watches.abort();
      await runtime.dispose().catch(() => undefined);
    }
  }

  async #main(): Promise<number> {
    const { pod, manager } = this.#o;
    const name = pod.metadata?.name;
    this.#print(
      `${this.#at()}  running pod ${name} (uid ${pod.metadata?.uid}) on ${this.#o.description}; Ctrl-C deletes it`,
    );
    const started: string[] = [];
    for (const { container, kind } of containersInOrder(pod)) {
      if (this.#interrupts > 0) break;
      const result = await manager.startContainer(pod, container.name);
      if (result.containerID !== undefined) this.#watch(result.containerID, container.name);
      if (result.outcome !== 'running') {
        const why = `${result.outcome}${result.message === undefined ? '' : ` (${result.message})`}`;
        this.#print(`${this.#at()}  container ${container.name} did not become Running: ${why}`);
        this.#failures.push(`container ${container.name} did not become Running`);
        break;
      }
      started.push(container.name);
      this.#print(`${this.#at()}  container ${container.name} is Running`);
      if (kind === 'init') {
        await this.#until(() => this.#exits.has(container.name) || this.#interrupts > 0);
        const code = this.#exits.get(container.name);
        if (code !== undefined && code !== 0) {
          this.#failures.push(`init container ${container.name} exited with code ${code}`);
          break;
        }
      }
    }
    if (this.#failures.length > 0 && this.#deletion === undefined) {
      this.#print(`${this.#at()}  the pod failed to start: deleting it (nothing is restarted)`);
      this.#delete(this.#o.grace === undefined ? {} : { gracePeriodSeconds: this.#o.grace });
    }
    const mains = (pod.spec?.containers ?? []).map((c) => c.name);
    await this.#until(() => this.#deletion !== undefined || mains.every((n) => this.#exits.has(n)));
    if (this.#deletion === undefined) {
      this.#print(
        `${this.#at()}  every container has exited by itself; nothing to delete (restarts are not performed)`,
      );
      return this.#failures.length > 0 ? ExitCode.invalid : ExitCode.ok;
    }
    let current = this.#deletion;
    let result = await current;
    while (this.#deletion !== current) {
      current = this.#deletion;
      result = await current;
    }
    this.#stopCountdown();
    this.#print(`${this.#at()}  pod ${name} terminated (grace ${result.gracePeriodSeconds}s)`);
    for (const c of result.containers) {
      const preStop =
        c.preStop.outcome === 'skipped'
          ? ''
          : `, preStop ${c.preStop.outcome}${c.preStop.elapsedMs === undefined ? '' : ` after ${formatSeconds(Math.round(c.preStop.elapsedMs / 100) * 100)}`}`;
      this.#print(
        `  ${c.container}: ${c.outcome}${preStop}${c.stopTimeoutSeconds === undefined ? '' : `, stop timeout ${c.stopTimeoutSeconds}s`}${this.#exits.has(c.container) ? `, exit code ${this.#exits.get(c.container)}` : ''}`,
      );
      if (c.outcome === 'stopFailed') this.#failures.push(`container ${c.container} could not be stopped`);
    }
    if (this.#failures.length > 0) this.#print(`pod failed: ${this.#failures.join('; ')}`);
    return this.#failures.length > 0 ? ExitCode.invalid : ExitCode.ok;
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
    const effective = options.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    this.#effectiveGrace = this.#deletion === undefined ? effective : Math.min(this.#effectiveGrace, effective);
    if (this.#deletion === undefined) this.#deadline = systemClock.now() + Math.max(effective, 0) * 1000;
    this.#deletion = manager.deletePod(pod, options);
    if (this.#countdown !== undefined) return;
    this.#countdown = setInterval(() => {
      const due = [...this.#killAt].filter(([name]) => !this.#exits.has(name)).map(([, at]) => at);
      const left = Math.max(
        0,
        Math.ceil(((due.length > 0 ? Math.max(...due) : this.#deadline) - systemClock.now()) / 1000),
      );
      const text = `terminating: SIGKILL in ${left}s (grace ${this.#effectiveGrace}s)`;
      if (this.#o.io.isTTY && this.#o.io.control !== undefined) this.#setStatus(text);
      else if (left % 5 === 0 && left > 0) this.#print(`${this.#at()}  ${text}`);
    }, 1000);
  }

  #watch(id: string, name: string): void {
    const { pod, watch } = this.#o;
    watch?.(
      {
        id,
        name,
        podName: pod.metadata?.name ?? '',
        podNamespace: pod.metadata?.namespace ?? 'default',
        podUID: pod.metadata?.uid ?? '',
      },
      this.#watches.signal,
    );
  }

  #isMain(name: string): boolean {
    return (this.#o.pod.spec?.containers ?? []).some((c) => c.name === name);
  }

  #until(done: () => boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#wake = () => {
        if (done()) resolve();
      };
      this.#wake();
    });
  }

  #stopCountdown(): void {
    if (this.#countdown !== undefined) clearInterval(this.#countdown);
    this.#setStatus('');
  }

  #at(): string {
    return `+${(Math.max(0, systemClock.now() - this.#t0) / 1000).toFixed(1)}s`;
  }

  #print(line: string): void {
    const { io } = this.#o;
    if (this.#status !== '') io.control?.('\r\x1b[K');
    io.stdout(`${line}\n`);
    if (this.#status !== '') io.stdout(this.#status);
  }

  #setStatus(text: string): void {
    const { io } = this.#o;
    if (!io.isTTY || io.control === undefined || (text === '' && this.#status === '')) return;
    this.#status = text;
    io.control('\r\x1b[K');
    io.stdout(text);
  }
}
