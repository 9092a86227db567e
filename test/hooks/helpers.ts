/**
 * Tiny local fakes for the handler-runner tests (the testing kit's VirtualClock and fakes are
 * written in parallel; these keep the hook tests independent of them).
 */

import type { Container, Pod } from '../../src/api/types.js';
import type { ResolvedPolicy } from '../../src/container/policy.js';
import { kubernetesPolicy } from '../../src/container/policy.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import type { HandlerRunContext } from '../../src/hooks/types.js';
import type { Clock } from '../../src/ports/clock.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src/ports/http-client.js';
import type { ContainerRef, ExecResult, Runtime } from '../../src/ports/runtime.js';

/** A manual clock: time moves only through `advance`. */
export class FakeClock implements Clock {
  private time = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + delayMs, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Number of armed timers. */
  get pending(): number {
    return this.timers.size;
  }
  /** Move time forward, firing due timers in order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = target;
  }
}

/** Let pending promise callbacks run. */
export async function flush(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/** A runtime whose `exec` is the given function; every call is recorded. */
export function fakeRuntime(exec: (command: readonly string[], signal: AbortSignal) => unknown): Runtime & {
  calls: Array<{ ref: ContainerRef; command: readonly string[] }>;
} {
  const calls: Array<{ ref: ContainerRef; command: readonly string[] }> = [];
  return {
    calls,
    startContainer: () => Promise.reject(new Error('not used')),
    stopContainer: () => Promise.reject(new Error('not used')),
    exec: (ref, command, options) => {
      calls.push({ ref, command });
      return exec(command, options.signal) as Promise<ExecResult>;
    },
  };
}

/** An HTTP client answering from a function; every request is recorded. */
export function fakeHttp(
  answer: (request: HttpRequest, signal: AbortSignal) => unknown,
): HttpClient & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    request: (request, options) => {
      requests.push(request);
      return answer(request, options.signal) as Promise<HttpResponse>;
    },
  };
}

/** The response `fakeHttp` answers with when nothing is scripted. */
export const ok200 = (): Promise<HttpResponse> => Promise.resolve({ status: 200 });

/** An error as `NodeHttpClient` reports an HTTPS request answered in plain HTTP. */
export function schemeMismatch(): Error & { code: string } {
  return Object.assign(new Error('http: server gave HTTP response to HTTPS client'), {
    code: 'HTTP_RESPONSE_TO_HTTPS_CLIENT',
  });
}

export const container: Container = {
  name: 'containerFoo',
  ports: [{ name: 'quux', containerPort: 8080 }],
};

export const pod: Pod = {
  metadata: { name: 'podFoo', namespace: 'nsFoo', uid: 'foo-bar-quux' },
  spec: { containers: [container] },
  status: { podIP: '233.252.0.1', podIPs: [{ ip: '233.252.0.1' }, { ip: '2001:db8::1' }] },
};

/** A context with harmless defaults; override any part. */
export function makeCtx(overrides: Partial<HandlerRunContext> & { policy?: ResolvedPolicy } = {}): HandlerRunContext & {
  events: Array<Omit<KubeEvent, 'timestamp'>>;
  clock: FakeClock;
} {
  const events: Array<Omit<KubeEvent, 'timestamp'>> = [];
  const ctx = {
    pod,
    container,
    ref: { id: 'abc1234', name: container.name, podName: 'podFoo', podNamespace: 'nsFoo', podUID: 'foo-bar-quux' },
    hook: 'PostStart' as const,
    runtime: fakeRuntime(() => Promise.resolve({ exitCode: 0 })),
    httpClient: fakeHttp(ok200),
    clock: new FakeClock(),
    kubeletVersion: '1.35',
    policy: kubernetesPolicy,
    signal: new AbortController().signal,
    emit: (event: Omit<KubeEvent, 'timestamp'>) => {
      events.push(event);
    },
    events,
    ...overrides,
  };
  return ctx as typeof ctx & { clock: FakeClock };
}
