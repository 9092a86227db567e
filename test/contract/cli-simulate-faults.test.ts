/**
 * Black-box round 2: the `kube-lifecycle` command run as a user runs it from the repository
 * (`npx tsx src/cli/main.ts …`, docs/cli.md), checked against docs/cli.md and the README:
 * `simulate` with fault flags (`--hook`, `--stop`, `--crash`), scenario files, repeat deletes,
 * `--pod` and its errors.
 */

import { describe, expect, it } from 'vitest';
import {
  cli,
  expectHelpPointer,
  expectUsageStyleError,
  finalState,
  manifestFolder,
  POD,
  simJson,
  VALID,
} from './cli-harness.js';

const { file, pathOf } = manifestFolder();

describe('kube-lifecycle simulate: faults, scenarios and errors (docs/cli.md "simulate")', () => {
  it('--hook exec behaviours combine: exit:1,after:2s,stderr:boom → FailedPreStopHook with the exec detail (spec §5.1)', async () => {
    const j = await simJson([
      'docs/examples/lifecycle-demo.yaml',
      '--hook',
      'lifecycle-demo-container.preStop=exit:1,after:2s,stderr:boom',
    ]);
    const f = j.events.filter((e) => e.reason === 'FailedPreStopHook');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ type: 'Warning', message: 'PreStopHook failed', timestamp: 12_000 });
    expect(f[0]!.detail).toContain('exited with 1: boom');
    expect(j.termination.containers[0]!.preStop).toMatchObject({ outcome: 'failed', elapsedMs: 2000 });
    expect(j.termination.containers[0]!.stopTimeoutSeconds).toBe(28);
    const text = await cli([
      'simulate',
      'docs/examples/lifecycle-demo.yaml',
      '--hook',
      'lifecycle-demo-container.preStop=exit:1,after:2s,stderr:boom',
    ]);
    expect(text.stdout).toMatch(
      /Warning\s+FailedPreStopHook\s+\S+\s+kubelet\s+spec\.containers\{[\w-]+\}: PreStopHook failed/,
    );
    expect(text.stdout).toContain('exited with 1: boom'); // "with the hook failure details the kubelet only logs"
  });

  it('--hook on an httpGet hook: status:500 succeeds by default, fails with --policy httpStatus=probe', async () => {
    const [a, b] = await Promise.all([
      simJson(['docs/examples/httpget-prestop.yaml', '--hook', 'web.preStop=status:500']),
      simJson([
        'docs/examples/httpget-prestop.yaml',
        '--hook',
        'web.preStop=status:500',
        '--policy',
        'httpStatus=probe',
      ]),
    ]);
    expect(a.termination.containers[0]!.preStop.outcome).toBe('succeeded');
    expect(b.termination.containers[0]!.preStop.outcome).toBe('failed');
    expect(b.events.filter((e) => e.reason === 'FailedPreStopHook')).toHaveLength(1);
  });

  it('--hook httpGet refuse / plain-http (fallback only for HTTPS hooks)', async () => {
    const a = await simJson(['docs/examples/httpget-prestop.yaml', '--hook', 'web.preStop=refuse']);
    const f = a.events.find((e) => e.reason === 'FailedPreStopHook');
    expect(f?.detail).toMatch(
      /^HTTP lifecycle hook \(\/drain\) for Container "web" in Pod "web_default\(sim-web\)" failed - error: .*connection refused/,
    );
    const https = file(
      'https.yaml',
      POD(
        'sec',
        `    lifecycle:
      preStop:
        httpGet:
          port: 8443
          scheme: HTTPS
          path: /quit
`,
      ),
    );
    const b = await simJson([https, '--hook', 'web.preStop=plain-http']);
    const fb = b.events.filter((e) => e.reason === 'LifecycleHTTPFallback');
    expect(fb).toHaveLength(1);
    expect(fb[0]).toMatchObject({
      type: 'Warning',
      object: { kind: 'Pod', name: 'sec' },
      message: 'request to HTTPS lifecycle hook 10.244.0.7:8443 got HTTP response, retry with HTTP succeeded',
    });
    expect(b.termination.containers[0]!.preStop.outcome).toBe('succeeded');
  });

  it('--stop C=ignore-sigterm: SIGKILL when the remaining grace runs out (spec §4.2-C.8)', async () => {
    const j = await simJson(['docs/examples/sleep-prestop.yaml', '--stop', 'app=ignore-sigterm']);
    // deleted at 5 s, TGPS 15, sleep preStop 5 s → SIGTERM at 10 s with 10 s left → SIGKILL at 20 s
    const sigs = j.runtime.filter((e) => e.kind === 'signal').map((e) => `${e.signal}@${e.at}`);
    expect(sigs).toEqual(['SIGTERM@10000', 'SIGKILL@20000']);
    expect(finalState(j, 'app')).toMatchObject({ state: 'Terminated', exitCode: 137, reason: 'Error' });
  });

  it('--stop exit-after / exit-code; default exit code 143 for SIGTERM', async () => {
    const [a, b] = await Promise.all([
      simJson(['docs/examples/sleep-prestop.yaml']),
      simJson(['docs/examples/sleep-prestop.yaml', '--stop', 'app=exit-after:1500ms,exit-code:3']),
    ]);
    expect(finalState(a, 'app')).toMatchObject({ exitCode: 143 });
    expect(a.termination.containers[0]!.exitedAt).toBe(10_000);
    expect(finalState(b, 'app')).toMatchObject({ exitCode: 3 });
    expect(b.termination.containers[0]!.exitedAt).toBe(11_500);
  });

  it('lifecycle.stopSignal is handed to the runtime in the simulation (spec §4.2-D)', async () => {
    const p = file(
      'sig.yaml',
      POD(
        'sig',
        `    lifecycle:
      stopSignal: SIGUSR1
`,
        '  os:\n    name: linux\n',
      ),
    );
    const j = await simJson([p]);
    expect(j.runtime.filter((e) => e.kind === 'signal').map((e) => e.signal)).toEqual(['SIGUSR1']);
  });

  it('--crash: the main process exits by itself; no preStop for it (spec §1.1); Always restarts it at once (spec pod §4.2)', async () => {
    const j = await simJson([
      'docs/examples/httpget-prestop.yaml',
      '--scenario',
      'none',
      '--crash',
      'web@2s,exit:2',
      '--delete-at',
      '5s',
    ]);
    // no preStop for the crash: the only drain request is the delete's, for the second instance
    expect(j.http.map((h) => h.url)).toEqual(['http://10.244.0.7:9090/drain']);
    expect(j.steps.filter((s) => s.kind === 'preStopStarted').map((s) => s.time)).toEqual([5000]);
    expect(j.runtime.filter((e) => e.kind === 'exit').map((e) => e.at)).toEqual([2000, 5000]);
    expect(j.podStatus.containerStatuses[0]?.restartCount).toBe(1);
  });

  it('--scenario none ignores the default scenario file; the header names it otherwise', async () => {
    const [a, b] = await Promise.all([
      cli(['simulate', 'docs/examples/lifecycle-demo.yaml', '--scenario', 'none']),
      simJson(['docs/examples/lifecycle-demo.yaml', '--scenario', 'none']),
    ]);
    expect(a.code).toBe(0);
    expect(a.stdout).not.toContain('lifecycle-demo.scenario.yaml');
    // unscripted: hooks exit 0 at once, delete once nothing is left to happen (t=0), exit on SIGTERM
    expect(b.deletes[0]!.at).toBe(0);
    expect(b.endAt).toBe(0);
  });

  it('--delete-again: a shorter repeat delete does not cut the in-flight preStop by default; with interrupt it does (k/k#113717)', async () => {
    const base = [
      'docs/examples/lifecycle-demo.yaml',
      '--hook',
      'lifecycle-demo-container.preStop=exit:0,after:20s',
      '--delete-again',
      '12s:1',
    ];
    const [a, b] = await Promise.all([
      simJson(base),
      simJson([...base, '--policy', 'shorterGraceDuringTermination=interrupt']),
    ]);
    expect(a.termination.containers[0]!.preStop.outcome).toBe('succeeded');
    expect(a.deletes).toHaveLength(2);
    expect(b.termination.containers[0]!.preStop.outcome).not.toBe('succeeded');
    expect(b.termination.containers[0]!.exitedAt).toBeLessThan(a.termination.containers[0]!.exitedAt!);
  });

  it('a scenario file given with --scenario is used; flags override it', async () => {
    const p = file(
      'slow.scenario.yaml',
      'deleteAt: 4s\ngrace: 7\nhooks:\n  lifecycle-demo-container.preStop: exit:0,after:2s\n',
    );
    const [a, b] = await Promise.all([
      simJson(['docs/examples/lifecycle-demo.yaml', '--scenario', p]),
      simJson(['docs/examples/lifecycle-demo.yaml', '--scenario', p, '--grace', '3']),
    ]);
    expect(a.deletes[0]!.at).toBe(4000);
    expect(a.termination.gracePeriodSeconds).toBe(7);
    expect(a.termination.containers[0]!.stopTimeoutSeconds).toBe(5);
    expect(b.termination.gracePeriodSeconds).toBe(3);
  });

  it('--pod chooses among several pods; without it the error lists them', async () => {
    const p = file('two.yaml', `${VALID}---\n${POD('second', '')}`);
    const [a, b] = await Promise.all([cli(['simulate', p]), simJson([p, '--pod', 'second'])]);
    expectUsageStyleError(a, 2, /ok.*second|second.*ok/);
    expect(b.pod.name).toBe('second');
  });

  it('an invalid manifest → exit 1 (docs/cli.md "Exit codes")', async () => {
    const r = await cli(['simulate', 'docs/examples/invalid-pod.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^kube-lifecycle: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('bad flag values → exit 2, one line + pointer to --help, no stack trace', async () => {
    const demo = 'docs/examples/lifecycle-demo.yaml';
    const cases: Array<[string[], RegExp]> = [
      [['--grace', 'abc'], /--grace/],
      [['--grace', '1.5'], /--grace/],
      [['--delete-at', 'xyz'], /--delete-at/],
      [['--hook', 'nope'], /--hook/],
      [['--hook', 'nosuch.preStop=fail'], /nosuch/],
      [['--hook', 'lifecycle-demo-container.preStop=explode'], /explode|--hook/],
      [['--stop', 'lifecycle-demo-container=bogus'], /bogus/],
      [['--policy', 'httpStatus=sometimes'], /httpStatus|sometimes/],
      [['--policy', 'foo=bar'], /foo/],
      [['--delete-again', '15s'], /--delete-again/],
      [['--crash', 'lifecycle-demo-container'], /--crash/],
      [['--scenario', pathOf('missing.scenario.yaml')], /missing\.scenario\.yaml/],
      [['--frobnicate'], /--frobnicate/],
      [['--grace'], /--grace/],
    ];
    const rs = await Promise.all(cases.map(([args]) => cli(['simulate', demo, ...args])));
    rs.forEach((r, i) => {
      expectUsageStyleError(r, 2, cases[i]![1]);
      expectHelpPointer(r);
    });
  });

  it('simulate: a missing file / unparsable YAML → exit 2', async () => {
    const [a, b] = await Promise.all([
      cli(['simulate', pathOf('none.yaml')]),
      cli(['simulate', file('bad3.yaml', 'x: [\n')]),
    ]);
    expectUsageStyleError(a, 2, /none\.yaml/);
    expectUsageStyleError(b, 2, /YAML/);
  });
});
