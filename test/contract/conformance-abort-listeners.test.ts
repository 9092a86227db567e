/**
 * Black-box contract: The conformance suites' "removes its abort listeners once a call settles" case (docs/adapters.md).
 * Exercised only through the public barrels with hand-written adapters (test/support/scripted-adapters.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  type ExecResult,
  type HttpClient,
  type HttpResponse,
  type Runtime,
  sleepOn,
  stopWithEscalation,
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
