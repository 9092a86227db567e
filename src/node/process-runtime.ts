import { type ChildProcess, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { Container, Pod } from '../api/types.js';
import type { Clock } from '../ports/clock.js';
import { stopWithEscalation } from '../ports/escalation.js';
import type { ContainerRef, ExecResult, Runtime } from '../ports/runtime.js';
import { systemClock } from '../ports/system-clock.js';
import { DEFAULT_OUTPUT_CAP_BYTES, killGroup, runCaptured } from './child.js';
import { containerArgv, containerEnv, containerRefFor, DEFAULT_PATH, defaultContainerId } from './container-process.js';
import { NodeAdapterError } from './errors.js';
import { exitCodeForSignal, signalNumber } from './signals.js';

/** How a container's main process ended. */
export interface ContainerExitStatus {
  /** The exit code; 128 + the signal number when a signal killed it (137 for SIGKILL). */
  readonly exitCode: number;
  /** The signal that killed it (`"SIGKILL"`), or null when it exited by itself. */
  readonly signal: string | null;
}

/** Options of {@link ProcessRuntime}. */
export interface ProcessRuntimeOptions {
  /** Clock that times stop escalation. @default systemClock */
  readonly clock?: Clock;
  /** Per-stream capture cap of `exec` (stdout and stderr each); the excess is dropped and a marker appended. @default 1048576 (1 MiB) */
  readonly outputCapBytes?: number;
  /**
   * Called once per container when its main process has exited — by itself or because it was
   * stopped. Wire it to `manager.notifyExited` so a container that exits on its own is reported.
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
  readonly pid: number;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly execs: Set<ChildProcess>;
  readonly exited: Promise<ContainerExitStatus>;
  status?: ContainerExitStatus;
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
 *   process exits, what is left of its group and of its execs is SIGKILLed (as a PID namespace
 *   would be torn down).
 * - Call {@link ProcessRuntime.dispose} when done: it kills everything still running.
 */
export class ProcessRuntime implements Runtime {
  /** The pod IP of every pod on this runtime. */
  readonly podIP = '127.0.0.1';
  private readonly clock: Clock;
  private readonly outputCapBytes: number;
  private readonly containers = new Map<string, Tracked>();
  private readonly attempts = new Map<string, number>();
  private isDisposed = false;

  constructor(private readonly options: ProcessRuntimeOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.outputCapBytes = options.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES;
  }

  /** Spawn the main process; resolves once it is running (rejects if it cannot be spawned). */
  async startContainer(pod: Pod, container: Container, options: { signal: AbortSignal }): Promise<{ id: string }> {
    if (this.isDisposed) throw new NodeAdapterError('ERR_DISPOSED', 'ProcessRuntime was disposed');
    options.signal.throwIfAborted();
    const env = containerEnv(container, this.baseEnv(pod));
    const argv = containerArgv(container, env);
    const key = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}/${pod.metadata?.uid ?? ''}/${container.name}`;
    const attempt = this.attempts.get(key) ?? 0;
    this.attempts.set(key, attempt + 1);
    const id = (this.options.containerId ?? defaultContainerId)(pod, container, attempt);
    if (this.containers.get(id)?.status === undefined && this.containers.has(id)) {
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
    const tracked: Tracked = {
      ref,
      pid: child.pid as number,
      env: childEnv,
      cwd,
      execs: new Set(),
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
          tracked.execs.add(child);
          child.once('exit', () => tracked.execs.delete(child));
        },
      });
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
    if (tracked === undefined || tracked.status !== undefined) return;
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

  /** Ids of the containers whose main process is still running. */
  runningContainerIds(): string[] {
    return [...this.containers.values()].filter((c) => c.status === undefined).map((c) => c.ref.id);
  }

  /** SIGKILL every container and exec still running, wait for them to exit; no new starts afterwards. */
  async dispose(): Promise<void> {
    this.isDisposed = true;
    const waits = [...this.containers.values()].map((c) => {
      if (c.status === undefined) killGroup(c.pid, 'SIGKILL');
      for (const exec of c.execs) killGroup(exec.pid, 'SIGKILL');
      return c.exited;
    });
    await Promise.all(waits);
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
    if (tracked === undefined) {
      throw new NodeAdapterError(
        'ERR_CONTAINER_NOT_FOUND',
        `${what}: container "${ref.id}" is not known to this ProcessRuntime`,
        { containerId: ref.id },
      );
    }
    if (tracked.status !== undefined) {
      throw new NodeAdapterError(
        'ERR_CONTAINER_NOT_RUNNING',
        `${what}: container "${ref.id}" is not running (exited with ${tracked.status.exitCode})`,
        { containerId: ref.id },
      );
    }
    return tracked;
  }

  private onMainExit(tracked: Tracked, status: ContainerExitStatus): void {
    tracked.status = status;
    // What a PID namespace teardown would do: nothing of the container outlives its main process.
    killGroup(tracked.pid, 'SIGKILL');
    for (const exec of tracked.execs) killGroup(exec.pid, 'SIGKILL');
    try {
      this.options.onExit?.(tracked.ref, status);
    } catch {
      // a throwing listener must not break the runtime
    }
  }
}

function startError(container: Container, argv: readonly string[], id: string, error: unknown): NodeAdapterError {
  return new NodeAdapterError(
    'ERR_START_FAILED',
    `container "${container.name}": cannot start ${JSON.stringify(argv[0])}: ${execFailure(argv[0] ?? '', error)}`,
    { cause: error, containerId: id },
  );
}

/** runc-like wording for a spawn failure. */
function execFailure(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `exec: ${JSON.stringify(file)}: executable file not found in $PATH`;
  if (code === 'EACCES') return `exec: ${JSON.stringify(file)}: permission denied`;
  return `exec: ${JSON.stringify(file)}: ${(error as Error).message}`;
}
