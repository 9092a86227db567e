import type { Container } from '../api/types.js';
import { errorText } from '../errors.js';
import { EventMessages } from '../hooks/events.js';
import { captured, capturedPromise } from '../ports/intrusive-list.js';
import type { RuntimeEvent } from '../ports/runtime.js';
import { markExited, watchExit } from './container-exit.js';
import { emitContainerEvent, emitStep, hearsSteps, type ManagerContext } from './context.js';
import { DEADLINE, raceDeadline } from './deadline.js';
import { beginKill } from './kill-sequence.js';
import { runPostStart } from './post-start.js';
import {
  type ContainerRecord,
  NOT_STARTED,
  type PodRecord,
  releaseExitWaiters,
  releaseRunningScope,
  startupFinished,
  takeCallScope,
} from './records.js';
import type { HookReport, StartResult } from './results.js';

/**
 * The kubelet's start sequence for one container (spec §3): runtime start → `Started` →
 * postStart; Running only after postStart succeeds; on failure `FailedPostStartHook`, a kill with
 * reason `FailedPostStartHook` (preStop runs, pod grace), and Waiting/`PostStartHookError`.
 *
 * Promise chains around one result promise, not `async` functions (docs/performance-history.md, round 6):
 * each step runs in the turn the `await` it replaces resumed in, and the result settles in the
 * turn the `async` function returned in (test/container/turn-order.test.ts pins them), without
 * two suspended frames per start.
 */
export function startSequence(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  container: Container,
): Promise<StartResult> {
  try {
    return runStart(ctx, pod, record, container);
  } catch (error) {
    return Promise.reject(error); // a throw becomes a rejection, as from the `async` function
  }
}

function runStart(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  container: Container,
): Promise<StartResult> {
  const { clock } = ctx;
  const startedAt = clock.now();
  const restartCount = record.starts > 0 ? record.status.restartCount + 1 : 0;
  record.starts += 1;
  record.phase = 'starting';
  record.spec = container;
  record.ref = undefined;
  record.exit = undefined;
  record.termination = undefined;
  // The instance's call scope: the previous instance's is reused unless it had to be aborted.
  if (record.calls === NOT_STARTED || record.calls.controller.signal.aborted) record.calls = takeCallScope();
  const calls = record.calls;
  record.status = { state: 'Waiting', reason: 'ContainerCreating', restartCount };
  if (hearsSteps(ctx)) emitStep(ctx, pod, record, { kind: 'starting' });

  const result = capturedPromise<StartResult>();
  const resolve = captured.resolve as (value: StartResult) => void;
  const { reject } = captured;
  const failed = (error: unknown): void => {
    try {
      resolve(startFailed(ctx, pod, record, restartCount, startedAt, error));
    } catch (thrown) {
      reject(thrown); // as a throw in the `async` function's `catch` block rejected the start
    }
  };
  // CRI StartContainer, bounded like the kubelet's runtime request timeout; a throw of the
  // adapter is its rejection (as `callSafely` made it, without a closure per start).
  let started: Promise<unknown>;
  try {
    let call: Promise<unknown>;
    try {
      call = Promise.resolve(
        ctx.runtime.startContainer(pod.pod, container, {
          signal: calls.controller.signal,
          onEvent: (e) => emitRuntimeEvent(ctx, pod, record, e),
        }),
      );
    } catch (error) {
      call = Promise.reject(error);
    }
    started = raceDeadline(clock, call, ctx.runtimeRequestTimeoutSeconds * 1000);
  } catch (error) {
    failed(error);
    return result;
  }
  started.then((value) => {
    let id: string;
    try {
      id = startedId(ctx, calls, value);
    } catch (error) {
      failed(error);
      return;
    }
    try {
      record.ref = { id, name: record.name, podName: pod.name, podNamespace: pod.namespace, podUID: pod.uid };
      watchExit(ctx, pod, record); // the runtime's waitContainer reports the exit (else notifyExited)
      record.status = { state: 'Waiting', reason: 'ContainerCreating', restartCount, containerID: id };
      emitContainerEvent(ctx, pod, record, {
        type: 'Normal',
        reason: 'Started',
        message: EventMessages.started(record.name, ctx.kubeletVersion),
      });
      if (hearsSteps(ctx)) emitStep(ctx, pod, record, { kind: 'started' });
      runPostStart(ctx, pod, record, container).then((postStart) => {
        try {
          afterPostStart(ctx, pod, record, postStart, id, restartCount, startedAt, resolve, reject);
        } catch (error) {
          reject(error);
        }
      }, reject);
    } catch (error) {
      reject(error);
    }
  }, failed);
  return result;
}

/** The runtime's answer to the start: the container's id, or a throw (deadline, malformed answer). */
function startedId(ctx: ManagerContext, calls: ContainerRecord['calls'], started: unknown): string {
  if (started === DEADLINE) {
    calls.controller.abort(new Error('runtime request timeout'));
    throw new Error(`runtime did not start the container within ${ctx.runtimeRequestTimeoutSeconds}s`);
  }
  const candidate: unknown = (started as { id?: unknown } | null | undefined)?.id;
  if (typeof candidate !== 'string' || candidate === '') {
    throw new Error(`runtime.startContainer resolved with ${describe(started)}; expected { id: non-empty string }`);
  }
  return candidate;
}

/** The runtime start failed (or timed out): Waiting/`RunContainerError`, `Failed`. */
function startFailed(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  restartCount: number,
  startedAt: number,
  error: unknown,
): StartResult {
  const message = errorText(error);
  record.phase = 'idle';
  record.status = { state: 'Waiting', reason: 'RunContainerError', message, restartCount };
  emitContainerEvent(ctx, pod, record, { type: 'Warning', reason: 'Failed', message: `Error: ${message}` });
  if (hearsSteps(ctx)) emitStep(ctx, pod, record, { kind: 'startFailed', message });
  startupFinished(record);
  releaseExitWaiters(record); // it never ran: whoever waits for it to be gone may go on
  return { container: record.name, outcome: 'startFailed', postStart: { outcome: 'skipped' }, message, startedAt };
}

/** postStart has settled: Running, or (spec §3.5) its failure's kill; settles the start's result. */
function afterPostStart(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  postStart: HookReport,
  id: string,
  restartCount: number,
  startedAt: number,
  resolve: (value: StartResult) => void,
  reject: (error: unknown) => void,
): void {
  const name = record.name;
  if (postStart.outcome === 'succeeded' || postStart.outcome === 'skipped') {
    record.phase = 'running';
    startupFinished(record);
    if (record.exit !== undefined) {
      // The main process exited while postStart ran: it never became Running. Its scope goes
      // back to the spares, as a running instance's does: a container waiting to restart (a
      // crash loop's back-off) holds no controller (round 7).
      markExited(ctx, pod, record);
      releaseRunningScope(record);
      resolve({ container: name, containerID: id, postStart, startedAt, outcome: 'exited' });
      return;
    }
    const runningAt = ctx.clock.now();
    record.status = { state: 'Running', restartCount, containerID: id, startedAt: runningAt };
    releaseRunningScope(record); // its kill takes one again
    if (hearsSteps(ctx)) emitStep(ctx, pod, record, { kind: 'running' });
    resolve({ container: name, containerID: id, postStart, startedAt, outcome: 'running', runningAt });
    return;
  }

  // spec §3.5: FailedPostStartHook, then kill with reason FailedPostStartHook (pod grace, preStop runs).
  const detail = postStart.message ?? 'PostStart hook failed';
  emitContainerEvent(ctx, pod, record, {
    type: 'Warning',
    reason: 'FailedPostStartHook',
    message: EventMessages.failedPostStartHook,
    detail,
  });
  record.phase = 'running';
  const failed = {
    container: name,
    containerID: id,
    postStart,
    startedAt,
    outcome: 'postStartFailed',
    message: detail,
  } as const;
  const waiting = (): void => {
    record.status = { state: 'Waiting', reason: 'PostStartHookError', message: detail, restartCount, containerID: id };
  };
  if (record.exit !== undefined) {
    markExited(ctx, pod, record);
    startupFinished(record);
    waiting();
    resolve(failed);
    return;
  }
  const termination = beginKill(ctx, pod, record, { reason: 'FailedPostStartHook', message: 'FailedPostStartHook' });
  startupFinished(record);
  termination.promise.then((kill) => {
    waiting();
    resolve({ ...failed, kill });
  }, reject);
}

/** Longest runtime event message kept (the API server's event note limit is 1 KiB). */
const MAX_RUNTIME_EVENT_MESSAGE = 1024;

/**
 * A {@link RuntimeEvent} from `startContainer`'s `onEvent` (e.g. Docker's Pulling/Pulled, spec pod
 * §4.6) as a container event; a malformed one (not Normal/Warning, no reason) is dropped.
 */
function emitRuntimeEvent(ctx: ManagerContext, pod: PodRecord, record: ContainerRecord, event: RuntimeEvent): void {
  const { type, reason, message } = (event ?? {}) as Partial<RuntimeEvent>;
  if ((type !== 'Normal' && type !== 'Warning') || typeof reason !== 'string' || reason === '') return;
  const text = typeof message === 'string' ? message.slice(0, MAX_RUNTIME_EVENT_MESSAGE) : '';
  emitContainerEvent(ctx, pod, record, { type, reason: reason.slice(0, 128), message: text });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value !== 'object') return typeof value === 'string' ? JSON.stringify(value) : String(value);
  try {
    return JSON.stringify(value) ?? 'an object';
  } catch {
    return 'an object';
  }
}
