/**
 * The container instances a {@link FakeRuntime} has started: their state, how their main process
 * reacts to stop signals and exits, how a test names one (id, name or `pod/name`), and the
 * errors that say what the fake knows.
 *
 * @module
 */
import type { Clock } from '../ports/clock.js';
import type { ContainerRef } from '../ports/runtime.js';
import { TestingError } from './errors.js';
import { type RuntimeTimelineEntry, type StopScript, signalExitCode } from './fake-runtime-scripts.js';

/** A container instance as the fake sees it (one per successful start; a restart gets a new id). */
export interface FakeContainerState {
  readonly ref: ContainerRef;
  readonly state: 'running' | 'exited';
  /** The instant the instance started, on the runtime's clock. */
  readonly startedAt: number;
  /** @deprecated Use `startedAt` (same value); removed in 0.2.0. */
  readonly startedAtMs: number;
  /** The instant its main process exited (absent while running). */
  readonly exitedAt?: number;
  /** @deprecated Use `exitedAt` (same value); removed in 0.2.0. */
  readonly exitedAtMs?: number;
  readonly exitCode?: number;
  /** Signals delivered to the main process, in order (SIGKILL included). */
  readonly signals: readonly string[];
}

/** @internal One instance's mutable state. */
export interface Instance {
  readonly ref: ContainerRef;
  state: 'running' | 'exited';
  readonly startedAt: number;
  exitedAt?: number;
  exitCode?: number;
  /** What waitContainer reports besides the code. */
  exitReason?: string;
  exitSignal?: string;
  readonly signals: string[];
  pendingExit?: unknown;
  /** Resolves once the main process has exited and every exec in it has settled. */
  readonly exited: Promise<void>;
  readonly resolveExited: () => void;
  /** Ends each exec still running in the container (with exit 137) when its main process exits. */
  readonly killExecs: Set<() => void>;
  /** The promises `exec` handed out and that have not settled yet. */
  readonly execs: Set<Promise<unknown>>;
}

/** @internal A new running instance. */
export function newInstance(ref: ContainerRef, startedAt: number): Instance {
  let resolveExited!: () => void;
  const exited = new Promise<void>((resolve) => (resolveExited = resolve));
  return {
    ref,
    state: 'running',
    startedAt,
    signals: [],
    exited,
    resolveExited,
    killExecs: new Set(),
    execs: new Set(),
  };
}

/** @internal Every instance the fake started, by id, in start order. */
export class InstanceBook {
  readonly #instances = new Map<string, Instance>();

  get(id: string): Instance | undefined {
    return this.#instances.get(id);
  }

  add(inst: Instance): void {
    this.#instances.set(inst.ref.id, inst);
  }

  all(): Instance[] {
    return [...this.#instances.values()];
  }

  /** The instance `target` names: a container id, a name, or `"pod/name"`; the latest running first. */
  resolve(target: string, what: string): Instance {
    const found = this.find(target);
    if (found !== undefined) return found;
    const { pod, name } = parseTarget(target);
    const matching = this.all().filter((i) => i.ref.name === name && (pod === undefined || i.ref.podName === pod));
    const pods = new Set(matching.filter((i) => i.state === 'running').map((i) => i.ref.podName));
    if (pods.size > 1) {
      throw new TestingError(
        'ERR_FAKE_MISUSE',
        `FakeRuntime.${what}("${target}"): ambiguous, running in pods ${[...pods].join(', ')}; pass "pod/${name}" or a container id`,
      );
    }
    throw new TestingError(
      'ERR_FAKE_MISUSE',
      `FakeRuntime.${what}("${target}"): no such container was started; ${this.#known()}`,
    );
  }

  /**
   * {@link resolve} without the errors: undefined when no container matches or when it is
   * ambiguous (running in several pods). One pass, no arrays: `FakeRuntime.container()` and
   * `crash()` call it for every lookup by name.
   */
  find(target: string): Instance | undefined {
    const byId = this.#instances.get(target);
    if (byId !== undefined) return byId;
    const { pod, name } = parseTarget(target);
    let last: Instance | undefined;
    let lastRunning: Instance | undefined;
    for (const inst of this.#instances.values()) {
      if (inst.ref.name !== name || (pod !== undefined && inst.ref.podName !== pod)) continue;
      last = inst;
      if (inst.state !== 'running') continue;
      // Two running instances in different pods: some consecutive pair differs.
      if (lastRunning !== undefined && lastRunning.ref.podName !== inst.ref.podName) return undefined;
      lastRunning = inst;
    }
    return lastRunning ?? last;
  }

  /** The error of a call about a container this runtime never started. */
  unknown(ref: ContainerRef, what: string): TestingError {
    return new TestingError(
      'ERR_FAKE_MISUSE',
      `FakeRuntime: ${what} on container "${ref.name}" (id "${ref.id}") of pod "${ref.podName}", which this runtime never started; ${this.#known()}. Use the id returned by startContainer`,
    );
  }

  #known(): string {
    const ids = this.all().map((i) => `${i.ref.id} (${i.state})`);
    return ids.length === 0 ? 'no container has been started yet' : `started: ${ids.join(', ')}`;
  }
}

function parseTarget(target: string): { pod: string | undefined; name: string } {
  const slash = target.indexOf('/');
  return slash < 0 ? { pod: undefined, name: target } : { pod: target.slice(0, slash), name: target.slice(slash + 1) };
}

/** @internal The error of a call on a container whose main process has exited. */
export function notRunning(inst: Instance, what: string): TestingError {
  return new TestingError(
    'ERR_FAKE_CONTAINER_NOT_RUNNING',
    `${what} in container "${inst.ref.name}" (id "${inst.ref.id}") of pod "${inst.ref.podName}": the container is not running; it exited at ${inst.exitedAt} ms with code ${inst.exitCode}`,
  );
}

/** @internal A frozen view of an instance for tests. */
export function snapshot(inst: Instance): FakeContainerState {
  const { ref, state, startedAt, exitedAt, exitCode, signals } = inst;
  return {
    ref,
    state,
    startedAt,
    startedAtMs: startedAt,
    signals: [...signals],
    ...(exitedAt === undefined ? {} : { exitedAt, exitedAtMs: exitedAt }),
    ...(exitCode === undefined ? {} : { exitCode }),
  };
}

/** @internal What the main process's signal and exit handling needs of its runtime. */
export interface ProcessHost {
  readonly clock: Clock;
  /** The runtime's timeline (entries are stamped with `clock.now()` as they are pushed). */
  readonly timeline: RuntimeTimelineEntry[];
}

/** @internal A stop signal reaches the main process: it reacts as its {@link StopScript} says. */
export function deliverSignal(inst: Instance, signal: string, script: StopScript, host: ProcessHost): void {
  const { ref } = inst;
  const at = host.clock.now();
  host.timeline.push({
    at,
    atMs: at,
    kind: 'signal',
    podName: ref.podName,
    container: ref.name,
    containerId: ref.id,
    signal,
  });
  inst.signals.push(signal);
  if (inst.state === 'exited') return;
  if (signal === 'SIGKILL') {
    if (inst.state === 'running') inst.exitSignal = 'SIGKILL';
    exitMainProcess(inst, 137, 'signal', host);
    return;
  }
  if (script.exitsOn !== undefined && !script.exitsOn.includes(signal)) return;
  if (inst.pendingExit !== undefined) return;
  const exit = (): void => {
    // A scripted exit code is the process's own (it handled the signal); otherwise the signal killed it.
    if (inst.state === 'running' && script.exitCode === undefined) inst.exitSignal = signal;
    exitMainProcess(inst, script.exitCode ?? signalExitCode(signal), 'signal', host);
  };
  if (script.exitDelayMs !== undefined && script.exitDelayMs > 0)
    inst.pendingExit = host.clock.setTimeout(exit, script.exitDelayMs);
  else exit();
}

/**
 * @internal The main process exits (once): the execs in the container end with it (exit 137), and
 * the exit is reported (`exited` resolves: waitContainer, stopContainer) once they have settled.
 */
export function exitMainProcess(inst: Instance, exitCode: number, reason: 'crash' | 'signal', host: ProcessHost): void {
  if (inst.state === 'exited') return;
  if (inst.pendingExit !== undefined) host.clock.clearTimeout(inst.pendingExit);
  const exitedAt = host.clock.now();
  inst.state = 'exited';
  inst.exitCode = exitCode;
  inst.exitedAt = exitedAt;
  const { ref } = inst;
  const at = host.clock.now();
  host.timeline.push({
    at,
    atMs: at,
    kind: 'exit',
    podName: ref.podName,
    container: ref.name,
    containerId: ref.id,
    exitCode,
    reason,
  });
  if (inst.killExecs.size > 0) for (const kill of [...inst.killExecs]) kill();
  if (inst.execs.size === 0) inst.resolveExited();
  else void Promise.allSettled([...inst.execs]).then(inst.resolveExited);
}
