/** Shared fixtures for the probe tests: a pod, a container ref, stub ports and a run context. */

import type { Container, Pod } from '../../src/api/types.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src/ports/http-client.js';
import type { ContainerRef, ExecResult, Runtime } from '../../src/ports/runtime.js';
import type { ProbeRunContext } from '../../src/probes/probe-outcome.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

export const POD_IP = '10.244.0.11';

export function makePod(container: Container, extra: Partial<Pod['spec']> = {}): Pod {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'uid-1' },
    spec: { containers: [container], ...extra },
    status: { podIP: POD_IP },
  } as Pod;
}

export function makeRef(name = 'app', id = 'c1'): ContainerRef {
  return { id, name, podName: 'web', podNamespace: 'default', podUID: 'uid-1' };
}

/** A runtime whose exec answers through `exec`; calls are recorded. */
export function execRuntime(
  exec: (command: readonly string[], signal: AbortSignal) => Promise<ExecResult>,
): Runtime & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    startContainer: () => Promise.resolve({ id: 'c1' }),
    stopContainer: () => Promise.resolve(),
    exec: (_ref, command, { signal }) => {
      calls.push([...command]);
      return exec(command, signal);
    },
  };
}

/** An HTTP client answering from `answer`; requests are recorded. */
export function stubHttp(
  answer: (request: HttpRequest, signal: AbortSignal) => Promise<HttpResponse>,
): HttpClient & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    request: (request, { signal }) => {
      requests.push(request);
      return answer(request, signal);
    },
  };
}

/** A promise that settles only when `signal` aborts (a hung peer). */
export function hang<T>(signal: AbortSignal): Promise<T> {
  return new Promise<T>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

export function makeContext(
  container: Container,
  overrides: Partial<ProbeRunContext> = {},
): ProbeRunContext & { clock: VirtualClock } {
  const clock = (overrides.clock as VirtualClock | undefined) ?? new VirtualClock();
  return {
    pod: makePod(container),
    container,
    ref: makeRef(container.name),
    podIP: POD_IP,
    runtime: execRuntime(() => Promise.resolve({ exitCode: 0 })),
    httpClient: stubHttp(() => Promise.resolve({ status: 200 })),
    kubeletVersion: '1.35',
    signal: new AbortController().signal,
    ...overrides,
    clock,
  };
}
