import type { Container } from '../api/types.js';
import { errorText } from '../errors.js';
import {
  containerBaseGrace,
  type KillPlanInput,
  type KillReason,
  killPlan,
  reissuedStopTimeoutSeconds,
} from '../grace/kill-grace.js';
import type { ContainerRef } from '../ports/runtime.js';
import { emitContainerEvent, emitEvent, emitStep, type ManagerContext, runHook } from './context.js';
import { callSafely, DEADLINE, deferred, linkedController, raceDeadline } from './deadline.js';
import { EventMessages } from './events.js';
import {
  type CallScope,
  type ContainerRecord,
  containerSpec,
  NOT_STARTED,
  newCallScope,
  type PodRecord,
  releaseExitWaiters,
  type Termination,
  whenExited,
  whenStartupDone,
} from './records.js';
import type { HookReport, StopResult } from './results.js';

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

const SHORTENED = Symbol('shortened');

/**
 * Abort reasons of the two aborts every kill makes. Shared instances: an abort reason is only
 * read, and building an `Error` (a stack capture) per kill showed up in the real-clock benchmark.
 */
const CONTAINER_EXITED = Object.freeze(new Error('container exited'));
const STOP_SETTLED = Object.freeze(new Error('stop settled'));
const STOP_GIVEN_UP = Object.freeze(new Error('runtime stop given up (runtime request timeout)'));

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
  const container = containerSpec(pod.pod, record) as Container;
  const podView = pod.deletion
    ? {
        ...pod.pod,
        metadata: { ...pod.pod.metadata, deletionGracePeriodSeconds: pod.deletion.deletionGracePeriodSeconds },
      }
    : pod.pod;
  const planInput: KillPlanInput = {
    baseGraceSeconds: containerBaseGrace(podView, container, request.reason),
    overrideSeconds: request.overrideSeconds,
    hasPreStop: container.lifecycle?.preStop !== undefined,
    preStopElapsedMs: 0,
    orderingWaitMs: 0,
    minimumSeconds: ctx.policy.minimumStopGraceSeconds,
  };
  const grace = killPlan(planInput).gracePeriodSeconds;
  const startedAt = ctx.clock.now();
  const termination: Termination = {
    promise: undefined as unknown as Promise<StopResult>,
    settled: false,
    shortened: false,
    deadlineMs: startedAt + grace * 1000,
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
  ).then((result) => {
    termination.settled = true;
    return result;
  });
  record.termination = termination;
  return termination;
}

/** Lower a kill's deadline (the `interrupt` policy for a shorter second delete). */
export function shortenTermination(termination: Termination, deadlineMs: number): void {
  if (termination.settled || deadlineMs >= termination.deadlineMs) return;
  termination.deadlineMs = deadlineMs;
  termination.shortened = true;
  const changed = termination.deadlineChanged;
  termination.deadlineChanged = deferred<void>();
  changed?.resolve();
}

async function runKill(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  container: Container,
  request: KillRequest,
  planInput: KillPlanInput,
  startedAt: number,
  termination: Termination,
): Promise<StopResult> {
  const { clock } = ctx;
  // All grace arithmetic is killPlan's (src/grace): the sequence only measures and asks again.
  let plan = killPlan(planInput);
  const grace = plan.gracePeriodSeconds;
  const ref = record.ref;
  // spec §4.2-C.3: Killing, with the caller's message or "Stopping container <name>".
  emitContainerEvent(ctx, pod, record, {
    type: 'Normal',
    reason: 'Killing',
    message: request.message ?? EventMessages.stopping(record.name),
  });
  emitStep(ctx, pod, record, { kind: 'killing', seconds: grace });

  // spec §4.2-C.5: preStop raced against the grace timer; elapsed whole seconds are charged.
  let preStop: HookReport = { outcome: 'skipped' };
  const preStopHandler = container.lifecycle?.preStop;
  let preStopElapsedMs = 0;
  if (preStopHandler !== undefined && plan.runsPreStop) {
    const hooks = record.calls.controller;
    const hookStart = clock.now();
    emitStep(ctx, pod, record, { kind: 'preStopStarted', hook: 'PreStop' });
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
    const settled = await waitUntilDeadline(ctx, run, termination);
    waitOver = true;
    const elapsedMs = clock.now() - hookStart;
    if (settled === DEADLINE) {
      preStop = { outcome: 'timedOut', elapsedMs };
      if (termination.shortened) interrupt?.controller.abort(new Error('grace period shortened'));
      if (ctx.policy.unfinishedPreStopEvent) {
        emitContainerEvent(ctx, pod, record, {
          type: 'Warning',
          reason: 'UnfinishedPreStopHook',
          message: `PreStop hook did not complete in ${grace} seconds`,
        });
      }
    } else {
      preStop = settled.ok
        ? { outcome: 'succeeded', elapsedMs }
        : { outcome: 'failed', elapsedMs, message: settled.message };
    }
    preStopElapsedMs = elapsedMs;
    emitStep(ctx, pod, record, { kind: 'preStopFinished', hook: 'PreStop', outcome: preStop.outcome });
  }

  // spec §4.2-C.6: a sidecar's stop signal waits for the containers it must outlive.
  let orderingWaitMs = 0;
  plan = killPlan({ ...planInput, preStopElapsedMs });
  const prerequisites = request.prerequisites ?? [];
  if (plan.remainingSeconds > 0 && prerequisites.length > 0) {
    const waitStart = clock.now();
    emitStep(ctx, pod, record, { kind: 'orderingWaitStarted' });
    const all = Promise.all(prerequisites.map(whenExited));
    await waitUntilDeadline(ctx, all, termination, waitStart + plan.remainingSeconds * 1000);
    orderingWaitMs = clock.now() - waitStart;
    emitStep(ctx, pod, record, { kind: 'orderingWaitFinished' });
  }
  // spec §4.2-C.7/8: at least the minimum, then CRI StopContainer. The `interrupt` policy: never
  // grant more than what is left before a shortened deadline.
  plan = killPlan({
    ...planInput,
    preStopElapsedMs,
    orderingWaitMs,
    remainingCapMs: termination.shortened ? termination.deadlineMs - clock.now() : undefined,
  });
  const timeoutSeconds = plan.stopTimeoutSeconds;
  const name = record.name;
  const reason = request.reason;
  if (ref === undefined)
    return {
      container: name,
      reason,
      gracePeriodSeconds: grace,
      preStop,
      orderingWaitMs,
      startedAt,
      outcome: 'notRunning',
    };
  const stopped = await stopWithRuntime(ctx, pod, record, termination, timeoutSeconds);
  if (stopped.ok) {
    const exitedAt = markExited(ctx, pod, record);
    return {
      container: name,
      reason,
      gracePeriodSeconds: grace,
      preStop,
      orderingWaitMs,
      startedAt,
      outcome: 'stopped',
      stopTimeoutSeconds: timeoutSeconds,
      exitedAt,
    };
  }
  emitStep(ctx, pod, record, { kind: 'stopFailed', message: stopped.error });
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
    container: name,
    reason,
    gracePeriodSeconds: grace,
    preStop,
    orderingWaitMs,
    startedAt,
    outcome: stopped.timedOut ? 'stopTimedOut' : 'stopFailed',
    stopTimeoutSeconds: timeoutSeconds,
    error: stopped.error,
    ...(exitedAt !== undefined ? { exitedAt } : {}),
  };
}

/** Wait for `work` until the termination's (possibly lowered) deadline, or `capMs` if earlier. */
function waitUntilDeadline<T>(
  ctx: ManagerContext,
  work: Promise<T>,
  termination: Termination,
  capMs = Number.POSITIVE_INFINITY,
): Promise<T | typeof DEADLINE> {
  const deadline = Math.min(termination.deadlineMs, capMs);
  if (termination.deadlineChanged === undefined) return raceDeadline(ctx.clock, work, deadline - ctx.clock.now());
  return waitUntilLowerableDeadline(ctx, work, termination, capMs);
}

/** {@link waitUntilDeadline} under the `interrupt` policy: the deadline may be lowered meanwhile. */
async function waitUntilLowerableDeadline<T>(
  ctx: ManagerContext,
  work: Promise<T>,
  termination: Termination,
  capMs: number,
): Promise<T | typeof DEADLINE> {
  for (;;) {
    const deadline = Math.min(termination.deadlineMs, capMs);
    const settled = await raceDeadline(ctx.clock, orShortened(termination, work), deadline - ctx.clock.now());
    if (settled !== SHORTENED) return settled as T | typeof DEADLINE;
  }
}

/**
 * `work`, or {@link SHORTENED} as soon as the termination's deadline is lowered. Only the
 * `interrupt` policy lowers deadlines, so under the default policy this is `work` itself.
 */
function orShortened<T>(termination: Termination, work: Promise<T>): Promise<T | typeof SHORTENED> {
  const changed = termination.deadlineChanged;
  if (changed === undefined) return work;
  const shortened = changed.promise.then((): typeof SHORTENED => SHORTENED);
  return Promise.race([work, shortened]);
}

type StopOutcome = { readonly ok: true } | { readonly ok: false; readonly timedOut: boolean; readonly error: string };
const STOPPED: StopOutcome = Object.freeze({ ok: true });

/**
 * Call `runtime.stopContainer`, bounded by the timeout plus the runtime request timeout. The call
 * carries the instance's signal, aborted only if the manager gives up on the call; the instance,
 * still running then, gets a fresh call scope for the retry a later stop makes.
 */
function stopWithRuntime(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  termination: Termination,
  timeoutSeconds: number,
): Promise<StopOutcome> {
  const ref = record.ref;
  if (ref === undefined) return Promise.resolve(STOPPED);
  const stopSignal = containerSpec(pod.pod, record)?.lifecycle?.stopSignal;
  if (termination.deadlineChanged !== undefined)
    return stopInterruptibly(ctx, pod, record, termination, ref, stopSignal, timeoutSeconds);
  const scope = record.calls;
  emitStep(ctx, pod, record, {
    kind: 'stopRequested',
    seconds: timeoutSeconds,
    ...(stopSignal !== undefined ? { stopSignal } : {}),
  });
  const limitMs = (timeoutSeconds + ctx.runtimeRequestTimeoutSeconds) * 1000;
  const { signal } = scope.controller;
  const options = stopSignal !== undefined ? { stopSignal, timeoutSeconds, signal } : { timeoutSeconds, signal };
  return raceDeadline(
    ctx.clock,
    callSafely(() => ctx.runtime.stopContainer(ref, options)),
    limitMs,
  ).then(
    (settled): StopOutcome => {
      if (settled !== DEADLINE) return STOPPED;
      scope.controller.abort(STOP_GIVEN_UP);
      if (record.calls === scope) record.calls = newCallScope();
      return { ok: false, timedOut: true, error: `runtime did not stop the container within ${limitMs / 1000}s` };
    },
    (error: unknown): StopOutcome => ({ ok: false, timedOut: false, error: errorText(error) }),
  );
}

/**
 * {@link stopWithRuntime} under the `interrupt` policy: a lowered deadline re-issues the stop with
 * the shorter timeout (spec §4.2-F.6). The calls share their own controller, aborted once one
 * settles while another may still be pending, or when given up on.
 */
async function stopInterruptibly(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  termination: Termination,
  ref: ContainerRef,
  stopSignal: string | undefined,
  timeoutSeconds: number,
): Promise<StopOutcome> {
  const abort = new AbortController();
  const issue = (seconds: number): Promise<void> => {
    emitStep(ctx, pod, record, {
      kind: 'stopRequested',
      seconds,
      ...(stopSignal !== undefined ? { stopSignal } : {}),
    });
    return callSafely(() =>
      ctx.runtime.stopContainer(ref, {
        ...(stopSignal !== undefined ? { stopSignal } : {}),
        timeoutSeconds: seconds,
        signal: abort.signal,
      }),
    ).then(() => undefined);
  };
  const issuedAt = ctx.clock.now();
  let killAt = issuedAt + timeoutSeconds * 1000;
  const calls: Promise<void>[] = [issue(timeoutSeconds)];
  const limitMs = (timeoutSeconds + ctx.runtimeRequestTimeoutSeconds) * 1000;
  let isGivenUp = false;
  try {
    for (;;) {
      const pending = calls.length === 1 ? (calls[0] as Promise<void>) : Promise.race(calls);
      const settled = await raceDeadline(
        ctx.clock,
        orShortened(termination, pending),
        issuedAt + limitMs - ctx.clock.now(),
      );
      if (settled === DEADLINE) {
        isGivenUp = true;
        return { ok: false, timedOut: true, error: `runtime did not stop the container within ${limitMs / 1000}s` };
      }
      if (settled !== SHORTENED) return { ok: true };
      // `interrupt` policy: re-issue the stop with the shorter timeout (spec §4.2-F.6).
      const seconds = reissuedStopTimeoutSeconds(
        termination.deadlineMs - ctx.clock.now(),
        ctx.policy.minimumStopGraceSeconds,
      );
      if (ctx.clock.now() + seconds * 1000 < killAt) {
        killAt = ctx.clock.now() + seconds * 1000;
        calls.push(issue(seconds));
      }
    }
  } catch (error) {
    return { ok: false, timedOut: false, error: errorText(error) };
  } finally {
    // Tell the runtime to stop waiting on a call that may still be pending: one given up on, or
    // the earlier of re-issued calls. A lone call that settled needs no abort.
    if (isGivenUp || calls.length > 1) abort.abort(STOP_SETTLED);
  }
}

/** Record that the current instance exited (if not already) and release its waiters. */
export function markExited(ctx: ManagerContext, pod: PodRecord, record: ContainerRecord, exitCode?: number): number {
  const at = record.exit?.at ?? ctx.clock.now();
  if (record.exit === undefined) record.exit = { at, exitCode };
  if (record.phase !== 'starting') {
    record.phase = 'exited';
    const code = record.exit.exitCode;
    record.status = {
      state: 'Terminated',
      restartCount: record.status.restartCount,
      ...(record.ref !== undefined ? { containerID: record.ref.id } : {}),
      ...(code !== undefined ? { exitCode: code, reason: code === 0 ? 'Completed' : 'Error' } : {}),
      ...(record.status.startedAt !== undefined ? { startedAt: record.status.startedAt } : {}),
      finishedAt: at,
    };
    // Hooks still running for this instance are abandoned now that it has exited (after the
    // runtime has had its chance to report them). With none pending, nothing listens: the
    // controller stays unaborted for the next instance to reuse.
    if (record.calls.pendingHooks > 0) {
      abandonPendingHooks(record.calls);
      record.calls = NOT_STARTED; // the next instance gets a fresh scope
    }
    releaseExitWaiters(record);
    emitStep(ctx, pod, record, { kind: 'exited' });
  }
  return at;
}

/**
 * Microtask turns a runtime gets, once its container has exited, to report the hook calls still
 * pending on it before the manager aborts them (see {@link abandonPendingHooks}).
 */
const EXIT_REPORT_TURNS = 16;

/**
 * Abort the signal of hook calls still pending at a container's exit — after giving the runtime
 * {@link EXIT_REPORT_TURNS} microtask turns to end them itself. An exec runs inside the container
 * and dies with it: a runtime that reports that promptly (exit 137, as runc and `FakeRuntime` do)
 * has the failure reported as `FailedPreStopHook` (spec §4.2-C.5.6); whatever is still pending
 * then (a sleep, an HTTP request, an exec the runtime does not end) is abandoned, unreported.
 */
function abandonPendingHooks(scope: CallScope): void {
  let turn = 0;
  const check = (): void => {
    if (scope.pendingHooks === 0 || scope.controller.signal.aborted) return;
    if (++turn < EXIT_REPORT_TURNS) void Promise.resolve().then(check);
    else scope.controller.abort(CONTAINER_EXITED);
  };
  void Promise.resolve().then(check);
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
  if (record.phase === 'starting') return whenStartupDone(record).then(() => requestKill(ctx, pod, record, request));
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
    const container = containerSpec(pod.pod, record) as Container;
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
