/**
 * Hand-written adapters for the contract suite: a Runtime and an HttpClient written against the
 * pinned ports of DESIGN §5 only (not the shipped fakes), on the testing kit's VirtualClock.
 */
import type {
  Clock,
  Container,
  ContainerRef,
  ExecResult,
  HttpClient,
  HttpRequest,
  HttpResponse,
  KubeEvent,
  LifecyclePolicy,
  LifecycleStep,
  Pod,
  Runtime,
} from '../../src/index.js';
import { LifecycleManager } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { settle } from '../support/settle.js';

export { settle };

/** Sleep on any Clock (test-side helper). */
export function wait(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const h = clock.setTimeout(() => resolve(), ms);
    signal?.addEventListener(
      'abort',
      () => {
        clock.clearTimeout(h);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

export interface Call {
  kind: 'start' | 'exec' | 'stop';
  at: number;
  container: string;
  ref?: ContainerRef;
  argv?: readonly string[];
  timeoutSeconds?: number;
  stopSignal?: string | undefined;
  optionKeys?: string[];
}

export type ExecFn = (call: {
  ref: ContainerRef;
  argv: readonly string[];
  signal: AbortSignal;
  clock: Clock;
}) => unknown;
export type StopFn = (call: {
  ref: ContainerRef;
  timeoutSeconds: number;
  stopSignal?: string | undefined;
  signal: AbortSignal;
  clock: Clock;
}) => unknown;
export type StartFn = (call: {
  pod: Pod;
  container: Container;
  signal: AbortSignal;
  clock: Clock;
  n: number;
}) => unknown;

/** A hand-written Runtime that records every call and runs scripted behaviour. */
export class RecordingRuntime implements Runtime {
  readonly calls: Call[] = [];
  readonly execScripts = new Map<string, ExecFn>();
  readonly stopScripts = new Map<string, StopFn>();
  readonly startScripts = new Map<string, StartFn>();
  #n = 0;
  constructor(readonly clock: Clock) {}
  /** Script an exec by its argv joined with spaces. */
  onExec(argv: string, fn: ExecFn): this {
    this.execScripts.set(argv, fn);
    return this;
  }
  onStop(container: string, fn: StopFn): this {
    this.stopScripts.set(container, fn);
    return this;
  }
  onStart(container: string, fn: StartFn): this {
    this.startScripts.set(container, fn);
    return this;
  }

  startContainer(pod: Pod, container: Container, options: { signal: AbortSignal }): Promise<{ id: string }> {
    const n = ++this.#n;
    this.calls.push({ kind: 'start', at: this.clock.now(), container: container.name });
    const script = this.startScripts.get(container.name);
    if (script)
      return script({ pod, container, signal: options.signal, clock: this.clock, n }) as Promise<{ id: string }>;
    return Promise.resolve({ id: `cri://${container.name}-${n}` });
  }
  exec(ref: ContainerRef, command: readonly string[], options: { signal: AbortSignal }): Promise<ExecResult> {
    this.calls.push({ kind: 'exec', at: this.clock.now(), container: ref.name, ref: { ...ref }, argv: [...command] });
    const script = this.execScripts.get(command.join(' '));
    if (script) return script({ ref, argv: command, signal: options.signal, clock: this.clock }) as Promise<ExecResult>;
    return Promise.resolve({ exitCode: 0, stdout: '', stderr: '' });
  }
  stopContainer(
    ref: ContainerRef,
    options: { stopSignal?: string; timeoutSeconds: number; signal: AbortSignal },
  ): Promise<void> {
    this.calls.push({
      kind: 'stop',
      at: this.clock.now(),
      container: ref.name,
      ref: { ...ref },
      timeoutSeconds: options.timeoutSeconds,
      stopSignal: options.stopSignal,
      optionKeys: Object.keys(options),
    });
    const script = this.stopScripts.get(ref.name);
    if (script)
      return script({
        ref,
        timeoutSeconds: options.timeoutSeconds,
        stopSignal: options.stopSignal,
        signal: options.signal,
        clock: this.clock,
      }) as Promise<void>;
    return Promise.resolve();
  }
  of(kind: Call['kind'], container?: string): Call[] {
    return this.calls.filter((c) => c.kind === kind && (container === undefined || c.container === container));
  }
}

/** exec script helpers */
export const execAfter =
  (ms: number, result: ExecResult): ExecFn =>
  ({ clock, signal }) =>
    wait(clock, ms, signal).then(() => result);
export const execHang: ExecFn = ({ signal }) =>
  new Promise((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
/** A container that ignores the stop signal and is SIGKILLed after the timeout. */
export const stopAtTimeout: StopFn = ({ clock, timeoutSeconds, signal }) => wait(clock, timeoutSeconds * 1000, signal);

export interface RecordedRequest {
  at: number;
  url: string;
  headers: Array<[string, string]>;
}
export type HttpFn = (req: HttpRequest, options: { signal: AbortSignal; clock: Clock }) => unknown;

/** A hand-written HttpClient: one handler function, every request recorded. */
export class RecordingHttpClient implements HttpClient {
  readonly requests: RecordedRequest[] = [];
  constructor(
    readonly clock: Clock,
    public handler: HttpFn = () => Promise.resolve({ status: 200 }),
  ) {}
  request(request: HttpRequest, options: { signal: AbortSignal }): Promise<HttpResponse> {
    this.requests.push({ at: this.clock.now(), url: request.url, headers: request.headers.map(([k, v]) => [k, v]) });
    return this.handler(request, { signal: options.signal, clock: this.clock }) as Promise<HttpResponse>;
  }
}

export function makePod(opts: {
  name?: string;
  namespace?: string;
  uid?: string;
  tgps?: number | undefined;
  containers: Container[];
  initContainers?: Container[];
  podIP?: string;
  os?: string;
}): Pod {
  const spec: Record<string, unknown> = { containers: opts.containers };
  if (opts.tgps !== undefined) spec['terminationGracePeriodSeconds'] = opts.tgps;
  if (opts.initContainers) spec['initContainers'] = opts.initContainers;
  if (opts.os) spec['os'] = { name: opts.os };
  const pod: Pod = {
    metadata: { name: opts.name ?? 'p', namespace: opts.namespace ?? 'ns', uid: opts.uid ?? 'uid-1' },
    spec: spec as unknown as NonNullable<Pod['spec']>,
  };
  if (opts.podIP !== undefined) pod.status = { podIP: opts.podIP };
  return pod;
}

export interface Harness {
  clock: VirtualClock;
  runtime: RecordingRuntime;
  http: RecordingHttpClient;
  manager: LifecycleManager;
  events: KubeEvent[];
  steps: LifecycleStep[];
}

export function harness(
  options: {
    policy?: LifecyclePolicy;
    kubeletVersion?: string;
    runtimeRequestTimeoutSeconds?: number;
    clock?: VirtualClock;
  } = {},
): Harness {
  const clock = options.clock ?? new VirtualClock();
  const runtime = new RecordingRuntime(clock);
  const http = new RecordingHttpClient(clock);
  const manager = new LifecycleManager({
    runtime,
    httpClient: http,
    clock,
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.kubeletVersion ? { kubeletVersion: options.kubeletVersion } : {}),
    ...(options.runtimeRequestTimeoutSeconds !== undefined
      ? { runtimeRequestTimeoutSeconds: options.runtimeRequestTimeoutSeconds }
      : {}),
  });
  const events: KubeEvent[] = [];
  const steps: LifecycleStep[] = [];
  manager.on('event', (e) => events.push(e));
  manager.on('step', (s) => steps.push(s));
  return { clock, runtime, http, manager, events, steps };
}

/** Run a manager promise to completion on the manual clock. */
export async function drive<T>(clock: VirtualClock, p: Promise<T>): Promise<T> {
  let done = false;
  let value: T | undefined;
  let error: unknown;
  let failed = false;
  p.then(
    (v) => {
      done = true;
      value = v;
    },
    (e) => {
      done = true;
      failed = true;
      error = e;
    },
  );
  await settle();
  for (let i = 0; i < 10_000 && !done; i++) {
    const next = clock.pendingTimerList().find((t) => Number.isFinite(t.deadlineAt));
    if (next === undefined) {
      await settle();
      if (!done) throw new Error('drive: promise never settles and no timer is armed');
      break;
    }
    await clock.advanceTo(next.deadlineAt);
    await settle();
  }
  if (failed) throw error;
  return value as T;
}

export const reasons = (events: readonly KubeEvent[]): string[] => events.map((e) => e.reason);
