import { describe, expect, it, test } from 'vitest';
import type { HttpClient } from '../../src/ports/http-client.js';
import type { Runtime } from '../../src/ports/runtime.js';
import { registerConformanceCases } from '../../src/testing/conformance/conformance-case.js';
import {
  HTTP_CONFORMANCE_ROUTES,
  type HttpConformanceHarness,
  httpClientConformanceCases,
} from '../../src/testing/conformance/http-conformance.js';
import {
  type RuntimeConformanceHarness,
  runtimeConformanceCases,
} from '../../src/testing/conformance/runtime-conformance.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

/** The FakeRuntime as a conformance harness: what an adapter author writes for a real runtime. */
function fakeRuntimeHarness(wrap: (runtime: FakeRuntime) => Runtime = (r) => r): RuntimeConformanceHarness {
  const clock = new VirtualClock();
  const fake = new FakeRuntime({ clock })
    .onExec(
      (argv) => argv[0] === 'conformance-exit',
      ({ argv }) => JSON.parse(argv[1]!),
    )
    .onExec(
      (argv) => argv[0] === 'conformance-echo',
      ({ argv }) => ({
        exitCode: 0,
        stdout: argv
          .slice(1)
          .map((a) => `${a}\n`)
          .join(''),
      }),
    )
    .onExec(['conformance-hang'], { hang: true });
  let n = 0;
  return {
    runtime: wrap(fake),
    clock,
    container: (behaviour) => {
      const name = `${behaviour}-${++n}`;
      fake.onStop(name, behaviour === 'ignores-signals' ? { exitsOn: [] } : {});
      return { pod: { metadata: { name: 'conformance', uid: 'u' } }, container: { name } };
    },
    observedSignals: (ref) => fake.container(ref.id)?.signals.filter((s) => s !== 'SIGKILL') ?? [],
    commands: {
      exit: (result) => ['conformance-exit', JSON.stringify(result)],
      echoArgs: (args) => ['conformance-echo', ...args],
      hang: () => ['conformance-hang'],
    },
  };
}

/** The FakeHttpClient as a conformance harness, built from HTTP_CONFORMANCE_ROUTES. */
function fakeHttpHarness(wrap: (client: FakeHttpClient) => HttpClient = (c) => c): HttpConformanceHarness {
  const clock = new VirtualClock();
  const fake = new FakeHttpClient({ clock }); // unmatched requests (closed.test) are refused
  fake.route('conformance.test:8443', { plainHttp: true });
  for (const r of HTTP_CONFORMANCE_ROUTES) {
    fake.route(
      r.path,
      r.delayMs === Infinity ? { hang: true } : { status: r.status, headers: r.headers, delayMs: r.delayMs },
    );
  }
  fake.route('conformance.test:8080', { status: 404 });
  return {
    client: wrap(fake),
    clock,
    server: {
      url: (path) => `http://conformance.test:8080${path}`,
      httpsUrlSpeakingPlainHttp: (path) => `https://conformance.test:8443${path}`,
      refusedUrl: (path) => `http://closed.test:9${path}`,
    },
  };
}

describe('FakeRuntime passes the Runtime conformance suite', () => {
  registerConformanceCases(
    runtimeConformanceCases(() => fakeRuntimeHarness()),
    test,
  );
});

describe('FakeHttpClient passes the HttpClient conformance suite', () => {
  registerConformanceCases(
    httpClientConformanceCases(() => fakeHttpHarness()),
    test,
    { prefix: 'fake: ' },
  );
});

describe('the suites explain what a broken adapter gets wrong', () => {
  const runCase = async (
    cases: ReadonlyArray<{ name: string; run: () => Promise<void> }>,
    name: RegExp,
  ): Promise<unknown> => {
    const found = cases.find((c) => name.test(c.name));
    if (found === undefined) throw new Error(`no case matches ${String(name)}`);
    return found.run().then(
      () => 'passed',
      (error: unknown) => error,
    );
  };

  it('a runtime that runs argv through a shell fails the argv case', async () => {
    const shelly = (fake: FakeRuntime): Runtime => ({
      startContainer: (p, c, o) => fake.startContainer(p, c, o),
      stopContainer: (r, o) => fake.stopContainer(r, o),
      exec: (r, argv, o) =>
        fake.exec(
          r,
          argv.map((a) => a.replace('$HOME', '/root')),
          o,
        ),
    });
    const error = await runCase(
      runtimeConformanceCases(() => fakeRuntimeHarness(shelly)),
      /argv verbatim/,
    );
    expect(error).toMatchObject({ code: 'ERR_CONFORMANCE' });
    expect(String(error)).toContain('is the command run through a shell?');
  });

  it('a runtime that kills at once fails the SIGKILL timing case', async () => {
    const hasty = (fake: FakeRuntime): Runtime => ({
      startContainer: (p, c, o) => fake.startContainer(p, c, o),
      exec: (r, argv, o) => fake.exec(r, argv, o),
      stopContainer: (r, o) => fake.stopContainer(r, { ...o, timeoutSeconds: 0 }),
    });
    const error = await runCase(
      runtimeConformanceCases(() => fakeRuntimeHarness(hasty)),
      /SIGKILL after timeoutSeconds/,
    );
    expect(String(error)).toMatch(/stopContainer settled 999 ms after it was called, before the 1 s timeout/);
  });

  it('a client that follows redirects fails the redirect case', async () => {
    const following = (fake: FakeHttpClient): HttpClient => ({
      request: async (req, o) => {
        const res = await fake.request(req, o);
        const location = res.headers?.['location'];
        return location === undefined ? res : fake.request({ ...req, url: new URL(location, req.url).href }, o);
      },
    });
    const error = await runCase(
      httpClientConformanceCases(() => fakeHttpHarness(following)),
      /redirects/,
    );
    expect(String(error)).toContain('expected 302 with location "/ok" (not followed), got {"status":200');
  });

  it('a runtime that leaves an abort listener per call fails the listener case, naming the calls and the fix', async () => {
    const leaky = (fake: FakeRuntime): Runtime => {
      const leak = (signal: AbortSignal): void => signal.addEventListener('abort', () => undefined, { once: true });
      return {
        startContainer: (p, c, o) => fake.startContainer(p, c, o),
        exec: (r, argv, o) => {
          leak(o.signal);
          return fake.exec(r, argv, o);
        },
        stopContainer: (r, o) => {
          leak(o.signal);
          leak(o.signal);
          return fake.stopContainer(r, o);
        },
      };
    };
    const error = await runCase(
      runtimeConformanceCases(() => fakeRuntimeHarness(leaky)),
      /abort listeners/,
    );
    expect(error).toMatchObject({ code: 'ERR_CONFORMANCE' });
    expect(String(error)).toContain(
      '"removes its abort listeners once a call settles": 4 abort listener(s) were still on the signal',
    );
    expect(String(error)).toContain('(exec exiting 0 left 1, exec exiting 3 left 1, stopContainer left 2)');
    expect(String(error)).toContain(
      'Remove the listener when the call settles, however it ends (resolve, reject or abort)',
    );
  });

  it('a runtime that removes its listeners passes the listener case, however it attached them', async () => {
    const tidy = (fake: FakeRuntime): Runtime => ({
      startContainer: async (p, c, o) => {
        const done = new AbortController(); // removed through the { signal } option
        o.signal.addEventListener('abort', () => undefined, { signal: done.signal });
        try {
          return await fake.startContainer(p, c, o);
        } finally {
          done.abort();
        }
      },
      exec: async (r, argv, o) => {
        const onAbort = (): void => undefined;
        o.signal.addEventListener('abort', onAbort, true);
        o.signal.addEventListener('abort', onAbort, true); // the same (listener, capture): one listener
        try {
          return await fake.exec(r, argv, o);
        } finally {
          o.signal.removeEventListener('abort', onAbort, { capture: true });
        }
      },
      stopContainer: (r, o) => fake.stopContainer(r, o),
    });
    expect(
      await runCase(
        runtimeConformanceCases(() => fakeRuntimeHarness(tidy)),
        /abort listeners/,
      ),
    ).toBe('passed');
  });

  it('a client that leaves an abort listener per request fails the listener case, naming the requests', async () => {
    const leaky = (fake: FakeHttpClient): HttpClient => ({
      request: (req, o) => {
        const onAbort = (): void => undefined;
        o.signal.addEventListener('abort', onAbort, { once: true });
        o.signal.removeEventListener('abort', onAbort, true); // wrong capture flag: removes nothing
        return fake.request(req, o).finally(() => o.signal.addEventListener('abort', () => undefined));
      },
    });
    const error = await runCase(
      httpClientConformanceCases(() => fakeHttpHarness(leaky)),
      /abort listeners/,
    );
    expect(error).toMatchObject({ code: 'ERR_CONFORMANCE' });
    expect(String(error)).toContain(
      'HttpClient conformance, "removes its abort listeners once a call settles": 4 abort listener(s)',
    );
    expect(String(error)).toContain('(request GET /ok (resolves) left 2, request to a refused URL (rejects) left 2)');
    expect(String(error)).toContain("signal.removeEventListener('abort', onAbort)");
  });

  it('a client that ignores abort signals fails the abort case', async () => {
    const deaf = (fake: FakeHttpClient): HttpClient => ({
      request: (req) => fake.request(req, { signal: new AbortController().signal }),
    });
    const error = await runCase(
      httpClientConformanceCases(() => fakeHttpHarness(deaf)),
      /in-flight/,
    );
    expect(String(error)).toContain('GET /slow aborted after 50 ms did not settle within 0 ms');
  });
});
