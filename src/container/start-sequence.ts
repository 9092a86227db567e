import type { Container } from '../api/types.js';
import { errorText } from '../errors.js';
import { EventMessages } from '../hooks/events.js';
import type { RuntimeEvent } from '../ports/runtime.js';
import { markExited, watchExit } from './container-exit.js';
import { emitContainerEvent, emitStep, type ManagerContext, runHook } from './context.js';
import { callSafely, DEADLINE, linkedController, raceDeadline } from './deadline.js';
import { beginKill } from './kill-sequence.js';
import {
  type ContainerRecord,
  NOT_STARTED,
  type PodRecord,
  releaseExitWaiters,
  releaseRunningScope,
  startupFinished,
  takeCallScope,
} from './records.js';
import type { HookReport, StartResult, StopResult } from './results.js';

/**
 * The kubelet's start sequence for one container (spec §3): runtime start → `Started` →
 * postStart; Running only after postStart succeeds; on failure `FailedPostStartHook`, a kill with
 * reason `FailedPostStartHook` (preStop runs, pod grace), and Waiting/`PostStartHookError`.
 */
export async function startSequence(
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
  emitStep(ctx, pod, record, { kind: 'starting' });

  // CRI StartContainer, bounded like the kubelet's runtime request timeout.
  let id: string;
  try {
    const started = await raceDeadline(
      clock,
      callSafely(() =>
        ctx.runtime.startContainer(pod.pod, container, {
          signal: calls.controller.signal,
          onEvent: (e) => emitRuntimeEvent(ctx, pod, record, e),
        }),
      ),
      ctx.runtimeRequestTimeoutSeconds * 1000,
    );
    if (started === DEADLINE) {
      calls.controller.abort(new Error('runtime request timeout'));
      throw new Error(`runtime did not start the container within ${ctx.runtimeRequestTimeoutSeconds}s`);
    }
    const candidate: unknown = (started as { id?: unknown } | null | undefined)?.id;
    if (typeof candidate !== 'string' || candidate === '') {
      throw new Error(`runtime.startContainer resolved with ${describe(started)}; expected { id: non-empty string }`);
    }
    id = candidate;
  } catch (error) {
    const message = errorText(error);
    record.phase = 'idle';
    record.status = { state: 'Waiting', reason: 'RunContainerError', message, restartCount };
    emitContainerEvent(ctx, pod, record, { type: 'Warning', reason: 'Failed', message: `Error: ${message}` });
    emitStep(ctx, pod, record, { kind: 'startFailed', message });
    startupFinished(record);
    releaseExitWaiters(record); // it never ran: whoever waits for it to be gone may go on
    return { container: record.name, outcome: 'startFailed', postStart: { outcome: 'skipped' }, message, startedAt };
  }

  record.ref = { id, name: record.name, podName: pod.name, podNamespace: pod.namespace, podUID: pod.uid };
  watchExit(ctx, pod, record); // the runtime's waitContainer reports the exit (else notifyExited)
  record.status = { state: 'Waiting', reason: 'ContainerCreating', restartCount, containerID: id };
  emitContainerEvent(ctx, pod, record, {
    type: 'Normal',
    reason: 'Started',
    message: EventMessages.started(record.name, ctx.kubeletVersion),
  });
  emitStep(ctx, pod, record, { kind: 'started' });

  const postStart = await runPostStart(ctx, pod, record, container);
  const name = record.name;
  if (postStart.outcome === 'succeeded' || postStart.outcome === 'skipped') {
    record.phase = 'running';
    startupFinished(record);
    if (record.exit !== undefined) {
      // The main process exited while postStart ran: it never became Running.
      markExited(ctx, pod, record);
      return { container: name, containerID: id, postStart, startedAt, outcome: 'exited' };
    }
    const runningAt = clock.now();
    record.status = { state: 'Running', restartCount, containerID: id, startedAt: runningAt };
    releaseRunningScope(record); // its kill takes one again
    emitStep(ctx, pod, record, { kind: 'running' });
    return { container: name, containerID: id, postStart, startedAt, outcome: 'running', runningAt };
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
  let kill: StopResult | undefined;
  if (record.exit !== undefined) {
    markExited(ctx, pod, record);
    startupFinished(record);
  } else {
    const termination = beginKill(ctx, pod, record, { reason: 'FailedPostStartHook', message: 'FailedPostStartHook' });
    startupFinished(record);
    kill = await termination.promise;
  }
  record.status = {
    state: 'Waiting',
    reason: 'PostStartHookError',
    message: detail,
    restartCount,
    containerID: id,
  };
  const failed = {
    container: name,
    containerID: id,
    postStart,
    startedAt,
    outcome: 'postStartFailed',
    message: detail,
  } as const;
  return kill !== undefined ? { ...failed, kill } : failed;
}

async function runPostStart(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  container: Container,
): Promise<HookReport> {
  const handler = container.lifecycle?.postStart;
  if (handler === undefined) return { outcome: 'skipped' };
  const { clock } = ctx;
  const hookStartedAt = clock.now();
  emitStep(ctx, pod, record, { kind: 'postStartStarted', hook: 'PostStart' });
  const limitSeconds = ctx.policy.postStartTimeoutSeconds;
  // The hook's signal: the instance's (aborted if it exits while the hook runs), or a linked one
  // the policy timeout can abort too (only then is a linked controller worth its cost).
  const instance = record.calls.controller.signal;
  const timeout = limitSeconds === undefined ? undefined : linkedController(instance);
  const run = runHook(ctx, pod, record, container, 'PostStart', handler, timeout?.controller.signal ?? instance);
  if (timeout !== undefined) void run.then(timeout.dispose);
  let report: HookReport;
  // spec §3.3: no timeout of its own, unless the postStartTimeoutSeconds policy is set (k/k#116032).
  const settled = limitSeconds === undefined ? await run : await raceDeadline(clock, run, limitSeconds * 1000);
  if (settled === DEADLINE) {
    timeout?.controller.abort(new Error(`postStart did not complete within ${limitSeconds}s`));
    const outcome = await run;
    const reason = `postStart did not complete within ${limitSeconds} seconds (policy postStartTimeoutSeconds)`;
    report = {
      outcome: 'timedOut',
      elapsedMs: clock.now() - hookStartedAt,
      message: outcome.ok ? reason : `${outcome.message} (${reason})`,
    };
  } else if (settled.ok) {
    report = { outcome: 'succeeded', elapsedMs: clock.now() - hookStartedAt };
  } else {
    report = { outcome: 'failed', elapsedMs: clock.now() - hookStartedAt, message: settled.message };
  }
  emitStep(ctx, pod, record, { kind: 'postStartFinished', hook: 'PostStart', outcome: report.outcome });
  return report;
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
