import type { ManagerContext } from './context.js';
import { type KillRequest, requestKill } from './kill-sequence.js';
import type { ContainerRecord, PodRecord } from './records.js';
import type { PodTerminationResult, StopResult } from './results.js';

/**
 * Terminate every running container of a pod (spec §4.2-B): killed in parallel with the pod
 * worker's effective grace as override; sidecars wait for all main containers and for the
 * next-declared sidecar before their stop signal (spec §4.2-C.6). When a shorter delete arrived
 * during the pass, containers still running are killed again with the new grace (spec §4.2-F.3).
 */
export async function terminatePod(ctx: ManagerContext, pod: PodRecord): Promise<PodTerminationResult> {
  const startedAt = ctx.clock.now();
  pod.shortenedDuringPass = false;
  const first = await terminationPass(ctx, pod, false);
  // One pass (the usual case): its results are already in the pod's container order (records
  // are only ever added to the map, at its end, and those have no result), so no reordering.
  let containers = first;
  if (pod.shortenedDuringPass && isAnyRunning(pod)) {
    const results = new Map<string, StopResult>();
    for (const result of first) results.set(result.container, result);
    do {
      pod.shortenedDuringPass = false;
      const passResults = await terminationPass(ctx, pod, true);
      for (const result of passResults) if (result.outcome !== 'notRunning') results.set(result.container, result);
    } while (pod.shortenedDuringPass && isAnyRunning(pod));
    containers = [];
    for (const record of pod.containers.values()) {
      const result = results.get(record.name);
      if (result !== undefined) containers.push(result);
    }
  }
  return {
    gracePeriodSeconds: pod.effectiveGraceSeconds,
    deletionGracePeriodSeconds: pod.deletion?.deletionGracePeriodSeconds ?? pod.effectiveGraceSeconds,
    containers,
    startedAt,
    finishedAt: ctx.clock.now(),
  };
}

function isAnyRunning(pod: PodRecord): boolean {
  for (const record of pod.containers.values()) if (record.phase === 'running') return true;
  return false;
}

/** No container to wait for (shared: the kill sequence only reads a request's prerequisites). */
const NONE: readonly ContainerRecord[] = Object.freeze([]);

/**
 * The termination ordering of a pod (spec §4.2-C.6, [KTO] `newTerminationOrdering`): each
 * sidecar's stop signal waits for every container that is not a sidecar and for the sidecar
 * declared after it, so the sidecars stop after the main containers, in reverse order. Only
 * sidecars have an entry; the map is empty for a pod without one.
 */
export function terminationOrder(
  records: readonly ContainerRecord[],
): ReadonlyMap<ContainerRecord, readonly ContainerRecord[]> {
  const order = new Map<ContainerRecord, readonly ContainerRecord[]>();
  if (!records.some((r) => r.kind === 'sidecar')) return order;
  const mains = records.filter((r) => r.kind !== 'sidecar');
  const sidecars = records.filter((r) => r.kind === 'sidecar').sort((a, b) => a.index - b.index);
  sidecars.forEach((sidecar, i) => {
    const next = sidecars[i + 1];
    order.set(sidecar, next !== undefined ? [...mains, next] : mains);
  });
  return order;
}

function terminationPass(ctx: ManagerContext, pod: PodRecord, isRetry: boolean): Promise<StopResult[]> {
  const records = [...pod.containers.values()];
  // The main containers' kills share one request (the kill sequence only reads it).
  const plain: KillRequest & { readonly shareInFlight: boolean } = {
    reason: 'Unknown',
    overrideSeconds: pod.effectiveGraceSeconds,
    prerequisites: NONE,
    shareInFlight: !isRetry,
  };
  const order = terminationOrder(records);
  const kills: Promise<StopResult>[] = [];
  for (const record of records) {
    const prerequisites = order.get(record);
    kills.push(requestKill(ctx, pod, record, prerequisites === undefined ? plain : { ...plain, prerequisites }));
  }
  return Promise.all(kills);
}
