/**
 * The postStart hook of a start (spec §3.3): run through the handler runner on the instance's
 * signal, with no timeout of its own unless the `postStartTimeoutSeconds` policy sets one
 * (k/k#116032). Split from start-sequence.ts.
 *
 * @internal
 * @module
 */
import type { Container, LifecycleHandler } from '../api/types.js';
import { emitStep, hearsSteps, type ManagerContext, runHook } from './context.js';
import { DEADLINE, linkedController, raceDeadline } from './deadline.js';
import type { ContainerRecord, PodRecord } from './records.js';
import type { HookReport } from './results.js';

/** The postStart hook (spec §3.3), resolving in the turn the `async` version returned in. */
export function runPostStart(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  container: Container,
): Promise<HookReport> {
  try {
    const handler = container.lifecycle?.postStart;
    if (handler === undefined) return Promise.resolve(SKIPPED);
    const limitSeconds = ctx.policy.postStartTimeoutSeconds;
    if (limitSeconds !== undefined) return runPostStartWithTimeout(ctx, pod, record, container, handler, limitSeconds);
    const { clock } = ctx;
    const hookStartedAt = clock.now();
    if (hearsSteps(ctx)) emitStep(ctx, pod, record, { kind: 'postStartStarted', hook: 'PostStart' });
    // spec §3.3: no timeout of its own (k/k#116032); the instance's signal (aborted if it exits).
    const run = runHook(ctx, pod, record, container, 'PostStart', handler, record.calls.controller.signal);
    return run.then((settled) => {
      const report: HookReport = settled.ok
        ? { outcome: 'succeeded', elapsedMs: clock.now() - hookStartedAt }
        : { outcome: 'failed', elapsedMs: clock.now() - hookStartedAt, message: settled.message };
      if (hearsSteps(ctx))
        emitStep(ctx, pod, record, { kind: 'postStartFinished', hook: 'PostStart', outcome: report.outcome });
      return report;
    });
  } catch (error) {
    return Promise.reject(error); // as the `async` version: a rejection, one turn later for the caller
  }
}

const SKIPPED: HookReport = Object.freeze({ outcome: 'skipped' });

/** {@link runPostStart} under the `postStartTimeoutSeconds` policy (k/k#116032). */
async function runPostStartWithTimeout(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  container: Container,
  handler: LifecycleHandler,
  limitSeconds: number,
): Promise<HookReport> {
  const { clock } = ctx;
  const hookStartedAt = clock.now();
  if (hearsSteps(ctx)) emitStep(ctx, pod, record, { kind: 'postStartStarted', hook: 'PostStart' });
  // The hook's signal: a linked one the policy timeout can abort too, also aborted with the
  // instance's (if it exits while the hook runs).
  const timeout = linkedController(record.calls.controller.signal);
  const run = runHook(ctx, pod, record, container, 'PostStart', handler, timeout.controller.signal);
  void run.then(timeout.dispose);
  let report: HookReport;
  const settled = await raceDeadline(clock, run, limitSeconds * 1000);
  if (settled === DEADLINE) {
    timeout.controller.abort(new Error(`postStart did not complete within ${limitSeconds}s`));
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
  if (hearsSteps(ctx))
    emitStep(ctx, pod, record, { kind: 'postStartFinished', hook: 'PostStart', outcome: report.outcome });
  return report;
}
