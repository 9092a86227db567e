/**
 * Exit reporting: a container instance's exit is recorded once, its status becomes Terminated,
 * its exit waiters are released, and hooks still running on it are abandoned.
 */
import { emitStep, type ManagerContext } from './context.js';
import { type CallScope, type ContainerRecord, NOT_STARTED, type PodRecord, releaseExitWaiters } from './records.js';

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
 *
 * Why a count and not a signal: the `Runtime` port has no "all calls of this container reported"
 * event, and the core may not wait a macrotask (no global timers, DESIGN §2). A runtime that ends
 * its execs within these turns has them reported as failures; later ones are abandoned, as the
 * kubelet abandons calls on a dead container.
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
