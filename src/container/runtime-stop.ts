/**
 * The runtime stop call of a kill (spec §4.2-C.7/8, CRI StopContainer), bounded by the runtime
 * request timeout, and re-issued with a shorter timeout under the `interrupt` policy.
 */
import { errorText } from '../errors.js';
import { reissuedStopTimeoutSeconds } from '../grace/kill-grace.js';
import type { ContainerRef } from '../ports/runtime.js';
import { emitStep, hearsSteps, type ManagerContext } from './context.js';
import { callSafely, DEADLINE, raceDeadline } from './deadline.js';
import { type ContainerRecord, instanceSpec, newCallScope, type PodRecord, type Termination } from './records.js';
import { orShortened, SHORTENED } from './termination.js';

/** Abort reasons (shared instances: an abort reason is only read, see container-exit.ts). */
const STOP_SETTLED = Object.freeze(new Error('stop settled'));
const STOP_GIVEN_UP = Object.freeze(new Error('runtime stop given up (runtime request timeout)'));

export type StopOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly timedOut: boolean; readonly error: string };
const STOPPED: StopOutcome = Object.freeze({ ok: true });

/**
 * Call `runtime.stopContainer`, bounded by the timeout plus the runtime request timeout, and hand
 * its outcome to `report`: the promise answers what `report` returns. The call carries the
 * instance's signal, aborted only if the manager gives up on the call; the instance, still
 * running then, gets a fresh call scope for the retry a later stop makes.
 *
 * `report` runs in the reaction to the deadline race itself, not in a `.then` chained after it: a
 * kill's completion is one callback, which a burst of stops on the real clock pays per kill while
 * later SIGKILLs are due (docs/performance-history.md, round 5).
 */
export function stopWithRuntime<R>(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  termination: Termination,
  timeoutSeconds: number,
  report: (stopped: StopOutcome) => R,
): Promise<R> {
  const ref = record.ref;
  if (ref === undefined) return Promise.resolve(STOPPED).then(report);
  const stopSignal = instanceSpec(pod.pod, record).lifecycle?.stopSignal;
  if (termination.deadlineChanged !== undefined)
    return stopInterruptibly(ctx, pod, record, termination, ref, stopSignal, timeoutSeconds).then(report);
  const scope = record.calls;
  if (hearsSteps(ctx))
    emitStep(ctx, pod, record, {
      kind: 'stopRequested',
      seconds: timeoutSeconds,
      ...(stopSignal !== undefined ? { stopSignal } : {}),
    });
  const limitMs = (timeoutSeconds + ctx.runtimeRequestTimeoutSeconds) * 1000;
  const { signal } = scope.controller;
  const options = stopSignal !== undefined ? { stopSignal, timeoutSeconds, signal } : { timeoutSeconds, signal };
  let call: Promise<void>;
  try {
    call = Promise.resolve(ctx.runtime.stopContainer(ref, options));
  } catch (error) {
    call = Promise.reject(error);
  }
  return raceDeadline(ctx.clock, call, limitMs).then(
    (settled): R => {
      if (settled !== DEADLINE) return report(STOPPED);
      scope.controller.abort(STOP_GIVEN_UP);
      if (record.calls === scope) record.calls = newCallScope();
      return report({
        ok: false,
        timedOut: true,
        error: `runtime did not stop the container within ${limitMs / 1000}s`,
      });
    },
    (error: unknown): R => report({ ok: false, timedOut: false, error: errorText(error) }),
  );
}

/**
 * {@link stopWithRuntime} under the `interrupt` policy: a lowered deadline re-issues the stop with
 * the shorter timeout (spec §4.2-F.6). The calls share their own controller, aborted once one
 * settles while another may still be pending, or when given up on.
 */
async function stopInterruptibly(
  ctx: ManagerContext,
  pod: PodRecord,
  record: ContainerRecord,
  termination: Termination,
  ref: ContainerRef,
  stopSignal: string | undefined,
  timeoutSeconds: number,
): Promise<StopOutcome> {
  const abort = new AbortController();
  const issue = (seconds: number): Promise<void> => {
    emitStep(ctx, pod, record, {
      kind: 'stopRequested',
      seconds,
      ...(stopSignal !== undefined ? { stopSignal } : {}),
    });
    return callSafely(() =>
      ctx.runtime.stopContainer(ref, {
        ...(stopSignal !== undefined ? { stopSignal } : {}),
        timeoutSeconds: seconds,
        signal: abort.signal,
      }),
    ).then(() => undefined);
  };
  const issuedAt = ctx.clock.now();
  let killAt = issuedAt + timeoutSeconds * 1000;
  const calls: Promise<void>[] = [issue(timeoutSeconds)];
  const limitMs = (timeoutSeconds + ctx.runtimeRequestTimeoutSeconds) * 1000;
  let isGivenUp = false;
  try {
    for (;;) {
      const pending = calls.length === 1 ? (calls[0] as Promise<void>) : Promise.race(calls);
      const settled = await raceDeadline(
        ctx.clock,
        orShortened(termination, pending),
        issuedAt + limitMs - ctx.clock.now(),
      );
      if (settled === DEADLINE) {
        isGivenUp = true;
        return { ok: false, timedOut: true, error: `runtime did not stop the container within ${limitMs / 1000}s` };
      }
      if (settled !== SHORTENED) return { ok: true };
      // `interrupt` policy: re-issue the stop with the shorter timeout (spec §4.2-F.6).
      const seconds = reissuedStopTimeoutSeconds(
        termination.deadlineAt - ctx.clock.now(),
        ctx.policy.minimumStopGraceSeconds,
      );
      if (ctx.clock.now() + seconds * 1000 < killAt) {
        killAt = ctx.clock.now() + seconds * 1000;
        calls.push(issue(seconds));
      }
    }
  } catch (error) {
    return { ok: false, timedOut: false, error: errorText(error) };
  } finally {
    // Tell the runtime to stop waiting on a call that may still be pending: one given up on, or
    // the earlier of re-issued calls. A lone call that settled needs no abort.
    if (isGivenUp || calls.length > 1) abort.abort(STOP_SETTLED);
  }
}
