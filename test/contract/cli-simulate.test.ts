/**
 * Black-box round 2: the `kube-lifecycle` command run as a user runs it from the repository
 * (`npx tsx src/cli/main.ts …`, docs/cli.md), checked against docs/cli.md and the README:
 * `simulate`: the examples, `--json`, `--grace` and `--delete-at`. Fault flags: cli-simulate-faults.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, finalState, ROOT, simJson } from './cli-harness.js';

describe('kube-lifecycle simulate (docs/cli.md "simulate")', () => {
  const EXAMPLES = ['lifecycle-demo', 'httpget-prestop', 'sleep-prestop', 'sidecars', 'failing-poststart'];

  it('every example runs, exit 0, and two runs print the same bytes (text and --json)', async () => {
    const runs = await Promise.all(
      EXAMPLES.flatMap((n) => [
        cli(['simulate', `docs/examples/${n}.yaml`]),
        cli(['simulate', `docs/examples/${n}.yaml`]),
        cli(['simulate', `docs/examples/${n}.yaml`, '--json']),
        cli(['simulate', `docs/examples/${n}.yaml`, '--json']),
      ]),
    );
    for (let i = 0; i < runs.length; i += 2) {
      expect(runs[i]!.code, `${EXAMPLES[Math.floor(i / 4)]}: ${runs[i]!.stderr}`).toBe(0);
      expect(runs[i]!.stdout).toBe(runs[i + 1]!.stdout);
      expect(runs[i]!.stdout.length).toBeGreaterThan(100);
    }
  });

  it('npm run demo: the timeline block of docs/cli.md, line for line; Events table as in the README', async () => {
    const r = await cli(['simulate', 'docs/examples/lifecycle-demo.yaml']);
    expect(r.code).toBe(0);
    const doc = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
    const block = /The timeline of `npm run demo`:\n\n```text\n([\s\S]*?)```/.exec(doc)![1]!;
    const out = r.stdout.split('\n').map((l) => l.trimEnd());
    for (const line of block
      .trimEnd()
      .split('\n')
      .map((l) => l.trimEnd()))
      expect(out).toContain(line);
    expect(r.stdout).toMatch(
      /Normal\s+Started\s+\S+\s+kubelet\s+spec\.containers\{lifecycle-demo-container\}: Container started/,
    );
    expect(r.stdout).toMatch(
      /Normal\s+Killing\s+\S+\s+kubelet\s+spec\.containers\{lifecycle-demo-container\}: Stopping container lifecycle-demo-container/,
    );
    expect(r.stdout).toContain('Scenario: docs/examples/lifecycle-demo.scenario.yaml');
  });

  it('--json has every documented key; the pod gets namespace default, uid sim-<name>, pod IP 10.244.0.7', async () => {
    const j = await simJson(['docs/examples/httpget-prestop.yaml']);
    for (const k of [
      'pod',
      'containers',
      'deletes',
      'events',
      'steps',
      'runtime',
      'http',
      'termination',
      'statusChanges',
      'podStatus',
      'aggregatedEvents',
      'notes',
      'endAt',
    ]) {
      expect(j, k).toHaveProperty(k);
    }
    expect(j.pod).toMatchObject({ name: 'web', namespace: 'default', uid: 'sim-web' });
    // named port "admin" → 9090 on the simulated pod IP
    expect(j.http.map((h) => h.url)).toEqual(['http://10.244.0.7:9090/drain']);
    // the scenario's 500 still succeeds (k/k#56963)
    expect(j.termination.containers[0]!.preStop.outcome).toBe('succeeded');
    expect(j.events.map((e) => e.reason)).toEqual(['Created', 'Started', 'Killing']);
    expect(j.endAt).toBe(11_000);
  });

  it('--grace overrides the pod TGPS; a hung preStop is cut at the grace and the stop gets the 2 s minimum (spec §4.2-C.5/7)', async () => {
    const j = await simJson([
      'docs/examples/lifecycle-demo.yaml',
      '--grace',
      '5',
      '--hook',
      'lifecycle-demo-container.preStop=hang',
    ]);
    expect(j.deletes[0]).toMatchObject({ at: 10_000 });
    expect(j.termination.gracePeriodSeconds).toBe(5);
    const c = j.termination.containers[0]!;
    expect(c.preStop.outcome).toBe('timedOut');
    expect(c.stopTimeoutSeconds).toBe(2);
    expect(j.steps.find((s) => s.kind === 'stopRequested')?.time).toBe(15_000);
  });

  it('--hook …preStop=hang cut by the grace: the hung exec dies with its container and is reported, exit 137 (semantics.md "Modelling choices", spec §4.2-C.5.6)', async () => {
    const j = await simJson([
      'docs/examples/lifecycle-demo.yaml',
      '--grace',
      '5',
      '--hook',
      'lifecycle-demo-container.preStop=hang',
    ]);
    expect(j.events.map((e) => e.reason)).toEqual(['Created', 'Started', 'Killing', 'FailedPreStopHook']);
    expect(j.events[3]?.detail).toContain('exited with 137: ');
  });

  it('--grace 0 is a force delete: preStop still gets 1 s, then 2 s before SIGKILL (spec §4.2-E)', async () => {
    const j = await simJson([
      'docs/examples/lifecycle-demo.yaml',
      '--grace',
      '0',
      '--hook',
      'lifecycle-demo-container.preStop=hang',
      '--stop',
      'lifecycle-demo-container=ignore-sigterm',
    ]);
    const c = j.termination.containers[0]!;
    expect(c.preStop.outcome).toBe('timedOut');
    expect(c.preStop.elapsedMs).toBe(1000);
    expect(c.stopTimeoutSeconds).toBe(2);
    const sigs = j.runtime.filter((e) => e.kind === 'signal').map((e) => `${e.signal}@${e.at}`);
    expect(sigs).toEqual(['SIGTERM@11000', 'SIGKILL@13000']);
    expect(finalState(j, 'lifecycle-demo-container')).toMatchObject({ state: 'Terminated', exitCode: 137 });
  });

  it('--grace negative counts as 1 (spec §4.1 step 4)', async () => {
    const j = await simJson([
      'docs/examples/lifecycle-demo.yaml',
      '--grace',
      '-5',
      '--hook',
      'lifecycle-demo-container.preStop=hang',
    ]);
    expect(j.termination.gracePeriodSeconds).toBe(1);
    expect(j.termination.containers[0]!.preStop.elapsedMs).toBe(1000);
  });

  it('--delete-at TIME in its documented forms (10, 10s, 1.5s, 500ms, 2m)', async () => {
    const forms: Array<[string, number]> = [
      ['3', 3000],
      ['3s', 3000],
      ['1.5s', 1500],
      ['2500ms', 2500],
      ['2m', 120_000],
    ];
    const js = await Promise.all(forms.map(([f]) => simJson(['docs/examples/sleep-prestop.yaml', '--delete-at', f])));
    js.forEach((j, i) => {
      expect(j.deletes[0]!.at).toBe(forms[i]![1]);
      expect(j.events.find((e) => e.reason === 'Killing')?.timestamp).toBe(forms[i]![1]);
    });
  });

  it('--delete-at 0 arrives while the pod is still starting: the kill waits for postStart (spec §3.7)', async () => {
    const j = await simJson(['docs/examples/lifecycle-demo.yaml', '--delete-at', '0']);
    expect(j.deletes[0]!.at).toBe(0);
    expect(j.events.find((e) => e.reason === 'Killing')?.timestamp).toBe(1000); // postStart takes 1 s
  });
});
