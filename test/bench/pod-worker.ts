/**
 * Benchmark 6 — pod worker. 10,000 pods × 3 containers run with `startPod` on a runtime whose
 * containers exit the moment they run (`CrashingRuntime`: instant start, `waitContainer` answers
 * exit code 1 at once), so every container crash-loops with the kubelet's back-off for 1 h of
 * virtual time on a VirtualClock. Reports wall time, events and restarts per wall second, clock
 * timer operations, and the heap retained per pod after the hour (`global.gc()`, `heapUsed`, minus
 * the same before the first `startPod`). Then every pod is deleted.
 *
 * Correctness: each container's `restartCount` equals the back-off model (spec pod §4.2: the
 * first exit restarts at once, then waits of 10 s doubling to the 300 s cap), the runtime saw
 * exactly that many starts, `BackOff` events as the kubelet emits them (one per pod sync that
 * finds the container in back-off: at the exit, then every `syncFrequency` (60 s) until the wait
 * ends, spec pod §4.3/§4.5 with the default `backoffAligned` requeue; {@link crashLoopBackOffEvents}),
 * and after the deletes no timer is left armed.
 *
 * Cost model (docs/performance.md): per restart one back-off timer (armed, fired), one runtime
 * start + one `waitContainer`, `Created` + `Started`, 1–5 `BackOff` events (one per 60 s of wait),
 * and 2–3 status snapshots of the pod.
 */
import type { Pod } from '../../src/api/types.js';
import {
  type BenchOptions,
  type BenchResult,
  CrashingRuntime,
  cpuNow,
  gc,
  hasGc,
  now,
  okHttpClient,
  round,
  target,
} from './lib.js';
import { LifecycleManager, VirtualClock } from './subject.js';

/** The back-off constants of the kubelet 1.35 (spec pod §4.1); the manager's defaults. */
const INITIAL_MS = 10_000;
const MAX_MS = 300_000;

/**
 * Restarts within `horizonMs` of a container that exits the instant it starts, by the back-off
 * model of spec pod §4.2: the first exit has no back-off entry (restart at once), each later exit
 * waits initial × 2^k, capped. A restart due exactly at the horizon counts (the clock fires it).
 */
export function crashLoopRestarts(horizonMs: number, initialMs = INITIAL_MS, maxMs = MAX_MS): number {
  let at = 0; // start time of the current instance (it exits at once)
  let restarts = 1; // the first exit restarts at once
  let waitMs = initialMs;
  for (;;) {
    if (at + waitMs > horizonMs) return restarts;
    at += waitMs;
    restarts++;
    waitMs = Math.min(waitMs * 2, maxMs);
  }
}

/** The pod worker's resync while a container is in back-off (`syncFrequency`, spec pod §4.3). */
const SYNC_FREQUENCY_MS = 60_000;

/**
 * `BackOff` events of one such container within `horizonMs`: each back-off wait of `w` ms that
 * began at `s` is seen by the syncs at `s`, `s + 60 s`, … before `s + w` (the sync at `s + w`
 * restarts it), up to the horizon. The first exit has no back-off, so no event.
 */
export function crashLoopBackOffEvents(horizonMs: number, initialMs = INITIAL_MS, maxMs = MAX_MS): number {
  let at = 0;
  let waitMs = initialMs;
  let events = 0;
  for (;;) {
    for (let syncAt = at; syncAt < at + waitMs && syncAt <= horizonMs; syncAt += SYNC_FREQUENCY_MS) events++;
    if (at + waitMs > horizonMs) return events;
    at += waitMs;
    waitMs = Math.min(waitMs * 2, maxMs);
  }
}

function crashPod(index: number, containers: number): Pod {
  return {
    metadata: { name: `crash-${index}`, namespace: 'bench', uid: `uid-crash-${index}` },
    spec: {
      terminationGracePeriodSeconds: 30,
      containers: Array.from({ length: containers }, (_, c) => ({ name: `c${c}`, image: 'busybox:1.36' })),
    },
  };
}

export async function podWorker({ short }: BenchOptions): Promise<BenchResult> {
  const podCount = short ? 20 : Number(process.env['BENCH_POD_WORKER_PODS'] ?? 10_000);
  const perPod = 3;
  const horizonMs = short ? 120_000 : Number(process.env['BENCH_POD_WORKER_SECONDS'] ?? 3_600) * 1000;
  const total = podCount * perPod;
  const expectedRestarts = crashLoopRestarts(horizonMs);

  const pods = Array.from({ length: podCount }, (_, p) => crashPod(p, perPod));
  const clock = new VirtualClock({ batchSimultaneousTimers: true });
  const timerOps = countTimerOps(clock);
  const runtime = new CrashingRuntime();
  const manager = new LifecycleManager({ runtime, httpClient: okHttpClient, clock });
  const events = new Map<string, number>();
  manager.on('event', (e) => void events.set(e.reason, (events.get(e.reason) ?? 0) + 1));
  let statuses = 0;
  manager.on('podStatus', () => void statuses++);

  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = now();
  const c0 = cpuNow();
  const started = pods.map((pod) => manager.startPod(pod));
  await clock.flush();
  const startMs = now() - t0;
  const startCpuMs = cpuNow() - c0;
  await clock.advance(horizonMs);
  await Promise.all(started);
  const wallMs = now() - t0;
  const cpuMs = cpuNow() - c0;
  const gcStart = now();
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  const measureMs = now() - gcStart;

  const problems: string[] = [];
  let restarts = 0;
  for (const pod of pods) {
    for (const s of manager.podStatus(pod).containerStatuses) {
      restarts += s.restartCount;
      if (s.restartCount !== expectedRestarts && problems.length < 3)
        problems.push(`${pod.metadata!.name}/${s.name} restartCount ${s.restartCount}, model ${expectedRestarts}`);
    }
  }
  const eventCount = [...events.values()].reduce((a, b) => a + b, 0);
  const armedOps = { ...timerOps };

  const t1 = now();
  let deleted = false;
  const deletes = Promise.all(pods.map((pod) => manager.deletePod(pod))).finally(() => (deleted = true));
  while (!deleted && clock.pendingTimers > 0) await clock.next();
  await deletes;
  await clock.flush();
  const deleteMs = now() - t1;

  const startsExpected = total * (1 + expectedRestarts);
  const backOffExpected = total * crashLoopBackOffEvents(horizonMs); // the last wait is still running at the horizon
  const checks = [
    [problems.length === 0, problems.join('; ')],
    [runtime.calls.start === startsExpected, `runtime starts ${runtime.calls.start}, expected ${startsExpected}`],
    [events.get('BackOff') === backOffExpected, `BackOff events ${events.get('BackOff')}, expected ${backOffExpected}`],
    [clock.pendingTimers === 0, `${clock.pendingTimers} timers still armed after the deletes`],
  ] as const;
  const failed = checks.filter(([ok]) => !ok).map(([, why]) => why);
  const correct = failed.length === 0;
  const virtualSeconds = horizonMs / 1000;
  const heapPerPod = (heapAfter - heapBefore) / podCount;
  return {
    name: 'pod-worker',
    title: `Pod worker: ${podCount} pods × ${perPod} containers crash-looping with back-off for ${virtualSeconds} s of virtual time (startPod)`,
    params: { pods: podCount, containersPerPod: perPod, virtualSeconds, restartsPerContainer: expectedRestarts },
    metrics: {
      wallMs: { value: round(wallMs, 1), unit: 'ms' },
      cpuMs: { value: round(cpuMs, 1), unit: 'ms' },
      startPodsMs: { value: round(startMs, 1), unit: 'ms' },
      startPodsCpuMs: { value: round(startCpuMs, 1), unit: 'ms' },
      deleteMs: { value: round(deleteMs, 1), unit: 'ms' },
      heapMeasureMs: { value: round(measureMs, 1), unit: 'ms' },
      restarts: { value: restarts, unit: 'restarts' },
      restartsPerSec: { value: Math.round(restarts / (wallMs / 1000)), unit: 'restarts/s' },
      events: { value: eventCount, unit: 'events' },
      eventsPerSec: { value: Math.round(eventCount / (wallMs / 1000)), unit: 'events/s' },
      podStatuses: { value: statuses, unit: 'snapshots' },
      timersArmed: { value: armedOps.set, unit: 'timers' },
      timerOpsPerVirtualSecond: { value: round((armedOps.set + armedOps.clear) / virtualSeconds, 1), unit: 'ops/s' },
      usPerRestart: { value: round((wallMs * 1000) / Math.max(1, restarts), 2), unit: 'µs' },
      cpuUsPerRestart: { value: round((cpuMs * 1000) / Math.max(1, restarts), 2), unit: 'µs' },
      heapPerPod: { value: round(heapPerPod, 0), unit: 'B' },
    },
    targets: [
      target('wallMs', wallMs, '<', 10_000, 'ms', short),
      target('usPerRestart', (wallMs * 1000) / Math.max(1, restarts), '<=', 20, 'µs', short),
      target('heapPerPod', hasGc() ? heapPerPod : undefined, '<', 8_192, 'B', short),
    ],
    correct,
    check: correct
      ? `${total} containers each restarted ${expectedRestarts} times (back-off model), ${startsExpected} runtime starts, ${backOffExpected} BackOff events; no timer armed after the deletes`
      : failed.join('; '),
    ...(hasGc() ? {} : { notes: ['global.gc is not exposed (run with --expose-gc): heap figure is unreliable'] }),
  };
}

/** Count a VirtualClock's timer operations (wraps its bound `setTimeout`/`clearTimeout`). */
export function countTimerOps(clock: InstanceType<typeof VirtualClock>): { set: number; clear: number } {
  const ops = { set: 0, clear: 0 };
  const set = clock.setTimeout;
  const clear = clock.clearTimeout;
  Object.assign(clock, {
    setTimeout: (callback: () => void, delayMs: number, label?: string): unknown => {
      ops.set++;
      return set(callback, delayMs, label);
    },
    clearTimeout: (handle: unknown): void => {
      ops.clear++;
      clear(handle);
    },
  });
  return ops;
}
