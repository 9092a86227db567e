/**
 * Benchmark 2 — scale. 10,000 pods × 100 containers (1,000,000; `BENCH_SCALE_PODS` for fewer) (each with an exec postStart and an exec
 * preStop) started pod after pod (a pod's containers in parallel), then deleted pod after pod, through one LifecycleManager on the instant runtime
 * and a VirtualClock. Reports wall time of the whole run and the heap retained per running
 * container: `global.gc()` then `heapUsed` with every container running, minus the same after
 * the pods were built and before the first start, divided by the container count. The forced
 * collections of that measurement are excluded from the wall time (reported as heapMeasureMs).
 * Targets (issue 19): < 10 s whole run, < 1 KiB per running container.
 */
import type { Pod } from '../../src/api/types.js';
import {
  type BenchOptions,
  type BenchResult,
  execHookContainer,
  gc,
  hasGc,
  InstantRuntime,
  now,
  okHttpClient,
  podOf,
  round,
  target,
} from './lib.js';
import { LifecycleManager, VirtualClock } from './subject.js';

export async function scale({ short }: BenchOptions): Promise<BenchResult> {
  const podCount = short ? 10 : Number(process.env['BENCH_SCALE_PODS'] ?? 10_000);
  const perPod = short ? 10 : 100;
  const total = podCount * perPod;

  const pods: Pod[] = [];
  for (let p = 0; p < podCount; p++) {
    pods.push(
      podOf(
        `pod-${p}`,
        Array.from({ length: perPod }, (_, c) => execHookContainer(`c${c}`)),
      ),
    );
  }
  const clock = new VirtualClock();
  const runtime = new InstantRuntime();
  const manager = new LifecycleManager({ runtime, httpClient: okHttpClient, clock });
  let events = 0;
  manager.on('event', () => void events++);

  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = now();
  let running = 0;
  for (const pod of pods) {
    const results = await Promise.all(pod.spec!.containers.map((c) => manager.startContainer(pod, c.name)));
    for (const r of results) if (r.outcome === 'running') running++;
  }
  const startMs = now() - t0;
  // The forced collections of the heap measurement are not the library's time: excluded.
  const gcStart = now();
  gc();
  const heapRunning = process.memoryUsage().heapUsed;
  const measureMs = now() - gcStart;
  const timersWhileRunning = clock.pendingTimers;

  // Deleted as they were started: pod after pod, each pod's containers in parallel (deletePod
  // kills them in parallel itself). The clock is driven until each delete settles.
  const t1 = now();
  const terminations = [];
  for (const pod of pods) {
    let done = false;
    const deleted = manager.deletePod(pod).finally(() => (done = true));
    while (!done && clock.pendingTimers > 0) await clock.next();
    terminations.push(await deleted);
  }
  const deleteMs = now() - t1;
  const wallMs = now() - t0 - measureMs;

  let stopped = 0;
  for (const t of terminations)
    for (const c of t.containers) if (c.outcome === 'stopped' && c.preStop.outcome === 'succeeded') stopped++;
  const bytesPerContainer = (heapRunning - heapBefore) / total;
  const correct =
    running === total &&
    stopped === total &&
    runtime.calls.stop === total &&
    runtime.calls.exec === 2 * total &&
    events === 2 * total &&
    clock.pendingTimers === 0 &&
    timersWhileRunning === 0;
  return {
    name: 'scale',
    title: `Scale: ${podCount} pods × ${perPod} containers started, then deleted (virtual clock)`,
    params: { pods: podCount, containersPerPod: perPod, containers: total, gcExposed: hasGc() },
    metrics: {
      wallMs: { value: round(wallMs, 1), unit: 'ms' },
      startMs: { value: round(startMs, 1), unit: 'ms' },
      deleteMs: { value: round(deleteMs, 1), unit: 'ms' },
      heapMeasureMs: { value: round(measureMs, 1), unit: 'ms' },
      startsPerSec: { value: Math.round(total / (startMs / 1000)), unit: 'containers/s' },
      stopsPerSec: { value: Math.round(total / (deleteMs / 1000)), unit: 'containers/s' },
      heapPerRunningContainer: { value: round(bytesPerContainer, 0), unit: 'B' },
      heapRunningTotalMiB: { value: round((heapRunning - heapBefore) / 2 ** 20, 1), unit: 'MiB' },
    },
    targets: [
      target('wallMs', wallMs, '<', 10_000, 'ms', short),
      target('heapPerRunningContainer', hasGc() ? bytesPerContainer : undefined, '<', 1_024, 'B', short),
    ],
    correct,
    check: correct
      ? `${total} running, ${total} stopped after preStop succeeded, ${2 * total} execs, ${2 * total} events; no timer armed while running or after`
      : `running ${running}/${total}, stopped ${stopped}, calls ${JSON.stringify(runtime.calls)}, events ${events}, timers ${timersWhileRunning}/${clock.pendingTimers}`,
    ...(hasGc() ? {} : { notes: ['global.gc is not exposed (run with --expose-gc): heap figure is unreliable'] }),
  };
}
