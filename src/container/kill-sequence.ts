/**
 * The kill sequence of one container (spec §4.2-C): Killing → preStop raced against the grace
 * (prestop-race.ts) → sidecar ordering wait (both in kill-waits.ts) → runtime stop
 * (runtime-stop.ts, its answer in stop-report.ts) → exit (container-exit.ts). Every grace figure
 * comes from `killPlan` (src/grace/kill-grace.ts).
 */
import type { Container } from '../api/types.js';
import {
  containerBaseGrace,
  type KillPlan,
  type KillPlanInput,
  type KillReason,
  killPlan,
} from '../grace/kill-grace.js';
import { EventMessages } from '../hooks/events.js';
import { emitContainerEvent, emitStep, hearsSteps, type ManagerContext } from './context.js';
import { deferred } from './deadline.js';
import { waitThenStop } from './kill-waits.js';
import {
  type ContainerRecord,
  instanceSpec,
  NOT_STARTED,
  type PodRecord,
  type Termination,
  takeCallScope,
  whenStartupDone,
} from './records.js';
import type { StopResult } from './results.js';
import { stopWithRuntime } from './runtime-stop.js';
import { type KillBase, reportStop } from './stop-report.js';

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
  const plan = killPlan(planInput);
  const grace = plan.gracePeriodSeconds;
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
    plan,
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
  plan: KillPlan,
  startedAt: number,
  termination: Termination,
): Promise<StopResult> {
  try {
    // All grace arithmetic is killPlan's (src/grace): the sequence only measures and asks again
    // (`plan` is beginKill's, of the same input).
    const grace = plan.gracePeriodSeconds;
    // spec §4.2-C.3: Killing, with the caller's message or "Stopping container <name>".
    emitContainerEvent(ctx, pod, record, {
      type: 'Normal',
      reason: 'Killing',
      message: request.message ?? EventMessages.stopping(record.name),
    });
    if (hearsSteps(ctx)) emitStep(ctx, pod, record, { kind: 'killing', seconds: grace });
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
    // clock pays that per kill while later SIGKILLs are due: docs/performance-history.md).
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
