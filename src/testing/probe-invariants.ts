/**
 * Probe trace invariants: pure checks over a recorded trace of container starts, probe results
 * and probe kills, plus a recorder that builds such a trace from `ContainerProbes` callbacks.
 *
 * @module
 */

import type { Clock } from '../ports/clock.js';
import type { ContainerProbesOptions, ProbeKill, ProbeResult } from '../probes/container-probes.js';
import type { ProbeType } from '../probes/probe-spec.js';

/** One entry of a probe trace. `at` is clock ms; `container` the container's name. */
export type ProbeTraceEntry =
  | { readonly kind: 'started'; readonly at: number; readonly container: string; readonly hasStartupProbe: boolean }
  | {
      readonly kind: 'result';
      readonly at: number;
      readonly container: string;
      readonly probeType: ProbeType;
      readonly result: ProbeResult;
    }
  | { readonly kind: 'kill'; readonly at: number; readonly container: string; readonly reason: ProbeKill['reason'] };

/**
 * "No liveness kill before the startup probe succeeded" (spec pod §6.1 step 9: the startup probe
 * gates liveness): for every `LivenessProbe` kill, the container's current instance must either
 * have no startup probe or have had a startup `Success` since it started. Returns one sentence
 * per violation (empty when the trace holds). Pure.
 *
 * @example
 * checkNoLivenessKillBeforeStartup([
 *   { kind: 'started', at: 0, container: 'web', hasStartupProbe: true },
 *   { kind: 'kill', at: 30_000, container: 'web', reason: 'LivenessProbe' },
 * ]) // → ['web: LivenessProbe kill at 30000 ms before its startup probe succeeded (instance started at 0 ms)']
 */
export function checkNoLivenessKillBeforeStartup(trace: readonly ProbeTraceEntry[]): string[] {
  const instances = new Map<string, { startedAt: number; isGated: boolean }>();
  const violations: string[] = [];
  for (const entry of trace) {
    const current = instances.get(entry.container);
    if (entry.kind === 'started') {
      instances.set(entry.container, { startedAt: entry.at, isGated: entry.hasStartupProbe });
    } else if (entry.kind === 'result') {
      if (current !== undefined && entry.probeType === 'startup' && entry.result === 'Success') current.isGated = false;
    } else if (entry.reason === 'LivenessProbe') {
      if (current === undefined) {
        violations.push(`${entry.container}: LivenessProbe kill at ${entry.at} ms of a container that never started`);
      } else if (current.isGated) {
        violations.push(
          `${entry.container}: LivenessProbe kill at ${entry.at} ms before its startup probe succeeded ` +
            `(instance started at ${current.startedAt} ms)`,
        );
      }
    }
  }
  return violations;
}

/** The callbacks a {@link ProbeTraceRecorder} hands to one container's `ContainerProbes`. */
export type ProbeTraceCallbacks = Required<Pick<ContainerProbesOptions, 'onResult' | 'onKill'>> & {
  /** Call right before `containerStarted` so the trace sees the new instance first. */
  readonly started: () => void;
};

/**
 * Records a probe trace on `clock` for any number of containers.
 *
 * @example
 * const recorder = new ProbeTraceRecorder(clock);
 * const web = recorder.container('web', true);
 * const probes = new ContainerProbes({ ..., onResult: web.onResult, onKill: web.onKill });
 * web.started(); probes.containerStarted({ ref });
 * expect(checkNoLivenessKillBeforeStartup(recorder.trace)).toEqual([]);
 */
export class ProbeTraceRecorder {
  /** The entries so far, in order. */
  readonly trace: ProbeTraceEntry[] = [];

  constructor(private readonly clock: Clock) {}

  /** Callbacks recording `name`'s starts, results and kills. */
  container(name: string, hasStartupProbe: boolean): ProbeTraceCallbacks {
    const { clock, trace } = this;
    return {
      started: () => trace.push({ kind: 'started', at: clock.now(), container: name, hasStartupProbe }),
      onResult: (probeType, result) =>
        trace.push({ kind: 'result', at: clock.now(), container: name, probeType, result }),
      onKill: (kill) => trace.push({ kind: 'kill', at: clock.now(), container: name, reason: kill.reason }),
    };
  }
}
