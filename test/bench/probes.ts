/**
 * Benchmark 7 — probes. 100,000 containers (10,000 pods × 10, run with `startPod`), each with an
 * exec liveness and an exec readiness probe at a 1 s period, probed for 60 s of virtual time
 * (`BENCH_PROBES_SECONDS=600` for the 10 minutes: 120 million probe runs, ten times as
 * long; the cost per probe is the same, see docs/performance.md) on a VirtualClock with the instant runtime (every exec answers exit 0 at once). Reports wall
 * time, probes per wall second, clock timer operations, and the heap retained per container.
 *
 * Correctness: by period arithmetic (spec pod §6.1 "Timing": the workers exist from the pod's
 * first sync (prober_manager AddPod) and probe at once, then on a ticker anchored at that instant;
 * the liveness worker's tick at t = 0 finds no container yet and skips, readiness is triggered
 * again when the container starts) liveness runs `virtualSeconds / periodSeconds` times and
 * readiness `virtualSeconds / periodSeconds + 1` times for a container running from t = 0; the
 * runtime must have seen exactly that many execs of each probe's command, every pod must be Ready,
 * and after the deletes no timer is armed.
 *
 * Cost model (docs/performance.md): per probe run one ticker timer (armed and fired), one runtime
 * exec; no status snapshot while the result does not change.
 */
import type { Container, Pod } from '../../src/api/types.js';
import type { ContainerRef, ExecResult } from '../../src/ports/runtime.js';
import {
  type BenchOptions,
  type BenchResult,
  cpuNow,
  gc,
  hasGc,
  InstantRuntime,
  now,
  okHttpClient,
  round,
  target,
} from './lib.js';
import { countTimerOps } from './pod-worker.js';
import { LifecycleManager, VirtualClock } from './subject.js';

const LIVENESS = ['/bin/check', 'live'];
const READINESS = ['/bin/check', 'ready'];

/** The instant runtime, counting the execs of each probe command. */
class ProbedRuntime extends InstantRuntime {
  liveness = 0;
  readiness = 0;

  override exec(ref: ContainerRef, command: readonly string[], options: { signal: AbortSignal }): Promise<ExecResult> {
    if (command[1] === 'live') this.liveness++;
    else if (command[1] === 'ready') this.readiness++;
    return super.exec(ref, command, options);
  }
}

function probedContainer(name: string): Container {
  return {
    name,
    image: 'nginx:1.27',
    livenessProbe: { exec: { command: LIVENESS }, periodSeconds: 1 },
    readinessProbe: { exec: { command: READINESS }, periodSeconds: 1 },
  };
}

function probedPod(index: number, containers: number): Pod {
  return {
    metadata: { name: `probed-${index}`, namespace: 'bench', uid: `uid-probed-${index}` },
    spec: {
      terminationGracePeriodSeconds: 30,
      containers: Array.from({ length: containers }, (_, c) => probedContainer(`c${c}`)),
    },
  };
}

export async function probes({ short }: BenchOptions): Promise<BenchResult> {
  const podCount = short ? 10 : Number(process.env['BENCH_PROBES_PODS'] ?? 10_000);
  const perPod = short ? 2 : 10;
  const virtualSeconds = short ? 20 : Number(process.env['BENCH_PROBES_SECONDS'] ?? 60);
  const total = podCount * perPod;
  const runsPerProbe = virtualSeconds / 1 + 1;

  const pods = Array.from({ length: podCount }, (_, p) => probedPod(p, perPod));
  // BENCH_PROBES_SEQUENTIAL=1: the clock's default (chains settle after every timer), for comparison.
  const clock = new VirtualClock({ batchSimultaneousTimers: process.env['BENCH_PROBES_SEQUENTIAL'] !== '1' });
  const timerOps = countTimerOps(clock);
  const runtime = new ProbedRuntime();
  const manager = new LifecycleManager({ runtime, httpClient: okHttpClient, clock });
  let events = 0;
  manager.on('event', () => void events++);

  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = now();
  const c0 = cpuNow();
  const started = pods.map((pod) => manager.startPod(pod));
  await clock.flush();
  await Promise.all(started);
  const startMs = now() - t0;
  const t1 = now();
  const c1 = cpuNow();
  await clock.advance(virtualSeconds * 1000);
  const probeMs = now() - t1;
  const probeCpuMs = cpuNow() - c1;
  const wallMs = now() - t0;
  const cpuMs = cpuNow() - c0;
  const gcStart = now();
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  const measureMs = now() - gcStart;
  const ops = { ...timerOps };
  const notReady = pods.filter(
    (pod) => manager.podStatus(pod).conditions.find((c) => c.type === 'Ready')?.status !== 'True',
  );
  const probesRun = runtime.liveness + runtime.readiness;

  let deleted = false;
  const deletes = Promise.all(pods.map((pod) => manager.deletePod(pod))).finally(() => (deleted = true));
  while (!deleted && clock.pendingTimers > 0) await clock.next();
  await deletes;
  await clock.flush();

  const expected = total * runsPerProbe;
  const expectedLiveness = total * (runsPerProbe - 1);
  const checks = [
    [runtime.liveness === expectedLiveness, `liveness execs ${runtime.liveness}, expected ${expectedLiveness}`],
    [runtime.readiness === expected, `readiness execs ${runtime.readiness}, expected ${expected}`],
    [notReady.length === 0, `${notReady.length} pods not Ready`],
    [clock.pendingTimers === 0, `${clock.pendingTimers} timers still armed after the deletes`],
  ] as const;
  const failed = checks.filter(([ok]) => !ok).map(([, why]) => why);
  const correct = failed.length === 0;
  const heapPerContainer = (heapAfter - heapBefore) / total;
  // The probes of the ticker phase (the first two of each container ran at its start).
  const tickerProbes = Math.max(1, probesRun - 2 * total);
  const usPerProbe = (probeMs * 1000) / tickerProbes;
  const cpuUsPerProbe = (probeCpuMs * 1000) / tickerProbes;
  return {
    name: 'probes',
    title: `Probes: ${total} containers (${podCount} pods × ${perPod}) with exec liveness + readiness at 1 s for ${virtualSeconds} s of virtual time (startPod)`,
    params: { pods: podCount, containersPerPod: perPod, containers: total, periodSeconds: 1, virtualSeconds },
    metrics: {
      wallMs: { value: round(wallMs, 1), unit: 'ms' },
      cpuMs: { value: round(cpuMs, 1), unit: 'ms' },
      startPodsMs: { value: round(startMs, 1), unit: 'ms' },
      probeMs: { value: round(probeMs, 1), unit: 'ms' },
      heapMeasureMs: { value: round(measureMs, 1), unit: 'ms' },
      probesRun: { value: probesRun, unit: 'probes' },
      probesPerSec: { value: Math.round(probesRun / (wallMs / 1000)), unit: 'probes/s' },
      usPerProbe: { value: round(usPerProbe, 3), unit: 'µs' },
      cpuUsPerProbe: { value: round(cpuUsPerProbe, 3), unit: 'µs' },
      timerOpsPerVirtualSecond: { value: round((ops.set + ops.clear) / virtualSeconds, 0), unit: 'ops/s' },
      events: { value: events, unit: 'events' },
      heapPerContainer: { value: round(heapPerContainer, 0), unit: 'B' },
    },
    targets: [
      target('usPerProbe', usPerProbe, '<=', 2, 'µs', short),
      target('heapPerContainer', hasGc() ? heapPerContainer : undefined, '<', 4_096, 'B', short),
    ],
    correct,
    check: correct
      ? `each of ${total} containers probed ${runsPerProbe - 1} (liveness) and ${runsPerProbe} (readiness) times (period arithmetic), every pod Ready, no timer armed after the deletes`
      : failed.join('; '),
    ...(hasGc() ? {} : { notes: ['global.gc is not exposed (run with --expose-gc): heap figure is unreliable'] }),
  };
}
