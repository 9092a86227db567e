/**
 * The exec prober (src/probes/exec-prober.ts) against the general path it replaces for exec
 * probes (`runProbeWithRetries` over `runExecProbe` and `withDeadline`): on the same scripted
 * runtime, both must give the same trace — every clock call, exec call, abort of an exec's signal
 * (with its reason), result, event, status change and kill, each stamped with the virtual time
 * and the microtask turn it happened at (spec pod §6.1–§6.3: the timing, retries and outcomes
 * of a probe run are the kubelet's, and the speed-up must not move anything an embedder sees).
 */

import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { Container } from '../../src/api/types.js';
import type { Clock } from '../../src/ports/clock.js';
import type { ExecResult, Runtime } from '../../src/ports/runtime.js';
import { ContainerProbes } from '../../src/probes/container-probes.js';
import { runProbeAttempt } from '../../src/probes/run-probe.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { makePod, makeRef } from './helpers.js';

/** What one exec call does. */
type Behaviour =
  | 'ok'
  | 'fail'
  | 'reject'
  | 'malformed'
  | 'getterThrows'
  | 'throw'
  | 'ctorThrows'
  | 'hang'
  | 'late'
  | 'tooLate'
  | 'turns';
const BEHAVIOURS: readonly Behaviour[] = [
  'ok',
  'fail',
  'reject',
  'malformed',
  'getterThrows',
  'throw',
  'ctorThrows',
  'hang',
  'late',
  'tooLate',
  'turns',
];

interface Scenario {
  readonly behaviours: readonly Behaviour[];
  readonly timeoutSeconds: number;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
  readonly restartAtMs: number;
  readonly stopAtMs: number;
  readonly dollar: boolean;
}

/** Run `scenario`; `general` forces the general path (a scripted `attempt` that is the real handler). */
async function trace(scenario: Scenario, general: boolean): Promise<string[]> {
  const clock = new VirtualClock();
  const out: string[] = [];
  let turn = 0;
  let spinning = true;
  const spin = (): void => {
    turn++;
    if (spinning) void Promise.resolve().then(spin);
  };
  spin();
  const log = (what: string): void => void out.push(`${clock.now()}@${turn} ${what}`);
  const recording: Clock = {
    now: () => clock.now(),
    setTimeout: (callback, delayMs) => {
      log(`set ${delayMs}`);
      return clock.setTimeout(callback, delayMs);
    },
    clearTimeout: (handle) => {
      log('clear');
      clock.clearTimeout(handle);
    },
  };
  let calls = 0;
  const listened = new WeakSet<AbortSignal>();
  const runtime: Runtime = {
    startContainer: () => Promise.resolve({ id: 'c1' }),
    stopContainer: () => Promise.resolve(),
    exec: (_ref, command, { signal }): Promise<ExecResult> => {
      const behaviour = scenario.behaviours[calls++ % scenario.behaviours.length] as Behaviour;
      log(`exec ${command.join(' ')} ${behaviour}`);
      if (!listened.has(signal)) {
        listened.add(signal); // one listener per signal (the kept signal serves many calls)
        signal.addEventListener(
          'abort',
          () => log(`abort ${(signal.reason as Error).name}: ${String(signal.reason)}`),
          {
            once: true,
          },
        );
      }
      switch (behaviour) {
        case 'ok':
          return Promise.resolve({ exitCode: 0, stdout: 'fine' });
        case 'fail':
          return Promise.resolve({ exitCode: 3, stdout: 'out ', stderr: 'err' });
        case 'reject':
          return Promise.reject(new Error('exec broke'));
        case 'malformed':
          return Promise.resolve({ exitCode: 1.5 } as unknown as ExecResult);
        case 'getterThrows': // reading the result throws: the run's outcome step throws
          return Promise.resolve({
            get exitCode(): number {
              throw new Error('getter throws');
            },
          } as unknown as ExecResult);
        case 'throw':
          throw new Error('sync throw');
        case 'ctorThrows': {
          // `Promise.resolve` of it throws: the settlement itself rejects
          const weird = Promise.resolve({ exitCode: 0 });
          Object.defineProperty(weird, 'constructor', {
            get() {
              throw new Error('constructor getter throws');
            },
          });
          return weird;
        }
        case 'hang':
          return new Promise<ExecResult>(() => undefined);
        case 'late':
        case 'tooLate':
          return new Promise<ExecResult>((resolve) => {
            clock.setTimeout(() => resolve({ exitCode: 0 }), behaviour === 'late' ? 300 : 5_000);
          });
        default: {
          let p: Promise<ExecResult> = Promise.resolve({ exitCode: 0 });
          for (let i = 0; i < 5; i++) p = p.then((v) => v);
          return p;
        }
      }
    },
  };
  const probe = {
    exec: { command: scenario.dollar ? ['/bin/check', '$(MODE)'] : ['/bin/check', 'x'] },
    timeoutSeconds: scenario.timeoutSeconds,
    periodSeconds: scenario.periodSeconds,
    failureThreshold: scenario.failureThreshold,
  };
  const container = {
    name: 'app',
    image: 'app:1',
    env: [{ name: 'MODE', value: 'deep' }],
    livenessProbe: probe,
    readinessProbe: probe,
  } as Container;
  const probes = new ContainerProbes({
    pod: makePod(container),
    container,
    clock: recording,
    runtime,
    httpClient: { request: () => Promise.resolve({ status: 200 }) },
    onEvent: (event) => log(`event ${event.reason} ${event.message}`),
    onKill: (kill) => log(`kill ${kill.probeType}`),
    onStatusChange: (status) => log(`status ${status.started} ${status.ready}`),
    onResult: (type, result) => log(`result ${type} ${result}`),
    running: { ref: makeRef('app', 'c1') },
    ...(general ? { attempt: (p, ctx) => runProbeAttempt(p, ctx) } : {}),
  });
  await clock.advance(scenario.restartAtMs);
  probes.containerExited();
  probes.containerStarted({ ref: makeRef('app', 'c2') });
  await clock.advance(scenario.stopAtMs);
  log('stop');
  probes.stop();
  await clock.flush();
  await clock.advance(6_000);
  spinning = false;
  await Promise.resolve();
  log(`end, ${clock.pendingTimers} timers`);
  return out;
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  behaviours: fc.array(fc.constantFrom(...BEHAVIOURS), { minLength: 1, maxLength: 12 }),
  timeoutSeconds: fc.integer({ min: 1, max: 2 }),
  periodSeconds: fc.integer({ min: 1, max: 3 }),
  failureThreshold: fc.integer({ min: 1, max: 3 }),
  restartAtMs: fc.integer({ min: 0, max: 8_000 }),
  stopAtMs: fc.integer({ min: 0, max: 8_000 }),
  dollar: fc.boolean(),
});

describe('exec prober (spec pod §6.1–§6.3)', () => {
  test.prop([scenario], { numRuns: 60 })(
    'gives the general path trace: clock calls, execs, aborts, results, events, at the same time and microtask turn',
    async (s) => {
      const general = await trace(s, true);
      const fast = await trace(s, false);
      expect(fast).toEqual(general);
      expect(general.some((line) => line.includes(' exec '))).toBe(true);
    },
  );
});
