/**
 * Benchmark 1 — lifecycle overhead. One container cycle (start with an exec postStart, stop with
 * an exec preStop) through LifecycleManager on the instant in-memory runtime and a VirtualClock,
 * against a hand-written baseline that makes the same four adapter calls with plain awaits.
 * Rounds alternate manager and baseline so both see the same machine load; the ratio is of the
 * medians. Target (issue 19): ≤ 1.5× the baseline.
 */
import type { ContainerRef } from '../../src/ports/runtime.js';
import {
  type BenchOptions,
  type BenchResult,
  execHookContainer,
  InstantRuntime,
  median,
  now,
  okHttpClient,
  podOf,
  round,
  target,
} from './lib.js';
import { LifecycleManager, VirtualClock } from './subject.js';

export async function lifecycleOverhead({ short }: BenchOptions): Promise<BenchResult> {
  const cycles = short ? 200 : 20_000;
  const rounds = short ? 2 : 7;
  const container = execHookContainer('web');
  const pod = podOf('overhead', [container]);

  // Manager side: one manager, one pod, the same container started and stopped `cycles` times.
  const clock = new VirtualClock();
  const managed = new InstantRuntime();
  const manager = new LifecycleManager({ runtime: managed, httpClient: okHttpClient, clock });
  let events = 0;
  manager.on('event', () => void events++);
  const problems: string[] = [];
  const managerCycles = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const started = await manager.startContainer(pod, 'web');
      const stopped = await manager.stopContainer(pod, 'web');
      if (started.outcome !== 'running' || stopped.outcome !== 'stopped' || stopped.preStop.outcome !== 'succeeded') {
        problems.push(`cycle ${i}: start ${started.outcome}, stop ${stopped.outcome}/${stopped.preStop.outcome}`);
        return;
      }
    }
  };

  // Baseline: the same adapter calls, plain awaits, no features (no events, deadlines, state).
  const plain = new InstantRuntime();
  const baselineCycles = async (n: number): Promise<void> => {
    const postStart = container.lifecycle!.postStart!.exec!.command!;
    const preStop = container.lifecycle!.preStop!.exec!.command!;
    for (let i = 0; i < n; i++) {
      const abort = new AbortController();
      const { id } = await plain.startContainer(pod, container, { signal: abort.signal });
      const ref: ContainerRef = { id, name: 'web', podName: 'overhead', podNamespace: 'bench', podUID: 'uid-overhead' };
      const post = await plain.exec(ref, postStart, { signal: abort.signal });
      if (post.exitCode !== 0) throw new Error('postStart failed');
      const pre = await plain.exec(ref, preStop, { signal: abort.signal });
      if (pre.exitCode !== 0) throw new Error('preStop failed');
      await plain.stopContainer(ref, { timeoutSeconds: 30, signal: abort.signal });
    }
  };

  // Warm up both (JIT), then alternate timed rounds.
  await managerCycles(Math.min(cycles, 2_000));
  await baselineCycles(Math.min(cycles, 2_000));
  const managerMs: number[] = [];
  const baselineMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let t = now();
    await baselineCycles(cycles);
    baselineMs.push(now() - t);
    t = now();
    await managerCycles(cycles);
    managerMs.push(now() - t);
  }
  const perManager = (median(managerMs) / cycles) * 1000; // µs per cycle
  const perBaseline = (median(baselineMs) / cycles) * 1000;
  const ratio = perManager / perBaseline;

  const totalCycles = Math.min(cycles, 2_000) + rounds * cycles;
  const same =
    managed.calls.start === plain.calls.start &&
    managed.calls.exec === plain.calls.exec &&
    managed.calls.stop === plain.calls.stop;
  const expected =
    managed.calls.start === totalCycles && managed.calls.exec === 2 * totalCycles && managed.calls.stop === totalCycles;
  const eventsOk = events === 2 * totalCycles; // Started + Killing per cycle
  const timersOk = clock.pendingTimers === 0;
  const correct = problems.length === 0 && same && expected && eventsOk && timersOk;
  return {
    name: 'lifecycle-overhead',
    title: 'Lifecycle overhead: start+postStart(exec) → stop+preStop(exec), manager vs plain awaits',
    params: { cycles, rounds },
    metrics: {
      managerCycleUs: { value: round(perManager), unit: 'µs/cycle' },
      baselineCycleUs: { value: round(perBaseline), unit: 'µs/cycle' },
      managerOpsPerSec: { value: Math.round(1e6 / perManager), unit: 'cycles/s' },
      baselineOpsPerSec: { value: Math.round(1e6 / perBaseline), unit: 'cycles/s' },
      ratio: { value: round(ratio, 2), unit: '×' },
    },
    targets: [target('ratio', ratio, '<=', 1.5, '×', short)],
    correct,
    check: correct
      ? `each cycle running → stopped with preStop succeeded; ${totalCycles} cycles made the same ${4 * totalCycles} adapter calls as the baseline; 2 events per cycle; no timer left armed`
      : `problems: ${[...problems, !same ? 'adapter call counts differ from baseline' : '', !expected ? `calls ${JSON.stringify(managed.calls)}` : '', !eventsOk ? `events ${events}` : '', !timersOk ? `${clock.pendingTimers} timers left` : ''].filter(Boolean).join('; ')}`,
  };
}
