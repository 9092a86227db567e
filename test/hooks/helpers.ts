/**
 * Local fakes for the handler-runner tests: a recording runtime and HTTP client and a context on the
 * testing kit's VirtualClock (the suite's one clock, see test/support/).
 */

import type { Container, Pod } from '../../src/api/types.js';
import type { ResolvedPolicy } from '../../src/container/policy.js';
import { kubernetesPolicy } from '../../src/container/policy.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import type { HandlerRunContext } from '../../src/hooks/types.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src/ports/http-client.js';
import type { ContainerRef, ExecResult, Runtime } from '../../src/ports/runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

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
  clock: VirtualClock;
} {
  const events: Array<Omit<KubeEvent, 'timestamp'>> = [];
  const ctx = {
    pod,
    container,
    ref: { id: 'abc1234', name: container.name, podName: 'podFoo', podNamespace: 'nsFoo', podUID: 'foo-bar-quux' },
    hook: 'PostStart' as const,
    runtime: fakeRuntime(() => Promise.resolve({ exitCode: 0 })),
    httpClient: fakeHttp(ok200),
    clock: new VirtualClock(),
    kubeletVersion: '1.35',
    policy: kubernetesPolicy,
    signal: new AbortController().signal,
    emit: (event: Omit<KubeEvent, 'timestamp'>) => {
      events.push(event);
    },
    events,
    ...overrides,
  };
  return ctx as typeof ctx & { clock: VirtualClock };
}
