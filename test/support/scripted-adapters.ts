/**
 * Test doubles for the black-box contract suites that check what the manager hands to a Runtime /
 * HttpClient (signals, deadlines, listeners): a scripted HttpClient, the ScriptedRuntime of
 * scripted-runtime.ts, pod builders and a manager set-up on a VirtualClock, plus helpers to watch a
 * promise and count abort listeners. Imports only the public barrels, like a user's adapter would.
 */
import {
  type Clock,
  type Container,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  type KubeEvent,
  LifecycleManager,
  type LifecyclePolicy,
  type LifecycleStep,
  type Pod,
  sleepOn,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { ScriptedRuntime } from './scripted-runtime.js';
import { settle } from './settle.js';

export * from './scripted-runtime.js';

// ---------------------------------------------------------------------------------------------
// Test-side utilities (no clock involved: they only let promise chains settle)
// ---------------------------------------------------------------------------------------------

/** Observe how a promise stands without awaiting it. */
export function watch<T>(promise: Promise<T>): {
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
export async function run<T>(clock: VirtualClock, promise: Promise<T>, maxTimers = 10_000): Promise<T> {
  const state = watch(promise);
  await settle();
  for (let i = 0; i < maxTimers && !state.settled; i++) {
    if (clock.pendingTimers === 0) break;
    await clock.next();
    await settle();
  }
  if (!state.settled)
    throw new Error(
      `run: the promise did not settle (virtual time ${clock.now()}, ${clock.pendingTimers} timers pending)`,
    );
  return promise;
}

/** Count the 'abort' listeners added to a signal and not removed (or fired, for `once` ones). */
export type Listener = Parameters<AbortSignal['addEventListener']>[1];
export type AddOptions = Parameters<AbortSignal['addEventListener']>[2];
export type RemoveOptions = Parameters<AbortSignal['removeEventListener']>[2];

export function countAbortListeners(signal: AbortSignal): { left(): number } {
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
// A hand-written HttpClient (DESIGN §5)
// ---------------------------------------------------------------------------------------------

export type HttpPlan =
  | { readonly kind: 'status'; readonly status: number; readonly afterMs: number }
  | { readonly kind: 'hang' };

export class ScriptedHttp implements HttpClient {
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

export const execHook = (cmd: string) => ({ exec: { command: [cmd] } });

export function makePod(
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

export function setup(
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

/** Wait in real time, for the systemClock tests only. */
export const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
