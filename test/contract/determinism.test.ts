import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/index.js';
import { runScenario } from '../../src/testing/index.js';
import { drive, execAfter, harness, makePod, wait } from './helpers.js';

interface Inputs {
  grace: number;
  drainMs: number;
  drainExit: number;
  httpMs: number;
  httpStatus: number;
  sideMs: number;
  deleteAt: number;
  deleteGrace: number | undefined;
}

async function play(i: Inputs) {
  const h = harness();
  h.runtime.onExec('/drain', execAfter(i.drainMs, { exitCode: i.drainExit, stdout: 'o', stderr: 'e' }));
  h.runtime.onExec('/side', execAfter(i.sideMs, { exitCode: 0 }));
  h.runtime.onStop('api', ({ clock }) => wait(clock, 1_500));
  h.http.handler = (_req, { clock }) => wait(clock, i.httpMs).then(() => ({ status: i.httpStatus }));
  const pod = makePod({
    tgps: i.grace,
    podIP: '10.0.0.7',
    initContainers: [
      { name: 'side', restartPolicy: 'Always', lifecycle: { preStop: { exec: { command: ['/side'] } } } },
    ],
    containers: [
      { name: 'web', lifecycle: { preStop: { exec: { command: ['/drain'] } } } },
      {
        name: 'api',
        lifecycle: { postStart: { sleep: { seconds: 1 } }, preStop: { httpGet: { port: 80, path: '/stop' } } },
      },
    ],
  });
  for (const n of ['side', 'web', 'api']) await drive(h.clock, h.manager.startContainer(pod, n));
  await h.clock.advance(i.deleteAt);
  const result = await drive(
    h.clock,
    h.manager.deletePod(pod, i.deleteGrace === undefined ? {} : { gracePeriodSeconds: i.deleteGrace }),
  );
  return {
    events: h.events,
    steps: h.steps,
    calls: h.runtime.calls,
    http: h.http.requests,
    result,
    end: h.clock.now(),
  };
}

describe('DESIGN §2: same inputs + scripted adapters + clock → identical event trace', () => {
  it('two runs of a fixed multi-container scenario are identical', async () => {
    const inputs: Inputs = {
      grace: 20,
      drainMs: 7_500,
      drainExit: 1,
      httpMs: 3_000,
      httpStatus: 500,
      sideMs: 100,
      deleteAt: 2_000,
      deleteGrace: undefined,
    };
    const a = await play(inputs);
    const b = await play(inputs);
    expect(b).toEqual(a);
    expect(a.events.length).toBeGreaterThan(5);
  });

  test.prop(
    [
      fc.record({
        grace: fc.integer({ min: 1, max: 60 }),
        drainMs: fc.integer({ min: 0, max: 90_000 }),
        drainExit: fc.integer({ min: 0, max: 2 }),
        httpMs: fc.integer({ min: 0, max: 90_000 }),
        httpStatus: fc.constantFrom(200, 302, 500),
        sideMs: fc.integer({ min: 0, max: 90_000 }),
        deleteAt: fc.integer({ min: 0, max: 10_000 }),
        deleteGrace: fc.option(fc.integer({ min: -1, max: 60 }), { nil: undefined }),
      }),
    ],
    { numRuns: 25 },
  )(
    'random inputs: the trace is a function of the inputs; every timestamp is a clock reading, non-decreasing',
    async (inputs) => {
      const a = await play(inputs);
      const b = await play(inputs);
      expect(b).toEqual(a);
      const ts = a.events.map((e) => e.timestamp);
      expect([...ts].sort((x, y) => x - y)).toEqual(ts);
      // every stop timeout is at least the 2 s minimum (spec §4.2-C.7)
      for (const c of a.calls.filter((x) => x.kind === 'stop')) expect(c.timeoutSeconds).toBeGreaterThanOrEqual(2);
    },
  );

  it('runScenario: two runs of the same input give the same trace (docs/testing.md)', async () => {
    const pod: Pod = {
      metadata: { name: 'shop', namespace: 'default', uid: 'u' },
      spec: {
        terminationGracePeriodSeconds: 30,
        containers: [{ name: 'web', lifecycle: { preStop: { exec: { command: ['/drain'] } } } }],
      },
    };
    const scenario = {
      actions: [
        { at: 0, startAll: true as const },
        { at: 10_000, delete: true as const },
      ],
      hooks: { 'web.preStop': { exitCode: 0, delayMs: 8_000 } },
      stops: { web: { ignoreSigterm: true } },
    };
    const a = await runScenario(pod, scenario);
    const b = await runScenario(pod, scenario);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.violations).toEqual([]);
    expect(a.runtime.filter((e) => e.kind === 'signal').map((e) => `${e.signal}@${e.at}`)).toEqual([
      'SIGTERM@18000',
      'SIGKILL@40000',
    ]);
  });
});
