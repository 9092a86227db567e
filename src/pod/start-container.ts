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
 * Waiting/Terminated state and restartCount, and a first start shows `ContainerCreating`. For the
 * same reason a container killed by a probe and restarted in the killing sync keeps showing the
 * killed instance Running (`ContainerRecord.held`) until that start is over.
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
  /** Sync again (once this sync is over): the sync a container's death triggers. */
  kick(): void;
}

/** How a {@link startContainer} call ended. */
export type StartResult = 'backingOff' | 'startFailed' | 'running' | 'exited';

/** Shared settled promises of the synchronous outcomes (no promise per call). */
const BACKING_OFF: Promise<StartResult> = Promise.resolve('backingOff');
const START_FAILED: Promise<StartResult> = Promise.resolve('startFailed');

/**
 * doBackOff then startContainer (spec pod §4.2). A restart (`restart: true`) of a container whose
 * last instance exited less than its back-off ago is not started: every call that finds it so
 * emits `BackOff` (spec pod §4.5: once per sync, so the count outgrows restartCount) and the
 * record shows Waiting `CrashLoopBackOff`.
 *
 * A promise chain, not an `async` function (docs/performance-history.md, round 6 second sprint): the
 * result settles in the turn the `async` function returned in — at once for a back-off or a
 * start that threw, one turn after the driver's start settled otherwise — and a throw on the way
 * is a rejection (test/pod/pod-worker-turns.test.ts pins the turns).
 */
export function startContainer(
  host: StartHost,
  c: ContainerRecord,
  restart: boolean,
  pass: SyncPass,
): Promise<StartResult> {
  try {
    return beginStart(host, c, restart, pass);
  } catch (error) {
    return Promise.reject(error); // a throw becomes a rejection, as from the `async` function
  }
}

function beginStart(host: StartHost, c: ContainerRecord, restart: boolean, pass: SyncPass): Promise<StartResult> {
  const now = host.clock.now();
  // After a probe kill the kubelet starts the replacement in the killing sync, whose status was
  // read before the kill: its back-off check reads the exit before the killed one (k/k#22240).
  const killingSync = c.backOffFrom;
  c.backOffFrom = undefined;
  const exit = killingSync === undefined ? c.lastExit : killingSync.exit;
  if (restart && exit) {
    const finishedAt = exit.finishedAt;
    if (host.backOff.isInBackOffSince(c.name, finishedAt, now)) {
      c.held = undefined;
      const backOffMs = host.backOff.backOffMs(c.name);
      pass.skip.add(c.name);
      pass.shortfalls.push({ kind: 'backOff', backOffEndsAt: finishedAt + backOffMs });
      host.emit('Warning', 'BackOff', backOffEventMessage(c.name, host.ident), c);
      if (c.state !== 'backingOff') {
        c.state = 'backingOff';
        c.waiting = { reason: 'CrashLoopBackOff', message: crashLoopBackOffMessage(backOffMs, c.name, host.ident) };
        host.publish();
      }
      // The killed container's death triggers its own sync, which finds it in back-off from its exit.
      if (killingSync !== undefined) host.kick();
      return BACKING_OFF;
    }
    host.backOff.next(c.name, finishedAt, now);
  }
  const previousState = c.state;
  const restartCount = c.instances === 0 ? 0 : c.restartCount + 1;
  // The status keeps showing the previous state until the start is over (module comment).
  c.startingFrom = previousState;
  c.state = 'starting';
  let started: Promise<StartOutcome>;
  try {
    started = host.driver.start(c.name, { restartCount });
  } catch (error) {
    // A synchronous throw: handled in this turn, as the `async` function's `catch` did.
    startFailed(host, c, pass, previousState, { outcome: 'startFailed', message: errorText(error) });
    return START_FAILED;
  }
  // `Promise.resolve` adopts a thenable in the turns `await` did (a native promise is used as is).
  return Promise.resolve(started).then(
    (outcome) => startOver(host, c, pass, previousState, restartCount, now, outcome),
    (error: unknown) => startOver(host, c, pass, previousState, restartCount, now, undefined, error),
  );
}

/** The start's outcome (one turn after the driver's start settled, where the `await` resumed). */
function startOver(
  host: StartHost,
  c: ContainerRecord,
  pass: SyncPass,
  previousState: ContainerRecord['state'],
  restartCount: number,
  now: number,
  outcome: StartOutcome | undefined,
  error?: unknown,
): StartResult {
  if (outcome === undefined) {
    startFailed(host, c, pass, previousState, { outcome: 'startFailed', message: errorText(error) });
    return 'startFailed';
  }
  if (outcome.outcome === 'startFailed') {
    startFailed(host, c, pass, previousState, outcome);
    return 'startFailed';
  }
  c.startingFrom = undefined;
  c.held = undefined;
  const isRunning = applyStart(c, outcome, restartCount, now, host.clock.now());
  return isRunning ? 'running' : 'exited';
}

function startFailed(
  host: StartHost,
  c: ContainerRecord,
  pass: SyncPass,
  previousState: ContainerRecord['state'],
  outcome: Extract<StartOutcome, { outcome: 'startFailed' }>,
): void {
  c.startingFrom = undefined;
  c.held = undefined;
  c.state = previousState === 'backingOff' ? 'exited' : previousState;
  c.waiting = {
    reason: outcome.reason ?? 'RunContainerError',
    ...(outcome.message ? { message: outcome.message } : {}),
  };
  pass.skip.add(c.name);
  pass.shortfalls.push({ kind: 'error' });
  host.publish();
}
