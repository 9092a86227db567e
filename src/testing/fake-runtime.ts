import type { Container, Pod } from '../api/types.js';
import { errorText } from '../errors.js';
import { type Clock, sleepOn } from '../ports/clock.js';
import { stopWithEscalation } from '../ports/escalation.js';
import type { ContainerExit, ContainerRef, ExecResult, Runtime } from '../ports/runtime.js';
import { TestingError } from './errors.js';
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
  signalExitCode,
  take,
} from './fake-runtime-scripts.js';
import { untilAborted } from './internal.js';

/** Options of {@link FakeRuntime}. */
export interface FakeRuntimeOptions {
  /** Clock for scripted delays, exits and the stop escalation (normally a `VirtualClock`). */
  readonly clock: Clock;
  /** Behaviour of an exec no script matches. @default { exitCode: 0, stdout: '', stderr: '' } */
  readonly defaultExec?: ExecScript | undefined;
}

/** What an exit listener learns (see {@link FakeRuntime.onExit}). */
export interface FakeExitInfo {
  readonly exitCode: number;
  /** 'crash' for {@link FakeRuntime.crash}, 'signal' for an exit caused by a stop signal. */
  readonly reason: 'crash' | 'signal';
}

/** A container instance as the fake sees it (one per successful start; a restart gets a new id). */
export interface FakeContainerState {
  readonly ref: ContainerRef;
  readonly state: 'running' | 'exited';
  readonly startedAtMs: number;
  readonly exitedAtMs?: number;
  readonly exitCode?: number;
  /** Signals delivered to the main process, in order (SIGKILL included). */
  readonly signals: readonly string[];
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

interface Instance {
  readonly ref: ContainerRef;
  state: 'running' | 'exited';
  readonly startedAtMs: number;
  exitedAtMs?: number;
  exitCode?: number;
  /** What waitContainer reports besides the code. */
  exitReason?: string;
  exitSignal?: string;
  readonly signals: string[];
  pendingExit?: unknown;
  readonly exited: Promise<void>;
  readonly resolveExited: () => void;
  readonly onExit: Set<(error: Error) => void>;
}

const OK: ExecResult = Object.freeze({ exitCode: 0, stdout: '', stderr: '' });

/**
 * A scripted {@link Runtime} on an injected clock: exec results by argv, start failures, stop
 * behaviour per container, crashes, and a {@link FakeRuntime.timeline} of everything that
 * happened. `stopContainer` runs the real `stopWithEscalation` on the clock, so SIGKILL comes
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
 * runtime.onExit((ref, { exitCode }) => manager.notifyExited(pod, ref.name, { exitCode }));
 * ```
 */
export class FakeRuntime implements Runtime {
  readonly #clock: Clock;
  readonly #defaultExec: ExecScript;
  readonly #execScripts: Array<Scripted<ExecScript> & { readonly matcher: ExecMatcher }> = [];
  readonly #startScripts: Array<Scripted<StartScript>> = [];
  readonly #stopScripts: Array<Scripted<StopScript>> = [];
  readonly #instances = new Map<string, Instance>();
  readonly #listeners = new Set<(ref: ContainerRef, info: FakeExitInfo) => void>();
  readonly #timeline: RuntimeTimelineEntry[] = [];
  #starts = 0;

  constructor(options: FakeRuntimeOptions) {
    this.#clock = options.clock;
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
   * Listen to every exit of a main process (crashes and signal-caused exits), e.g. to tell the
   * manager: `runtime.onExit((ref, { exitCode }) => manager.notifyExited(pod, ref.name, { exitCode }))`.
   * Returns a function that removes the listener. A throwing listener is reported as an
   * unhandled rejection and never breaks the fake.
   */
  onExit(listener: (ref: ContainerRef, info: FakeExitInfo) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /**
   * Make a running container's main process exit by itself, now or `afterMs` from now on the
   * clock. `target` is a container id, a name, or `"pod/name"` when several pods share a name.
   * `waitContainer` then resolves with `{ exitCode, reason }`.
   * @default exitCode 1
   */
  crash(target: string, options: FakeCrashOptions = {}): void {
    const inst = this.#resolve(target, 'crash');
    const exit = (): void => {
      if (inst.state === 'running' && options.reason !== undefined) inst.exitReason = options.reason;
      this.#exit(inst, options.exitCode ?? 1, 'crash');
    };
    if (options.afterMs === undefined) exit();
    else this.#clock.setTimeout(exit, options.afterMs);
  }

  /** The latest instance of a container (`target` as for {@link FakeRuntime.crash}), or undefined. */
  container(target: string): FakeContainerState | undefined {
    try {
      return snapshot(this.#resolve(target, 'container'));
    } catch {
      return undefined;
    }
  }

  /** Every container instance ever started, in start order. */
  containers(): FakeContainerState[] {
    return [...this.#instances.values()].map(snapshot);
  }

  startContainer(pod: Pod, container: Container, options: { signal: AbortSignal }): Promise<{ id: string }> {
    const podName = pod.metadata?.name ?? '';
    const base = { podName, container: container.name };
    this.#record({ kind: 'start', ...base });
    const found = take(this.#startScripts, container.name, podName);
    const fail = (error: unknown): never => {
      this.#record({ kind: 'start-failed', ...base, error: errorText(error) });
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
      let resolveExited!: () => void;
      const exited = new Promise<void>((resolve) => (resolveExited = resolve));
      this.#instances.set(id, {
        ref,
        state: 'running',
        startedAtMs: this.#clock.now(),
        signals: [],
        exited,
        resolveExited,
        onExit: new Set(),
      });
      this.#record({ kind: 'started', ...base, containerId: id });
      return { id };
    })();
  }

  exec(ref: ContainerRef, command: readonly string[], options: { signal: AbortSignal }): Promise<ExecResult> {
    const argv = [...command];
    const base = { podName: ref.podName, container: ref.name, containerId: ref.id, argv };
    this.#record({ kind: 'exec', ...base });
    const failed = (error: unknown): never => {
      this.#record({ kind: 'exec-failed', ...base, error: errorText(error) });
      throw error;
    };
    const inst = this.#instances.get(ref.id);
    if (inst === undefined) return Promise.reject(this.#unknown(ref, `exec ${JSON.stringify(argv)}`)).catch(failed);
    if (inst.state === 'exited') return Promise.reject(notRunning(inst, 'exec')).catch(failed);
    if (options.signal.aborted) return Promise.reject(options.signal.reason).catch(failed);
    const entry = this.#execScripts.find(
      (s) => s.left > 0 && s.match(ref.name, ref.podName) && matchesExec(s.matcher, argv, ref),
    );
    if (entry !== undefined) entry.left--;
    const script = entry?.script ?? this.#defaultExec;
    if (typeof script !== 'function' && 'throw' in script) failed(script.throw);

    const controller = new AbortController();
    const onAbort = (): void => controller.abort(options.signal.reason);
    // An exec still running when its container's main process exits is killed with it, and the
    // runtime reports that as exit code 137 (SIGKILL), as runc and containerd do.
    let killedWithContainer!: (result: ExecResult) => void;
    const killed = new Promise<ExecResult>((resolve) => (killedWithContainer = resolve));
    const onExit = (error: Error): void => {
      killedWithContainer({ exitCode: 137, stdout: '', stderr: '' });
      controller.abort(error);
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    inst.onExit.add(onExit);
    const signal = controller.signal;
    const run = async (): Promise<ExecResult> => {
      if (typeof script === 'function') return script({ argv, ref, signal, atMs: this.#clock.now() });
      if ('delayMs' in script && script.delayMs !== undefined && script.delayMs > 0)
        await sleepOn(this.#clock, script.delayMs, signal);
      if ('hang' in script) return untilAborted(signal).promise;
      if ('reject' in script) throw script.reject;
      if ('malformed' in script) return script.malformed as ExecResult;
      if ('throw' in script) throw script.throw;
      return { exitCode: script.exitCode, stdout: script.stdout ?? '', stderr: script.stderr ?? '' };
    };
    const aborted = untilAborted(signal);
    return Promise.race([killed, aborted.promise, run()])
      .then((result) => {
        this.#record({
          kind: 'exec-result',
          ...base,
          exitCode: (result as Partial<ExecResult> | undefined)?.exitCode as number,
        });
        return result;
      }, failed)
      .finally(() => {
        // Leave no listener behind on the caller's signal: the manager may pass it to many calls.
        options.signal.removeEventListener('abort', onAbort);
        aborted.dispose();
        inst.onExit.delete(onExit);
        controller.abort();
      });
  }

  /**
   * Resolve once the container's main process has exited (a crash, or a stop signal on the
   * clock): `{ exitCode }`, with `signal` for an exit a signal caused and `reason` when the crash
   * gave one. At once for a container that has already exited; rejects with `signal.reason` on
   * abort, and with a {@link TestingError} for a container this runtime never started.
   */
  async waitContainer(ref: ContainerRef, options: { signal: AbortSignal }): Promise<ContainerExit> {
    const inst = this.#instances.get(ref.id);
    if (inst === undefined) throw this.#unknown(ref, 'waitContainer');
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
    const base = { podName: ref.podName, container: ref.name, containerId: ref.id };
    this.#record({
      kind: 'stop',
      ...base,
      ...(stopSignal === undefined ? {} : { signal: stopSignal }),
      timeoutSeconds,
    });
    try {
      const inst = this.#instances.get(ref.id);
      if (inst === undefined) throw this.#unknown(ref, 'stopContainer');
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
      this.#record({ kind: 'stop-failed', ...base, error: errorText(error) });
      throw error;
    }
    this.#record({ kind: 'stopped', ...base });
  }

  #deliver(inst: Instance, signal: string, script: StopScript): void {
    this.#record({
      kind: 'signal',
      podName: inst.ref.podName,
      container: inst.ref.name,
      containerId: inst.ref.id,
      signal,
    });
    inst.signals.push(signal);
    if (inst.state === 'exited') return;
    if (signal === 'SIGKILL') {
      if (inst.state === 'running') inst.exitSignal = 'SIGKILL';
      this.#exit(inst, 137, 'signal');
      return;
    }
    if (script.exitsOn !== undefined && !script.exitsOn.includes(signal)) return;
    if (inst.pendingExit !== undefined) return;
    const exit = (): void => {
      // A scripted exit code is the process's own (it handled the signal); otherwise the signal killed it.
      if (inst.state === 'running' && script.exitCode === undefined) inst.exitSignal = signal;
      this.#exit(inst, script.exitCode ?? signalExitCode(signal), 'signal');
    };
    if (script.exitDelayMs !== undefined && script.exitDelayMs > 0)
      inst.pendingExit = this.#clock.setTimeout(exit, script.exitDelayMs);
    else exit();
  }

  #exit(inst: Instance, exitCode: number, reason: FakeExitInfo['reason']): void {
    if (inst.state === 'exited') return;
    if (inst.pendingExit !== undefined) this.#clock.clearTimeout(inst.pendingExit);
    Object.assign(inst, { state: 'exited', exitCode, exitedAtMs: this.#clock.now() });
    this.#record({
      kind: 'exit',
      podName: inst.ref.podName,
      container: inst.ref.name,
      containerId: inst.ref.id,
      exitCode,
      reason,
    });
    inst.resolveExited();
    for (const abort of [...inst.onExit]) abort(notRunning(inst, 'exec'));
    for (const listener of [...this.#listeners]) {
      try {
        listener(inst.ref, { exitCode, reason });
      } catch (error) {
        void Promise.reject(error);
      }
    }
  }

  #resolve(target: string, what: string): Instance {
    const byId = this.#instances.get(target);
    if (byId !== undefined) return byId;
    const slash = target.indexOf('/');
    const [pod, name] = slash < 0 ? [undefined, target] : [target.slice(0, slash), target.slice(slash + 1)];
    const all = [...this.#instances.values()].filter(
      (i) => i.ref.name === name && (pod === undefined || i.ref.podName === pod),
    );
    const running = all.filter((i) => i.state === 'running');
    const pods = new Set(running.map((i) => i.ref.podName));
    if (pods.size > 1) {
      throw new TestingError(
        'ERR_FAKE_MISUSE',
        `FakeRuntime.${what}("${target}"): ambiguous, running in pods ${[...pods].join(', ')}; pass "pod/${name}" or a container id`,
      );
    }
    const found = running.at(-1) ?? all.at(-1);
    if (found === undefined)
      throw new TestingError(
        'ERR_FAKE_MISUSE',
        `FakeRuntime.${what}("${target}"): no such container was started; ${this.#known()}`,
      );
    return found;
  }

  #unknown(ref: ContainerRef, what: string): TestingError {
    return new TestingError(
      'ERR_FAKE_MISUSE',
      `FakeRuntime: ${what} on container "${ref.name}" (id "${ref.id}") of pod "${ref.podName}", which this runtime never started; ${this.#known()}. Use the id returned by startContainer`,
    );
  }

  #known(): string {
    const ids = [...this.#instances.values()].map((i) => `${i.ref.id} (${i.state})`);
    return ids.length === 0 ? 'no container has been started yet' : `started: ${ids.join(', ')}`;
  }

  #record(entry: Omit<RuntimeTimelineEntry, 'atMs'>): void {
    this.#timeline.push({ atMs: this.#clock.now(), ...entry });
  }
}

function notRunning(inst: Instance, what: string): TestingError {
  return new TestingError(
    'ERR_FAKE_CONTAINER_NOT_RUNNING',
    `${what} in container "${inst.ref.name}" (id "${inst.ref.id}") of pod "${inst.ref.podName}": the container is not running; it exited at ${inst.exitedAtMs} ms with code ${inst.exitCode}`,
  );
}

function snapshot(inst: Instance): FakeContainerState {
  const { ref, state, startedAtMs, exitedAtMs, exitCode, signals } = inst;
  return {
    ref,
    state,
    startedAtMs,
    signals: [...signals],
    ...(exitedAtMs === undefined ? {} : { exitedAtMs }),
    ...(exitCode === undefined ? {} : { exitCode }),
  };
}
