import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const manifests = readdirSync('docs/examples')
  .filter((f) => /\.ya?ml$/.test(f) && !f.endsWith('.scenario.yaml'))
  .map((f) => `docs/examples/${f}`);

describe('docs/examples', () => {
  it('has the examples the docs promise', () => {
    for (const name of [
      'lifecycle-demo',
      'httpget-prestop',
      'sleep-prestop',
      'sidecars',
      'failing-poststart',
      'invalid-pod',
    ]) {
      expect(manifests).toContain(`docs/examples/${name}.yaml`);
    }
  });

  it.each(manifests.filter((f) => !f.includes('invalid')))('%s validates and simulates', async (file) => {
    const validated = await cli(['validate', file]);
    expect(validated.stderr).toBe('');
    expect(validated.code).toBe(0);
    const simulated = await cli(['simulate', file]);
    expect(simulated.stderr).toBe('');
    expect(simulated.code).toBe(0);
    expect(simulated.stdout).toContain('Events');
    expect(simulated.stdout).toContain('Timeline');
    expect(simulated.stdout).not.toContain('Notes:');
  });

  it('invalid-pod.yaml fails validation with every expected message (spec §2)', async () => {
    const run = await cli(['validate', 'docs/examples/invalid-pod.yaml']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatchInlineSnapshot(`
      "docs/examples/invalid-pod.yaml: document 1 (line 3): Pod "broken-hooks": invalid (6 errors)
        The Pod "broken-hooks" is invalid:
        * spec.containers[0].lifecycle.postStart.httpGet: Forbidden: may not specify more than 1 handler type
        * spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive
        * spec.containers[0].lifecycle.preStop.httpGet.scheme: Unsupported value: "http": supported values: "HTTP", "HTTPS"
        * spec.containers[0].lifecycle.preStop.httpGet.httpHeaders: Invalid value: "X Forwarded": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')
        * spec.containers[1].lifecycle.preStop.sleep: Invalid value: 60: must be non-negative and less than terminationGracePeriodSeconds (10)
        * spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always
      1 of 1 pod invalid
      "
    `);
    expect((await cli(['simulate', 'docs/examples/invalid-pod.yaml'])).code).toBe(1);
  });

  it('failing-poststart: FailedPostStartHook, a kill that runs preStop, Waiting/PostStartHookError (spec §3.5)', async () => {
    const run = await cli(['simulate', 'docs/examples/failing-poststart.yaml', '--json']);
    const trace = JSON.parse(run.stdout) as {
      events: Array<{ timestamp: number; reason: string; message: string }>;
      podStatus: { containerStatuses: Array<{ restartCount: number; state: { waiting?: { reason: string } } }> };
      steps: Array<{ kind: string }>;
    };
    expect(trace.events.map((e) => [e.timestamp, e.reason, e.message])).toEqual([
      [0, 'Created', 'Container created'],
      [0, 'Started', 'Container started'],
      [2000, 'FailedPostStartHook', 'PostStartHook failed'],
      [2000, 'Killing', 'FailedPostStartHook'],
      // restarted at once (first crash, spec pod §4.2); its postStart runs at the end (4 s)
      [3000, 'Created', 'Container created'],
      [3000, 'Started', 'Container started'],
    ]);
    expect(trace.steps.map((s) => s.kind)).toContain('preStopFinished');
    // The status of a replacement whose start is in flight is the one before it (spec pod §9 item 11).
    expect(trace.podStatus.containerStatuses[0]).toMatchObject({
      restartCount: 0,
      state: { waiting: { reason: 'PostStartHookError' } },
    });
  });

  it('sidecars: every preStop at once, sidecars stopped after the main container, in reverse order (spec §4.2-C.6)', async () => {
    const run = await cli(['simulate', 'docs/examples/sidecars.yaml', '--json']);
    const trace = JSON.parse(run.stdout) as {
      runtime: Array<{ kind: string; container: string; at: number }>;
      steps: Array<{ kind: string; container: string; time: number }>;
    };
    expect(trace.steps.filter((s) => s.kind === 'preStopStarted').map((s) => s.time)).toEqual([10_000, 10_000, 10_000]);
    expect(trace.runtime.filter((r) => r.kind === 'signal').map((r) => [r.container, r.at])).toEqual([
      ['shop', 18_000],
      ['proxy', 19_000],
      ['log-shipper', 19_000],
    ]);
  });
});
