import type { Container, Pod } from '../api/types.js';
import { errorText } from '../errors.js';
import { type Clock, sleepOn } from '../ports/clock.js';
import { stopWithEscalation } from '../ports/escalation.js';
import type { ContainerExit, ContainerRef, ExecResult, Runtime } from '../ports/runtime.js';
import { runScriptedExec } from './fake-runtime-exec.js';
import {
  deliverSignal,
  exitMainProcess,
  type FakeContainerState,
  type Instance,
  InstanceBook,
  newInstance,
  notRunning,
  type ProcessHost,
  snapshot,
} from './fake-runtime-instances.js';
import {
  describeMatcher,
  type ExecMatcher,
  type ExecScript,
  matchesExec,
  type RuntimeTimelineEntry,
  type Scripted,
  type ScriptOptions,
  type StartScript,
  type StopScript,
  scripted,
  take,
} from './fake-runtime-scripts.js';
import { untilAborted } from './internal.js';

export type { FakeContainerState } from './fake-runtime-instances.js';

/** Options of {@link FakeRuntime}. */
export interface FakeRuntimeOptions {
  /** Clock for scripted delays, exits and the stop escalation (normally a `VirtualClock`). */
  readonly clock: Clock;
  /** Behaviour of an exec no script matches. @default { exitCode: 0, stdout: '', stderr: '' } */
  readonly defaultExec?: ExecScript | undefined;
}

/** Options of {@link FakeRuntime.crash}. */
export interface FakeCrashOptions {
  /** @default 1 */
  readonly exitCode?: number | undefined;
  /** Exit this long from now on the clock instead of at once. */
  readonly afterMs?: number | undefined;
  /** The runtime's reason `waitContainer` reports (e.g. `"OOMKilled"`). @default none: the manager derives Completed/Error */
  readonly reason?: string | undefined;
}

const OK: ExecResult = Object.freeze({ exitCode: 0, stdout: '', stderr: '' });

/**
 * A scripted {@link Runtime} on an injected clock: exec results by argv, start failures, stop
 * behaviour per container, crashes, and a {@link FakeRuntime.timeline} of everything that
 * happened. Exits are reported through {@link FakeRuntime.waitContainer}, which the manager
 * watches after every start, as with every adapter. `stopContainer` runs the real `stopWithEscalation` on the clock, so SIGKILL comes
 * exactly `timeoutSeconds` after the stop signal in virtual time. Scripts are tried in the order
 * they were added; the first that matches (and has `times` left) wins. Misuse (exec in a
 * container it never started…) rejects with a {@link TestingError} that says what it knows.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * const runtime = new FakeRuntime({ clock })
 *   .onExec(['/bin/drain'], { exitCode: 0, delayMs: 5_000 })
 *   .onStop('web', { exitsOn: [] }); // ignores SIGTERM until SIGKILL
 * const manager = new LifecycleManager({ runtime, httpClient, clock }); // exits: runtime.waitContainer
 * ```
 */
export class FakeRuntime implements Runtime {
  readonly #clock: Clock;
  readonly #defaultExec: ExecScript;
  readonly #execScripts: Array<Scripted<ExecScript> & { readonly matcher: ExecMatcher }> = [];
  readonly #startScripts: Array<Scripted<StartScript>> = [];
  readonly #stopScripts: Array<Scripted<StopScript>> = [];
  readonly #instances = new InstanceBook();
  readonly #timeline: RuntimeTimelineEntry[] = [];
  #starts = 0;
  /** What the main processes' signal and exit handling needs (fake-runtime-instances.ts). */
  readonly #process: ProcessHost;

  constructor(options: FakeRuntimeOptions) {
    this.#clock = options.clock;
    this.#process = { clock: options.clock, timeline: this.#timeline };
    this.#defaultExec = options.defaultExec ?? OK;
  }

  /** Everything that happened, in order: starts, execs and results, stops, signals, exits. */
  get timeline(): readonly RuntimeTimelineEntry[] {
    return this.#timeline;
  }

  /** Script the execs whose argv `matcher` selects (see {@link ExecMatcher}, {@link ExecScript}). */
  onExec(matcher: ExecMatcher, script: ExecScript, options: ScriptOptions = {}): this {
    const { podName, times = Infinity } = options;
    const match = (_: string, pod: string): boolean => podName === undefined || podName === pod;
    this.#execScripts.push({ matcher, match, script, left: times, label: describeMatcher(matcher) });
    return this;
  }

  /** Script `startContainer` for the container called `containerName` (see {@link StartScript}). */
  onStart(containerName: string, script: StartScript, options: ScriptOptions = {}): this {
    this.#startScripts.push(scripted(containerName, script, options));
    return this;
  }

  /** Script how the main process of `containerName` reacts to stop signals (see {@link StopScript}). */
  onStop(containerName: string, script: StopScript, options: ScriptOptions = {}): this {
    this.#stopScripts.push(scripted(containerName, script, options));
    return this;
  }

  /**
   * Make a running container's main process exit by itself, now or `afterMs` from now on the
   * clock. `target` is a container id, a name, or `"pod/name"` when several pods share a name.
   * `waitContainer` then resolves with `{ exitCode, reason }`.
   * @default exitCode 1
   */
  crash(target: string, options: FakeCrashOptions = {}): void {
    const inst = this.#instances.resolve(target, 'crash');
    const exit = (): void => {
      if (inst.state === 'running' && options.reason !== undefined) inst.exitReason = options.reason;
      this.#exit(inst, options.exitCode ?? 1, 'crash');
    };
    if (options.afterMs === undefined) exit();
    else this.#clock.setTimeout(exit, options.afterMs);
  }

  /** The latest instance of a container (`target` as for {@link FakeRuntime.crash}), or undefined. */
  container(target: string): FakeContainerState | undefined {
    const inst = this.#instances.find(target);
    return inst === undefined ? undefined : snapshot(inst);
  }

  /** Every container instance ever started, in start order. */
  containers(): FakeContainerState[] {
    return this.#instances.all().map(snapshot);
  }

  startContainer(pod: Pod, container: Container, options: { signal: AbortSignal }): Promise<{ id: string }> {
    const podName = pod.metadata?.name ?? '';
    const name = container.name;
    let at = this.#clock.now();
    this.#timeline.push({ at, atMs: at, kind: 'start', podName, container: name });
    const found = take(this.#startScripts, name, podName);
    const fail = (error: unknown): never => {
      at = this.#clock.now();
      this.#timeline.push({ at, atMs: at, kind: 'start-failed', podName, container: name, error: errorText(error) });
      throw error;
    };
    if (found !== undefined && 'throw' in found) fail(found.throw);
    return (async () => {
      try {
        options.signal.throwIfAborted();
        const delayMs = found !== undefined && 'delayMs' in found ? found.delayMs : undefined;
        if (delayMs !== undefined && delayMs > 0) await sleepOn(this.#clock, delayMs, options.signal);
        if (found !== undefined && 'reject' in found) throw found.reject;
        // Ends only with the abort, which removes the (once) listener.
        if (found !== undefined && 'hang' in found) await untilAborted(options.signal).promise;
      } catch (error) {
        return fail(error);
      }
      const id = `${podName}-${container.name}-${++this.#starts}`;
      const ref: ContainerRef = {
        id,
        name: container.name,
        podName,
        podNamespace: pod.metadata?.namespace ?? 'default',
        podUID: pod.metadata?.uid ?? '',
      };
      this.#instances.add(newInstance(ref, this.#clock.now()));
      at = this.#clock.now();
      this.#timeline.push({ at, atMs: at, kind: 'started', podName, container: name, containerId: id });
      return { id };
    })();
  }

  exec(ref: ContainerRef, command: readonly string[], options: { signal: AbortSignal }): Promise<ExecResult> {
    const argv = [...command];
    const { podName, name: container, id: containerId } = ref;
    let at = this.#clock.now();
    this.#timeline.push({ at, atMs: at, kind: 'exec', podName, container, containerId, argv });
    const failed = (error: unknown): never => {
      at = this.#clock.now();
      this.#timeline.push({
        at,
        atMs: at,
        kind: 'exec-failed',
        podName,
        container,
        containerId,
        argv,
        error: errorText(error),
      });
      throw error;
    };
    const inst = this.#instances.get(ref.id);
    if (inst === undefined)
      return Promise.reject(this.#instances.unknown(ref, `exec ${JSON.stringify(argv)}`)).catch(failed);
    if (inst.state === 'exited') return Promise.reject(notRunning(inst, 'exec')).catch(failed);
    if (options.signal.aborted) return Promise.reject(options.signal.reason).catch(failed);
    const entry = this.#execScripts.find(
      (s) => s.left > 0 && s.match(ref.name, ref.podName) && matchesExec(s.matcher, argv, ref),
    );
    if (entry !== undefined) entry.left--;
    const script = entry?.script ?? this.#defaultExec;
    if (typeof script !== 'function' && 'throw' in script) failed(script.throw);

    return runScriptedExec({
      inst,
      ref,
      argv,
      script,
      clock: this.#clock,
      signal: options.signal,
      onResult: (result) => {
        at = this.#clock.now();
        const exitCode = (result as Partial<ExecResult> | undefined)?.exitCode as number;
        this.#timeline.push({ at, atMs: at, kind: 'exec-result', podName, container, containerId, argv, exitCode });
      },
      onFailure: failed,
    });
  }

  /**
   * Resolve once the container's main process has exited (a crash, or a stop signal on the
   * clock): `{ exitCode }`, with `signal` for an exit a signal caused and `reason` when the crash
   * gave one. Every exec still running in the container has settled (exit 137) by then, as the
   * Runtime port asks. At once for a container that has already exited; rejects with `signal.reason` on
   * abort, and with a {@link TestingError} for a container this runtime never started.
   */
  async waitContainer(ref: ContainerRef, options: { signal: AbortSignal }): Promise<ContainerExit> {
    const inst = this.#instances.get(ref.id);
    if (inst === undefined) throw this.#instances.unknown(ref, 'waitContainer');
    options.signal.throwIfAborted();
    if (inst.state === 'running') {
      const aborted = untilAborted(options.signal);
      try {
        await Promise.race([inst.exited, aborted.promise]);
      } finally {
        aborted.dispose();
      }
    }
    return {
      exitCode: inst.exitCode as number,
      ...(inst.exitSignal === undefined ? {} : { signal: inst.exitSignal }),
      ...(inst.exitReason === undefined ? {} : { reason: inst.exitReason }),
    };
  }

  async stopContainer(
    ref: ContainerRef,
    options: { stopSignal?: string; timeoutSeconds: number; signal: AbortSignal },
  ): Promise<void> {
    const { stopSignal, timeoutSeconds, signal } = options;
    const { podName, name: container, id: containerId } = ref;
    let at = this.#clock.now();
    this.#timeline.push(
      stopSignal === undefined
        ? { at, atMs: at, kind: 'stop', podName, container, containerId, timeoutSeconds }
        : { at, atMs: at, kind: 'stop', podName, container, containerId, signal: stopSignal, timeoutSeconds },
    );
    try {
      const inst = this.#instances.get(ref.id);
      if (inst === undefined) throw this.#instances.unknown(ref, 'stopContainer');
      if (inst.state === 'running') {
        const script = take(this.#stopScripts, ref.name, ref.podName) ?? {};
        if ('reject' in script) throw script.reject;
        await stopWithEscalation({
          clock: this.#clock,
          stopSignal,
          timeoutSeconds,
          signal,
          exited: inst.exited,
          sendSignal: (s) => this.#deliver(inst, s, script),
        });
      }
    } catch (error) {
      at = this.#clock.now();
      this.#timeline.push({
        at,
        atMs: at,
        kind: 'stop-failed',
        podName,
        container,
        containerId,
        error: errorText(error),
      });
      throw error;
    }
    at = this.#clock.now();
    this.#timeline.push({ at, atMs: at, kind: 'stopped', podName, container, containerId });
  }

  #deliver(inst: Instance, signal: string, script: StopScript): void {
    deliverSignal(inst, signal, script, this.#process);
  }

  #exit(inst: Instance, exitCode: number, reason: 'crash' | 'signal'): void {
    exitMainProcess(inst, exitCode, reason, this.#process);
  }
}
