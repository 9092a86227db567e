/**
 * A hand-written Runtime (DESIGN §5) for the black-box contract suites: scripted start, exec and
 * stop behaviour, recording every call with its AbortSignal and the virtual time it came.
 */
import {
  type Clock,
  type Container,
  type ContainerRef,
  type ExecResult,
  type Pod,
  type Runtime,
  sleepOn,
  stopWithEscalation,
} from '../../src/index.js';

/** Resolve after `n` microtask turns (n = 0: the next turn). */
export function afterTurns(n: number): Promise<void> {
  let p = Promise.resolve();
  for (let i = 0; i < n; i++) p = p.then(() => undefined);
  return p;
}

// ---------------------------------------------------------------------------------------------
// A hand-written Runtime (DESIGN §5) with scripted behaviour, recording every call and signal
// ---------------------------------------------------------------------------------------------

export type StartPlan = { readonly kind: 'ok' } | { readonly kind: 'hang' };
export type ExecPlan =
  | { readonly kind: 'result'; readonly afterMs: number; readonly result: ExecResult }
  /** never ends by itself, not even when the container exits; rejects when its signal aborts */
  | { readonly kind: 'hang' }
  /** runs until the container exits, then resolves `exitCode 137` `lagTurns` microtask turns later (as runc reports a killed exec) */
  | { readonly kind: 'diesWithContainer'; readonly lagTurns: number }
  /** pending until the test calls `runtime.endExec(result)`; rejects when its signal aborts */
  | { readonly kind: 'manual' };
export type StopPlan =
  /** exits `exitAfterMs` after the stop signal (Infinity: ignores it, only SIGKILL ends it); the stop resolves `resolveLagTurns` turns after the exit */
  | { readonly kind: 'exit'; readonly exitAfterMs: number; readonly resolveLagTurns?: number }
  /** never settles by itself; rejects when its signal aborts */
  | { readonly kind: 'hang' };

export interface RuntimeCall {
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

export interface Box {
  readonly id: string;
  readonly name: string;
  exited: boolean;
  exitedAt?: number;
  readonly onExit: Array<() => void>;
  timer?: unknown;
}

export class ScriptedRuntime implements Runtime {
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
