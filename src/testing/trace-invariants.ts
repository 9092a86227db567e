import type { LifecycleStep } from '../container/results.js';
import { killPlan } from '../grace/kill-grace.js';
import type { KubeEvent } from '../hooks/events.js';
import type { RuntimeTimelineEntry } from './fake-runtime-scripts.js';

/**
 * A runtime timeline entry as {@link checkTraceInvariants} reads it: a {@link RuntimeTimelineEntry}
 * with its instant in `at`, or only in the deprecated `atMs` (timelines built before the rename).
 * When both are given, `at` wins.
 */
export type TraceTimelineEntry = Omit<RuntimeTimelineEntry, 'at' | 'atMs'> &
  (
    | { readonly at: number; readonly atMs?: number | undefined }
    | {
        readonly at?: undefined;
        /** @deprecated Use `at`; removed in 0.2.0. */
        readonly atMs: number;
      }
  );

/** What {@link checkTraceInvariants} reads: the manager's events and steps, and the runtime's timeline. */
export interface LifecycleTrace {
  readonly events: readonly KubeEvent[];
  readonly steps: readonly LifecycleStep[];
  /** `FakeRuntime.timeline` (or any timeline of the same shape). */
  readonly runtime: readonly TraceTimelineEntry[];
}

/** Options of {@link checkTraceInvariants}. */
export interface TraceInvariantOptions {
  /** The policy's `minimumStopGraceSeconds`. @default 2 */
  readonly minimumStopGraceSeconds?: number | undefined;
  /**
   * Whether the `interrupt` policy is on: a stop may then be re-issued with a shorter timeout,
   * so "one stop per container instance" counts only stops that were not re-issues.
   * @default false
   */
  readonly allowReissuedStops?: boolean | undefined;
}

/** One broken invariant, in words, with the time and container it concerns. */
export interface TraceViolation {
  readonly invariant: string;
  readonly container: string;
  readonly time: number;
  readonly message: string;
}

/**
 * Check a trace against the Kubernetes invariants a faithful run never breaks, and return every
 * violation in words (an empty array means the trace is sound). Use it in your own property
 * tests: run random scenarios, collect the trace, `expect(checkTraceInvariants(trace)).toEqual([])`.
 *
 * Invariants (per container instance, i.e. per container id):
 * - `running-after-poststart`: never Running before postStart succeeded (spec §3.2).
 * - `prestop-before-stop`: the stop signal is requested only after the preStop wait ended (spec §4.2-C.5).
 * - `minimum-stop-grace`: the stop timeout handed to the runtime is never below the minimum (spec §4.2-C.7).
 * - `sigkill-deadline`: SIGKILL is never delivered before stop time + timeout (spec §4.2-C.8).
 * - `one-stop-per-instance`: the runtime is asked to stop an instance once, unless a stop failed
 *   (a retry) or the `interrupt` policy re-issued it.
 * - `no-prestop-after-exit`: no preStop starts for an instance that had already exited (spec §4.2-B).
 * - `time-moves-forward`: event timestamps and step times never go backwards.
 * - `killing-before-prestop`: every preStop is preceded by a `Killing` event for the container (spec §4.2-C.3).
 * - `kill-matches-plan`: the first stop timeout of every kill is the one `killPlan` computes from
 *   the kill's grace and the measured preStop and ordering waits (spec §4.2-C.4–7); under the
 *   `interrupt` policy (`allowReissuedStops`) it may be lower, never higher.
 */
export function checkTraceInvariants(trace: LifecycleTrace, options: TraceInvariantOptions = {}): TraceViolation[] {
  const minimum = options.minimumStopGraceSeconds ?? 2;
  const violations: TraceViolation[] = [];
  const add = (invariant: string, container: string, time: number, message: string): void => {
    violations.push({ invariant, container, time, message });
  };

  monotonic(
    trace.events.map((e) => e.timestamp),
    'event timestamps',
    add,
  );
  monotonic(
    trace.steps.map((s) => s.time),
    'step times',
    add,
  );

  const byInstance = new Map<string, LifecycleStep[]>();
  for (const step of trace.steps) {
    if (step.containerID === undefined) continue;
    const list = byInstance.get(step.containerID) ?? [];
    list.push(step);
    byInstance.set(step.containerID, list);
  }
  for (const [id, steps] of byInstance) {
    let postStartStarted = false;
    let postStartOk = false;
    let preStopOpen = false;
    let exited = false;
    let killing = false;
    // The kill in progress, as measured from its steps, until its first stop request.
    let kill: { grace: number; preStopAt?: number; preStopMs: number; waitAt?: number; waitMs: number } | undefined;
    for (const step of steps) {
      const where = `${step.container} (${id})`;
      switch (step.kind) {
        case 'postStartStarted':
          postStartStarted = true;
          break;
        case 'postStartFinished':
          postStartOk = step.outcome === 'succeeded';
          break;
        case 'running':
          if (postStartStarted && !postStartOk)
            add(
              'running-after-poststart',
              where,
              step.time,
              `${where} became Running at ${step.time} ms before its postStart succeeded`,
            );
          break;
        case 'killing':
          killing = true;
          kill = step.seconds !== undefined ? { grace: step.seconds, preStopMs: 0, waitMs: 0 } : undefined;
          break;
        case 'preStopStarted':
          if (exited)
            add(
              'no-prestop-after-exit',
              where,
              step.time,
              `${where} started preStop at ${step.time} ms after it had exited`,
            );
          if (!killing)
            add(
              'killing-before-prestop',
              where,
              step.time,
              `${where} started preStop at ${step.time} ms without a Killing first`,
            );
          preStopOpen = true;
          if (kill !== undefined) kill.preStopAt = step.time;
          break;
        case 'preStopFinished':
          preStopOpen = false;
          if (kill?.preStopAt !== undefined) kill.preStopMs = step.time - kill.preStopAt;
          break;
        case 'orderingWaitStarted':
          if (kill !== undefined) kill.waitAt = step.time;
          break;
        case 'orderingWaitFinished':
          if (kill?.waitAt !== undefined) kill.waitMs = step.time - kill.waitAt;
          break;
        case 'stopRequested':
          if (preStopOpen)
            add(
              'prestop-before-stop',
              where,
              step.time,
              `${where} was asked to stop at ${step.time} ms while its preStop wait was still open`,
            );
          if (step.seconds !== undefined && step.seconds < minimum) {
            add(
              'minimum-stop-grace',
              where,
              step.time,
              `${where} got a stop timeout of ${step.seconds} s at ${step.time} ms, below the minimum of ${minimum} s`,
            );
          }
          if (kill !== undefined && step.seconds !== undefined) {
            const planned = killPlan({
              baseGraceSeconds: kill.grace,
              hasPreStop: kill.preStopAt !== undefined,
              preStopElapsedMs: kill.preStopMs,
              orderingWaitMs: kill.waitMs,
              minimumSeconds: minimum,
            }).stopTimeoutSeconds;
            const lowered = options.allowReissuedStops === true && step.seconds < planned;
            if (step.seconds !== planned && !lowered) {
              add(
                'kill-matches-plan',
                where,
                step.time,
                `${where} got a stop timeout of ${step.seconds} s at ${step.time} ms; killPlan gives ${planned} s ` +
                  `(grace ${kill.grace} s, preStop ${kill.preStopMs} ms, ordering wait ${kill.waitMs} ms)`,
              );
            }
            kill = undefined;
          }
          break;
        case 'exited':
          exited = true;
          killing = false;
          break;
        default:
          break;
      }
    }
  }

  // Runtime side: SIGKILL deadlines and the number of stop calls per instance.
  const stops = new Map<string, TraceTimelineEntry[]>();
  const at = (entry: TraceTimelineEntry): number => entry.at ?? entry.atMs;
  const failedStops = new Map<string, number>();
  for (const entry of trace.runtime) {
    const id = entry.containerId;
    if (id === undefined) continue;
    const where = `${entry.container} (${id})`;
    if (entry.kind === 'stop') {
      const list = stops.get(id) ?? [];
      list.push(entry);
      stops.set(id, list);
    } else if (entry.kind === 'stop-failed') {
      failedStops.set(id, (failedStops.get(id) ?? 0) + 1);
    } else if (entry.kind === 'signal' && entry.signal === 'SIGKILL') {
      const calls = stops.get(id) ?? [];
      const earliest = Math.min(...calls.map((c) => at(c) + (c.timeoutSeconds ?? 0) * 1000));
      const killedOnRequest = calls.some((c) => c.signal === 'SIGKILL' || (c.timeoutSeconds ?? 0) <= 0);
      if (!killedOnRequest && calls.length > 0 && at(entry) < earliest) {
        add(
          'sigkill-deadline',
          where,
          at(entry),
          `${where} got SIGKILL at ${at(entry)} ms, before its deadline of ${earliest} ms`,
        );
      }
    }
  }
  for (const [id, calls] of stops) {
    const allowed = 1 + (failedStops.get(id) ?? 0);
    if (!options.allowReissuedStops && calls.length > allowed) {
      const first = calls[0] as TraceTimelineEntry;
      add(
        'one-stop-per-instance',
        `${first.container} (${id})`,
        at(first),
        `${first.container} (${id}) was asked to stop ${calls.length} times (at ${calls.map(at).join(', ')} ms)`,
      );
    }
  }
  return violations;
}

function monotonic(
  times: readonly number[],
  what: string,
  add: (invariant: string, container: string, time: number, message: string) => void,
): void {
  for (let i = 1; i < times.length; i++) {
    const before = times[i - 1] as number;
    const now = times[i] as number;
    if (now < before)
      add('time-moves-forward', '-', now, `${what} went backwards: ${before} ms then ${now} ms (entry ${i})`);
  }
}
