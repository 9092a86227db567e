/**
 * The kill sequence of one container (spec §4.2-C): Killing → preStop raced against the grace
 * (prestop-race.ts) → sidecar ordering wait → runtime stop (runtime-stop.ts, its answer in
 * stop-report.ts) → exit (container-exit.ts). Every grace figure comes from `killPlan` (src/grace/kill-grace.ts).
 */
import type { Container } from '../api/types.js';
import { containerBaseGrace, type KillPlanInput, type KillReason, killPlan } from '../grace/kill-grace.js';
import { EventMessages } from '../hooks/events.js';
import { emitContainerEvent, emitStep, type ManagerContext } from './context.js';
import { deferred } from './deadline.js';
import { racePreStop } from './prestop-race.js';
import {
  type ContainerRecord,
  instanceSpec,
  NOT_STARTED,
  type PodRecord,
  type Termination,
  takeCallScope,
  whenExited,
  whenStartupDone,
} from './records.js';
import type { HookReport, StopResult } from './results.js';
import { stopWithRuntime } from './runtime-stop.js';
import { type KillBase, reportStop } from './stop-report.js';
import { waitUntilDeadline } from './termination.js';

/** How one kill was asked for. */
export interface KillRequest {
  readonly reason: KillReason;
  /** The `Killing` event message; default `Stopping container <name>`. */
  readonly message?: string | undefined;
  /** Grace override (pod-worker effective grace, or the caller's), applied before preStop. */
  readonly overrideSeconds?: number | undefined;
  /** Containers that must have terminated before this one gets its stop signal (sidecars). */
  readonly prerequisites?: readonly ContainerRecord[] | undefined;
}

/**
 * Begin killing a running container (spec §4.2-C) and register the shared {@link Termination}.
 * The caller must have checked that the container is running and not already being killed.
 */
export function beginKill(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  request: KillRequest,
): Termination {
  const container = instanceSpec(pod.pod, record);
  // A deleted pod's grace is its deletion's (`containerBaseGrace` reads
  // `metadata.deletionGracePeriodSeconds` first), without a copy of the pod per container killed.
  const planInput: KillPlanInput = {
    baseGraceSeconds: pod.deletion
      ? pod.deletion.deletionGracePeriodSeconds
      : containerBaseGrace(pod.pod, container, request.reason),
    overrideSeconds: request.overrideSeconds,
    hasPreStop: container.lifecycle?.preStop !== undefined,
    preStopElapsedMs: 0,
    orderingWaitMs: 0,
    minimumSeconds: ctx.policy.minimumStopGraceSeconds,
  };
  const grace = killPlan(planInput).gracePeriodSeconds;
  // A running instance holds no call scope (releaseRunningScope): the kill's calls get one.
  if (record.calls === NOT_STARTED) record.calls = takeCallScope();
  const startedAt = ctx.clock.now();
  const termination: Termination = {
    promise: undefined as unknown as Promise<StopResult>,
    settled: false,
    shortened: false,
    deadlineAt: startedAt + grace * 1000,
    deadlineChanged: ctx.policy.shorterGraceDuringTermination === 'interrupt' ? deferred<void>() : undefined,
  };
  (termination as { promise: Promise<StopResult> }).promise = runKill(
    ctx,
    pod,
    record,
    container,
    request,
    planInput,
    startedAt,
    termination,
  );
  record.termination = termination;
  return termination;
}

/**
 * The kill itself; a throw on the way becomes a rejection, as from an async function. Its result
 * marks the termination settled (in the same callback that builds it on the direct path).
 */
function runKill(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  container: Container,
  request: KillRequest,
  planInput: KillPlanInput,
  startedAt: number,
  termination: Termination,
): Promise<StopResult> {
  try {
    // All grace arithmetic is killPlan's (src/grace): the sequence only measures and asks again.
    const plan = killPlan(planInput);
    const grace = plan.gracePeriodSeconds;
    // spec §4.2-C.3: Killing, with the caller's message or "Stopping container <name>".
    emitContainerEvent(ctx, pod, record, {
      type: 'Normal',
      reason: 'Killing',
      message: request.message ?? EventMessages.stopping(record.name),
    });
    emitStep(ctx, pod, record, { kind: 'killing', seconds: grace });
    const runsPreStop = container.lifecycle?.preStop !== undefined && plan.runsPreStop;
    const waits = plan.remainingSeconds > 0 && (request.prerequisites?.length ?? 0) > 0;
    if (runsPreStop || waits || record.ref === undefined || termination.shortened)
      return waitThenStop(ctx, pod, record, container, request, planInput, startedAt, termination, plan).then(
        (result) => {
          termination.settled = true;
          return result;
        },
      );
    // Nothing to wait for (no preStop, no sidecar ordering): the stop call goes out now, and its
    // answer is reported, the termination marked settled, in the one reaction to the stop's
    // deadline race: no async frame resumed, no chain of `.then`s (a burst of stops on the real
    // clock pays that per kill while later SIGKILLs are due: docs/performance.md).
    const timeoutSeconds = plan.stopTimeoutSeconds;
    const base: KillBase = {
      container: record.name,
      reason: request.reason,
      gracePeriodSeconds: grace,
      preStop: { outcome: 'skipped' },
      orderingWaitMs: 0,
      startedAt,
    };
    return stopWithRuntime(ctx, pod, record, termination, timeoutSeconds, (stopped) => {
      const result = reportStop(ctx, pod, record, timeoutSeconds, base, stopped);
      termination.settled = true;
      return result;
    });
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The kill's preStop and sidecar-ordering waits (spec §4.2-C.5/6), then its stop. */
async function waitThenStop(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  container: Container,
  request: KillRequest,
  planInput: KillPlanInput,
  startedAt: number,
  termination: Termination,
  firstPlan: ReturnType<typeof killPlan>,
): Promise<StopResult> {
  const { clock } = ctx;
  let plan = firstPlan;
  const grace = plan.gracePeriodSeconds;
  const ref = record.ref;

  // spec §4.2-C.5: preStop raced against the grace timer; elapsed whole seconds are charged.
  let preStop: HookReport = { outcome: 'skipped' };
  const preStopHandler = container.lifecycle?.preStop;
  let preStopElapsedMs = 0;
  if (preStopHandler !== undefined && plan.runsPreStop) {
    const raced = await racePreStop(ctx, pod, record, container, preStopHandler, termination, grace);
    preStop = raced;
    preStopElapsedMs = raced.elapsedMs;
  }

  // spec §4.2-C.6: a sidecar's stop signal waits for the containers it must outlive.
  // (The grace left after preStop is only asked when there is something to wait for: a pure plan.)
  let orderingWaitMs = 0;
  const prerequisites = request.prerequisites ?? [];
  const remainingSeconds =
    prerequisites.length > 0 ? killPlan(planAfter(planInput, preStopElapsedMs, 0, undefined)).remainingSeconds : 0;
  if (remainingSeconds > 0) {
    const waitStartedAt = clock.now();
    emitStep(ctx, pod, record, { kind: 'orderingWaitStarted' });
    const all = Promise.all(prerequisites.map(whenExited));
    await waitUntilDeadline(ctx, all, termination, waitStartedAt + remainingSeconds * 1000);
    orderingWaitMs = clock.now() - waitStartedAt;
    emitStep(ctx, pod, record, { kind: 'orderingWaitFinished' });
  }
  // spec §4.2-C.7/8: at least the minimum, then CRI StopContainer. The `interrupt` policy: never
  // grant more than what is left before a shortened deadline.
  plan = killPlan(
    planAfter(
      planInput,
      preStopElapsedMs,
      orderingWaitMs,
      termination.shortened ? termination.deadlineAt - clock.now() : undefined,
    ),
  );
  const base: KillBase = {
    container: record.name,
    reason: request.reason,
    gracePeriodSeconds: grace,
    preStop,
    orderingWaitMs,
    startedAt,
  };
  if (ref === undefined) return { ...base, outcome: 'notRunning' };
  const timeoutSeconds = plan.stopTimeoutSeconds;
  // `await`: the result comes back in as many turns as when the report followed the race.
  return await stopWithRuntime(ctx, pod, record, termination, timeoutSeconds, (stopped) =>
    reportStop(ctx, pod, record, timeoutSeconds, base, stopped),
  );
}

/** `input` with what the kill measured so far: one literal, not a spread (a kill asks three times). */
function planAfter(
  input: KillPlanInput,
  preStopElapsedMs: number,
  orderingWaitMs: number,
  remainingCapMs: number | undefined,
): KillPlanInput {
  return {
    baseGraceSeconds: input.baseGraceSeconds,
    overrideSeconds: input.overrideSeconds,
    hasPreStop: input.hasPreStop,
    preStopElapsedMs,
    orderingWaitMs,
    minimumSeconds: input.minimumSeconds,
    remainingCapMs,
  };
}

/**
 * The one entry to a kill: waits out a start in progress (spec §3.7: deletion is queued behind
 * postStart), shares a kill already in flight (one termination per container instance), and
 * answers `notRunning` without preStop or stop call for a container that is not running.
 */
export function requestKill(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  request: KillRequest & { readonly shareInFlight?: boolean },
): Promise<StopResult> {
  if (record.phase === 'starting') {
    // The runtime has not returned the container yet (creating it, pulling its image): the kill
    // cancels that call, as the kubelet's pod worker cancels the sync in flight (pod_workers.go
    // UpdatePod: becameTerminating → "Cancelling current pod sync", status.cancelFn(); the image
    // pull runs on that context); once the runtime returned, the kill is queued behind postStart
    // (spec §3.7).
    if (record.ref === undefined && record.calls !== NOT_STARTED)
      record.calls.controller.abort(new Error('the container is being killed'));
    return whenStartupDone(record).then(() => requestKill(ctx, pod, record, request));
  }
  const inFlight = record.termination;
  if (inFlight !== undefined && !inFlight.settled) {
    if (request.shareInFlight !== false) return inFlight.promise;
    return inFlight.promise.then(() => killUnlessStopped(ctx, pod, record, request));
  }
  return killUnlessStopped(ctx, pod, record, request);
}

/** Begin a kill of a running container, or answer `notRunning` for any other. */
function killUnlessStopped(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  request: KillRequest,
): Promise<StopResult> {
  if (record.phase !== 'running') {
    const container = instanceSpec(pod.pod, record);
    const exitedAt = record.exit?.at;
    return Promise.resolve({
      container: record.name,
      outcome: 'notRunning',
      reason: request.reason,
      gracePeriodSeconds: killPlan({
        baseGraceSeconds: containerBaseGrace(pod.pod, container, request.reason),
        overrideSeconds: request.overrideSeconds,
        hasPreStop: false,
        preStopElapsedMs: 0,
        orderingWaitMs: 0,
      }).gracePeriodSeconds,
      preStop: { outcome: 'skipped' },
      orderingWaitMs: 0,
      startedAt: ctx.clock.now(),
      ...(exitedAt !== undefined ? { exitedAt } : {}),
    });
  }
  return beginKill(ctx, pod, record, request).promise;
}
