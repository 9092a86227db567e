/**
 * The preStop race of a kill (spec §4.2-C.5): the hook runs against the grace timer on the
 * injected clock; a failure is reported as `FailedPreStopHook` and never stops the kill.
 */
import type { Container, LifecycleHandler } from '../api/types.js';
import { EventMessages } from '../hooks/events.js';
import { emitContainerEvent, emitStep, hearsSteps, type ManagerContext, runHook } from './context.js';
import { DEADLINE, linkedController } from './deadline.js';
import type { ContainerRecord, PodRecord, Termination } from './records.js';
import type { HookReport } from './results.js';
import { waitUntilDeadline } from './termination.js';

/**
 * Run the container's preStop handler, raced against the kill's deadline (`grace` seconds from
 * the kill's start, or a lowered deadline under the `interrupt` policy). Never rejects.
 *
 * A promise chain, not an `async` function (docs/performance-history.md, round 6): the report comes back
 * in the same turn as the `await`'s resumption did, without a suspended frame per kill.
 */
export function racePreStop(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  container: Container,
  preStopHandler: LifecycleHandler,
  termination: Termination,
  grace: number,
): Promise<HookReport & { readonly elapsedMs: number }> {
  try {
    const { clock } = ctx;
    const hooks = record.calls.controller;
    const hookStartedAt = clock.now();
    if (hearsSteps(ctx)) emitStep(ctx, pod, record, { kind: 'preStopStarted', hook: 'PreStop' });
    // The hook's signal: aborted by the container's exit (hooks), or by a shortened grace under
    // the `interrupt` policy (the only caller of shortenTermination, so the only one that needs a
    // linked controller).
    const interrupt =
      ctx.policy.shorterGraceDuringTermination === 'interrupt' ? linkedController(hooks.signal) : undefined;
    let waitOver = false;
    const hookRun = runHook(
      ctx,
      pod,
      record,
      container,
      'PreStop',
      preStopHandler,
      interrupt?.controller.signal ?? hooks.signal,
    );
    if (interrupt !== undefined) void hookRun.then(interrupt.dispose);
    const run = hookRun.then((outcome) => {
      // spec §4.2-C.5.6: a failure is reported whenever it happens, unless the manager itself
      // abandoned the hook because the container had already exited.
      if (!outcome.ok && !hooks.signal.aborted && !(waitOver && interrupt?.controller.signal.aborted === true)) {
        emitContainerEvent(ctx, pod, record, {
          type: 'Warning',
          reason: 'FailedPreStopHook',
          message: EventMessages.failedPreStopHook,
          detail: outcome.message,
        });
      }
      return outcome;
    });
    return waitUntilDeadline(ctx, run, termination).then((settled) => {
      waitOver = true;
      const elapsedMs = clock.now() - hookStartedAt;
      let preStop: HookReport & { readonly elapsedMs: number };
      if (settled === DEADLINE) {
        preStop = { outcome: 'timedOut', elapsedMs };
        if (termination.shortened) interrupt?.controller.abort(new Error('grace period shortened'));
        if (ctx.policy.unfinishedPreStopEvent) {
          emitContainerEvent(ctx, pod, record, {
            type: 'Warning',
            reason: 'UnfinishedPreStopHook',
            message: EventMessages.unfinishedPreStopHook(grace),
          });
        }
      } else {
        preStop = settled.ok
          ? { outcome: 'succeeded', elapsedMs }
          : { outcome: 'failed', elapsedMs, message: settled.message };
      }
      if (hearsSteps(ctx))
        emitStep(ctx, pod, record, { kind: 'preStopFinished', hook: 'PreStop', outcome: preStop.outcome });
      return preStop;
    });
  } catch (error) {
    return Promise.reject(error);
  }
}
