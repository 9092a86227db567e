/**
 * One probe run as the kubelet's `prober.probe` (spec pod §6.2–§6.3): dispatch on the handler,
 * retry up to {@link MAX_PROBE_RETRIES} times while the prober *errors* (a failure is not
 * retried), then turn the attempt into the cached result and the event to record.
 *
 * @module
 */

import { formatPodDesc } from '../hooks/format.js';
import { runExecProbe } from './exec-probe.js';
import { runGrpcProbe } from './grpc-probe.js';
import { runHttpGetProbe } from './http-probe.js';
import type { ProbeOutcome, ProbeRunContext } from './probe-outcome.js';
import type { ProbeType, ResolvedProbe } from './probe-spec.js';
import { probeTypeLabel } from './probe-spec.js';
import { runTcpSocketProbe } from './tcp-probe.js';

/** The kubelet's `maxProbeRetries`: attempts per run while the prober errors. */
export const MAX_PROBE_RETRIES = 3;

/** A Warning event a probe run asks to record on the container (`Unhealthy` or `ProbeWarning`). */
export interface ProbeEvent {
  readonly type: 'Warning';
  readonly reason: 'Unhealthy' | 'ProbeWarning';
  /** The kubelet's text, e.g. `Liveness probe failed: HTTP probe failed with statuscode: 500`. */
  readonly message: string;
  readonly probeType: ProbeType;
}

/** What a run yields for the worker: the result to count, or `errored` (discard, spec pod §6.1 step 10). */
export interface ProbeRunResult {
  readonly result: 'Success' | 'Failure';
  /** The prober errored after every retry: the worker discards the result. */
  readonly isError: boolean;
  readonly event?: ProbeEvent;
}

/**
 * Run one attempt of `probe`'s handler. A probe without a handler (validation rejects one, so
 * only a caller skipping it gets here) yields `unknown` with the kubelet's error
 * `missing probe handler for <pod>:<container>`: the errored path (spec pod §6.1 step 10).
 */
export function runProbeAttempt(probe: ResolvedProbe, ctx: ProbeRunContext): Promise<ProbeOutcome> {
  const { action, timeoutSeconds } = probe;
  switch (action.kind) {
    case 'exec':
      return runExecProbe(action.command, timeoutSeconds, ctx);
    case 'httpGet':
      return runHttpGetProbe(action.httpGet, timeoutSeconds, ctx);
    case 'tcpSocket':
      return runTcpSocketProbe(action, timeoutSeconds, ctx);
    case 'grpc':
      return runGrpcProbe(action, timeoutSeconds, ctx);
    default:
      return Promise.resolve({
        result: 'unknown',
        output: '',
        error: `missing probe handler for ${formatPodDesc(ctx.pod)}:${ctx.container.name}`,
      });
  }
}

/** How attempts are made: the real handlers, or a test's scripted stand-in. */
export type ProbeAttempt = (probe: ResolvedProbe, ctx: ProbeRunContext) => Promise<ProbeOutcome>;

/**
 * Attempt up to {@link MAX_PROBE_RETRIES} times while the attempt errors; stop early if
 * `ctx.signal` aborts. Never rejects (a throwing `attempt` counts as an error).
 */
export function runProbeWithRetries(
  probe: ResolvedProbe,
  ctx: ProbeRunContext,
  attempt: ProbeAttempt = runProbeAttempt,
): Promise<ProbeOutcome> {
  return attemptFrom(probe, ctx, attempt, 0, undefined);
}

/** Attempt number `tries` (from 0) after `last`; a promise chain rather than an async loop. */
function attemptFrom(
  probe: ResolvedProbe,
  ctx: ProbeRunContext,
  attempt: ProbeAttempt,
  tries: number,
  last: ProbeOutcome | undefined,
): Promise<ProbeOutcome> {
  if (tries >= MAX_PROBE_RETRIES || ctx.signal.aborted) {
    return Promise.resolve(last ?? { result: 'unknown', output: '', error: 'probe not run' });
  }
  let pending: Promise<ProbeOutcome>;
  try {
    pending = Promise.resolve(attempt(probe, ctx));
  } catch (error) {
    pending = Promise.reject(error);
  }
  return pending.then(
    (outcome) => (outcome.error === undefined ? outcome : attemptFrom(probe, ctx, attempt, tries + 1, outcome)),
    (error: unknown) => {
      const outcome: ProbeOutcome = { result: 'unknown', output: '', error: `internal error: ${String(error)}` };
      return attemptFrom(probe, ctx, attempt, tries + 1, outcome);
    },
  );
}

/**
 * Judge an outcome as `prober.probe` does and word its event (spec pod §6.3):
 * - error → `Unhealthy` `<Type> probe errored and resulted in <result> state: <err>`, discarded;
 * - `warning` → `ProbeWarning` `<Type> probe warning: <output>`, counts as Success;
 * - `failure` → `Unhealthy` `<Type> probe failed: <output>` (every failed run, below threshold too);
 * - `unknown` without error → Failure, no event; `success` → Success, no event.
 */
export function judgeProbeOutcome(type: ProbeType, outcome: ProbeOutcome): ProbeRunResult {
  const label = probeTypeLabel(type);
  const warning = (reason: ProbeEvent['reason'], message: string): ProbeEvent => ({
    type: 'Warning',
    reason,
    message,
    probeType: type,
  });
  if (outcome.error !== undefined) {
    return {
      result: 'Failure',
      isError: true,
      event: warning('Unhealthy', `${label} probe errored and resulted in ${outcome.result} state: ${outcome.error}`),
    };
  }
  switch (outcome.result) {
    case 'success':
      return { result: 'Success', isError: false };
    case 'warning':
      return {
        result: 'Success',
        isError: false,
        event: warning('ProbeWarning', `${label} probe warning: ${outcome.output}`),
      };
    case 'failure':
      return {
        result: 'Failure',
        isError: false,
        event: warning('Unhealthy', `${label} probe failed: ${outcome.output}`),
      };
    default:
      return { result: 'Failure', isError: false };
  }
}
