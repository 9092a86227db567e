import type { Container, Pod } from '../../src/api/types.js';
import type { LifecyclePolicy } from '../../src/container/policy.js';
import type { LifecycleStep } from '../../src/container/results.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import type { LifecycleManagerOptions } from '../../src/manager/options.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src/ports/http-client.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

/** A recording HTTP client answering 200 unless a handler says otherwise. */
export class RecordingHttpClient implements HttpClient {
  readonly requests: HttpRequest[] = [];
  constructor(
    private readonly handler: (request: HttpRequest) => Promise<HttpResponse> = async () => ({ status: 200 }),
  ) {}
  request(request: HttpRequest): Promise<HttpResponse> {
    this.requests.push(request);
    return this.handler(request);
  }
}

/** A pod with one or more containers; TGPS 30 unless given. */
export function makePod(
  containers: Container[],
  extra: { tgps?: number; initContainers?: Container[]; name?: string } = {},
): Pod {
  const name = extra.name ?? 'web-pod';
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: {
      containers,
      ...(extra.initContainers !== undefined ? { initContainers: extra.initContainers } : {}),
      ...(extra.tgps !== undefined ? { terminationGracePeriodSeconds: extra.tgps } : {}),
    },
    status: { podIP: '10.0.0.7' },
  };
}

/** Manager + virtual clock + fake runtime, with events and steps recorded. */
export function setup(
  options: { policy?: LifecyclePolicy; http?: HttpClient; manager?: Partial<LifecycleManagerOptions> } = {},
) {
  const clock = new VirtualClock();
  const runtime = new FakeRuntime({ clock });
  const httpClient = options.http ?? new RecordingHttpClient();
  const manager = new LifecycleManager({
    runtime,
    httpClient,
    clock,
    ...(options.policy !== undefined ? { policy: options.policy } : {}),
    ...options.manager,
  });
  const events: KubeEvent[] = [];
  const steps: LifecycleStep[] = [];
  manager.on('event', (e) => events.push(e));
  manager.on('step', (s) => steps.push(s));
  const pods = new Map<string, Pod>();
  /** Register a pod (exits reach the manager through the runtime's waitContainer). */
  const track = (pod: Pod): Pod => {
    pods.set(pod.metadata?.name ?? '', pod);
    return pod;
  };
  const reasons = (): string[] => events.map((e) => e.reason);
  /** Run the clock until `promise` settles (or no timer is left), then return its value. */
  async function settle<T>(promise: Promise<T>, maxMs = 10 * 60_000): Promise<T> {
    let done = false;
    void promise.then(
      () => (done = true),
      () => (done = true),
    );
    await clock.flush();
    while (!done && clock.pendingTimers > 0 && clock.now() < maxMs) {
      await clock.next();
    }
    return promise;
  }
  return { clock, runtime, httpClient, manager, events, steps, reasons, track, settle };
}
