/**
 * Exit reporting: a container instance's exit is recorded once, its status becomes Terminated,
 * its exit waiters are released, and hooks still running on it are abandoned. The exit is learnt
 * from the Runtime's `waitContainer` (watched from the start of each instance, {@link watchExit})
 * or, for runtimes without it, from `notifyExited` ({@link reportExit}).
 */
import type { ContainerExit } from '../ports/runtime.js';
import { emitStep, hearsSteps, type ManagerContext } from './context.js';
import { type CallScope, type ContainerRecord, NOT_STARTED, type PodRecord, releaseExitWaiters } from './records.js';
import type { ContainerStatus } from './results.js';

/**
 * Abort reason of hooks abandoned at exit. A shared instance: an abort reason is only read, and
 * building an `Error` (a stack capture) per kill showed up in the real-clock benchmark.
 */
const CONTAINER_EXITED = Object.freeze(new Error('container exited'));

/** Record that the current instance exited (if not already) and release its waiters. */
export function markExited(ctx: ManagerContext, pod: PodRecord, record: ContainerRecord, exitCode?: number): number {
  const at = record.exit?.at ?? ctx.clock.now();
  if (record.exit === undefined) record.exit = { at, exitCode };
  if (record.phase !== 'starting') {
    record.phase = 'exited';
    record.status = terminatedStatus(record, at);
    // Hooks still running for this instance are abandoned now that it has exited (after the
    // runtime has had its chance to report them). With none pending, nothing listens: the
    // controller stays unaborted for the next instance to reuse.
    if (record.calls.pendingHooks > 0) {
      abandonPendingHooks(record.calls);
      record.calls = NOT_STARTED; // the next instance gets a fresh scope
    }
    releaseExitWaiters(record);
    if (hearsSteps(ctx)) emitStep(ctx, pod, record, { kind: 'exited' });
  }
  return at;
}

/**
 * The Terminated status of `record`'s instance, keys in the order the spreads of earlier versions
 * gave. A started instance's (the common case: it has its ID and start time) is one literal,
 * with no properties added after it was made (an object grown by assignment takes a second
 * allocation for the keys beyond its literal's, per exit of a burst of kills).
 */
function terminatedStatus(record: ContainerRecord, at: number): ContainerStatus {
  const code = record.exit?.exitCode;
  const { restartCount, startedAt } = record.status;
  const id = record.ref?.id;
  if (id !== undefined && startedAt !== undefined) {
    if (code === undefined) return { state: 'Terminated', restartCount, containerID: id, startedAt, finishedAt: at };
    return {
      state: 'Terminated',
      restartCount,
      containerID: id,
      exitCode: code,
      reason: code === 0 ? 'Completed' : 'Error',
      startedAt,
      finishedAt: at,
    };
  }
  const status: { -readonly [K in keyof ContainerStatus]: ContainerStatus[K] } = { state: 'Terminated', restartCount };
  if (id !== undefined) status.containerID = id;
  if (code !== undefined) {
    status.exitCode = code;
    status.reason = code === 0 ? 'Completed' : 'Error';
  }
  if (startedAt !== undefined) status.startedAt = startedAt;
  status.finishedAt = at;
  return status;
}

/**
 * The runtime saw a container's main process exit by itself (`notifyExited`, or the Runtime's
 * `waitContainer`): record the exit once. During a start the start sequence finishes first;
 * during a kill the kill finishes (spec §4.2-C).
 */
export function reportExit(ctx: ManagerContext, pod: PodRecord, record: ContainerRecord, exitCode: number): void {
  if (record.phase === 'idle' || record.phase === 'exited') return;
  if (record.exit === undefined) record.exit = { at: ctx.clock.now(), exitCode };
  const killing = record.termination !== undefined && !record.termination.settled;
  if (record.phase === 'running' && !killing) markExited(ctx, pod, record);
}

/**
 * Watch the Runtime's `waitContainer` for the instance `record` has just started (its `ref` is
 * set), when the runtime has it: the report records the exit ({@link reportExit}), exactly as a
 * `notifyExited` would. One call per instance; {@link runtimeExit} hands its answer to others
 * (the pod worker reads the runtime's code and reason from it). No-op without `waitContainer`.
 */
export function watchExit(ctx: ManagerContext, pod: PodRecord, record: ContainerRecord): void {
  const wait = ctx.runtime.waitContainer;
  const ref = record.ref;
  if (typeof wait !== 'function' || ref === undefined) return;
  let controller = pod.exitCalls;
  if (controller === undefined) {
    controller = new AbortController();
    pod.exitCalls = controller;
  }
  let pending: Promise<ContainerExit>;
  try {
    pending = Promise.resolve(wait.call(ctx.runtime, ref, { signal: controller.signal }));
  } catch {
    return; // a throwing runtime: notifyExited remains
  }
  const exit = pending.then(
    (reported): ContainerExit | undefined => {
      const exitCode = (reported as Partial<ContainerExit> | null | undefined)?.exitCode;
      if (typeof exitCode !== 'number' || !Number.isSafeInteger(exitCode)) return undefined;
      if (record.ref === ref) reportExit(ctx, pod, record, exitCode);
      return {
        exitCode,
        ...(typeof reported.reason === 'string' && reported.reason !== '' ? { reason: reported.reason } : {}),
        ...(typeof reported.signal === 'string' ? { signal: reported.signal } : {}),
      };
    },
    () => undefined, // aborted (pod gone) or the runtime lost the container: notifyExited remains
  );
  record.exitWatch = { ref, exit };
}

/**
 * The runtime's report of the exit of `record`'s current instance (its `waitContainer` answer),
 * or `undefined` when the runtime has no `waitContainer` or nothing watches this instance.
 */
export function runtimeExit(record: ContainerRecord): Promise<ContainerExit | undefined> | undefined {
  const watch = record.exitWatch;
  return watch !== undefined && watch.ref === record.ref ? watch.exit : undefined;
}

/** The pod is gone: abort its `waitContainer` calls still pending. */
export function stopExitWatches(pod: PodRecord, reason: unknown): void {
  pod.exitCalls?.abort(reason);
  pod.exitCalls = undefined;
}

/**
 * Abort the signal of hook calls still pending at a container's exit, in the microtask after the
 * exit was reported. No count of turns: the explicit signal is the exit report itself. A runtime
 * settles the exec calls of a container before it reports that container's exit (resolves
 * `waitContainer` or `stopContainer`, or has `notifyExited` called): the reaction of the hook
 * runner to each such settled call was queued then, before this abort is, so it runs first and
 * the call's result (exit 137 for an exec killed with its container, spec §4.2-C.5.6) is reported
 * however many awaits the runtime took to get there. What is still pending after that (a sleep, an
 * HTTP request, an exec the runtime did not end) is abandoned unreported, as the kubelet abandons
 * calls on a dead container. The runtime conformance suite checks the order.
 */
function abandonPendingHooks(scope: CallScope): void {
  void Promise.resolve().then(() => {
    if (scope.pendingHooks > 0 && !scope.controller.signal.aborted) scope.controller.abort(CONTAINER_EXITED);
  });
}
