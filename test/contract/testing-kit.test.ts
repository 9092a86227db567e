import { describe, expect, it, test } from 'vitest';
import {
  type Clock,
  type Container,
  type ContainerRef,
  type ExecResult,
  HTTP_RESPONSE_TO_HTTPS_CLIENT,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  LifecycleManager,
  type Pod,
  type Runtime,
  sleepOn,
  stopWithEscalation,
} from '../../src/index.js';
import {
  duplicateDeliveryRuntime,
  FakeHttpClient,
  FakeRuntime,
  HTTP_CONFORMANCE_ROUTES,
  httpClientConformanceCases,
  type RuntimeConformanceHarness,
  registerConformanceCases,
  runtimeConformanceCases,
  TestingError,
  VirtualClock,
  VirtualClockError,
} from '../../src/testing/index.js';

describe('docs/testing.md VirtualClock semantics', () => {
  it('time moves only when told; the documented 30 s example', async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    void sleepOn(clock, 30_000).then(() => log.push(`grace over at ${clock.now()}`));
    await clock.advance(29_999);
    expect(log).toEqual([]);
    await clock.advance(1);
    expect(log).toEqual(['grace over at 30000']);
  });

  it("deadline order, FIFO on ties, now() = the firing timer's deadline", async () => {
    const clock = new VirtualClock();
    const fired: Array<[string, number]> = [];
    clock.setTimeout(() => fired.push(['b', clock.now()]), 200);
    clock.setTimeout(() => fired.push(['a1', clock.now()]), 100);
    clock.setTimeout(() => fired.push(['a2', clock.now()]), 100);
    await clock.advance(1_000);
    expect(fired).toEqual([
      ['a1', 100],
      ['a2', 100],
      ['b', 200],
    ]);
    expect(clock.now()).toBe(1_000);
  });

  it('a timer armed during advance within the range fires in the same advance at its own deadline', async () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 300);
    }, 100);
    await clock.advance(500);
    expect(fired).toEqual([100, 400]);
  });

  it('promise chains resumed by a timer reach their next clock sleep before time moves on', async () => {
    const clock = new VirtualClock();
    const times: number[] = [];
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await Promise.resolve();
        await Promise.resolve();
        await sleepOn(clock, 1_000);
        times.push(clock.now());
      }
    })();
    await clock.advance(3_000);
    expect(times).toEqual([1_000, 2_000, 3_000]);
  });

  it('negative/NaN delays count as 0; Infinity never fires', async () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('neg'), -5);
    clock.setTimeout(() => fired.push('nan'), NaN);
    clock.setTimeout(() => fired.push('inf'), Infinity);
    await clock.advance(0);
    expect(fired).toEqual(['neg', 'nan']);
    expect(await clock.next()).toBe(false);
  });

  it('going backwards is refused (ERR_CLOCK_BACKWARDS); concurrent moves refused (ERR_CLOCK_BUSY)', async () => {
    const clock = new VirtualClock({ startAt: 1_000 });
    await expect(clock.advanceTo(999)).rejects.toMatchObject({ code: 'ERR_CLOCK_BACKWARDS' });
    await expect(clock.advance(-1)).rejects.toBeInstanceOf(VirtualClockError);
    clock.setTimeout(() => {}, 10);
    const a = clock.advance(100);
    await expect(clock.advance(100)).rejects.toMatchObject({ code: 'ERR_CLOCK_BUSY' });
    await a;
  });

  it('runAll stops endless rescheduling with ERR_CLOCK_TIMER_LIMIT; clearTimeout ignores foreign handles', async () => {
    const clock = new VirtualClock();
    const again = () => {
      clock.setTimeout(again, 1);
    };
    again();
    await expect(clock.runAll({ maxTimers: 50 })).rejects.toMatchObject({ code: 'ERR_CLOCK_TIMER_LIMIT' });
    expect(() => clock.clearTimeout({ foreign: true })).not.toThrow();
    expect(() => clock.clearTimeout(undefined)).not.toThrow();
  });

  it('setTimeout/clearTimeout/now work detached (as p-timeout customTimers call them)', async () => {
    const clock = new VirtualClock();
    const { setTimeout: st, clearTimeout: ct, now } = clock;
    let n = 0;
    const h = st(() => n++, 10);
    st(() => (n += 10), 10);
    ct(h);
    await clock.advance(10);
    expect([n, now()]).toEqual([10, 10]);
  });
});

describe('docs/testing.md FakeRuntime + README quick start', () => {
  it('README example: preStop 4 s, grace 10 → 6 s left, exit at 5000 ms', async () => {
    const clock = new VirtualClock();
    const runtime = new FakeRuntime({ clock })
      .onExec(['/app/drain'], { exitCode: 0, delayMs: 4_000 })
      .onStop('web', { exitDelayMs: 1_000 });
    const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock });
    const pod: Pod = {
      metadata: { name: 'web', namespace: 'default', uid: 'c0ffee' },
      spec: {
        terminationGracePeriodSeconds: 30,
        containers: [{ name: 'web', image: 'nginx', lifecycle: { preStop: { exec: { command: ['/app/drain'] } } } }],
      },
    };
    await manager.startContainer(pod, 'web');
    const deleting = manager.deletePod(pod, { gracePeriodSeconds: 10 });
    await clock.runAll();
    const [web] = (await deleting).containers;
    expect(web).toMatchObject({
      preStop: { outcome: 'succeeded', elapsedMs: 4_000 },
      stopTimeoutSeconds: 6,
      exitedAt: 5_000,
    });
  });

  it('testing.md: SIGTERM@12300, SIGKILL@30300 for a container ignoring SIGTERM', async () => {
    const clock = new VirtualClock();
    const runtime = new FakeRuntime({ clock })
      .onExec(['/bin/deregister'], { exitCode: 0, delayMs: 12_300 })
      .onStop('web', { exitsOn: [] });
    const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock });
    const pod: Pod = {
      metadata: { name: 'shop', namespace: 'default', uid: 'u' },
      spec: { containers: [{ name: 'web', lifecycle: { preStop: { exec: { command: ['/bin/deregister'] } } } }] },
    };
    await manager.startContainer(pod, 'web');
    const stopping = manager.stopContainer(pod, 'web');
    await clock.runAll();
    expect(await stopping).toMatchObject({ preStop: { outcome: 'succeeded' }, stopTimeoutSeconds: 18 });
    expect(runtime.timeline.filter((e) => e.kind === 'signal').map((e) => `${e.signal}@${e.at}`)).toEqual([
      'SIGTERM@12300',
      'SIGKILL@30300',
    ]);
  });

  it('duplicateDeliveryRuntime delivers every exec N times; the manager sees one outcome', async () => {
    const clock = new VirtualClock();
    let calls = 0;
    const fake = new FakeRuntime({ clock }).onExec(['/bin/deregister'], () => {
      calls++;
      return { exitCode: 0 };
    });
    const manager = new LifecycleManager({
      runtime: duplicateDeliveryRuntime(fake, 3, { mode: 'concurrent' }),
      httpClient: new FakeHttpClient({ clock }),
      clock,
    });
    const pod: Pod = {
      metadata: { name: 'shop', uid: 'u' },
      spec: { containers: [{ name: 'web', lifecycle: { preStop: { exec: { command: ['/bin/deregister'] } } } }] },
    };
    await manager.startContainer(pod, 'web');
    const stopping = manager.stopContainer(pod, 'web');
    await clock.runAll();
    expect((await stopping).preStop.outcome).toBe('succeeded');
    expect(calls).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------
// A hand-written Runtime (simulated processes on an injected clock, escalation through the
// exported stopWithEscalation), proven with the shipped conformance suite (docs/adapters.md).
// ---------------------------------------------------------------------------------------------
interface Proc {
  behaviour: string;
  signals: string[];
  exited: boolean;
  exit: () => void;
  exitedP: Promise<void>;
}

class SimulatedProcessRuntime implements Runtime {
  readonly procs = new Map<string, Proc>();
  #n = 0;
  constructor(
    readonly clock: Clock,
    readonly killImmediately = false,
  ) {}
  startContainer(_pod: Pod, container: Container): Promise<{ id: string }> {
    const id = `sim-${++this.#n}`;
    let exit!: () => void;
    const exitedP = new Promise<void>((r) => {
      exit = r;
    });
    const proc: Proc = {
      behaviour: container.env?.find((e) => e.name === 'BEHAVIOUR')?.value ?? 'exits-on-signal',
      signals: [],
      exited: false,
      exitedP,
      exit: () => {
        proc.exited = true;
        exit();
      },
    };
    this.procs.set(id, proc);
    return Promise.resolve({ id });
  }
  exec(ref: ContainerRef, command: readonly string[], options: { signal: AbortSignal }): Promise<ExecResult> {
    const proc = this.procs.get(ref.id);
    if (!proc || proc.exited) return Promise.reject(new Error(`container ${ref.id} is not running`));
    const [cmd, ...args] = command;
    if (cmd === 'exit') return Promise.resolve(JSON.parse(args[0]!) as ExecResult);
    if (cmd === 'echo') return Promise.resolve({ exitCode: 0, stdout: args.map((a) => `${a}\n`).join(''), stderr: '' });
    if (cmd === 'hang') {
      return new Promise((_r, reject) => {
        if (options.signal.aborted) reject(options.signal.reason);
        options.signal.addEventListener('abort', () => reject(options.signal.reason), { once: true });
      });
    }
    return Promise.resolve({ exitCode: 127, stdout: '', stderr: `exec: "${cmd}": executable file not found in $PATH` });
  }
  async stopContainer(
    ref: ContainerRef,
    options: { stopSignal?: string; timeoutSeconds: number; signal: AbortSignal },
  ): Promise<void> {
    const proc = this.procs.get(ref.id);
    if (!proc || proc.exited) return;
    await stopWithEscalation({
      clock: this.clock,
      stopSignal: options.stopSignal,
      timeoutSeconds: this.killImmediately ? 0 : options.timeoutSeconds,
      signal: options.signal,
      exited: proc.exitedP,
      sendSignal: (s) => {
        if (s === 'SIGKILL') {
          proc.exit();
          return;
        }
        proc.signals.push(s);
        if (proc.behaviour === 'exits-on-signal' && (s === 'SIGTERM' || s === 'SIGINT')) proc.exit();
      },
    });
  }
}

function simulatedHarness(killImmediately = false): () => RuntimeConformanceHarness {
  return () => {
    const clock = new VirtualClock();
    const runtime = new SimulatedProcessRuntime(clock, killImmediately);
    return {
      runtime,
      clock,
      container: (behaviour) => {
        const container: Container = { name: behaviour, env: [{ name: 'BEHAVIOUR', value: behaviour }] };
        return {
          pod: { metadata: { name: 'conformance', namespace: 'default', uid: 'c' }, spec: { containers: [container] } },
          container,
        };
      },
      observedSignals: (ref) => runtime.procs.get(ref.id)?.signals ?? [],
      commands: {
        exit: (r) => ['exit', JSON.stringify(r)],
        echoArgs: (args) => ['echo', ...args],
        hang: () => ['hang'],
      },
    };
  };
}

describe('docs/adapters.md: the Runtime conformance suite runs against a hand-written Runtime', () => {
  registerConformanceCases(runtimeConformanceCases(simulatedHarness()), test, { prefix: 'hand-written runtime: ' });

  it('the suite is not vacuous: a runtime that SIGKILLs at once fails with ERR_CONFORMANCE', async () => {
    const cases = runtimeConformanceCases(simulatedHarness(true));
    const failures: unknown[] = [];
    for (const c of cases) await c.run().catch((e: unknown) => failures.push(e));
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) expect(f).toMatchObject({ code: 'ERR_CONFORMANCE' });
    expect(failures[0]).toBeInstanceOf(TestingError);
  });
});

// A hand-written HttpClient over a simulated network on an injected clock.
class SimulatedHttpClient implements HttpClient {
  constructor(readonly clock: Clock) {}
  request(request: HttpRequest, options: { signal: AbortSignal }): Promise<HttpResponse> {
    const url = new URL(request.url);
    if (url.hostname === 'refused.test')
      return Promise.reject(
        Object.assign(new Error(`Get "${request.url}": dial tcp ${url.host}: connect: connection refused`), {
          code: 'ECONNREFUSED',
        }),
      );
    if (url.protocol === 'https:')
      return Promise.reject(
        Object.assign(new Error(`Get "${request.url}": server gave HTTP response to HTTPS client`), {
          code: HTTP_RESPONSE_TO_HTTPS_CLIENT,
        }),
      );
    const route = HTTP_CONFORMANCE_ROUTES.find((r) => r.path === url.pathname);
    const answer = (): HttpResponse => {
      if (!route) return { status: 404, headers: {} };
      return {
        status: route.status,
        headers: Object.fromEntries(Object.entries(route.headers).map(([k, v]) => [k.toLowerCase(), v])),
      };
    };
    return new Promise((resolve, reject) => {
      if (options.signal.aborted) {
        reject(options.signal.reason);
        return;
      }
      const delay = route?.delayMs ?? 0;
      // The listener goes once the request settles: the manager may pass one signal to many calls.
      const onAbort = (): void => {
        if (t !== undefined) this.clock.clearTimeout(t);
        reject(options.signal.reason);
      };
      const t = Number.isFinite(delay)
        ? this.clock.setTimeout(() => {
            options.signal.removeEventListener('abort', onAbort);
            resolve(answer());
          }, delay)
        : undefined;
      options.signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

describe('docs/adapters.md: the HttpClient conformance suite runs against a hand-written HttpClient', () => {
  registerConformanceCases(
    httpClientConformanceCases(() => {
      const clock = new VirtualClock();
      return {
        client: new SimulatedHttpClient(clock),
        clock,
        server: {
          url: (p) => `http://10.9.9.9:8080${p}`,
          httpsUrlSpeakingPlainHttp: (p) => `https://10.9.9.9:8080${p}`,
          refusedUrl: (p) => `http://refused.test:1${p}`,
        },
      };
    }),
    test,
    { prefix: 'hand-written http client: ' },
  );
});
