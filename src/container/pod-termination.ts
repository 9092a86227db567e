import type { ManagerContext } from './context.js';
import { requestKill } from './kill-sequence.js';
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
  const results = new Map<string, StopResult>();
  let pass = 0;
  do {
    pod.shortenedDuringPass = false;
    const passResults = await terminationPass(ctx, pod, pass > 0);
    for (const result of passResults) {
      if (pass === 0 || result.outcome !== 'notRunning') results.set(result.container, result);
    }
    pass += 1;
  } while (pod.shortenedDuringPass && [...pod.containers.values()].some((r) => r.phase === 'running'));
  const ordered = [...pod.containers.values()]
    .map((record) => results.get(record.name))
    .filter((r): r is StopResult => r !== undefined);
  return {
    gracePeriodSeconds: pod.effectiveGraceSeconds,
    deletionGracePeriodSeconds: pod.deletion?.deletionGracePeriodSeconds ?? pod.effectiveGraceSeconds,
    containers: ordered,
    startedAt,
    finishedAt: ctx.clock.now(),
  };
}

async function terminationPass(ctx: ManagerContext, pod: PodRecord, isRetry: boolean): Promise<StopResult[]> {
  const records = [...pod.containers.values()];
  const mains = records.filter((r) => r.kind !== 'sidecar');
  const sidecars = records.filter((r) => r.kind === 'sidecar').sort((a, b) => a.index - b.index);
  const prerequisitesOf = (record: ContainerRecord): ContainerRecord[] => {
    if (record.kind !== 'sidecar' || sidecars.length === 0) return [];
    const next = sidecars[sidecars.indexOf(record) + 1];
    return next !== undefined ? [...mains, next] : [...mains];
  };
  return Promise.all(
    records.map((record) =>
      requestKill(ctx, pod, record, {
        reason: 'Unknown',
        overrideSeconds: pod.effectiveGraceSeconds,
        prerequisites: prerequisitesOf(record),
        shareInFlight: !isRetry,
      }),
    ),
  );
}
