/**
 * Per-probe scripts for the testing kit: what a probe target answers as time goes by, e.g.
 * "fail from 30 s" or "flap every 2 periods". A script maps the time since the fake was created
 * (ms on its clock) to a verdict; the fakes (`FakeTcpDialer`, `FakeGrpcHealthChecker`) and
 * {@link scriptedProbeAttempt} turn verdicts into answers.
 *
 * @module
 */

import type { Clock } from '../ports/clock.js';
import type { ProbeOutcome } from '../probes/probe-outcome.js';
import type { ProbeType } from '../probes/probe-spec.js';
import type { ProbeAttempt } from '../probes/run-probe.js';

/** What a scripted target does at one moment: answer healthy, answer unhealthy, or never answer. */
export type ProbeVerdict = 'pass' | 'fail' | 'hang';

/** A probe target over time: `elapsedMs` is the time since the fake (or attempt) was created. */
export type ProbeScript = (elapsedMs: number) => ProbeVerdict;

/** Every call passes. */
export const passAlways: ProbeScript = () => 'pass';

/** Every call fails. */
export const failAlways: ProbeScript = () => 'fail';

/**
 * Pass before `ms`, fail from `ms` on ("fail from 30 s": `failFrom(30_000)`).
 *
 * @example failFrom(30_000)(29_999) === 'pass' && failFrom(30_000)(30_000) === 'fail'
 */
export function failFrom(ms: number): ProbeScript {
  return (elapsedMs) => (elapsedMs < ms ? 'pass' : 'fail');
}

/** Fail before `ms`, pass from `ms` on (a slow starter). */
export function passFrom(ms: number): ProbeScript {
  return (elapsedMs) => (elapsedMs < ms ? 'fail' : 'pass');
}

/** Pass before `ms`, then never answer (a hung process; the probe's timeout decides). */
export function hangFrom(ms: number): ProbeScript {
  return (elapsedMs) => (elapsedMs < ms ? 'pass' : 'hang');
}

/**
 * Alternate every `periods` probe periods, starting healthy ("flap every 2 periods":
 * `flapEvery(2, 10)` passes in [0, 20 s), fails in [20 s, 40 s), passes again, …).
 */
export function flapEvery(periods: number, periodSeconds: number): ProbeScript {
  const spanMs = periods * periodSeconds * 1000;
  return (elapsedMs) => (Math.floor(elapsedMs / spanMs) % 2 === 0 ? 'pass' : 'fail');
}

/** The outcome a verdict stands for when a probe attempt is scripted directly. */
function outcomeOf(type: ProbeType, verdict: 'pass' | 'fail'): ProbeOutcome {
  return verdict === 'pass'
    ? { result: 'success', output: '' }
    : { result: 'failure', output: `scripted ${type} probe failure` };
}

/**
 * A `ProbeAttempt` for `ContainerProbes` that answers from scripts per probe type instead of
 * running handlers: `pass` → success, `fail` → failure (output `scripted <type> probe failure`),
 * `hang` → a timeout failure once `timeoutSeconds` passed on `clock`. A type without a script
 * passes. Time is measured from the call of this function.
 *
 * @example
 * new ContainerProbes({ ..., attempt: scriptedProbeAttempt(clock, { liveness: failFrom(30_000) }) })
 */
export function scriptedProbeAttempt(clock: Clock, scripts: Partial<Record<ProbeType, ProbeScript>>): ProbeAttempt {
  const origin = clock.now();
  return (probe, ctx) => {
    const verdict = (scripts[probe.type] ?? passAlways)(clock.now() - origin);
    if (verdict !== 'hang') return Promise.resolve(outcomeOf(probe.type, verdict));
    return new Promise<ProbeOutcome>((resolve) => {
      const handle = clock.setTimeout(() => {
        ctx.signal.removeEventListener('abort', onAbort);
        resolve({ result: 'failure', output: `scripted ${probe.type} probe timed out` });
      }, probe.timeoutSeconds * 1000);
      const onAbort = (): void => {
        clock.clearTimeout(handle);
        resolve({ result: 'unknown', output: '', error: 'context canceled' });
      };
      ctx.signal.addEventListener('abort', onAbort, { once: true });
    });
  };
}
