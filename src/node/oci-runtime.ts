import { type ChildProcess, spawn } from 'node:child_process';
import { rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Container, Pod } from '../api/types.js';
import { type Clock, sleepOn } from '../ports/clock.js';
import { stopWithEscalation } from '../ports/escalation.js';
import type { ContainerExit, ContainerRef, ExecResult, Runtime } from '../ports/runtime.js';
import { systemClock } from '../ports/system-clock.js';
import { DEFAULT_OUTPUT_CAP_BYTES } from './child.js';
import { AttemptCounter, attemptKey, containerRefFor, defaultContainerId } from './container-process.js';
import { NodeAdapterError } from './errors.js';
import {
  type ContainerExitStatus,
  ExitBook,
  execsSettled,
  toContainerExit,
  trackCall,
  unknownForWait,
  waitOrAbort,
} from './exit-book.js';
import { checkedRootfs, idTaken, writeBundle } from './oci-bundle.js';
import { endRunners, notRunning, runcExec } from './oci-exec.js';
import { RuncCli } from './runc-cli.js';
import { exitCodeForSignal, signalName, signalNumber } from './signals.js';

/** Options of {@link OciRuntime}. */
export interface OciRuntimeOptions {
  /**
   * The root filesystem: a directory (shared by every container, written in place) or a function
   * choosing one per container (e.g. from `container.image`). Must contain the container's binaries.
   */
  readonly rootfs: string | ((pod: Pod, container: Container) => string);
  /** `"runc"`, `"crun"` or a path to either. @default "runc" */
  readonly runtimeBinary?: string;
  /** Where bundles (`<stateDir>/<id>/config.json`) are written; each is removed when its container is. @default `<os.tmpdir()>/kube-lifecycle-oci` */
  readonly stateDir?: string;
  /** The runtime's own state directory (`--root`). @default the runtime's default (`/run/runc` for runc as root) */
  readonly runtimeRoot?: string;
  /** Clock for stop escalation and start polling. @default systemClock */
  readonly clock?: Clock;
  /** Per-stream capture cap of `exec`. @default 1048576 (1 MiB) */
  readonly outputCapBytes?: number;
  /** Where the main processes' stdout/stderr go. @default "ignore" */
  readonly containerOutput?: 'ignore' | 'inherit';
  /** Container id for the `attempt`-th start (from 0). @default `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>` */
  readonly containerId?: (pod: Pod, container: Container, attempt: number) => string;
}

interface Tracked {
  readonly ref: ContainerRef;
  /** Its {@link attemptKey}. */
  readonly key: string;
  readonly bundle: string;
  readonly runner: ChildProcess;
  /** Settles when the main process exited (the foreground `runc run` returned). */
  readonly exited: Promise<ContainerExitStatus>;
  /** Settles when, in addition, the container is deleted and its bundle removed. */
  readonly removed: Promise<void>;
  status?: ContainerExitStatus;
  execCount: number;
  /** The exec calls not settled yet: the exit is reported once they have. */
  readonly calls: Set<Promise<unknown>>;
}

/**
 * A `Runtime` of real Linux containers through the `runc` (or `crun`) CLI. Requires root.
 *
 * Each container gets a bundle `<stateDir>/<id>/` with a `config.json` from {@link buildOciConfig}
 * (host network, so the pod IP is 127.0.0.1: {@link OciRuntime.podIP}). The container runs under
 * a foreground `runc run` child process (no `--detach`): its exit is the container's exit, with
 * the container's exit code, and no polling is needed to notice it. `startContainer` resolves
 * once `runc state` reports `running`. `exec` = `runc exec` (output captured up to the cap; an
 * abort SIGKILLs the exec'd process through its `--pid-file`). `stopContainer` = `runc kill <id>
 * <signal>`, SIGKILL after the timeout through `stopWithEscalation`, then `runc delete --force`
 * and the bundle removed. `waitContainer` resolves with the init process's exit status once the
 * container is deleted and the execs still running in it have settled (they die with it: exit
 * 137), as the Runtime port asks; a removed container is forgotten but for that status, kept until
 * `waitContainer` reports it. An exec whose command leaves a background process holding its
 * output resolves when the exec'd process itself exits (runc's `--debug` log tells when), not when
 * the background process does. Call {@link OciRuntime.dispose} when done.
 */
export class OciRuntime implements Runtime {
  /** The pod IP of every pod on this runtime (host network). */
  readonly podIP = '127.0.0.1';
  private readonly clock: Clock;
  private readonly cli: RuncCli;
  private readonly stateDir: string;
  /** Containers not yet deleted. */
  private readonly containers = new Map<string, Tracked>();
  private readonly exits = new ExitBook();
  private readonly attempts = new AttemptCounter();
  /** `runc exec` processes still running (one may outlive its exec: a background child holds its pipes). */
  private readonly execRunners = new Set<ChildProcess>();
  private disposed: Promise<void> | undefined;

  constructor(private readonly options: OciRuntimeOptions) {
    this.clock = options.clock ?? systemClock;
    this.cli = new RuncCli({ binary: options.runtimeBinary ?? 'runc', root: options.runtimeRoot, clock: this.clock });
    this.stateDir = resolve(options.stateDir ?? join(tmpdir(), 'kube-lifecycle-oci'));
  }

  /** The first line of `<runtime> --version`; rejects with `ERR_RUNTIME_BINARY_NOT_FOUND` when absent. */
  version(): Promise<string> {
    return this.cli.version();
  }

  /** Write the bundle, `runc run` it in the foreground, resolve once it is running. */
  async startContainer(pod: Pod, container: Container, options: { signal: AbortSignal }): Promise<{ id: string }> {
    if (this.disposed !== undefined) throw new NodeAdapterError('ERR_DISPOSED', 'OciRuntime was disposed');
    options.signal.throwIfAborted();
    const rootfs = await checkedRootfs({ pod, container, rootfs: this.options.rootfs });
    const key = attemptKey(pod, container);
    const attempt = this.attempts.next(key, (k) => [...this.containers.values()].some((c) => c.key === k));
    const id = (this.options.containerId ?? defaultContainerId)(pod, container, attempt);
    if (this.containers.has(id) || (await this.cli.state(id)) !== undefined) {
      throw idTaken(id, this.cli.binary);
    }
    const bundle = await writeBundle(
      { pod, container, rootfs: this.options.rootfs, stateDir: this.stateDir, id },
      rootfs,
    );
    const logFile = join(bundle, 'run.log');
    const runner = spawn(this.cli.binary, [...this.cli.globalArgs(logFile), 'run', '--bundle', bundle, id], {
      stdio: ['ignore', this.options.containerOutput ?? 'ignore', this.options.containerOutput ?? 'ignore'],
    });
    const spawned = await new Promise<unknown>((done) => {
      runner.once('spawn', () => done(undefined));
      runner.once('error', done);
    });
    if (spawned !== undefined) {
      await rm(bundle, { recursive: true, force: true });
      throw this.cli.mapSpawnError(spawned);
    }
    this.exits.take(id); // a stale exit of an earlier container of that id
    const tracked = this.track(containerRefFor(pod, container, id), key, bundle, runner);
    await this.waitRunning(tracked, logFile, options.signal);
    return { id };
  }

  /** `runc exec <id> argv…`, capturing stdout/stderr up to the cap. */
  exec(ref: ContainerRef, command: readonly string[], options: { signal: AbortSignal }): Promise<ExecResult> {
    const tracked = this.containers.get(ref.id);
    if (tracked === undefined) {
      const exit = this.exits.peek(ref.id);
      if (exit !== undefined) return Promise.reject(notRunning(ref.id, exit));
      return Promise.reject(
        new NodeAdapterError('ERR_CONTAINER_NOT_FOUND', `exec: container "${ref.id}" is not known to this OciRuntime`, {
          containerId: ref.id,
        }),
      );
    }
    if (tracked.status !== undefined) return Promise.reject(notRunning(ref.id, tracked.status));
    if (command.length === 0)
      return Promise.reject(new NodeAdapterError('ERR_EXEC_FAILED', 'exec: empty command', { containerId: ref.id }));
    return trackCall(
      tracked.calls,
      runcExec({
        cli: this.cli,
        clock: this.clock,
        bundle: tracked.bundle,
        n: tracked.execCount++,
        id: ref.id,
        command,
        signal: options.signal,
        outputCapBytes: this.options.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES,
        runners: this.execRunners,
        hasExited: () => tracked.status !== undefined,
        notRunning: () => notRunning(ref.id, tracked.status),
      }),
    );
  }

  /** `runc kill` with the stop signal, SIGKILL after `timeoutSeconds`, then delete; resolves once removed. */
  async stopContainer(
    ref: ContainerRef,
    options: { stopSignal?: string; timeoutSeconds: number; signal: AbortSignal },
  ): Promise<void> {
    const stopSignal = options.stopSignal ?? 'SIGTERM';
    signalNumber(stopSignal);
    const tracked = this.containers.get(ref.id);
    if (tracked === undefined) return; // deleted (or never started here): nothing to stop
    if (tracked.status === undefined) {
      await stopWithEscalation({
        clock: this.clock,
        stopSignal,
        timeoutSeconds: options.timeoutSeconds,
        signal: options.signal,
        exited: tracked.exited,
        sendSignal: (name) => this.cli.kill(ref.id, signalNumber(name)),
      });
    }
    await tracked.removed;
  }

  /**
   * Resolve with the exit status of the container's init process (128 + n and the signal's name
   * when signal n killed it) once the container has exited and been deleted. Resolves at once for
   * an exit not yet reported; rejects with `ERR_CONTAINER_NOT_FOUND` for a container unknown here
   * (or whose exit was already reported) and with `signal.reason` when `signal` aborts.
   */
  async waitContainer(ref: ContainerRef, options: { signal: AbortSignal }): Promise<ContainerExit> {
    options.signal.throwIfAborted();
    const tracked = this.containers.get(ref.id);
    if (tracked === undefined) {
      const status = this.exits.take(ref.id);
      if (status === undefined) throw unknownForWait('OciRuntime', ref.id);
      return toContainerExit(status);
    }
    await waitOrAbort(tracked.removed, options.signal);
    const status = tracked.status as ContainerExitStatus;
    this.exits.take(ref.id); // reported: forget it
    return toContainerExit(status);
  }

  /** Ids of the containers whose main process is still running. */
  runningContainerIds(): string[] {
    return [...this.containers.values()].filter((c) => c.status === undefined).map((c) => c.ref.id);
  }

  /**
   * SIGKILL every running container, wait until all are deleted and their bundles removed, and
   * end any `runc exec` still draining a background process's output. Idempotent.
   */
  dispose(): Promise<void> {
    this.disposed ??= (async () => {
      await Promise.all(
        [...this.containers.values()].map(async (c) => {
          if (c.status === undefined) await this.cli.kill(c.ref.id, 9).catch(() => c.runner.kill('SIGKILL'));
          await c.removed;
        }),
      );
      await endRunners(this.execRunners);
      await rmdir(this.stateDir).catch(() => undefined); // only when empty: other runtimes may share it
    })();
    return this.disposed;
  }

  private track(ref: ContainerRef, key: string, bundle: string, runner: ChildProcess): Tracked {
    const exited = new Promise<ContainerExitStatus>((done) => {
      runner.once('exit', (code, sig) => {
        // runc exits with 128 + n when the container's init was killed by signal n.
        const signalled = code !== null && code > 128 ? signalName(code - 128) : null;
        done({ exitCode: code ?? exitCodeForSignal(sig ?? 'SIGKILL'), signal: sig ?? signalled });
      });
    });
    const tracked: Tracked = {
      ref,
      key,
      bundle,
      runner,
      exited,
      execCount: 0,
      calls: new Set(),
      removed: exited.then(async (status) => {
        tracked.status = status;
        await execsSettled(tracked.calls, this.clock); // they die with the container (exit 137)
        await this.cli.delete(ref.id).catch(() => undefined);
        await rm(bundle, { recursive: true, force: true });
        // Forget the container but for its exit status, kept until waitContainer reports it.
        this.containers.delete(ref.id);
        this.exits.record(ref.id, status);
      }),
    };
    this.containers.set(ref.id, tracked);
    return tracked;
  }

  /** Poll `runc state` (on the clock) until the container runs, or report why it did not start. */
  private async waitRunning(tracked: Tracked, logFile: string, signal: AbortSignal): Promise<void> {
    let delayMs = 5;
    for (;;) {
      if (signal.aborted) {
        await this.cli.kill(tracked.ref.id, 9).catch(() => tracked.runner.kill('SIGKILL'));
        await tracked.removed;
        this.exits.take(tracked.ref.id); // never handed out: nobody will wait for it
        throw signal.reason;
      }
      const state =
        tracked.status === undefined ? await this.cli.state(tracked.ref.id).catch(() => undefined) : undefined;
      if (state?.status === 'running' || state?.status === 'stopped') return;
      if (tracked.status !== undefined || (state === undefined && tracked.runner.exitCode !== null)) {
        const errors = await RuncCli.logErrors(logFile);
        await tracked.removed;
        if (errors.length === 0) return; // it ran and already exited: waitContainer reports it
        const message = errors.join('; ');
        if (/already exists/.test(message)) throw idTaken(tracked.ref.id, this.cli.binary);
        throw new NodeAdapterError('ERR_START_FAILED', `${this.cli.binary} run ${tracked.ref.id} failed: ${message}`, {
          containerId: tracked.ref.id,
        });
      }
      await sleepOn(this.clock, delayMs).catch(() => undefined);
      delayMs = Math.min(delayMs * 2, 50);
    }
  }
}
