/**
 * The waits of a kill after `Killing` (spec §4.2-C.5/6) — preStop raced against the grace
 * (prestop-race.ts), the sidecar ordering wait — and the runtime stop that follows them
 * (runtime-stop.ts, its answer in stop-report.ts). The kill sequence (kill-sequence.ts) hands
 * over here whenever there is something to wait for.
 *
 * @internal
 * @module
 */
import type { Container } from '../api/types.js';
import { type KillPlan, type KillPlanInput, remainingSecondsAfter, stopTimeoutSeconds } from '../grace/kill-grace.js';
import { emitStep, hearsSteps, type ManagerContext } from './context.js';
import type { KillRequest } from './kill-sequence.js';
import { racePreStop } from './prestop-race.js';
import { type ContainerRecord, type PodRecord, type Termination, whenExited } from './records.js';
import type { HookReport, StopResult } from './results.js';
import { stopWithRuntime } from './runtime-stop.js';
import { type KillBase, reportStop } from './stop-report.js';
import { waitUntilDeadline } from './termination.js';

/**
 * The kill's preStop and sidecar-ordering waits (spec §4.2-C.5/6), then its stop. The usual kill
 * (a preStop, nothing to wait for after it, the default policy) is a promise chain, the others
 * the `async` function below: the same turns, without a suspended frame per kill (round 6 of
 * docs/performance-history.md; test/container/turn-order.test.ts pins them).
 */
export function waitThenStop(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  container: Container,
  request: KillRequest,
  planInput: KillPlanInput,
  startedAt: number,
  termination: Termination,
  firstPlan: KillPlan,
): Promise<StopResult> {
  const preStopHandler = container.lifecycle?.preStop;
  if (
    preStopHandler === undefined ||
    !firstPlan.runsPreStop ||
    record.ref === undefined ||
    termination.deadlineChanged !== undefined ||
    (request.prerequisites?.length ?? 0) > 0
  )
    return waitThenStopInSteps(ctx, pod, record, container, request, planInput, startedAt, termination, firstPlan);
  const grace = firstPlan.gracePeriodSeconds;
  // The `.then` runs in the turn the `await` resumed in; its callback hands back the stop's
  // promise, which the chain adopts a turn after it settles, as `return await` answered.
  return racePreStop(ctx, pod, record, container, preStopHandler, termination, grace).then((preStop) =>
    stopAfterWaits(ctx, pod, record, request, planInput, startedAt, termination, grace, preStop, 0),
  );
}

/** {@link waitThenStop} for every other kill (sidecar ordering, `interrupt` policy, no preStop). */
async function waitThenStopInSteps(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  container: Container,
  request: KillRequest,
  planInput: KillPlanInput,
  startedAt: number,
  termination: Termination,
  firstPlan: KillPlan,
): Promise<StopResult> {
  const { clock } = ctx;
  const grace = firstPlan.gracePeriodSeconds;
  const ref = record.ref;

  // spec §4.2-C.5: preStop raced against the grace timer; elapsed whole seconds are charged.
  let preStop: HookReport = { outcome: 'skipped' };
  const preStopHandler = container.lifecycle?.preStop;
  let preStopElapsedMs = 0;
  if (preStopHandler !== undefined && firstPlan.runsPreStop) {
    const raced = await racePreStop(ctx, pod, record, container, preStopHandler, termination, grace);
    preStop = raced;
    preStopElapsedMs = raced.elapsedMs;
  }

  // spec §4.2-C.6: a sidecar's stop signal waits for the containers it must outlive.
  // (The grace left after preStop is only asked when there is something to wait for: a pure plan.)
  let orderingWaitMs = 0;
  const prerequisites = request.prerequisites ?? [];
  const remainingSeconds =
    prerequisites.length > 0 ? remainingSecondsAfter(planInput, preStopElapsedMs, 0, undefined) : 0;
  if (remainingSeconds > 0) {
    const waitStartedAt = clock.now();
    if (hearsSteps(ctx)) emitStep(ctx, pod, record, { kind: 'orderingWaitStarted' });
    const all = Promise.all(prerequisites.map(whenExited));
    await waitUntilDeadline(ctx, all, termination, waitStartedAt + remainingSeconds * 1000);
    orderingWaitMs = clock.now() - waitStartedAt;
    if (hearsSteps(ctx)) emitStep(ctx, pod, record, { kind: 'orderingWaitFinished' });
  }
  if (ref === undefined) {
    const base = killBase(record, request, grace, preStop, orderingWaitMs, startedAt);
    return { ...base, outcome: 'notRunning' };
  }
  // `await`: the result comes back in as many turns as when the report followed the race.
  return await stopAfterWaits(
    ctx,
    pod,
    record,
    request,
    planInput,
    startedAt,
    termination,
    grace,
    preStop,
    orderingWaitMs,
  );
}

/**
 * spec §4.2-C.7/8: at least the minimum, then CRI StopContainer. The `interrupt` policy: never
 * grant more than what is left before a shortened deadline.
 */
function stopAfterWaits(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  request: KillRequest,
  planInput: KillPlanInput,
  startedAt: number,
  termination: Termination,
  grace: number,
  preStop: HookReport & { readonly elapsedMs?: number },
  orderingWaitMs: number,
): Promise<StopResult> {
  const remaining = remainingSecondsAfter(
    planInput,
    preStop.elapsedMs ?? 0,
    orderingWaitMs,
    termination.shortened ? termination.deadlineAt - ctx.clock.now() : undefined,
  );
  const timeoutSeconds = stopTimeoutSeconds(remaining, planInput.minimumSeconds);
  const base = killBase(record, request, grace, preStop, orderingWaitMs, startedAt);
  return stopWithRuntime(ctx, pod, record, termination, timeoutSeconds, (stopped) =>
    reportStop(ctx, pod, record, timeoutSeconds, base, stopped),
  );
}

function killBase(
  record: ContainerRecord,
  request: KillRequest,
  grace: number,
  preStop: HookReport,
  orderingWaitMs: number,
  startedAt: number,
): KillBase {
  return {
    container: record.name,
    reason: request.reason,
    gracePeriodSeconds: grace,
    preStop,
    orderingWaitMs,
    startedAt,
  };
}
