import type { ManagerContext } from './context.js';
import { type DEADLINE, deferred, raceDeadline } from './deadline.js';
import type { Termination } from './records.js';

/**
 * The deadline of one kill (spec §4.2-C): the waits of the kill sequence end at it, and the
 * `interrupt` policy for a shorter second delete may lower it while they run.
 */

/** What {@link orShortened} answers when the deadline was lowered before `work` settled. */
export const SHORTENED = Symbol('shortened');

/** Lower a kill's deadline (the `interrupt` policy for a shorter second delete). */
export function shortenTermination(termination: Termination, deadlineAt: number): void {
  if (termination.settled || deadlineAt >= termination.deadlineAt) return;
  termination.deadlineAt = deadlineAt;
  termination.shortened = true;
  const changed = termination.deadlineChanged;
  termination.deadlineChanged = deferred<void>();
  changed?.resolve();
}

/**
 * Wait for `work` until the termination's deadline, or until `capAt` when a wait has a limit of
 * its own. A limit of its own replaces the kill's deadline, as the kubelet's `waitForTurn` arms a
 * timer of the seconds left when it starts (spec §4.2-C.6: after a 1.5 s preStop of a 10 s grace
 * the sidecar's wait gets 9 s, so it may end at 10.5 s); only a deadline the `interrupt` policy
 * lowered still cuts it short.
 */
export function waitUntilDeadline<T>(
  ctx: ManagerContext,
  work: Promise<T>,
  termination: Termination,
  capAt = Number.POSITIVE_INFINITY,
): Promise<T | typeof DEADLINE> {
  if (termination.deadlineChanged === undefined)
    return raceDeadline(ctx.clock, work, endOfWait(termination, capAt) - ctx.clock.now());
  return waitUntilLowerableDeadline(ctx, work, termination, capAt);
}

/** When a wait ends: the kill's deadline, or the wait's own limit unless the deadline was lowered below it. */
function endOfWait(termination: Termination, capAt: number): number {
  if (capAt === Number.POSITIVE_INFINITY) return termination.deadlineAt;
  return termination.shortened ? Math.min(termination.deadlineAt, capAt) : capAt;
}

/** {@link waitUntilDeadline} under the `interrupt` policy: the deadline may be lowered meanwhile. */
async function waitUntilLowerableDeadline<T>(
  ctx: ManagerContext,
  work: Promise<T>,
  termination: Termination,
  capAt: number,
): Promise<T | typeof DEADLINE> {
  for (;;) {
    const endAt = endOfWait(termination, capAt);
    const settled = await raceDeadline(ctx.clock, orShortened(termination, work), endAt - ctx.clock.now());
    if (settled !== SHORTENED) return settled as T | typeof DEADLINE;
  }
}

/**
 * `work`, or {@link SHORTENED} as soon as the termination's deadline is lowered. Only the
 * `interrupt` policy lowers deadlines, so under the default policy this is `work` itself.
 */
export function orShortened<T>(termination: Termination, work: Promise<T>): Promise<T | typeof SHORTENED> {
  const changed = termination.deadlineChanged;
  if (changed === undefined) return work;
  const shortened = changed.promise.then((): typeof SHORTENED => SHORTENED);
  return Promise.race([work, shortened]);
}
