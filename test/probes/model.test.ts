// Random drives of ContainerProbes: starts, exits, termination, changing answers, time. Whatever
// the order, the status and kills obey spec pod §5.3 and §6.1, and stop() leaves nothing behind.

import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import type { Container } from '../../src/api/types.js';
import { sleepOn } from '../../src/ports/clock.js';
import { ContainerProbes } from '../../src/probes/container-probes.js';
import type { ProbeType } from '../../src/probes/probe-spec.js';
import { probeArbitrary } from '../../src/testing/probe-arbitraries.js';
import { checkNoLivenessKillBeforeStartup, ProbeTraceRecorder } from '../../src/testing/probe-invariants.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { execRuntime, makePod, makeRef, stubHttp } from './helpers.js';

type Op =
  | { readonly op: 'advance'; readonly ms: number }
  | { readonly op: 'start' | 'exit' | 'terminate' }
  | { readonly op: 'answer'; readonly type: ProbeType; readonly healthy: boolean };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 5000 }).map((ms) => ({ op: 'advance' as const, ms })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('start' as const, 'exit' as const, 'terminate' as const).map((op) => ({ op })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('answer' as const),
      type: fc.constantFrom<ProbeType>('liveness', 'readiness', 'startup'),
      healthy: fc.boolean(),
    }),
  },
);

const optional = (type: ProbeType) =>
  fc.option(probeArbitrary(fc, { type, handlers: ['tcpSocket'], maxPeriodSeconds: 3, maxThreshold: 2 }), {
    nil: undefined,
  });

test.prop([
  optional('startup'),
  optional('liveness'),
  optional('readiness'),
  fc.array(opArbitrary, { maxLength: 60 }),
  fc.integer({ min: 0, max: 3000 }),
])(
  'status, kills and stop() hold under any drive (spec pod §5.3, §6.1)',
  async (startupProbe, livenessProbe, readinessProbe, ops, latencyMs) => {
    const clock = new VirtualClock();
    const container = { name: 'app', startupProbe, livenessProbe, readinessProbe } as Container;
    const healthy: Record<ProbeType, boolean> = { liveness: true, readiness: true, startup: true };
    const recorder = new ProbeTraceRecorder(clock);
    const trace = recorder.container('app', startupProbe !== undefined);
    let running: string | undefined;
    let instances = 0;
    let callbacksAfterStop = 0;
    let isStopped = false;
    const problems: string[] = [];
    const probes = new ContainerProbes({
      pod: makePod(container),
      container,
      clock,
      runtime: execRuntime(() => Promise.resolve({ exitCode: 0 })),
      httpClient: stubHttp(() => Promise.resolve({ status: 200 })),
      // Each attempt takes latencyMs on the clock, so containers can exit or restart meanwhile.
      attempt: async (probe, ctx) => {
        const isHealthy = healthy[probe.type];
        if (latencyMs > 0) await sleepOn(clock, latencyMs, ctx.signal).catch(() => undefined);
        return isHealthy ? { result: 'success', output: '' } : { result: 'failure', output: 'down' };
      },
      onResult: (type, result) => {
        if (isStopped) callbacksAfterStop++;
        trace.onResult(type, result);
      },
      onKill: (kill) => {
        if (isStopped) callbacksAfterStop++;
        if (kill.ref.id !== running) problems.push(`kill of ${kill.ref.id} while ${running ?? 'nothing'} runs`);
        trace.onKill(kill);
      },
      onStatusChange: ({ started, ready }) => {
        if (isStopped) callbacksAfterStop++;
        if (ready && !started) problems.push('ready while not started');
        if (started && running === undefined) problems.push('started while not running');
      },
    });
    for (const op of ops) {
      if (op.op === 'advance') await clock.advance(op.ms);
      else if (op.op === 'answer') healthy[op.type] = op.healthy;
      else if (op.op === 'start') {
        running = `c${++instances}`;
        trace.started();
        probes.containerStarted({ ref: makeRef('app', running) });
      } else if (op.op === 'exit') {
        running = undefined;
        probes.containerExited();
      } else probes.podTerminating();
    }
    probes.stop();
    isStopped = true;
    await clock.advance(60_000);
    expect(problems).toEqual([]);
    expect(callbacksAfterStop).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    if (startupProbe !== undefined) expect(checkNoLivenessKillBeforeStartup(recorder.trace)).toEqual([]);
  },
);
