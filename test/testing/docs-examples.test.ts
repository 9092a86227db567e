// Every ```ts block of docs/testing.md appears in this file (imports with the package names
// rewritten to ../../src paths), and the last test checks that they stay in sync.
import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { LifecycleManager, sleepOn } from '../../src/index.js';
import {
  EXITS_BY_ITSELF_AFTER_MS, FakeHttpClient, FakeRuntime, VirtualClock, duplicateDeliveryRuntime, registerConformanceCases,
  runtimeConformanceCases,
} from '../../src/testing/index.js';
import type { RuntimeConformanceHarness } from '../../src/testing/index.js';
import { validatePod } from '../../src/index.js';
import { checkTraceInvariants, lifecycleArbitraries, runScenario, scheduledClock } from '../../src/testing/index.js';

const pod = {
  metadata: { name: 'shop', namespace: 'default', uid: 'u-1' },
  spec: { containers: [{ name: 'web', lifecycle: { preStop: { exec: { command: ['/bin/deregister'] } } } }] },
};

describe('docs/testing.md examples', () => {
  it('virtual time', async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    void sleepOn(clock, 30_000).then(() => log.push(`grace over at ${clock.now()}`));

    await clock.advance(29_999);
    expect(log).toEqual([]);
    await clock.advance(1);
    expect(log).toEqual(['grace over at 30000']);
  });

  it('settling by a yield (drain)', async () => {
    const drain = () => new Promise<void>((resolve) => process.nextTick(resolve));
    const clock = new VirtualClock({ drain });
    const trace = await runScenario(pod, { actions: [{ at: 0, startAll: true }, { at: 5_000, delete: true }] }, { drain });

    const deep = (async () => {
      for (let i = 0; i < 10_000; i++) await undefined; // far deeper than 200 turns
      return clock.now();
    })();
    await clock.flush();
    expect(await Promise.race([deep, 'not settled'])).toBe(0);
    const windows = await runScenario(pod, { actions: [{ at: 0, startAll: true }, { at: 5_000, delete: true }] });
    expect(trace).toEqual(windows);
    expect(trace.violations).toEqual([]);
  });

  it('fake runtime', async () => {
    const clock = new VirtualClock();
    const runtime = new FakeRuntime({ clock })
      .onExec(['/bin/deregister'], { exitCode: 0, delayMs: 12_300 })
      .onStop('web', { exitsOn: [] }); // ignores SIGTERM: only SIGKILL ends it
    const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock });

    await manager.startContainer(pod, 'web');
    const stopping = manager.stopContainer(pod, 'web');
    await clock.runAll();

    expect(await stopping).toMatchObject({ preStop: { outcome: 'succeeded' }, stopTimeoutSeconds: 18 });
    expect(runtime.timeline.filter((e) => e.kind === 'signal').map((e) => `${e.signal}@${e.at}`))
      .toEqual(['SIGTERM@12300', 'SIGKILL@30300']);
  });

  it('fake HTTP client', async () => {
    const clock = new VirtualClock();
    const http = new FakeHttpClient({ clock })
      .route('/drain', { status: 200, delayMs: 2_000 })
      .route('/old', { status: 302, headers: { Location: '/new' } });

    const request = { method: 'GET', url: 'http://10.0.0.7:8080/old', headers: [] } as const;
    const signal = new AbortController().signal;
    expect(await http.request(request, { signal })).toEqual({ status: 302, headers: { location: '/new' } });

    expect(() => http.assertAllRoutesHit()).toThrow(/1 route\(s\) never hit/);
  });

  // duplicate delivery: a property test with @fast-check/vitest
  test.prop([fc.integer({ min: 1, max: 4 }), fc.constantFrom('sequential' as const, 'concurrent' as const)])(
    'preStop deregistration survives duplicate delivery',
    async (times, mode) => {
      const clock = new VirtualClock();
      const backends = new Set(['shop-web']);
      const fake = new FakeRuntime({ clock }).onExec(['/bin/deregister'], () => {
        backends.delete('shop-web'); // idempotent: deleting twice is fine
        return { exitCode: 0 };
      });
      const runtime = duplicateDeliveryRuntime(fake, times, { mode });
      const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock });

      await manager.startContainer(pod, 'web');
      const stopping = manager.stopContainer(pod, 'web');
      await clock.runAll();

      expect((await stopping).preStop?.outcome).toBe('succeeded');
      expect(backends.has('shop-web')).toBe(false);
      expect(fake.timeline.filter((e) => e.kind === 'exec')).toHaveLength(times);
    },
  );

  it('scenarios', async () => {
    const trace = await runScenario(pod, {
      actions: [{ at: 0, startAll: true }, { at: 10_000, delete: true }],
      hooks: { 'web.preStop': { exitCode: 0, delayMs: 8_000 } },
      stops: { web: { ignoreSigterm: true } },
    });

    expect(trace.violations).toEqual([]);
    expect(trace.runtime.filter((e) => e.kind === 'signal').map((e) => `${e.signal}@${e.at}`))
      .toEqual(['SIGTERM@18000', 'SIGKILL@40000']);
    expect(trace.results[1]?.termination?.finishedAt).toBe(40_000);
  });

  it('scenario errors', async () => {
    await expect(runScenario(pod, { actions: [{ at: 5_000, crash: 'wbe' }] })).rejects.toThrow(
      'scenario.actions[0].crash: unknown container "wbe"; the pod has web',
    );
  });

  describe('property tests', () => {
    const arbs = lifecycleArbitraries(fc);

    test.prop([arbs.scenario], { numRuns: 200 })('random scenarios keep the Kubernetes invariants', async ({ pod, scenario }) => {
      const trace = await runScenario(pod, scenario);
      expect(trace.violations).toEqual([]);
    });

    test.prop([arbs.invalidPod])('validation reports the broken field', ({ pod, field }) => {
      expect(validatePod(pod).map((e) => e.field)).toContain(field);
    });

    const tickDrain = () => new Promise<void>((resolve) => process.nextTick(resolve));

    test.prop([arbs.scenario], { numRuns: 200 })('the same invariants, one yield per flush', async ({ pod, scenario }) => {
      const trace = await runScenario(pod, scenario, { drain: tickDrain });
      expect(trace.violations).toEqual([]);
    });
  });

  test.prop([fc.scheduler()])('preStop answer vs grace deadline', async (s) => {
    const clock = scheduledClock(s, new VirtualClock());
    const deregister = s.scheduleFunction(async () => ({ exitCode: 0 }));
    const runtime = new FakeRuntime({ clock }).onExec(['/bin/deregister'], () => deregister());
    const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock });

    await s.waitFor(manager.startContainer(pod, 'web'));
    const result = await s.waitFor(manager.stopContainer(pod, 'web'));
    expect(['succeeded', 'timedOut']).toContain(result.preStop.outcome);
    expect(result.stopTimeoutSeconds).toBe(result.preStop.outcome === 'succeeded' ? 30 : 2);
  });

  it('trace invariants', () => {
    const violations = checkTraceInvariants({
      events: [],
      steps: [],
      runtime: [
        { kind: 'stop', at: 1_000, podName: 'shop', container: 'web', containerId: 'web-1', timeoutSeconds: 30 },
        { kind: 'signal', at: 2_000, podName: 'shop', container: 'web', containerId: 'web-1', signal: 'SIGKILL' },
      ],
    });
    expect(violations).toEqual([{
      invariant: 'sigkill-deadline',
      container: 'web (web-1)',
      time: 2_000,
      message: 'web (web-1) got SIGKILL at 2000 ms, before its deadline of 31000 ms',
    }]);
  });
});

function fakeHarness(): RuntimeConformanceHarness {
  const clock = new VirtualClock();
  const runtime = new FakeRuntime({ clock })
    .onExec((argv) => argv[0] === 'exit', ({ argv }) => JSON.parse(argv[1]!))
    .onExec((argv) => argv[0] === 'echo', ({ argv }) => ({ exitCode: 0, stdout: argv.slice(1).map((a) => `${a}\n`).join('') }))
    .onExec(['hang'], { hang: true });
  let n = 0;
  return {
    runtime,
    clock,
    container: (behaviour) => {
      const name = `c${++n}`;
      runtime.onStop(name, behaviour === 'ignores-signals' ? { exitsOn: [] } : {});
      // the suite starts it at once: script its exit from the start (code 3, 500 ms later)
      if (behaviour === 'exits-by-itself') clock.setTimeout(() => runtime.crash(name, { exitCode: 3, afterMs: EXITS_BY_ITSELF_AFTER_MS }), 0);
      return { pod: { metadata: { name: 'conformance' } }, container: { name } };
    },
    observedSignals: (ref) => runtime.container(ref.id)?.signals.filter((s) => s !== 'SIGKILL') ?? [],
    commands: {
      exit: (result) => ['exit', JSON.stringify(result)],
      echoArgs: (args) => ['echo', ...args],
      hang: () => ['hang'],
    },
  };
}

describe('FakeRuntime conformance', () => {
  registerConformanceCases(runtimeConformanceCases(fakeHarness), test);
});

describe('docs/testing.md', () => {
  it('shows only code that runs in this file', () => {
    const normalize = (text: string): string =>
      text.split('\n').map((line) => line.trim()).filter((line) => line !== '').join('\n')
        .replaceAll("'kube-lifecycle/testing'", "'../../src/testing/index.js'")
        .replaceAll("'kube-lifecycle'", "'../../src/index.js'");
    const doc = readFileSync(new URL('../../docs/testing.md', import.meta.url), 'utf8');
    const self = normalize(readFileSync(new URL(import.meta.url), 'utf8'));
    const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThan(4);
    const table = /```\n(FakeHttpClient: [\s\S]*?)\n```/.exec(doc)?.[1];
    const http = new FakeHttpClient({ clock: new VirtualClock() }).route('/drain', { status: 200, delayMs: 2_000 }).route('/old', { status: 302 });
    void http.request({ method: 'GET', url: 'http://10.0.0.7:8080/old', headers: [] }, { signal: new AbortController().signal });
    expect(() => http.assertAllRoutesHit()).toThrow(table);
    for (const block of blocks) expect(self, `docs/testing.md block:\n${block}`).toContain(normalize(block));
  });
});
