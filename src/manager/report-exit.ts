import { markExited } from '../container/container-exit.js';
import type { ManagerContext } from '../container/context.js';
import type { ContainerRecord, PodRecord } from '../container/records.js';

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
