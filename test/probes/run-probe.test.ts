import { describe, expect, it } from 'vitest';
import type { ProbeOutcome } from '../../src/probes/probe-outcome.js';
import { resolveProbe } from '../../src/probes/probe-spec.js';
import { judgeProbeOutcome, MAX_PROBE_RETRIES, runProbeWithRetries } from '../../src/probes/run-probe.js';
import { makeContext } from './helpers.js';

const container = { name: 'app', readinessProbe: { exec: { command: ['true'] } } } as never;
const probe = resolveProbe(container, 'readiness') as NonNullable<ReturnType<typeof resolveProbe>>;

describe('retries (spec pod §6.2: maxProbeRetries = 3, errors only)', () => {
  it('retries while the prober errors, up to 3 attempts', async () => {
    let n = 0;
    const outcome = await runProbeWithRetries(probe, makeContext(container), () => {
      n++;
      return Promise.resolve({ result: 'unknown', output: '', error: `boom ${n}` });
    });
    expect(n).toBe(MAX_PROBE_RETRIES);
    expect(outcome.error).toBe('boom 3');
  });

  it('a failure is not retried; an error then a success is', async () => {
    const answers: ProbeOutcome[] = [
      { result: 'unknown', output: '', error: 'x' },
      { result: 'failure', output: 'no' },
    ];
    let n = 0;
    const outcome = await runProbeWithRetries(probe, makeContext(container), () =>
      Promise.resolve(answers[n++] as ProbeOutcome),
    );
    expect([n, outcome.result]).toEqual([2, 'failure']);
  });
});

describe('judging outcomes and event texts (spec pod §6.3)', () => {
  it.each([
    [
      'liveness',
      { result: 'failure', output: 'HTTP probe failed with statuscode: 500' },
      'Failure',
      'Unhealthy',
      'Liveness probe failed: HTTP probe failed with statuscode: 500',
    ],
    [
      'readiness',
      { result: 'failure', output: 'dial tcp 1.2.3.4:80: i/o timeout' },
      'Failure',
      'Unhealthy',
      'Readiness probe failed: dial tcp 1.2.3.4:80: i/o timeout',
    ],
    [
      'startup',
      { result: 'warning', output: 'Probe terminated redirects, Response body: ' },
      'Success',
      'ProbeWarning',
      'Startup probe warning: Probe terminated redirects, Response body: ',
    ],
    [
      'liveness',
      { result: 'unknown', output: '', error: 'oops' },
      'Failure',
      'Unhealthy',
      'Liveness probe errored and resulted in unknown state: oops',
    ],
  ] as const)('%s %j → %s with %s %s', (type, outcome, result, reason, message) => {
    const judged = judgeProbeOutcome(type, outcome as ProbeOutcome);
    expect(judged.result).toBe(result);
    expect(judged.event).toEqual({ type: 'Warning', reason, message, probeType: type });
  });

  it('success and unknown-without-error record no event; unknown counts as Failure', () => {
    expect(judgeProbeOutcome('liveness', { result: 'success', output: 'ok' })).toEqual({
      result: 'Success',
      isError: false,
    });
    expect(judgeProbeOutcome('liveness', { result: 'unknown', output: '' })).toEqual({
      result: 'Failure',
      isError: false,
    });
  });
});
