/**
 * The runtime stop call's answer turned into the kill's result (spec §4.2-C.7/8): a stop that
 * worked marks the exit and gives the call scope back; one that failed or timed out emits its step
 * (and `ExceededGracePeriod` on a timeout) and reports the error.
 *
 * @internal
 * @module
 */
import type { KillReason } from '../grace/kill-grace.js';
import { EventMessages } from '../hooks/events.js';
import { markExited } from './container-exit.js';
import { emitEvent, emitStep, hearsSteps, type ManagerContext } from './context.js';
import { type ContainerRecord, type PodRecord, releaseRunningScope } from './records.js';
import type { HookReport, StopResult } from './results.js';
import type { StopOutcome } from './runtime-stop.js';

/** What every outcome of a kill reports, in StopResult's field order. */
export interface KillBase {
  readonly container: string;
  readonly reason: KillReason;
  readonly gracePeriodSeconds: number;
  readonly preStop: HookReport;
  readonly orderingWaitMs: number;
  readonly startedAt: number;
}

/** spec §4.2-C.7/8: the stop call's answer: the exit and the kill's result. */
export function reportStop(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  timeoutSeconds: number,
  base: KillBase,
  stopped: StopOutcome,
): StopResult {
  if (stopped.ok) {
    const exitedAt = markExited(ctx, pod, record);
    // The stop call has settled and no hook is pending (else markExited aborted the scope): the
    // scope goes back to the spares, so deleting many pods creates no controller per container.
    releaseRunningScope(record);
    // One literal in StopResult's field order, not a spread of `base` plus three keys.
    return {
      container: base.container,
      reason: base.reason,
      gracePeriodSeconds: base.gracePeriodSeconds,
      preStop: base.preStop,
      orderingWaitMs: base.orderingWaitMs,
      startedAt: base.startedAt,
      outcome: 'stopped',
      stopTimeoutSeconds: timeoutSeconds,
      exitedAt,
    };
  }
  if (hearsSteps(ctx)) emitStep(ctx, pod, record, { kind: 'stopFailed', message: stopped.error });
  if (stopped.timedOut) {
    emitEvent(ctx, {
      type: 'Warning',
      reason: 'ExceededGracePeriod',
      message: EventMessages.exceededGracePeriod,
      object: { kind: 'Pod', name: pod.name, namespace: pod.namespace },
    });
  }
  const exitedAt = record.exit?.at;
  return {
    ...base,
    outcome: stopped.timedOut ? 'stopTimedOut' : 'stopFailed',
    stopTimeoutSeconds: timeoutSeconds,
    error: stopped.error,
    ...(exitedAt !== undefined ? { exitedAt } : {}),
  };
}
