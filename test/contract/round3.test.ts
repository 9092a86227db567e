/**
 * Round 3 of the black-box contract suite: the behaviour changed recently (CHANGELOG [Unreleased]),
 * exercised only through the public barrels with hand-written adapters.
 *
 * 1. The AbortSignals the manager hands to Runtime / HttpClient calls (docs/semantics.md "The
 *    signals adapters get", "Hooks still running when the container exits", "Runtime request
 *    timeout").
 * 2. Deadline timers on VirtualClock (docs/testing.md "Virtual time by default").
 * 3. systemClock and stopWithEscalation (docs/semantics.md "Stop deadline in the escalation
 *    helper", docs/adapters.md, CHANGELOG).
 * 4. The validation cache (docs/semantics.md "Validation per pod object", docs/performance.md
 *    "The validation cache and its trade-off").
 * 5. The conformance suites' "removes its abort listeners once a call settles" case.
 * 6. Events: once()/on() of one listener, listener errors isolated (DESIGN §7).
 *
 * Everything runs in virtual time except the systemClock tests (real time, tens of ms).
 */
import { describe, expect, it } from 'vitest';
import {
  type Clock,
  type Container,
  type ContainerRef,
  type ExecResult,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  type KubeEvent,
  LifecycleManager,
  type LifecyclePolicy,
  LifecycleSpecError,
  type LifecycleStep,
  type Pod,
  type Runtime,
  sleepOn,
  stopWithEscalation,
  systemClock,
} from '../../src/index.js';
import {
  type ConformanceCase,
  HTTP_CONFORMANCE_ROUTES,
  type HttpConformanceHarness,
  httpClientConformanceCases,
  type RuntimeConformanceHarness,
  registerConformanceCases,
  runtimeConformanceCases,
  TestingError,
  VirtualClock,
} from '../../src/testing/index.js';

// ---------------------------------------------------------------------------------------------
// Test-side utilities (no clock involved: they only let promise chains settle)
// ---------------------------------------------------------------------------------------------

/** Drain every pending microtask (a few macrotask turns). Virtual time does not move. */
async function drain(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}

/** Resolve after `n` microtask turns (n = 0: the next turn). */
function afterTurns(n: number): Promise<void> {
  let p = Promise.resolve();
  for (let i = 0; i < n; i++) p = p.then(() => undefined);
  return p;
}

/** Observe how a promise stands without awaiting it. */
function watch<T>(promise: Promise<T>): {
  readonly settled: boolean;
  readonly value: T | undefined;
  readonly error: unknown;
} {
  const state = { settled: false, value: undefined as T | undefined, error: undefined as unknown };
  promise.then(
    (v) => {
      state.settled = true;
      state.value = v;
    },
    (e: unknown) => {
      state.settled = true;
      state.error = e;
    },
  );
  return state;
}

/** Fire virtual timers until `promise` settles; fails if it can never settle. */
async function run<T>(clock: VirtualClock, promise: Promise<T>, maxTimers = 10_000): Promise<T> {
  const state = watch(promise);
  await drain();
  for (let i = 0; i < maxTimers && !state.settled; i++) {
    if (clock.pendingTimers === 0) break;
    await clock.next();
    await drain();
  }
  if (!state.settled)
    throw new Error(
      `run: the promise did not settle (virtual time ${clock.now()}, ${clock.pendingTimers} timers pending)`,
    );
  return promise;
}

/** Count the 'abort' listeners added to a signal and not removed (or fired, for `once` ones). */
type Listener = Parameters<AbortSignal['addEventListener']>[1];
type AddOptions = Parameters<AbortSignal['addEventListener']>[2];
type RemoveOptions = Parameters<AbortSignal['removeEventListener']>[2];

function countAbortListeners(signal: AbortSignal): { left(): number } {
  const live = new Set<unknown>();
  const onceOnes = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  Object.defineProperty(signal, 'addEventListener', {
    configurable: true,
    value: (type: string, listener: Listener, options?: AddOptions) => {
      add(type, listener, options);
      if (type === 'abort' && listener !== null) {
        live.add(listener);
        if (typeof options === 'object' && options.once === true) onceOnes.add(listener);
      }
    },
  });
  Object.defineProperty(signal, 'removeEventListener', {
    configurable: true,
    value: (type: string, listener: Listener, options?: RemoveOptions) => {
      remove(type, listener, options);
      if (type === 'abort') live.delete(listener);
    },
  });
  return { left: () => [...live].filter((l) => !(signal.aborted && onceOnes.has(l))).length };
}

// ---------------------------------------------------------------------------------------------
// A hand-written Runtime (DESIGN §5) with scripted behaviour, recording every call and signal
// ---------------------------------------------------------------------------------------------

type StartPlan = { readonly kind: 'ok' } | { readonly kind: 'hang' };
type ExecPlan =
  | { readonly kind: 'result'; readonly afterMs: number; readonly result: ExecResult }
  /** never ends by itself, not even when the container exits; rejects when its signal aborts */
  | { readonly kind: 'hang' }
  /** runs until the container exits, then resolves `exitCode 137` `lagTurns` microtask turns later (as runc reports a killed exec) */
  | { readonly kind: 'diesWithContainer'; readonly lagTurns: number }
  /** pending until the test calls `runtime.endExec(result)`; rejects when its signal aborts */
  | { readonly kind: 'manual' };
type StopPlan =
  /** exits `exitAfterMs` after the stop signal (Infinity: ignores it, only SIGKILL ends it); the stop resolves `resolveLagTurns` turns after the exit */
  | { readonly kind: 'exit'; readonly exitAfterMs: number; readonly resolveLagTurns?: number }
  /** never settles by itself; rejects when its signal aborts */
  | { readonly kind: 'hang' };

interface RuntimeCall {
  readonly kind: 'start' | 'exec' | 'stop';
  readonly container: string;
  readonly id: string;
  readonly at: number;
  readonly signal: AbortSignal;
  readonly signalAbortedAtCall: boolean;
  readonly argv?: readonly string[];
  readonly timeoutSeconds?: number;
  settled?: 'resolved' | 'rejected';
  settledAt?: number;
}

interface Box {
  readonly id: string;
  readonly name: string;
  exited: boolean;
  exitedAt?: number;
  readonly onExit: Array<() => void>;
  timer?: unknown;
}

class ScriptedRuntime implements Runtime {
  readonly calls: RuntimeCall[] = [];
  readonly starts = new Map<string, StartPlan>();
  readonly execs = new Map<string, ExecPlan>();
  readonly stops = new Map<string, StopPlan>();
  readonly signalsSent: Array<{ id: string; signal: string; at: number }> = [];
  /** When each signal seen by the runtime aborted (virtual time). */
  readonly abortedAt = new Map<AbortSignal, number>();
  readonly #boxes = new Map<string, Box>();
  readonly #manual: Array<(result: ExecResult) => void> = [];
  #n = 0;
  constructor(readonly clock: Clock) {}

  #record(call: Omit<RuntimeCall, 'at' | 'signalAbortedAtCall'>): RuntimeCall {
    const rec: RuntimeCall = { ...call, at: this.clock.now(), signalAbortedAtCall: call.signal.aborted };
    this.calls.push(rec);
    if (!this.abortedAt.has(call.signal) && !call.signal.aborted) {
      this.abortedAt.set(call.signal, NaN);
      call.signal.addEventListener('abort', () => this.abortedAt.set(call.signal, this.clock.now()), { once: true });
    }
    return rec;
  }
  #settle<T>(rec: RuntimeCall, p: Promise<T>): Promise<T> {
    return p.then(
      (v) => {
        rec.settled = 'resolved';
        rec.settledAt = this.clock.now();
        return v;
      },
      (e: unknown) => {
        rec.settled = 'rejected';
        rec.settledAt = this.clock.now();
        throw e;
      },
    );
  }
  /** Time a signal aborted, or undefined when it has not. */
  abortTime(signal: AbortSignal | undefined): number | undefined {
    if (signal === undefined) return undefined;
    const t = this.abortedAt.get(signal);
    return t === undefined || Number.isNaN(t) ? undefined : t;
  }
  of(kind: RuntimeCall['kind'], container?: string): RuntimeCall[] {
    return this.calls.filter((c) => c.kind === kind && (container === undefined || c.container === container));
  }
  box(id: string): Box | undefined {
    return this.#boxes.get(id);
  }
  /** End every pending 'manual' exec with `result`. */
  endExec(result: ExecResult): void {
    for (const fn of this.#manual.splice(0)) fn(result);
  }
  /** The main process exits by itself (a crash). */
  exit(id: string): void {
    const box = this.#boxes.get(id);
    if (box === undefined || box.exited) return;
    box.exited = true;
    box.exitedAt = this.clock.now();
    if (box.timer !== undefined) this.clock.clearTimeout(box.timer);
    for (const fn of box.onExit.splice(0)) fn();
  }

  startContainer(pod: Pod, container: Container, options: { signal: AbortSignal }): Promise<{ id: string }> {
    const id = `cri-${container.name}-${++this.#n}`;
    const rec = this.#record({ kind: 'start', container: container.name, id, signal: options.signal });
    const plan = this.starts.get(container.name) ?? { kind: 'ok' };
    if (plan.kind === 'hang') {
      return this.#settle(
        rec,
        new Promise<{ id: string }>((_resolve, reject) => {
          options.signal.addEventListener('abort', () => reject(options.signal.reason), { once: true });
        }),
      );
    }
    this.#boxes.set(id, { id, name: container.name, exited: false, onExit: [] });
    void pod;
    return this.#settle(rec, Promise.resolve({ id }));
  }

  exec(ref: ContainerRef, command: readonly string[], options: { signal: AbortSignal }): Promise<ExecResult> {
    const { signal } = options;
    const rec = this.#record({ kind: 'exec', container: ref.name, id: ref.id, signal, argv: [...command] });
    if (signal.aborted) return this.#settle(rec, Promise.reject(signal.reason));
    const plan = this.execs.get(command[0] ?? '') ?? {
      kind: 'result',
      afterMs: 0,
      result: { exitCode: 0, stdout: '', stderr: '' },
    };
    const box = this.#boxes.get(ref.id);
    switch (plan.kind) {
      case 'result':
        return this.#settle(
          rec,
          sleepOn(this.clock, plan.afterMs, signal).then(() => plan.result),
        );
      case 'hang':
        return this.#settle(
          rec,
          new Promise<ExecResult>((_resolve, reject) => {
            signal.addEventListener('abort', () => reject(signal.reason), { once: true });
          }),
        );
      case 'diesWithContainer':
        return this.#settle(
          rec,
          new Promise<ExecResult>((resolve, reject) => {
            const onAbort = (): void => reject(signal.reason);
            signal.addEventListener('abort', onAbort, { once: true });
            const died = (): void => {
              void afterTurns(plan.lagTurns).then(() => {
                signal.removeEventListener('abort', onAbort);
                resolve({ exitCode: 137, stdout: '', stderr: '' });
              });
            };
            if (box === undefined || box.exited) died();
            else box.onExit.push(died);
          }),
        );
      case 'manual':
        return this.#settle(
          rec,
          new Promise<ExecResult>((resolve, reject) => {
            const onAbort = (): void => reject(signal.reason);
            signal.addEventListener('abort', onAbort, { once: true });
            this.#manual.push((result) => {
              signal.removeEventListener('abort', onAbort);
              resolve(result);
            });
          }),
        );
    }
  }

  stopContainer(
    ref: ContainerRef,
    options: { stopSignal?: string; timeoutSeconds: number; signal: AbortSignal },
  ): Promise<void> {
    const { signal, timeoutSeconds } = options;
    const rec = this.#record({ kind: 'stop', container: ref.name, id: ref.id, signal, timeoutSeconds });
    const plan = this.stops.get(ref.name) ?? { kind: 'exit', exitAfterMs: 0 };
    if (plan.kind === 'hang') {
      return this.#settle(
        rec,
        new Promise<void>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
      );
    }
    const box = this.#boxes.get(ref.id);
    if (box === undefined || box.exited) return this.#settle(rec, Promise.resolve());
    const exited = new Promise<void>((r) => box.onExit.push(r));
    const escalation = stopWithEscalation({
      clock: this.clock,
      stopSignal: options.stopSignal,
      timeoutSeconds,
      signal,
      exited,
      sendSignal: (s) => {
        this.signalsSent.push({ id: ref.id, signal: s, at: this.clock.now() });
        if (s === 'SIGKILL') this.exit(ref.id);
        else if (Number.isFinite(plan.exitAfterMs))
          box.timer = this.clock.setTimeout(() => this.exit(ref.id), plan.exitAfterMs);
      },
    });
    return this.#settle(
      rec,
      escalation.then(() => afterTurns(plan.resolveLagTurns ?? 0)),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// A hand-written HttpClient (DESIGN §5)
// ---------------------------------------------------------------------------------------------

type HttpPlan =
  | { readonly kind: 'status'; readonly status: number; readonly afterMs: number }
  | { readonly kind: 'hang' };

class ScriptedHttp implements HttpClient {
  readonly requests: Array<{ url: string; at: number; signal: AbortSignal; settled?: 'resolved' | 'rejected' }> = [];
  readonly routes = new Map<string, HttpPlan>();
  constructor(readonly clock: Clock) {}
  request(request: HttpRequest, options: { signal: AbortSignal }): Promise<HttpResponse> {
    const { signal } = options;
    const rec: { url: string; at: number; signal: AbortSignal; settled?: 'resolved' | 'rejected' } = {
      url: request.url,
      at: this.clock.now(),
      signal,
    };
    this.requests.push(rec);
    const path = new URL(request.url).pathname;
    const plan = this.routes.get(path) ?? { kind: 'status', status: 200, afterMs: 0 };
    const p =
      plan.kind === 'hang'
        ? new Promise<HttpResponse>((_resolve, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
          )
        : sleepOn(this.clock, plan.afterMs, signal).then(() => ({ status: plan.status, headers: {} }));
    return p.then(
      (v) => {
        rec.settled = 'resolved';
        return v;
      },
      (e: unknown) => {
        rec.settled = 'rejected';
        throw e;
      },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Pods and the manager
// ---------------------------------------------------------------------------------------------

const execHook = (cmd: string) => ({ exec: { command: [cmd] } });

function makePod(
  containers: Container[],
  opts: { tgps?: number; uid?: string; name?: string; podIP?: string } = {},
): Pod {
  const pod: Pod = {
    metadata: { name: opts.name ?? 'shop', namespace: 'ns', uid: opts.uid ?? 'uid-r3' },
    spec: { terminationGracePeriodSeconds: opts.tgps ?? 30, containers },
  };
  if (opts.podIP !== undefined) pod.status = { podIP: opts.podIP };
  return pod;
}

function setup(
  opts: { runtimeRequestTimeoutSeconds?: number; microtaskTurns?: number; policy?: LifecyclePolicy } = {},
) {
  const clock = new VirtualClock(opts.microtaskTurns === undefined ? {} : { microtaskTurns: opts.microtaskTurns });
  const runtime = new ScriptedRuntime(clock);
  const http = new ScriptedHttp(clock);
  const manager = new LifecycleManager({
    runtime,
    httpClient: http,
    clock,
    ...(opts.runtimeRequestTimeoutSeconds === undefined
      ? {}
      : { runtimeRequestTimeoutSeconds: opts.runtimeRequestTimeoutSeconds }),
    ...(opts.policy === undefined ? {} : { policy: opts.policy }),
  });
  const events: KubeEvent[] = [];
  const steps: LifecycleStep[] = [];
  manager.on('event', (e) => events.push(e));
  manager.on('step', (s) => steps.push(s));
  const reasons = (): string[] => events.map((e) => e.reason);
  return { clock, runtime, http, manager, events, steps, reasons };
}

// =============================================================================================
// 1. The signals adapters get
// =============================================================================================

describe('1. the AbortSignals handed to the runtime (semantics.md "The signals adapters get")', () => {
  it('a clean cycle: start, postStart, preStop and stop of one instance carry one signal, never aborted', async () => {
    const { clock, runtime, manager } = setup();
    runtime.execs.set('/bin/pre', { kind: 'result', afterMs: 1_000, result: { exitCode: 0 } });
    const pod = makePod([
      { name: 'web', lifecycle: { postStart: execHook('/bin/post'), preStop: execHook('/bin/pre') } },
    ]);
    expect(await run(clock, manager.startContainer(pod, 'web'))).toMatchObject({ outcome: 'running' });
    expect(await run(clock, manager.stopContainer(pod, 'web'))).toMatchObject({
      outcome: 'stopped',
      preStop: { outcome: 'succeeded' },
    });
    await clock.runAll();
    await drain();
    expect(runtime.calls.map((c) => c.kind)).toEqual(['start', 'exec', 'exec', 'stop']);
    const signals = new Set(runtime.calls.map((c) => c.signal));
    expect(signals.size).toBe(1);
    expect([...signals][0]!.aborted).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a restart reuses the never-aborted signal of the previous instance, and postStart runs again (spec §3.6)', async () => {
    const { clock, runtime, manager } = setup();
    const pod = makePod([
      { name: 'web', lifecycle: { postStart: execHook('/bin/post'), preStop: execHook('/bin/pre') } },
    ]);
    for (let i = 0; i < 3; i++) {
      expect(await run(clock, manager.startContainer(pod, 'web'))).toMatchObject({ outcome: 'running' });
      expect(await run(clock, manager.stopContainer(pod, 'web'))).toMatchObject({ outcome: 'stopped' });
    }
    expect(runtime.of('exec').filter((c) => c.argv?.[0] === '/bin/post')).toHaveLength(3);
    expect(new Set(runtime.calls.map((c) => c.signal)).size).toBe(1);
    expect(runtime.calls.every((c) => !c.signal.aborted)).toBe(true);
    expect(manager.status(pod, 'web').restartCount).toBe(2);
  });

  it('a preStop exec still running when its container exits is abandoned: signal aborted at the exit, no report, no timer; the next instance gets a fresh signal (spec §4.2-C.5, semantics.md "Hooks still running when the container exits")', async () => {
    const { clock, runtime, manager, reasons } = setup();
    runtime.execs.set('/bin/pre', { kind: 'hang' });
    runtime.stops.set('web', { kind: 'exit', exitAfterMs: 500 });
    const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }]);
    await run(clock, manager.startContainer(pod, 'web'));
    const result = await run(clock, manager.stopContainer(pod, 'web', { gracePeriodOverride: 4 }));
    expect(result).toMatchObject({
      outcome: 'stopped',
      gracePeriodSeconds: 4,
      stopTimeoutSeconds: 2,
      exitedAt: 4_500,
      preStop: { outcome: 'timedOut', elapsedMs: 4_000 },
    });
    await drain();
    const [exec] = runtime.of('exec');
    expect(exec?.settled).toBe('rejected');
    expect(exec!.signal.aborted).toBe(true);
    expect(runtime.abortTime(exec!.signal)).toBe(4_500);
    expect(reasons()).toEqual(['Started', 'Killing']);
    expect(clock.pendingTimers).toBe(0);

    runtime.execs.delete('/bin/pre');
    expect(await run(clock, manager.startContainer(pod, 'web'))).toMatchObject({ outcome: 'running' });
    const restart = runtime.of('start').at(-1)!;
    expect(restart.signal).not.toBe(exec!.signal);
    expect(restart.signalAbortedAtCall).toBe(false);
    expect(restart.signal.aborted).toBe(false);
  });

  it('a start past runtimeRequestTimeoutSeconds fails at exactly that time and aborts its signal; the next start gets a fresh one (semantics.md "Runtime request timeout")', async () => {
    const { clock, runtime, manager, events } = setup({ runtimeRequestTimeoutSeconds: 5 });
    runtime.starts.set('web', { kind: 'hang' });
    const pod = makePod([{ name: 'web' }]);
    const starting = manager.startContainer(pod, 'web');
    const state = watch(starting);
    await clock.advanceTo(4_999);
    await drain();
    const [start] = runtime.of('start');
    expect(state.settled).toBe(false);
    expect(start!.signal.aborted).toBe(false);
    await clock.advance(1);
    await drain();
    expect(state.settled).toBe(true);
    expect(await starting).toMatchObject({ outcome: 'startFailed' });
    expect(runtime.abortTime(start!.signal)).toBe(5_000);
    expect(start!.settled).toBe('rejected');
    expect(manager.status(pod, 'web')).toMatchObject({ state: 'Waiting', reason: 'RunContainerError' });
    expect(events.filter((e) => e.reason === 'Failed')).toEqual([
      expect.objectContaining({
        type: 'Warning',
        timestamp: 5_000,
        message: expect.stringMatching(/^Error: /) as unknown,
      }),
    ]);
    expect(clock.pendingTimers).toBe(0);

    runtime.starts.delete('web');
    expect(await run(clock, manager.startContainer(pod, 'web'))).toMatchObject({ outcome: 'running' });
    const second = runtime.of('start')[1]!;
    expect(second.signal).not.toBe(start!.signal);
    expect(second.signalAbortedAtCall).toBe(false);
  });

  it('a stop the runtime never finishes is given up at exactly stop timeout + runtimeRequestTimeoutSeconds: stopTimedOut, Warning ExceededGracePeriod on the pod, its signal aborted, the container still Running (semantics.md "Runtime request timeout", spec §7)', async () => {
    const { clock, runtime, manager, events } = setup({ runtimeRequestTimeoutSeconds: 5 });
    runtime.execs.set('/bin/pre', { kind: 'result', afterMs: 1_000, result: { exitCode: 0 } });
    runtime.stops.set('web', { kind: 'hang' });
    const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }]);
    await run(clock, manager.startContainer(pod, 'web'));
    const stopping = manager.stopContainer(pod, 'web');
    const state = watch(stopping);
    await clock.advanceTo(34_999);
    await drain();
    const [stop] = runtime.of('stop');
    expect(stop).toMatchObject({ at: 1_000, timeoutSeconds: 29 });
    expect(state.settled).toBe(false);
    expect(stop!.signal.aborted).toBe(false);
    await clock.advance(1);
    await drain();
    expect(state.settled).toBe(true);
    expect(await stopping).toMatchObject({
      outcome: 'stopTimedOut',
      stopTimeoutSeconds: 29,
      preStop: { outcome: 'succeeded' },
    });
    expect(runtime.abortTime(stop!.signal)).toBe(35_000);
    expect(events.filter((e) => e.reason === 'ExceededGracePeriod')).toEqual([
      expect.objectContaining({
        type: 'Warning',
        message: 'Container runtime did not kill the pod within specified grace period.',
        object: expect.objectContaining({ kind: 'Pod', name: 'shop', namespace: 'ns' }) as unknown,
        timestamp: 35_000,
      }),
    ]);
    expect(manager.status(pod, 'web').state).toBe('Running');
    expect(clock.pendingTimers).toBe(0);
  });

  it('the retry after a stop given up on runs preStop again, on a fresh live signal, and stops the container (spec §4.2-F.3, §6)', async () => {
    const { clock, runtime, manager } = setup({ runtimeRequestTimeoutSeconds: 5 });
    runtime.stops.set('web', { kind: 'hang' });
    const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }], { tgps: 3 });
    await run(clock, manager.startContainer(pod, 'web'));
    expect(await run(clock, manager.stopContainer(pod, 'web'))).toMatchObject({ outcome: 'stopTimedOut' });
    const abandoned = runtime.of('stop')[0]!.signal;
    expect(abandoned.aborted).toBe(true);

    runtime.stops.set('web', { kind: 'exit', exitAfterMs: 100 });
    const retried = await run(clock, manager.stopContainer(pod, 'web'));
    expect(retried).toMatchObject({ outcome: 'stopped', preStop: { outcome: 'succeeded' }, stopTimeoutSeconds: 3 });
    expect(runtime.of('exec', 'web')).toHaveLength(2);
    const retry = runtime.calls.slice(-2);
    expect(retry.map((c) => c.kind)).toEqual(['exec', 'stop']);
    for (const call of retry) {
      expect(call.signal).not.toBe(abandoned);
      expect(call.signalAbortedAtCall).toBe(false);
      expect(call.signal.aborted).toBe(false);
    }
    expect(manager.status(pod, 'web').state).toBe('Terminated');
    expect(clock.pendingTimers).toBe(0);
  });

  it('containers of one pod have their own signals: an abandoned hook of one aborts nothing of a neighbour whose preStop still runs (spec §4.2-B)', async () => {
    const { clock, runtime, manager, reasons } = setup();
    runtime.execs.set('/bin/hang', { kind: 'hang' });
    runtime.execs.set('/bin/slow', { kind: 'result', afterMs: 6_000, result: { exitCode: 0 } });
    runtime.stops.set('a', { kind: 'exit', exitAfterMs: 100 });
    const pod = makePod([
      { name: 'a', lifecycle: { preStop: execHook('/bin/hang') } },
      { name: 'b', lifecycle: { preStop: execHook('/bin/slow') } },
    ]);
    await run(clock, manager.startContainer(pod, 'a'));
    await run(clock, manager.startContainer(pod, 'b'));
    const stopA = manager.stopContainer(pod, 'a', { gracePeriodOverride: 2 });
    const stopB = manager.stopContainer(pod, 'b');
    await clock.advanceTo(2_100);
    await drain();
    expect(await stopA).toMatchObject({ outcome: 'stopped', exitedAt: 2_100, preStop: { outcome: 'timedOut' } });
    const signalA = runtime.of('exec', 'a')[0]!.signal;
    const signalB = runtime.of('exec', 'b')[0]!.signal;
    expect(signalA).not.toBe(signalB);
    expect(signalA.aborted).toBe(true);
    expect(signalB.aborted).toBe(false);
    expect(runtime.of('exec', 'b')[0]!.settled).toBeUndefined(); // still running
    const resultB = await run(clock, stopB);
    expect(resultB).toMatchObject({
      outcome: 'stopped',
      preStop: { outcome: 'succeeded', elapsedMs: 6_000 },
      stopTimeoutSeconds: 24,
    });
    expect(signalB.aborted).toBe(false);
    expect(reasons()).not.toContain('FailedPreStopHook');
  });

  const orders = [
    { label: 'the exec settles 5 turns before the stop', execLag: 0, stopLag: 5 },
    { label: 'the exec settles 40 turns before the stop', execLag: 0, stopLag: 40 },
    { label: 'both settle on the same turn', execLag: 0, stopLag: 0 },
    { label: 'the stop settles first, the exec 3 turns later', execLag: 3, stopLag: 0 },
    { label: 'the stop settles first, the exec 10 turns later', execLag: 10, stopLag: 0 },
  ];
  for (const { label, execLag, stopLag } of orders) {
    it(`a hung exec preStop the runtime ends with its container (exit 137) is reported as FailedPreStopHook: ${label} (spec §4.2-C.5.6)`, async () => {
      const { clock, runtime, manager, events } = setup();
      runtime.execs.set('/bin/pre', { kind: 'diesWithContainer', lagTurns: execLag });
      runtime.stops.set('web', { kind: 'exit', exitAfterMs: 500, resolveLagTurns: stopLag });
      const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }]);
      await run(clock, manager.startContainer(pod, 'web'));
      const result = await run(clock, manager.stopContainer(pod, 'web', { gracePeriodOverride: 4 }));
      await clock.runAll();
      await drain();
      expect(result).toMatchObject({
        outcome: 'stopped',
        exitedAt: 4_500,
        preStop: { outcome: 'timedOut', elapsedMs: 4_000 },
      });
      expect(runtime.of('exec')[0]?.settled).toBe('resolved');
      const failed = events.filter((e) => e.reason === 'FailedPreStopHook');
      expect(failed).toEqual([
        expect.objectContaining({
          type: 'Warning',
          message: 'PreStopHook failed',
          timestamp: 4_500,
          detail:
            'Exec lifecycle hook ([/bin/pre]) for Container "web" in Pod "shop_ns(uid-r3)" failed - error: command \'/bin/pre\' exited with 137: , message: ""',
          object: expect.objectContaining({
            kind: 'Container',
            name: 'web',
            fieldPath: 'spec.containers{web}',
          }) as unknown,
        }),
      ]);
      expect(clock.pendingTimers).toBe(0);
    });
  }

  it('a container that crashes during a preStop exec the runtime ends with it (137): FailedPreStopHook, nothing left pending (spec §4.2-C.5.6)', async () => {
    const { clock, runtime, manager, events } = setup();
    runtime.execs.set('/bin/pre', { kind: 'diesWithContainer', lagTurns: 0 });
    const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }]);
    const { containerID } = await run(clock, manager.startContainer(pod, 'web'));
    const stopping = manager.stopContainer(pod, 'web');
    await clock.advanceTo(2_000);
    runtime.exit(containerID!);
    manager.notifyExited(pod, 'web', { exitCode: 1 });
    await run(clock, stopping);
    await drain();
    expect(events.filter((e) => e.reason === 'FailedPreStopHook')).toEqual([
      expect.objectContaining({
        timestamp: 2_000,
        detail: expect.stringContaining("command '/bin/pre' exited with 137") as unknown,
      }),
    ]);
    expect(manager.status(pod, 'web').state).toBe('Terminated');
    expect(clock.pendingTimers).toBe(0);
  });

  it('a postStart still running when its container exits is not cut: the start waits for it (spec §3.3, §3.7); once the runtime ends it (137): FailedPostStartHook, Waiting/PostStartHookError (spec §3.5)', async () => {
    const { clock, runtime, manager, events } = setup();
    runtime.execs.set('/bin/post', { kind: 'manual' });
    const pod = makePod([{ name: 'web', lifecycle: { postStart: execHook('/bin/post') } }]);
    const starting = manager.startContainer(pod, 'web');
    const state = watch(starting);
    await drain();
    const [start] = runtime.of('start');
    await clock.advanceTo(1_000);
    runtime.exit(start!.id);
    manager.notifyExited(pod, 'web', { exitCode: 2 });
    await clock.advanceTo(600_000);
    await drain();
    const post = runtime.of('exec')[0]!;
    expect(state.settled).toBe(false);
    expect(post.signal.aborted).toBe(false);
    runtime.endExec({ exitCode: 137, stdout: '', stderr: '' });
    expect(await run(clock, starting)).toMatchObject({
      outcome: 'postStartFailed',
      postStart: { outcome: 'failed', elapsedMs: 600_000 },
    });
    await drain();
    const detail =
      'Exec lifecycle hook ([/bin/post]) for Container "web" in Pod "shop_ns(uid-r3)" failed - error: command \'/bin/post\' exited with 137: , message: ""';
    expect(events.filter((e) => e.reason === 'FailedPostStartHook')).toEqual([
      expect.objectContaining({ type: 'Warning', message: 'PostStartHook failed', timestamp: 600_000, detail }),
    ]);
    expect(manager.status(pod, 'web')).toMatchObject({
      state: 'Waiting',
      reason: 'PostStartHookError',
      message: detail,
    });
    expect(clock.pendingTimers).toBe(0);
  });

  it('deletePod: a hook abandoned in one container and an exec killed with another (137) — only the latter is reported, each on its own signal, no timer left (spec §4.2-B, §4.2-C.5.6)', async () => {
    const { clock, runtime, manager, events } = setup();
    runtime.execs.set('/bin/hang', { kind: 'hang' });
    runtime.execs.set('/bin/dies', { kind: 'diesWithContainer', lagTurns: 2 });
    runtime.stops.set('a', { kind: 'exit', exitAfterMs: 300 });
    runtime.stops.set('b', { kind: 'exit', exitAfterMs: 700 });
    const pod = makePod([
      { name: 'a', lifecycle: { preStop: execHook('/bin/hang') } },
      { name: 'b', lifecycle: { preStop: execHook('/bin/dies') } },
    ]);
    await run(clock, manager.startContainer(pod, 'a'));
    await run(clock, manager.startContainer(pod, 'b'));
    const result = await run(clock, manager.deletePod(pod, { gracePeriodSeconds: 5 }));
    await clock.runAll();
    await drain();
    expect(result.containers).toMatchObject([
      { container: 'a', outcome: 'stopped', exitedAt: 5_300, preStop: { outcome: 'timedOut' } },
      { container: 'b', outcome: 'stopped', exitedAt: 5_700, preStop: { outcome: 'timedOut' } },
    ]);
    expect(events.filter((e) => e.reason === 'FailedPreStopHook').map((e) => [e.object.name, e.timestamp])).toEqual([
      ['b', 5_700],
    ]);
    const [execA, execB] = [runtime.of('exec', 'a')[0]!, runtime.of('exec', 'b')[0]!];
    expect(execA.signal).not.toBe(execB.signal);
    expect(runtime.abortTime(execA.signal)).toBe(5_300);
    expect(execB.settled).toBe('resolved');
    expect(clock.pendingTimers).toBe(0);
  });

  it('a sleep preStop cut by the grace is abandoned silently once the container exited and leaves no timer (spec §5.3, §4.2-C.5)', async () => {
    const { clock, runtime, manager, reasons } = setup();
    runtime.stops.set('web', { kind: 'exit', exitAfterMs: 500 });
    const pod = makePod([{ name: 'web', lifecycle: { preStop: { sleep: { seconds: 30 } } } }]);
    await run(clock, manager.startContainer(pod, 'web'));
    const stopping = manager.stopContainer(pod, 'web', { gracePeriodOverride: 5 });
    await clock.advanceTo(5_500);
    await drain();
    expect(await stopping).toMatchObject({
      outcome: 'stopped',
      exitedAt: 5_500,
      stopTimeoutSeconds: 2,
      preStop: { outcome: 'timedOut', elapsedMs: 5_000 },
    });
    // the 30 s sleep (due at 30 000) must be gone with the container
    expect(clock.pendingTimerList()).toEqual([]);
    await clock.advanceTo(60_000);
    await drain();
    expect(reasons()).toEqual(['Started', 'Killing']);
  });

  it('an httpGet preStop cut by the grace is abandoned silently once the container exited: its request aborted, no FailedPreStopHook, no timer (spec §5.2, §4.2-C.5)', async () => {
    const { clock, runtime, http, manager, reasons } = setup();
    http.routes.set('/drain', { kind: 'hang' });
    runtime.stops.set('web', { kind: 'exit', exitAfterMs: 500 });
    const pod = makePod([{ name: 'web', lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080 } } } }], {
      podIP: '10.0.0.9',
    });
    await run(clock, manager.startContainer(pod, 'web'));
    const result = await run(clock, manager.stopContainer(pod, 'web', { gracePeriodOverride: 3 }));
    await drain();
    expect(result).toMatchObject({
      outcome: 'stopped',
      exitedAt: 3_500,
      preStop: { outcome: 'timedOut', elapsedMs: 3_000 },
    });
    expect(http.requests).toHaveLength(1);
    const [request] = http.requests;
    expect(request!.url).toBe('http://10.0.0.9:8080/drain');
    expect(request!.signal.aborted).toBe(true);
    expect(request!.settled).toBe('rejected');
    // one signal serves the start, the hooks' requests and the stop of the instance
    expect(request!.signal).toBe(runtime.of('start')[0]!.signal);
    expect(reasons()).toEqual(['Started', 'Killing']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('policy postStartTimeoutSeconds: the kill that follows a timed-out postStart hands live signals to preStop and stop (semantics.md "Policies", spec §3.5)', async () => {
    const { clock, runtime, manager, reasons } = setup({ policy: { postStartTimeoutSeconds: 3 } });
    runtime.execs.set('/bin/post', { kind: 'hang' });
    runtime.stops.set('web', { kind: 'exit', exitAfterMs: 100 });
    const pod = makePod([
      { name: 'web', lifecycle: { postStart: execHook('/bin/post'), preStop: execHook('/bin/pre') } },
    ]);
    const result = await run(clock, manager.startContainer(pod, 'web'));
    expect(result).toMatchObject({
      outcome: 'postStartFailed',
      kill: { outcome: 'stopped', preStop: { outcome: 'succeeded' } },
    });
    const post = runtime.of('exec').find((c) => c.argv?.[0] === '/bin/post');
    expect(post?.settled).toBe('rejected'); // the hook's abort signal fired
    const pre = runtime.of('exec').find((c) => c.argv?.[0] === '/bin/pre');
    expect(pre?.signalAbortedAtCall).toBe(false);
    expect(runtime.of('stop')[0]?.signalAbortedAtCall).toBe(false);
    expect(reasons()).toEqual(['Started', 'FailedPostStartHook', 'Killing']);
  });
});

// =============================================================================================
// 2. Deadline timers on VirtualClock
// =============================================================================================

describe('2. deadline timers on VirtualClock (docs/testing.md "Virtual time by default")', () => {
  for (const microtaskTurns of [2, 200]) {
    it(`the preStop grace race has a timer pending right after the call and fires at exactly the grace, not 1 ms early or late (microtaskTurns ${microtaskTurns}, spec §4.2-C.5)`, async () => {
      const { clock, runtime, manager } = setup({ microtaskTurns });
      runtime.execs.set('/bin/pre', { kind: 'hang' });
      runtime.stops.set('web', { kind: 'exit', exitAfterMs: 0 });
      const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }]);
      await run(clock, manager.startContainer(pod, 'web'));
      expect(clock.pendingTimers).toBe(0);
      await clock.advanceTo(1_000);
      const stopping = manager.stopContainer(pod, 'web', { gracePeriodOverride: 7 });
      expect(clock.pendingTimerList().map((t) => t.deadlineMs)).toContain(8_000);
      await clock.advanceTo(7_999);
      await drain();
      expect(runtime.of('stop')).toHaveLength(0);
      await clock.advance(1);
      await drain();
      expect(runtime.of('stop')).toMatchObject([{ at: 8_000, timeoutSeconds: 2 }]);
      expect(await run(clock, stopping)).toMatchObject({
        preStop: { outcome: 'timedOut', elapsedMs: 7_000 },
        exitedAt: 8_000,
      });
      await drain();
      expect(clock.pendingTimers).toBe(0);
    });

    it(`the runtime-start race has a timer pending right after the call and fires at exactly runtimeRequestTimeoutSeconds (microtaskTurns ${microtaskTurns})`, async () => {
      const { clock, runtime, manager } = setup({ microtaskTurns, runtimeRequestTimeoutSeconds: 3 });
      runtime.starts.set('web', { kind: 'hang' });
      const pod = makePod([{ name: 'web' }]);
      await clock.advanceTo(500);
      const starting = manager.startContainer(pod, 'web');
      const state = watch(starting);
      expect(clock.pendingTimerList().map((t) => t.deadlineMs)).toContain(3_500);
      await clock.advanceTo(3_499);
      await drain();
      expect(state.settled).toBe(false);
      await clock.advance(1);
      await drain();
      expect(state.settled).toBe(true);
      expect(await starting).toMatchObject({ outcome: 'startFailed', startedAt: 500 });
      expect(runtime.abortTime(runtime.of('start')[0]!.signal)).toBe(3_500);
      expect(clock.pendingTimers).toBe(0);
    });

    it(`the stop give-up race fires at exactly stop timeout + runtimeRequestTimeoutSeconds (microtaskTurns ${microtaskTurns})`, async () => {
      const { clock, runtime, manager } = setup({ microtaskTurns, runtimeRequestTimeoutSeconds: 2 });
      runtime.stops.set('web', { kind: 'hang' });
      const pod = makePod([{ name: 'web' }], { tgps: 4 });
      await run(clock, manager.startContainer(pod, 'web'));
      const stopping = manager.stopContainer(pod, 'web');
      const state = watch(stopping);
      await drain();
      expect(runtime.of('stop')).toMatchObject([{ at: 0, timeoutSeconds: 4 }]);
      expect(clock.pendingTimerList().map((t) => t.deadlineMs)).toContain(6_000);
      await clock.advanceTo(5_999);
      await drain();
      expect(state.settled).toBe(false);
      await clock.advance(1);
      await drain();
      expect(state.settled).toBe(true);
      expect(await stopping).toMatchObject({ outcome: 'stopTimedOut' });
      expect(clock.pendingTimers).toBe(0);
    });
  }

  it('a preStop that finishes before the grace leaves no grace timer behind (spec §4.2-C.5)', async () => {
    const { clock, runtime, manager } = setup({ microtaskTurns: 2 });
    runtime.execs.set('/bin/pre', { kind: 'result', afterMs: 1_500, result: { exitCode: 0 } });
    runtime.stops.set('web', { kind: 'exit', exitAfterMs: 250 });
    const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }]);
    await run(clock, manager.startContainer(pod, 'web'));
    const stopping = manager.stopContainer(pod, 'web');
    await drain();
    expect(clock.pendingTimerList().map((t) => t.deadlineMs)).toEqual(expect.arrayContaining([1_500, 30_000]));
    await clock.advanceTo(1_500);
    await drain();
    // the preStop won: its grace timer (30 000) is gone while the stop is still pending
    // (what is left: the exit at 1 750, SIGKILL at 1 500 + 29 s, the give-up at 1 500 + 29 s + 120 s)
    expect(runtime.of('stop')).toMatchObject([{ at: 1_500, timeoutSeconds: 29 }]);
    expect(clock.pendingTimerList().map((t) => t.deadlineMs)).toEqual([1_750, 30_500, 150_500]);
    expect(await run(clock, stopping)).toMatchObject({
      preStop: { outcome: 'succeeded', elapsedMs: 1_500 },
      stopTimeoutSeconds: 29,
      exitedAt: 1_750,
    });
    await drain();
    expect(clock.pendingTimerList()).toEqual([]);
  });

  it('postStartTimeoutSeconds fires at exactly N s after the hook began (microtaskTurns 2, k/k#116032)', async () => {
    const { clock, runtime, manager, events } = setup({ microtaskTurns: 2, policy: { postStartTimeoutSeconds: 3 } });
    runtime.execs.set('/bin/post', { kind: 'hang' });
    const pod = makePod([{ name: 'web', lifecycle: { postStart: execHook('/bin/post') } }]);
    const starting = manager.startContainer(pod, 'web');
    const state = watch(starting);
    await drain();
    expect(clock.pendingTimerList().map((t) => t.deadlineMs)).toContain(3_000);
    await clock.advanceTo(2_999);
    await drain();
    expect(events.map((e) => e.reason)).toEqual(['Started']);
    await clock.advance(1);
    await drain();
    expect(events.find((e) => e.reason === 'FailedPostStartHook')?.timestamp).toBe(3_000);
    await run(clock, starting);
    expect(state.settled).toBe(true);
    await drain();
    expect(clock.pendingTimers).toBe(0);
  });
});

// =============================================================================================
// 3. systemClock (real time) and stopWithEscalation
// =============================================================================================

/** Wait in real time, for the systemClock tests only. */
const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('3a. systemClock in real time (CHANGELOG "systemClock keeps its timers in one queue")', () => {
  it('fires several timers in deadline order whatever the arming order', async () => {
    const order: string[] = [];
    const done = new Promise<void>((resolve) => {
      for (const [label, ms] of [
        ['40', 40],
        ['10', 10],
        ['30', 30],
        ['20', 20],
        ['25a', 25],
        ['25b', 25],
      ] as const) {
        systemClock.setTimeout(() => {
          order.push(label);
          if (order.length === 6) resolve();
        }, ms);
      }
    });
    await done;
    expect(order).toEqual(['10', '20', '25a', '25b', '30', '40']);
  });

  it('clearTimeout: a cleared timer never fires, clearing the earliest keeps the later ones on time, foreign and fired handles are ignored', async () => {
    const fired: string[] = [];
    const t0 = systemClock.now();
    let lateAt = 0;
    const early = systemClock.setTimeout(() => fired.push('early'), 5);
    const cleared = systemClock.setTimeout(() => fired.push('cleared'), 15);
    systemClock.setTimeout(() => {
      fired.push('late');
      lateAt = systemClock.now();
    }, 25);
    systemClock.clearTimeout(early);
    systemClock.clearTimeout(cleared);
    systemClock.clearTimeout(cleared); // twice
    systemClock.clearTimeout(undefined);
    systemClock.clearTimeout({ not: 'a handle' });
    systemClock.clearTimeout(setTimeout(() => undefined, 0)); // a Node handle
    await realSleep(60);
    expect(fired).toEqual(['late']);
    expect(lateAt - t0).toBeGreaterThanOrEqual(24);
    const after = systemClock.setTimeout(() => fired.push('again'), 1);
    await realSleep(20);
    systemClock.clearTimeout(after); // already fired
    expect(fired).toEqual(['late', 'again']);
  });

  it('a timer armed from a callback runs on a later turn, never inside the callback, and not before its own delay minus 1 ms', async () => {
    const log: string[] = [];
    let inCallback = false;
    let armedAt = 0;
    let firedAt = 0;
    await new Promise<void>((resolve) => {
      systemClock.setTimeout(() => {
        inCallback = true;
        log.push('A');
        systemClock.setTimeout(() => log.push(`B:${inCallback ? 'inside' : 'later'}`), 0);
        armedAt = systemClock.now();
        systemClock.setTimeout(() => {
          firedAt = systemClock.now();
          log.push('C');
          resolve();
        }, 15);
        inCallback = false;
      }, 5);
    });
    expect(log).toEqual(['A', 'B:later', 'C']);
    expect(firedAt - armedAt).toBeGreaterThanOrEqual(14);
  });

  it('never fires a timer before its delay minus 1 ms, including timers due together in one batch', async () => {
    const lateness: number[] = [];
    const delays = [1, 2, 3, 5, 8, 10, 10, 10, 11, 12, 15, 15.5, 16, 20, 21, 25, 30, 30, 31, 40];
    await Promise.all(
      delays.map(
        (d) =>
          new Promise<void>((resolve) => {
            const armed = systemClock.now();
            systemClock.setTimeout(() => {
              lateness.push(systemClock.now() - (armed + d));
              resolve();
            }, d);
          }),
      ),
    );
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(-1);
  });

  it('a delay of Infinity never fires; negative and NaN delays count as 0', async () => {
    const fired: string[] = [];
    systemClock.setTimeout(() => fired.push('inf'), Infinity);
    systemClock.setTimeout(() => fired.push('neg'), -50);
    systemClock.setTimeout(() => fired.push('nan'), NaN);
    await realSleep(30);
    expect(fired.sort()).toEqual(['nan', 'neg']);
  });
});

interface FakeProcess {
  readonly sent: Array<{ signal: string; at: number }>;
  readonly exited: Promise<void>;
  exit(): void;
  isExited(): boolean;
}

/** A main process for stopWithEscalation: `exit()` settles `exited`. */
function fakeProcess(): FakeProcess {
  let exit!: () => void;
  let done = false;
  const exited = new Promise<void>((r) => {
    exit = () => {
      done = true;
      r();
    };
  });
  return { sent: [], exited, exit: () => exit(), isExited: () => done };
}

describe('3b. stopWithEscalation (semantics.md "Stop deadline in the escalation helper", DESIGN §5, spec §4.2-C.8)', () => {
  it('systemClock: a process that ignores SIGTERM gets SIGKILL at request + timeout, not before', async () => {
    const p = fakeProcess();
    const requestedAt = systemClock.now();
    const result = await stopWithEscalation({
      clock: systemClock,
      timeoutSeconds: 0.03,
      exited: p.exited,
      sendSignal: (s) => {
        p.sent.push({ signal: s, at: systemClock.now() });
        if (s === 'SIGKILL') p.exit();
      },
    });
    expect(p.sent.map((s) => s.signal)).toEqual(['SIGTERM', 'SIGKILL']);
    expect(result).toEqual({ signalsSent: ['SIGTERM', 'SIGKILL'], killed: true });
    expect(p.sent[0]!.at - requestedAt).toBeLessThan(10);
    expect(p.sent[1]!.at - requestedAt).toBeGreaterThanOrEqual(29);
    expect(p.sent[1]!.at - requestedAt).toBeLessThan(30 + 500);
  });

  it('systemClock: a process that exits on SIGTERM resolves without SIGKILL, and no SIGKILL follows later', async () => {
    const p = fakeProcess();
    const result = await stopWithEscalation({
      clock: systemClock,
      timeoutSeconds: 0.02,
      exited: p.exited,
      sendSignal: (s) => {
        p.sent.push({ signal: s, at: systemClock.now() });
        if (s === 'SIGTERM') setTimeout(() => p.exit(), 3);
      },
    });
    expect(result).toEqual({ signalsSent: ['SIGTERM'], killed: false });
    await realSleep(40);
    expect(p.sent.map((s) => s.signal)).toEqual(['SIGTERM']);
  });

  it('systemClock: an abort rejects with signal.reason promptly and sends nothing more', async () => {
    const p = fakeProcess();
    const controller = new AbortController();
    const reason = new Error('given up');
    const stopping = stopWithEscalation({
      clock: systemClock,
      timeoutSeconds: 0.03,
      exited: p.exited,
      signal: controller.signal,
      sendSignal: (s) => void p.sent.push({ signal: s, at: systemClock.now() }),
    });
    setTimeout(() => controller.abort(reason), 5);
    await expect(stopping).rejects.toBe(reason);
    await realSleep(50);
    expect(p.sent.map((s) => s.signal)).toEqual(['SIGTERM']);
  });

  it('VirtualClock: SIGKILL exactly at request + timeout (not 1 ms early), a timer pending right after the call and none after', async () => {
    const clock = new VirtualClock({ startMs: 1_000 });
    const p = fakeProcess();
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited: p.exited,
      sendSignal: (s) => {
        p.sent.push({ signal: s, at: clock.now() });
        if (s === 'SIGKILL') p.exit();
      },
    });
    expect(clock.pendingTimerList().map((t) => t.deadlineMs)).toEqual([6_000]);
    await clock.advanceTo(5_999);
    expect(p.sent.map((s) => s.signal)).toEqual(['SIGTERM']);
    await clock.advance(1);
    expect(await stopping).toEqual({ signalsSent: ['SIGTERM', 'SIGKILL'], killed: true });
    expect(p.sent).toEqual([
      { signal: 'SIGTERM', at: 1_000 },
      { signal: 'SIGKILL', at: 6_000 },
    ]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('VirtualClock: a slow stop-signal delivery (3 s of a 5 s timeout) does not move the SIGKILL: still at request + 5 s', async () => {
    const clock = new VirtualClock();
    const p = fakeProcess();
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited: p.exited,
      sendSignal: (s) => {
        p.sent.push({ signal: s, at: clock.now() });
        if (s === 'SIGKILL') {
          p.exit();
          return undefined;
        }
        return sleepOn(clock, 3_000);
      },
    });
    await clock.runAll();
    await stopping;
    expect(p.sent).toEqual([
      { signal: 'SIGTERM', at: 0 },
      { signal: 'SIGKILL', at: 5_000 },
    ]);
  });

  it('VirtualClock: a stop-signal delivery that never settles does not hold back the SIGKILL due at request + timeout (DESIGN §5 "SIGKILL after timeoutSeconds")', async () => {
    const clock = new VirtualClock();
    const p = fakeProcess();
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited: p.exited,
      sendSignal: (s) => {
        p.sent.push({ signal: s, at: clock.now() });
        if (s === 'SIGKILL') {
          p.exit();
          return undefined;
        }
        return new Promise<void>(() => undefined); // `runc kill` hung
      },
    });
    const state = watch(stopping);
    await clock.advanceTo(5_000);
    await drain();
    expect(p.sent).toEqual([
      { signal: 'SIGTERM', at: 0 },
      { signal: 'SIGKILL', at: 5_000 },
    ]);
    expect(state.settled).toBe(true);
  });

  it.each([
    { label: 'timeout 0', timeoutSeconds: 0, stopSignal: undefined },
    { label: 'a negative timeout', timeoutSeconds: -3, stopSignal: undefined },
    { label: 'stop signal SIGKILL', timeoutSeconds: 30, stopSignal: 'SIGKILL' },
  ])(
    'SIGKILL at once, exactly once, and no timer for $label (VirtualClock)',
    async ({ timeoutSeconds, stopSignal }) => {
      const clock = new VirtualClock();
      const p = fakeProcess();
      const stopping = stopWithEscalation({
        clock,
        timeoutSeconds,
        stopSignal,
        exited: p.exited,
        sendSignal: (s) => void p.sent.push({ signal: s, at: clock.now() }),
      });
      await clock.flush();
      expect(p.sent).toEqual([{ signal: 'SIGKILL', at: 0 }]);
      expect(clock.pendingTimers).toBe(0);
      p.exit();
      expect((await stopping).signalsSent).toEqual(['SIGKILL']);
      await clock.advance(60_000);
      expect(p.sent).toHaveLength(1);
    },
  );

  it('systemClock: timeout 0 sends SIGKILL at once, without waiting', async () => {
    const p = fakeProcess();
    const t0 = systemClock.now();
    const result = await stopWithEscalation({
      clock: systemClock,
      timeoutSeconds: 0,
      exited: p.exited,
      sendSignal: (s) => {
        p.sent.push({ signal: s, at: systemClock.now() });
        p.exit();
      },
    });
    expect(result.signalsSent).toEqual(['SIGKILL']);
    expect(p.sent[0]!.at - t0).toBeLessThan(10);
  });

  it('VirtualClock: an abort rejects with signal.reason, disarms the timer, sends nothing more, and leaves no abort listener', async () => {
    const clock = new VirtualClock();
    const p = fakeProcess();
    const controller = new AbortController();
    const listeners = countAbortListeners(controller.signal);
    const reason = new Error('caller gave up');
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited: p.exited,
      signal: controller.signal,
      sendSignal: (s) => void p.sent.push({ signal: s, at: clock.now() }),
    });
    const state = watch(stopping);
    await clock.advanceTo(1_000);
    controller.abort(reason);
    await clock.flush();
    expect(state.error).toBe(reason);
    expect(clock.pendingTimers).toBe(0);
    await clock.advanceTo(10_000);
    expect(p.sent.map((s) => s.signal)).toEqual(['SIGTERM']);
    expect(listeners.left()).toBe(0);
  });

  it('an already-aborted signal rejects at once and sends nothing', async () => {
    const clock = new VirtualClock();
    const p = fakeProcess();
    const reason = new Error('too late');
    await expect(
      stopWithEscalation({
        clock,
        timeoutSeconds: 5,
        exited: p.exited,
        signal: AbortSignal.abort(reason),
        sendSignal: (s) => void p.sent.push({ signal: s, at: clock.now() }),
      }),
    ).rejects.toBe(reason);
    expect(p.sent).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a stop that succeeds leaves no abort listener on the signal (docs/adapters.md rule for adapters)', async () => {
    const clock = new VirtualClock();
    const p = fakeProcess();
    const controller = new AbortController();
    const listeners = countAbortListeners(controller.signal);
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited: p.exited,
      signal: controller.signal,
      sendSignal: () => {
        clock.setTimeout(() => p.exit(), 100);
      },
    });
    await clock.runAll();
    await stopping;
    expect(listeners.left()).toBe(0);
  });

  const esrch = (): Error => Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
  it.each([
    { label: 'a synchronous throw', reject: false },
    { label: 'a rejection', reject: true },
  ])('ESRCH ($label) from signalling a process that has just exited counts as success', async ({ reject }) => {
    const clock = new VirtualClock();
    const p = fakeProcess();
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited: p.exited,
      sendSignal: (s) => {
        p.sent.push({ signal: s, at: clock.now() });
        if (s !== 'SIGKILL') return undefined;
        p.exit(); // it exited just as the SIGKILL went out
        if (reject) return Promise.reject(esrch());
        throw esrch();
      },
    });
    const state = watch(stopping);
    await clock.advanceTo(5_000);
    await drain();
    expect(state.error).toBeUndefined();
    expect(state.settled).toBe(true);
    expect(state.value?.signalsSent).toEqual(['SIGTERM', 'SIGKILL']);
  });

  it('ESRCH on the stop signal of a process that exited meanwhile counts as success', async () => {
    const clock = new VirtualClock();
    const p = fakeProcess();
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited: p.exited,
      sendSignal: () => {
        p.exit();
        throw esrch();
      },
    });
    await clock.flush();
    await expect(stopping).resolves.toMatchObject({ signalsSent: ['SIGTERM'] });
    expect(clock.pendingTimers).toBe(0);
  });

  it('a signalling error while the process still runs fails the stop (control for the ESRCH cases)', async () => {
    const clock = new VirtualClock();
    const p = fakeProcess();
    const error = Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited: p.exited,
      sendSignal: () => {
        throw error;
      },
    });
    const state = watch(stopping);
    await clock.flush();
    await drain();
    expect(state.error).toBe(error);
    expect(p.isExited()).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a hanging delivery does not block a process that has exited: resolves at the exit, no timer left', async () => {
    const clock = new VirtualClock();
    const p = fakeProcess();
    const stopping = stopWithEscalation({
      clock,
      timeoutSeconds: 5,
      exited: p.exited,
      sendSignal: () => {
        clock.setTimeout(() => p.exit(), 10);
        return new Promise<void>(() => undefined);
      },
    });
    const state = watch(stopping);
    await clock.advanceTo(10);
    await drain();
    expect(state.settled).toBe(true);
    expect(state.value).toEqual({ signalsSent: ['SIGTERM'], killed: false });
    expect(clock.pendingTimers).toBe(0);
  });

  it('systemClock: a hanging delivery does not block a process that has exited', async () => {
    const p = fakeProcess();
    const t0 = systemClock.now();
    const result = await stopWithEscalation({
      clock: systemClock,
      timeoutSeconds: 1,
      exited: p.exited,
      sendSignal: () => {
        setTimeout(() => p.exit(), 5);
        return new Promise<void>(() => undefined);
      },
    });
    expect(result.signalsSent).toEqual(['SIGTERM']);
    expect(systemClock.now() - t0).toBeLessThan(500);
  });
});

// =============================================================================================
// 4. The validation cache
// =============================================================================================

describe('4. validation per pod object (semantics.md "Validation per pod object", performance.md "The validation cache and its trade-off")', () => {
  const fieldsOf = async (p: Promise<unknown>): Promise<string[]> => {
    const error = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LifecycleSpecError);
    return (error as LifecycleSpecError).errors.map((e) => e.field);
  };

  it('a pod-level in-place edit (grace below a sleep preStop) is rejected on the next call about any container (spec §2.5)', async () => {
    const { clock, runtime, manager, reasons } = setup();
    const pod = makePod([{ name: 'web', lifecycle: { preStop: { sleep: { seconds: 20 } } } }, { name: 'side' }]);
    await run(clock, manager.startContainer(pod, 'web'));
    pod.spec!.terminationGracePeriodSeconds = 10;
    const error = await manager.stopContainer(pod, 'side').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LifecycleSpecError);
    expect((error as LifecycleSpecError).errors.map((e) => e.message)).toEqual([
      'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 20: must be non-negative and less than terminationGracePeriodSeconds (10)',
    ]);
    expect(() => manager.status(pod, 'web')).toThrow(LifecycleSpecError);
    expect(reasons()).toEqual(['Started']);
    expect(runtime.of('stop')).toEqual([]);
  });

  const edits: Array<{ label: string; edit: (c: Container) => void; field: string; message?: string }> = [
    {
      label: 'the httpGet layer: port 0',
      field: 'spec.containers[0].lifecycle.preStop.httpGet.port',
      edit: (c) => {
        (c.lifecycle!.preStop!.httpGet as { port: number }).port = 0;
      },
      message:
        'spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
    },
    {
      label: 'the httpGet layer: scheme FTP',
      field: 'spec.containers[0].lifecycle.preStop.httpGet.scheme',
      edit: (c) => {
        (c.lifecycle!.preStop!.httpGet as { scheme?: string }).scheme = 'FTP';
      },
    },
    {
      label: 'the handler layer: a second handler type',
      field: 'spec.containers[0].lifecycle.preStop.sleep',
      edit: (c) => {
        (c.lifecycle!.preStop as { sleep?: unknown }).sleep = { seconds: 1 };
      },
    },
    {
      label: 'the lifecycle layer: preStop replaced by an empty handler',
      field: 'spec.containers[0].lifecycle.preStop',
      edit: (c) => {
        c.lifecycle!.preStop = {};
      },
    },
    {
      label: 'the container layer: lifecycle replaced by an exec without a command',
      field: 'spec.containers[0].lifecycle.preStop.exec.command',
      edit: (c) => {
        c.lifecycle = { preStop: { exec: { command: [] } } };
      },
    },
  ];
  for (const { label, edit, field, message } of edits) {
    it(`an in-place edit of ${label} is rejected on the next call about that container, before anything runs (spec §2)`, async () => {
      const { clock, runtime, http, manager, reasons } = setup();
      const pod = makePod([{ name: 'web', lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080 } } } }], {
        podIP: '10.0.0.9',
      });
      await run(clock, manager.startContainer(pod, 'web'));
      edit(pod.spec!.containers[0]!);
      const error = await manager.stopContainer(pod, 'web').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LifecycleSpecError);
      const errors = (error as LifecycleSpecError).errors;
      expect(errors.map((e) => e.field)).toContain(field);
      if (message !== undefined) expect(errors.map((e) => e.message)).toContain(message);
      expect(reasons()).toEqual(['Started']);
      expect(runtime.of('stop')).toEqual([]);
      expect(http.requests).toEqual([]);
    });
  }

  it('an in-place edit of another container is seen by the first call about it, not by calls about a neighbour', async () => {
    const { clock, runtime, manager } = setup();
    const pod = makePod(
      [
        { name: 'a', lifecycle: { preStop: execHook('/bin/a') } },
        { name: 'b', lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080 } } } },
      ],
      { podIP: '10.0.0.9' },
    );
    await run(clock, manager.startContainer(pod, 'a'));
    await run(clock, manager.startContainer(pod, 'b'));
    (pod.spec!.containers[1]!.lifecycle!.preStop!.httpGet as { port: number }).port = 70_000;
    // a call about "a" checks the pod's layers and a's only (performance.md)
    expect(manager.status(pod, 'a').state).toBe('Running');
    expect(await run(clock, manager.stopContainer(pod, 'a'))).toMatchObject({
      outcome: 'stopped',
      preStop: { outcome: 'succeeded' },
    });
    // the first call about "b" sees it
    expect(() => manager.status(pod, 'b')).toThrow(LifecycleSpecError);
    expect(await fieldsOf(manager.stopContainer(pod, 'b'))).toContain(
      'spec.containers[1].lifecycle.preStop.httpGet.port',
    );
    expect(runtime.of('stop', 'b')).toEqual([]);
  });

  it('deletePod sees an in-place edit of any container: rejects and kills nothing', async () => {
    const { clock, runtime, http, manager, reasons } = setup();
    const pod = makePod(
      [
        { name: 'a', lifecycle: { preStop: execHook('/bin/a') } },
        { name: 'b', lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080 } } } },
      ],
      { podIP: '10.0.0.9' },
    );
    await run(clock, manager.startContainer(pod, 'a'));
    await run(clock, manager.startContainer(pod, 'b'));
    expect(manager.status(pod, 'a').state).toBe('Running'); // the cache is warm
    pod.spec!.containers[1]!.lifecycle!.preStop = { exec: { command: [] } };
    expect(await fieldsOf(manager.deletePod(pod, { gracePeriodSeconds: 10 }))).toContain(
      'spec.containers[1].lifecycle.preStop.exec.command',
    );
    await clock.runAll();
    expect(reasons()).toEqual(['Started', 'Started']);
    expect(runtime.of('exec')).toEqual([]);
    expect(runtime.of('stop')).toEqual([]);
    expect(http.requests).toEqual([]);
  });

  it("a valid in-place replacement of another container's handler is used once deletePod sees the whole pod", async () => {
    const { clock, runtime, manager } = setup();
    const pod = makePod([
      { name: 'a', lifecycle: { preStop: execHook('/bin/a') } },
      { name: 'b', lifecycle: { preStop: execHook('/bin/old') } },
    ]);
    await run(clock, manager.startContainer(pod, 'a'));
    await run(clock, manager.startContainer(pod, 'b'));
    pod.spec!.containers[1]!.lifecycle!.preStop = execHook('/bin/new');
    await run(clock, manager.stopContainer(pod, 'a'));
    await run(clock, manager.deletePod(pod));
    expect(runtime.of('exec', 'b').map((c) => c.argv?.[0])).toEqual(['/bin/new']);
  });

  it('a fresh copy of the same pod object addresses the same pod (semantics.md "Pod identity")', async () => {
    const { clock, runtime, manager } = setup();
    const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }]);
    const started = await run(clock, manager.startContainer(pod, 'web'));
    const copy = structuredClone(pod);
    expect(manager.status(copy, 'web')).toMatchObject({ state: 'Running', containerID: started.containerID });
    expect(await run(clock, manager.stopContainer(copy, 'web'))).toMatchObject({ outcome: 'stopped' });
    expect(runtime.of('stop')).toMatchObject([{ id: started.containerID }]);
    expect(manager.status(pod, 'web').state).toBe('Terminated');
    // a copy is a new object: it is validated on its own
    const broken = structuredClone(pod);
    broken.spec!.containers[0]!.lifecycle!.preStop = { exec: { command: [] } };
    expect(() => manager.status(broken, 'web')).toThrow(LifecycleSpecError);
    // another uid is another pod
    expect(manager.status({ ...structuredClone(pod), metadata: { ...pod.metadata, uid: 'other' } }, 'web').state).toBe(
      'Waiting',
    );
  });

  it('a metadata edit in place is seen: a changed uid makes it another pod', async () => {
    const { clock, manager } = setup();
    const pod = makePod([{ name: 'web' }]);
    await run(clock, manager.startContainer(pod, 'web'));
    expect(manager.status(pod, 'web').state).toBe('Running');
    pod.metadata!.uid = 'uid-2';
    expect(manager.status(pod, 'web').state).toBe('Waiting');
  });
});

// =============================================================================================
// 5. Conformance suites: abort listeners
// =============================================================================================

/** A hand-written Runtime for the conformance suite, on a VirtualClock; `leaky` adds a listener per call and never removes it. */
function conformanceRuntimeHarness(leaky: boolean): () => RuntimeConformanceHarness {
  return () => {
    const clock = new VirtualClock();
    const procs = new Map<
      string,
      { behaviour: string; signals: string[]; exited: boolean; onExit: Array<() => void> }
    >();
    let n = 0;
    const leak = (signal: AbortSignal): void => {
      if (leaky) signal.addEventListener('abort', () => undefined, { once: true });
    };
    const runtime: Runtime = {
      startContainer: (_pod, container, { signal }) => {
        leak(signal);
        if (signal.aborted) return Promise.reject(signal.reason);
        const id = `${container.name}-${++n}`;
        procs.set(id, { behaviour: container.name, signals: [], exited: false, onExit: [] });
        return Promise.resolve({ id });
      },
      exec: (ref, argv, { signal }) => {
        leak(signal);
        if (signal.aborted) return Promise.reject(signal.reason);
        if (argv[0] === 'exit') return Promise.resolve(JSON.parse(argv[1]!) as ExecResult);
        if (argv[0] === 'echo')
          return Promise.resolve({
            exitCode: 0,
            stdout: argv
              .slice(1)
              .map((a) => `${a}\n`)
              .join(''),
            stderr: '',
          });
        return new Promise<ExecResult>((_resolve, reject) => {
          const onAbort = (): void => reject(signal.reason);
          signal.addEventListener('abort', onAbort, { once: true });
          void ref;
        });
      },
      stopContainer: (ref, { stopSignal, timeoutSeconds, signal }) => {
        leak(signal);
        const proc = procs.get(ref.id);
        if (proc === undefined || proc.exited) return Promise.resolve();
        const exited = new Promise<void>((r) => proc.onExit.push(r));
        const exit = (): void => {
          proc.exited = true;
          for (const fn of proc.onExit.splice(0)) fn();
        };
        return stopWithEscalation({
          clock,
          stopSignal,
          timeoutSeconds,
          signal,
          exited,
          sendSignal: (s) => {
            if (s === 'SIGKILL') return exit();
            proc.signals.push(s);
            if (proc.behaviour === 'exits-on-signal') exit();
          },
        }).then(() => undefined);
      },
    };
    return {
      runtime,
      clock,
      container: (behaviour) => ({
        pod: { metadata: { name: 'conformance', uid: 'u' } },
        container: { name: behaviour },
      }),
      observedSignals: (ref) => procs.get(ref.id)?.signals ?? [],
      commands: {
        exit: (r) => ['exit', JSON.stringify(r)],
        echoArgs: (args) => ['echo', ...args],
        hang: () => ['hang'],
      },
    };
  };
}

/** A hand-written HttpClient for the conformance suite, on a VirtualClock. */
function conformanceHttpHarness(leaky: boolean): () => HttpConformanceHarness {
  return () => {
    const clock = new VirtualClock();
    const client: HttpClient = {
      request: (request, { signal }) => {
        if (leaky) signal.addEventListener('abort', () => undefined, { once: true });
        if (signal.aborted) return Promise.reject(signal.reason);
        const url = new URL(request.url);
        if (url.port === '1')
          return Promise.reject(
            Object.assign(new Error(`Get "${request.url}": dial tcp ${url.host}: connect: connection refused`), {
              code: 'ECONNREFUSED',
            }),
          );
        if (url.protocol === 'https:')
          return Promise.reject(
            Object.assign(new Error(`Get "${request.url}": server gave HTTP response to HTTPS client`), {
              code: 'HTTP_RESPONSE_TO_HTTPS_CLIENT',
            }),
          );
        const route = HTTP_CONFORMANCE_ROUTES.find((r) => r.path === url.pathname);
        if (route === undefined) return Promise.resolve({ status: 404, headers: {} });
        const headers = Object.fromEntries(Object.entries(route.headers).map(([k, v]) => [k.toLowerCase(), v]));
        if (route.delayMs === Infinity) {
          return new Promise<HttpResponse>((_resolve, reject) => {
            signal.addEventListener('abort', () => reject(signal.reason), { once: true });
          });
        }
        return sleepOn(clock, route.delayMs, signal).then(() => ({ status: route.status, headers }));
      },
    };
    return {
      client,
      clock,
      server: {
        url: (p) => `http://10.0.0.7:8080${p}`,
        httpsUrlSpeakingPlainHttp: (p) => `https://10.0.0.7:8080${p}`,
        refusedUrl: (p) => `http://10.0.0.7:1${p}`,
      },
    };
  };
}

const LISTENER_CASE = 'removes its abort listeners once a call settles';

async function outcomes(cases: readonly ConformanceCase[]): Promise<Map<string, unknown>> {
  const failures = new Map<string, unknown>();
  for (const c of cases) {
    const error = await c.run().then(
      () => undefined,
      (e: unknown) => e,
    );
    if (error !== undefined) failures.set(c.name, error);
  }
  return failures;
}

describe('5a. a tidy hand-written Runtime passes every runtime conformance case (docs/adapters.md)', () => {
  registerConformanceCases(runtimeConformanceCases(conformanceRuntimeHarness(false)), it);
});

describe('5b. a tidy hand-written HttpClient passes every HTTP conformance case (docs/adapters.md)', () => {
  registerConformanceCases(httpClientConformanceCases(conformanceHttpHarness(false)), it, { prefix: 'http: ' });
});

describe('5c. leaky adapters fail exactly the abort-listener case, with a helpful message (docs/adapters.md "Remove any \'abort\' listener")', () => {
  it('both suites have the case', () => {
    expect(runtimeConformanceCases(conformanceRuntimeHarness(false)).map((c) => c.name)).toContain(LISTENER_CASE);
    expect(httpClientConformanceCases(conformanceHttpHarness(false)).map((c) => c.name)).toContain(LISTENER_CASE);
  });

  it('a Runtime that adds an abort listener per call and never removes it fails only that case, naming each call', async () => {
    const failures = await outcomes(runtimeConformanceCases(conformanceRuntimeHarness(true)));
    expect([...failures.keys()]).toEqual([LISTENER_CASE]);
    const error = failures.get(LISTENER_CASE);
    expect(error).toBeInstanceOf(TestingError);
    expect((error as TestingError).code).toBe('ERR_CONFORMANCE');
    const message = (error as Error).message;
    expect(message).toContain(`Runtime conformance, "${LISTENER_CASE}"`);
    expect(message).toContain('4 abort listener(s)');
    for (const call of [
      'startContainer left 1',
      'exec exiting 0 left 1',
      'exec exiting 3 left 1',
      'stopContainer left 1',
    ]) {
      expect(message).toContain(call);
    }
    expect(message).toMatch(/removeEventListener/);
    expect(message).toContain('docs/adapters.md');
  });

  it('an HttpClient that adds an abort listener per request and never removes it fails only that case, naming each request', async () => {
    const failures = await outcomes(httpClientConformanceCases(conformanceHttpHarness(true)));
    expect([...failures.keys()]).toEqual([LISTENER_CASE]);
    const error = failures.get(LISTENER_CASE);
    expect(error).toBeInstanceOf(TestingError);
    const message = (error as Error).message;
    expect(message).toContain(`HttpClient conformance, "${LISTENER_CASE}"`);
    expect(message).toContain('2 abort listener(s)');
    expect(message).toContain('(resolves) left 1');
    expect(message).toContain('(rejects) left 1');
    expect(message).toMatch(/MaxListenersExceededWarning/);
  });

  it('a Runtime that removes its listener only on abort ({ once: true }) leaks on the calls that settle otherwise', async () => {
    // exec/stop tidy, start adds a once-listener for a start that resolves
    const base = conformanceRuntimeHarness(false);
    const cases = runtimeConformanceCases(() => {
      const h = base();
      const inner = h.runtime;
      const runtime: Runtime = {
        startContainer: (pod, container, options) => {
          options.signal.addEventListener('abort', () => undefined, { once: true });
          return inner.startContainer(pod, container, options);
        },
        exec: (ref, argv, options) => inner.exec(ref, argv, options),
        stopContainer: (ref, options) => inner.stopContainer(ref, options),
      };
      return { ...h, runtime };
    });
    const failures = await outcomes(cases);
    expect([...failures.keys()]).toEqual([LISTENER_CASE]);
    expect((failures.get(LISTENER_CASE) as Error).message).toContain('(startContainer left 1)');
  });
});

// =============================================================================================
// 6. Events
// =============================================================================================

describe('6. events: once()/on() and listener isolation (DESIGN §7 "A throwing listener never breaks the manager")', () => {
  const onePod = () => makePod([{ name: 'web' }]);

  it('the same function registered with on() and once(): called twice for the first event, once for every later one', async () => {
    for (const order of ['on-first', 'once-first'] as const) {
      const { clock, manager } = setup();
      const seen: string[] = [];
      const listener = (e: KubeEvent): void => void seen.push(e.reason);
      if (order === 'on-first') manager.on('event', listener).once('event', listener);
      else manager.once('event', listener).on('event', listener);
      const pod = onePod();
      await run(clock, manager.startContainer(pod, 'web')); // Started
      await run(clock, manager.stopContainer(pod, 'web')); // Killing
      await run(clock, manager.startContainer(pod, 'web')); // Started
      expect(seen, order).toEqual(['Started', 'Started', 'Killing', 'Started']);
    }
  });

  it('once() twice with the same function: two calls for the first event, none after', async () => {
    const { clock, manager } = setup();
    const seen: string[] = [];
    const listener = (e: KubeEvent): void => void seen.push(e.reason);
    manager.once('event', listener).once('event', listener);
    const pod = onePod();
    await run(clock, manager.startContainer(pod, 'web'));
    await run(clock, manager.stopContainer(pod, 'web'));
    expect(seen).toEqual(['Started', 'Started']);
  });

  it('off() after on()+once() of one function leaves exactly one registration', async () => {
    const { clock, manager } = setup();
    const seen: string[] = [];
    const listener = (e: KubeEvent): void => void seen.push(e.reason);
    manager.on('event', listener).once('event', listener).off('event', listener);
    const pod = onePod();
    await run(clock, manager.startContainer(pod, 'web'));
    await run(clock, manager.stopContainer(pod, 'web'));
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.filter((r) => r === 'Started')).toHaveLength(1);
  });

  it('a throwing event listener: later listeners still get the event, the result is unchanged, listenerError reports it with "event"', async () => {
    const { clock, runtime, manager } = setup();
    runtime.execs.set('/bin/pre', { kind: 'result', afterMs: 2_000, result: { exitCode: 0 } });
    const boom = new Error('listener bug');
    const errors: Array<[unknown, string]> = [];
    const after: string[] = [];
    manager.on('event', () => {
      throw boom;
    });
    manager.on('event', (e) => void after.push(e.reason));
    manager.on('listenerError', (error, name) => void errors.push([error, name]));
    const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }]);
    expect(await run(clock, manager.startContainer(pod, 'web'))).toMatchObject({ outcome: 'running' });
    expect(await run(clock, manager.stopContainer(pod, 'web'))).toMatchObject({
      outcome: 'stopped',
      stopTimeoutSeconds: 28,
    });
    expect(after).toEqual(['Started', 'Killing']);
    expect(errors).toEqual([
      [boom, 'event'],
      [boom, 'event'],
    ]);
  });

  it('a throwing step listener and a throwing listenerError listener break nothing; non-Error throws are reported too', async () => {
    const { clock, manager, events } = setup();
    const errors: Array<[unknown, string]> = [];
    manager.on('step', () => {
      throw 'a string';
    }); // eslint-disable-line no-throw-literal
    manager.on('listenerError', () => {
      throw new Error('listenerError listener bug');
    });
    manager.on('listenerError', (error, name) => void errors.push([error, name]));
    const pod = onePod();
    expect(await run(clock, manager.startContainer(pod, 'web'))).toMatchObject({ outcome: 'running' });
    expect(await run(clock, manager.stopContainer(pod, 'web'))).toMatchObject({ outcome: 'stopped' });
    expect(events.map((e) => e.reason)).toEqual(['Started', 'Killing']);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every(([error, name]) => error === 'a string' && name === 'step')).toBe(true);
    expect(manager.status(pod, 'web').state).toBe('Terminated');
  });

  it('a once() listener that throws is still removed, and the throw reported once', async () => {
    const { clock, manager } = setup();
    let calls = 0;
    const errors: unknown[] = [];
    manager.once('event', () => {
      calls++;
      throw new Error('once bug');
    });
    manager.on('listenerError', (e) => void errors.push(e));
    const pod = onePod();
    await run(clock, manager.startContainer(pod, 'web'));
    await run(clock, manager.stopContainer(pod, 'web'));
    expect(calls).toBe(1);
    expect(errors).toHaveLength(1);
  });
});
