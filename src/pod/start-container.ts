/**
 * One container start as the kubelet's `SyncPod` does it (spec pod §4.2): `doBackOff` (a
 * container still in CrashLoopBackOff is not started; the sync emits `BackOff` and is requeued),
 * then `startContainer` through the {@link ContainerDriver} (runtime start, postStart), then the
 * record of the new instance.
 *
 * While a start is in flight the container's status is the one it had before (spec pod §9 item
 * 11): the kubelet generates a pod's status at the beginning of a sync and the start, postStart
 * included, runs inside that sync (`kubelet.go` `SyncPod` → `generateAPIPodStatus`, then
 * `containerRuntime.SyncPod`), so a replacement whose postStart runs still shows the previous
 * Waiting/Terminated state and restartCount, and a first start shows `ContainerCreating`.
 *
 * @internal
 * @module
 */

import { errorText } from '../errors.js';
import type { KubeEvent } from '../hooks/events.js';
import type { Clock } from '../ports/clock.js';
import type { ContainerDriver, StartOutcome } from './container-driver.js';
import { applyStart, type ContainerRecord } from './container-record.js';
import { backOffEventMessage, type CrashLoopBackOff, crashLoopBackOffMessage } from './crash-loop-back-off.js';
import type { SyncShortfall } from './sync-requeue.js';

/** What one pass of the sync loop collects (the kubelet's `PodSyncResult`). */
export interface SyncPass {
  /** Containers found in back-off, or whose start failed, in this pass: not retried in it. */
  readonly skip: Set<string>;
  /** Why this pass did not finish its work: decides the requeue (spec pod §4.3). */
  readonly shortfalls: SyncShortfall[];
}

/** What {@link startContainer} needs from the sync engine. */
export interface StartHost {
  readonly clock: Clock;
  readonly driver: ContainerDriver;
  readonly backOff: CrashLoopBackOff;
  readonly ident: { readonly name: string; readonly namespace: string; readonly uid: string };
  emit(type: KubeEvent['type'], reason: string, message: string, c?: ContainerRecord): void;
  publish(): void;
}

/** How a {@link startContainer} call ended. */
export type StartResult = 'backingOff' | 'startFailed' | 'running' | 'exited';

/**
 * doBackOff then startContainer (spec pod §4.2). A restart (`restart: true`) of a container whose
 * last instance exited less than its back-off ago is not started: every call that finds it so
 * emits `BackOff` (spec pod §4.5: once per sync, so the count outgrows restartCount) and the
 * record shows Waiting `CrashLoopBackOff`.
 */
export async function startContainer(
  host: StartHost,
  c: ContainerRecord,
  restart: boolean,
  pass: SyncPass,
): Promise<StartResult> {
  const now = host.clock.now();
  if (restart && c.lastExit) {
    const finishedAt = c.lastExit.finishedAt;
    if (host.backOff.isInBackOffSince(c.name, finishedAt, now)) {
      const backOffMs = host.backOff.backOffMs(c.name);
      pass.skip.add(c.name);
      pass.shortfalls.push({ kind: 'backOff', backOffEndsAt: finishedAt + backOffMs });
      host.emit('Warning', 'BackOff', backOffEventMessage(c.name, host.ident), c);
      if (c.state !== 'backingOff') {
        c.state = 'backingOff';
        c.waiting = { reason: 'CrashLoopBackOff', message: crashLoopBackOffMessage(backOffMs, c.name, host.ident) };
        host.publish();
      }
      return 'backingOff';
    }
    host.backOff.next(c.name, finishedAt, now);
  }
  const previousState = c.state;
  const restartCount = c.instances === 0 ? 0 : c.restartCount + 1;
  // The status keeps showing the previous state until the start is over (module comment).
  c.startingFrom = previousState;
  c.state = 'starting';
  let outcome: StartOutcome;
  try {
    outcome = await host.driver.start(c.name, { restartCount });
  } catch (error) {
    outcome = { outcome: 'startFailed', message: errorText(error) };
  }
  c.startingFrom = undefined;
  if (outcome.outcome === 'startFailed') {
    c.state = previousState === 'backingOff' ? 'exited' : previousState;
    c.waiting = {
      reason: outcome.reason ?? 'RunContainerError',
      ...(outcome.message ? { message: outcome.message } : {}),
    };
    pass.skip.add(c.name);
    pass.shortfalls.push({ kind: 'error' });
    host.publish();
    return 'startFailed';
  }
  const isRunning = applyStart(c, outcome, restartCount, now, host.clock.now());
  return isRunning ? 'running' : 'exited';
}
