import { type ChildProcess, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { Container, Pod } from '../api/types.js';
import type { Clock } from '../ports/clock.js';
import { stopWithEscalation } from '../ports/escalation.js';
import type { ContainerExit, ContainerRef, ExecResult, Runtime } from '../ports/runtime.js';
import { systemClock } from '../ports/system-clock.js';
import { DEFAULT_OUTPUT_CAP_BYTES, killGroup, runCaptured } from './child.js';
import {
  AttemptCounter,
  attemptKey,
  containerArgv,
  containerEnv,
  containerRefFor,
  DEFAULT_PATH,
  defaultContainerId,
  execFailure,
  startError,
} from './container-process.js';
import { NodeAdapterError } from './errors.js';
import { type ContainerExitStatus, ExitBook, toContainerExit, unknownForWait, waitOrAbort } from './exit-book.js';
import { exitCodeForSignal, signalNumber } from './signals.js';

export type { ContainerExitStatus } from './exit-book.js';

/** Options of {@link ProcessRuntime}. */
export interface ProcessRuntimeOptions {
  /** Clock that times stop escalation. @default systemClock */
  readonly clock?: Clock;
  /** Per-stream capture cap of `exec` (stdout and stderr each); the excess is dropped and a marker appended. @default 1048576 (1 MiB) */
  readonly outputCapBytes?: number;
  /**
   * Called once per container when its main process has exited — by itself or because it was
   * stopped. Kept for callers wired to `manager.notifyExited` by hand; the manager learns exits
   * through {@link ProcessRuntime.waitContainer} without it (docs/adapters.md).
   * @example onExit: (ref, { exitCode }) => manager.notifyExited(pod, ref.name, { exitCode })
   */
  readonly onExit?: (ref: ContainerRef, status: ContainerExitStatus) => void;
  /** Start from this process's whole environment instead of the minimal one (`PATH`, `HOME`). @default false */
  readonly inheritEnv?: boolean;
  /** Working directory when the container sets no `workingDir` (a host path). @default process.cwd() */
  readonly defaultWorkingDir?: string;
  /** Where the main processes' stdout/stderr go. @default "ignore" */
  readonly containerOutput?: 'ignore' | 'inherit';
  /** Container id for the `attempt`-th start (from 0) of a container. @default `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>` */
  readonly containerId?: (pod: Pod, container: Container, attempt: number) => string;
}

interface Tracked {
  readonly ref: ContainerRef;
  /** Its {@link attemptKey}. */
  readonly key: string;
  readonly pid: number;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** exec processes still running (killed when an exec is aborted). */
  readonly execs: Set<ChildProcess>;
  /** Process groups of the execs, kept while anything (a background child) may be left in them. */
  readonly execGroups: Set<number>;
  readonly exited: Promise<ContainerExitStatus>;
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
 *   signal's name when signal n killed it). An exited container is forgotten at once except for
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
    const tracked: Tracked = {
      ref,
      key,
      pid: child.pid as number,
      env: childEnv,
      cwd,
      execs: new Set(),
      execGroups: new Set(),
      exited: new Promise((resolve) => {
        child.once('exit', (code, sig) => {
          const status: ContainerExitStatus = { exitCode: code ?? exitCodeForSignal(sig ?? 'SIGKILL'), signal: sig };
          this.onMainExit(tracked, status);
          resolve(status);
        });
      }),
    };
    this.containers.set(id, tracked);
    if (options.signal.aborted) {
      killGroup(tracked.pid, 'SIGKILL');
      await tracked.exited;
      this.exits.take(id); // never handed out: nobody will wait for it
      throw options.signal.reason;
    }
    return { id };
  }

  /** Run `command` (no shell) with the container's environment and working directory. */
  async exec(ref: ContainerRef, command: readonly string[], options: { signal: AbortSignal }): Promise<ExecResult> {
    const tracked = this.running(ref, 'exec');
    const [file, ...args] = command;
    if (file === undefined)
      throw new NodeAdapterError('ERR_EXEC_FAILED', 'exec: empty command', { containerId: ref.id });
    try {
      const run = await runCaptured(file, args, {
        env: tracked.env,
        cwd: tracked.cwd,
        signal: options.signal,
        outputCapBytes: this.outputCapBytes,
        clock: this.clock,
        detached: true,
        onSpawn: (child) => {
          pruneGroups(tracked.execGroups);
          tracked.execs.add(child);
          if (child.pid !== undefined) tracked.execGroups.add(child.pid);
          child.once('exit', () => tracked.execs.delete(child));
        },
      });
      if (!this.containers.has(ref.id)) killGroups(tracked); // the container exited meanwhile
      return { exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr };
    } catch (error) {
      if (options.signal.aborted) throw error;
      throw new NodeAdapterError('ERR_EXEC_FAILED', execFailure(file, error), { cause: error, containerId: ref.id });
    }
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
    await stopWithEscalation({
      clock: this.clock,
      stopSignal,
      timeoutSeconds: options.timeoutSeconds,
      signal: options.signal,
      exited: tracked.exited,
      sendSignal: (name) => killGroup(tracked.pid, signalNumber(name)),
    });
    await tracked.exited;
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
    const status = await waitOrAbort(tracked.exited, options.signal);
    this.exits.take(ref.id); // reported: forget it
    return toContainerExit(status);
  }

  /** Ids of the containers whose main process is still running. */
  runningContainerIds(): string[] {
    return [...this.containers.keys()];
  }

  /**
   * SIGKILL every container and exec still running (background processes of exec hooks
   * included), wait for the main processes to exit; no new starts afterwards. Idempotent.
   */
  dispose(): Promise<void> {
    this.disposed ??= Promise.all(
      [...this.containers.values()].map((c) => {
        killGroup(c.pid, 'SIGKILL');
        killGroups(c);
        return c.exited;
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
    if (tracked !== undefined) return tracked;
    const exit = this.exits.peek(ref.id);
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
    // Forget the container but for its exit status, kept until waitContainer reports it.
    this.containers.delete(tracked.ref.id);
    this.exits.record(tracked.ref.id, status);
    // What a PID namespace teardown would do: nothing of the container outlives its main process.
    killGroup(tracked.pid, 'SIGKILL');
    killGroups(tracked);
    try {
      this.options.onExit?.(tracked.ref, status);
    } catch {
      // a throwing listener must not break the runtime
    }
  }
}

/** SIGKILL the process groups of a container's execs (with whatever they left running). */
function killGroups(tracked: Tracked): void {
  for (const exec of tracked.execs) killGroup(exec.pid, 'SIGKILL');
  for (const group of tracked.execGroups) killGroup(group, 'SIGKILL');
  tracked.execGroups.clear();
}

/** Drop the exec process groups that are empty (nothing left to kill there). */
function pruneGroups(groups: Set<number>): void {
  for (const group of groups) {
    try {
      process.kill(-group, 0);
    } catch {
      groups.delete(group);
    }
  }
}
