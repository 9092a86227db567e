import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { Container, Pod } from '../api/types.js';
import type { Clock } from '../ports/clock.js';
import { stopWithEscalation } from '../ports/escalation.js';
import type { ContainerExit, ContainerRef, ExecResult, Runtime } from '../ports/runtime.js';
import { systemClock } from '../ports/system-clock.js';
import { DEFAULT_OUTPUT_CAP_BYTES, killGroup } from './child.js';
import {
  AttemptCounter,
  attemptKey,
  containerArgv,
  containerEnv,
  containerRefFor,
  DEFAULT_PATH,
  defaultContainerId,
  startError,
} from './container-process.js';
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
import { type ExecHost, killExecGroups, runProcessExec } from './process-exec.js';
import { exitCodeForSignal, signalNumber } from './signals.js';

export type { ContainerExitStatus } from './exit-book.js';

/** Options of {@link ProcessRuntime}. */
export interface ProcessRuntimeOptions {
  /** Clock that times stop escalation. @default systemClock */
  readonly clock?: Clock;
  /** Per-stream capture cap of `exec` (stdout and stderr each); the excess is dropped and a marker appended. @default 1048576 (1 MiB) */
  readonly outputCapBytes?: number;
  /** Start from this process's whole environment instead of the minimal one (`PATH`, `HOME`). @default false */
  readonly inheritEnv?: boolean;
  /** Working directory when the container sets no `workingDir` (a host path). @default process.cwd() */
  readonly defaultWorkingDir?: string;
  /** Where the main processes' stdout/stderr go. @default "ignore" */
  readonly containerOutput?: 'ignore' | 'inherit';
  /** Container id for the `attempt`-th start (from 0) of a container. @default `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>` */
  readonly containerId?: (pod: Pod, container: Container, attempt: number) => string;
}

interface Tracked extends ExecHost {
  readonly ref: ContainerRef;
  /** Its {@link attemptKey}. */
  readonly key: string;
  readonly pid: number;
  /** The exec calls not settled yet: the exit is reported once they have. */
  readonly calls: Set<Promise<unknown>>;
  /** Set when the main process exited. */
  status?: ContainerExitStatus;
  /** Settles when the main process exited (what the stop escalation waits for). */
  readonly exited: Promise<ContainerExitStatus>;
  /** Settles when, in addition, the execs have settled: the exit is reported (and the container forgotten). */
  readonly reported: Promise<ContainerExitStatus>;
}

/**
 * A `Runtime` whose containers are local processes: `command` + `args` spawned without a shell,
 * in their own process group (session), with the container's `env` over a minimal environment and
 * its `workingDir` (a host path). There is no isolation: the pod IP is the loopback address
 * ({@link ProcessRuntime.podIP}); put `status.podIP: 127.0.0.1` on the pod or set `httpGet.host`.
 *
 * - `exec` spawns the argv with the container's environment and working directory, captures each
 *   stream up to `outputCapBytes`, and kills the exec'd process group when the signal aborts.
 * - `stopContainer` signals the whole process group, SIGKILLs it after the timeout (through
 *   `stopWithEscalation` on the clock) and resolves once the main process exited; when the main
 *   process exits, what is left of its group and of its execs' groups (background processes an
 *   exec hook left behind included) is SIGKILLed, as a PID namespace would be torn down.
 * - `waitContainer` resolves with the exit code once the main process exited (128 + n and the
 *   signal's name when signal n killed it) and the execs still running in it have settled (they
 *   are killed with it: exit 137), as the Runtime port asks. An exited container is forgotten at once except for
 *   its exit status, which is kept until `waitContainer` reports it (at most 1024 of them).
 * - Call {@link ProcessRuntime.dispose} when done: it kills everything still running.
 */
export class ProcessRuntime implements Runtime {
  /** The pod IP of every pod on this runtime. */
  readonly podIP = '127.0.0.1';
  private readonly clock: Clock;
  private readonly outputCapBytes: number;
  /** Containers whose main process is running. */
  private readonly containers = new Map<string, Tracked>();
  private readonly exits = new ExitBook();
  private readonly attempts = new AttemptCounter();
  private disposed: Promise<void> | undefined;

  constructor(private readonly options: ProcessRuntimeOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.outputCapBytes = options.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES;
  }

  /** Spawn the main process; resolves once it is running (rejects if it cannot be spawned). */
  async startContainer(pod: Pod, container: Container, options: { signal: AbortSignal }): Promise<{ id: string }> {
    if (this.disposed !== undefined) throw new NodeAdapterError('ERR_DISPOSED', 'ProcessRuntime was disposed');
    options.signal.throwIfAborted();
    const env = containerEnv(container, this.baseEnv(pod));
    const argv = containerArgv(container, env);
    const key = attemptKey(pod, container);
    const attempt = this.attempts.next(key, (k) => [...this.containers.values()].some((c) => c.key === k));
    const id = (this.options.containerId ?? defaultContainerId)(pod, container, attempt);
    if (this.containers.has(id)) {
      throw new NodeAdapterError('ERR_CONTAINER_ID_TAKEN', `container id "${id}" is already running`, {
        containerId: id,
      });
    }
    const cwd = container.workingDir ?? this.options.defaultWorkingDir ?? process.cwd();
    const isDir = await stat(cwd).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) {
      throw new NodeAdapterError(
        'ERR_START_FAILED',
        `container "${container.name}": workingDir "${cwd}" is not a directory on this host`,
        { containerId: id },
      );
    }
    const childEnv = Object.fromEntries(env);
    const output = this.options.containerOutput ?? 'ignore';
    const child = spawn(argv[0] as string, argv.slice(1), {
      env: childEnv,
      cwd,
      detached: true,
      shell: false,
      stdio: ['ignore', output, output],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) => reject(startError(container, argv, id, error)));
    });
    const ref = containerRefFor(pod, container, id);
    this.exits.take(id); // a stale exit of an earlier container of that id
    const exited = new Promise<ContainerExitStatus>((resolve) => {
      child.once('exit', (code, sig) => {
        const status: ContainerExitStatus = { exitCode: code ?? exitCodeForSignal(sig ?? 'SIGKILL'), signal: sig };
        this.onMainExit(tracked, status);
        resolve(status);
      });
    });
    const tracked: Tracked = {
      ref,
      key,
      pid: child.pid as number,
      env: childEnv,
      cwd,
      execs: new Set(),
      execGroups: new Set(),
      calls: new Set(),
      hasExited: () => tracked.status !== undefined,
      exited,
      reported: exited.then(async (status) => {
        await execsSettled(tracked.calls, this.clock);
        // Forget the container but for its exit status, kept until waitContainer reports it.
        this.containers.delete(id);
        this.exits.record(id, status);
        return status;
      }),
    };
    this.containers.set(id, tracked);
    if (options.signal.aborted) {
      killGroup(tracked.pid, 'SIGKILL');
      await tracked.reported;
      this.exits.take(id); // never handed out: nobody will wait for it
      throw options.signal.reason;
    }
    return { id };
  }

  /** Run `command` (no shell) with the container's environment and working directory. */
  exec(ref: ContainerRef, command: readonly string[], options: { signal: AbortSignal }): Promise<ExecResult> {
    let tracked: Tracked;
    try {
      tracked = this.running(ref, 'exec');
    } catch (error) {
      return Promise.reject(error);
    }
    const { clock, outputCapBytes } = this;
    return trackCall(
      tracked.calls,
      runProcessExec(tracked, ref, command, { signal: options.signal, clock, outputCapBytes }),
    );
  }

  /** CRI StopContainer: stop signal to the group, SIGKILL after `timeoutSeconds`, resolve on exit. */
  async stopContainer(
    ref: ContainerRef,
    options: { stopSignal?: string; timeoutSeconds: number; signal: AbortSignal },
  ): Promise<void> {
    const stopSignal = options.stopSignal ?? 'SIGTERM';
    signalNumber(stopSignal);
    const tracked = this.containers.get(ref.id);
    if (tracked === undefined) return; // exited (or never started here): nothing to stop
    if (tracked.status === undefined) {
      await stopWithEscalation({
        clock: this.clock,
        stopSignal,
        timeoutSeconds: options.timeoutSeconds,
        signal: options.signal,
        exited: tracked.exited,
        sendSignal: (name) => killGroup(tracked.pid, signalNumber(name)),
      });
    }
    await tracked.reported;
  }

  /**
   * Resolve once the container's main process has exited: its exit code (128 + n when signal n
   * killed it) and the signal's name. Resolves at once for an exit not yet reported; rejects with
   * `ERR_CONTAINER_NOT_FOUND` for a container unknown here (or whose exit was already reported)
   * and with `signal.reason` when `signal` aborts.
   */
  async waitContainer(ref: ContainerRef, options: { signal: AbortSignal }): Promise<ContainerExit> {
    options.signal.throwIfAborted();
    const tracked = this.containers.get(ref.id);
    if (tracked === undefined) {
      const status = this.exits.take(ref.id);
      if (status === undefined) throw unknownForWait('ProcessRuntime', ref.id);
      return toContainerExit(status);
    }
    const status = await waitOrAbort(tracked.reported, options.signal);
    this.exits.take(ref.id); // reported: forget it
    return toContainerExit(status);
  }

  /** Ids of the containers whose main process is still running. */
  runningContainerIds(): string[] {
    return [...this.containers.values()].filter((c) => c.status === undefined).map((c) => c.ref.id);
  }

  /**
   * SIGKILL every container and exec still running (background processes of exec hooks
   * included), wait for the main processes to exit; no new starts afterwards. Idempotent.
   */
  dispose(): Promise<void> {
    this.disposed ??= Promise.all(
      [...this.containers.values()].map((c) => {
        killGroup(c.pid, 'SIGKILL');
        killExecGroups(c);
        return c.reported;
      }),
    ).then(() => undefined);
    return this.disposed;
  }

  private baseEnv(pod: Pod): Record<string, string> {
    const base: Record<string, string> =
      this.options.inheritEnv === true
        ? Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined))
        : { PATH: process.env['PATH'] ?? DEFAULT_PATH, HOME: process.env['HOME'] ?? '/' };
    base['HOSTNAME'] = pod.metadata?.name ?? '';
    return base;
  }

  private running(ref: ContainerRef, what: string): Tracked {
    const tracked = this.containers.get(ref.id);
    if (tracked !== undefined && tracked.status === undefined) return tracked;
    const exit = tracked?.status ?? this.exits.peek(ref.id);
    if (exit !== undefined) {
      throw new NodeAdapterError(
        'ERR_CONTAINER_NOT_RUNNING',
        `${what}: container "${ref.id}" is not running (exited with ${exit.exitCode})`,
        { containerId: ref.id },
      );
    }
    throw new NodeAdapterError(
      'ERR_CONTAINER_NOT_FOUND',
      `${what}: container "${ref.id}" is not known to this ProcessRuntime (never started here, or exited and forgotten)`,
      { containerId: ref.id },
    );
  }

  private onMainExit(tracked: Tracked, status: ContainerExitStatus): void {
    tracked.status = status;
    // What a PID namespace teardown would do: nothing of the container outlives its main process
    // (its execs end with exit 137, and the exit is reported once they have: see `reported`).
    killGroup(tracked.pid, 'SIGKILL');
    killExecGroups(tracked);
  }
}
