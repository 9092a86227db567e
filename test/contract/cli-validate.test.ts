/**
 * Black-box round 2: the `kube-lifecycle` command run as a user runs it from the repository
 * (`npx tsx src/cli/main.ts …`, docs/cli.md), checked against docs/cli.md and the README:
 * `validate`.
 */

import { describe, expect, it } from 'vitest';
import { cli, expectHelpPointer, expectUsageStyleError, INVALID, manifestFolder, POD, VALID } from './cli-harness.js';

const { file, pathOf } = manifestFolder();

// ---------------------------------------------------------------- validate

describe('kube-lifecycle validate (docs/cli.md "validate")', () => {
  it('docs/examples/invalid-pod.yaml: the documented output, exit 1', async () => {
    const r = await cli(['validate', 'docs/examples/invalid-pod.yaml']);
    expect(r.code).toBe(1);
    const out = r.stdout.split('\n');
    expect(out.slice(0, 4)).toEqual([
      'docs/examples/invalid-pod.yaml: document 1 (line 3): Pod "broken-hooks": invalid (6 errors)',
      '  The Pod "broken-hooks" is invalid:',
      '  * spec.containers[0].lifecycle.postStart.httpGet: Forbidden: may not specify more than 1 handler type',
      '  * spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 of 1 pod invalid');
    expect(r.stdout.match(/^ {2}\* /gm)).toHaveLength(6);
    expect(r.stdout).toContain(
      'spec.containers[1].lifecycle.preStop.sleep: Invalid value: 60: must be non-negative and less than terminationGracePeriodSeconds (10)',
    );
    expect(r.stdout).toContain(
      'spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always',
    );
  });

  it('every valid example manifest passes, exit 0 (README: docs/examples/ are valid manifests)', async () => {
    const names = ['lifecycle-demo', 'httpget-prestop', 'sleep-prestop', 'sidecars', 'failing-poststart'];
    const rs = await Promise.all(names.map((n) => cli(['validate', `docs/examples/${n}.yaml`])));
    rs.forEach((r, i) => {
      expect(r.code, names[i]).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/: valid\n/);
    });
    expect(rs[3]!.stdout).toContain('Deployment.apps "shop", pod template: valid');
  });

  it('a Deployment template: field paths prefixed with spec.template, exit 1', async () => {
    const p = file(
      'deploy.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      terminationGracePeriodSeconds: 5
      containers:
      - name: api
        image: x
        lifecycle:
          preStop:
            sleep:
              seconds: 9
`,
    );
    const r = await cli(['validate', p]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Deployment.apps "api", pod template: invalid (1 error)');
    expect(r.stdout).toContain(
      '* spec.template.spec.containers[0].lifecycle.preStop.sleep: Invalid value: 9: must be non-negative and less than terminationGracePeriodSeconds (5)',
    );
  });

  it('multi-document YAML: Pod, skipped Service, CronJob template, kind List expanded; --json shape', async () => {
    const p = file(
      'multi.yaml',
      `${VALID}---
apiVersion: v1
kind: Service
metadata:
  name: svc
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: job
            image: x
            lifecycle:
              postStart:
                exec: {}
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: listed
  spec:
    containers:
    - name: c
      image: x
`,
    );
    const [text, json] = await Promise.all([cli(['validate', p]), cli(['validate', p, '--json'])]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Pod "ok": valid');
    expect(text.stdout).toContain('Pod "listed": valid');
    expect(text.stdout).toMatch(/Service "svc": skipped/);
    expect(text.stdout).toContain(
      '* spec.jobTemplate.spec.template.spec.containers[0].lifecycle.postStart.exec.command: Required value',
    );
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe('1 of 3 pods invalid');

    expect(json.code).toBe(1);
    const j = JSON.parse(json.stdout) as {
      source: string;
      skipped: Array<Record<string, unknown>>;
      results: Array<{
        document: number;
        line: number;
        kind: string;
        name: string;
        templatePath: string;
        isValid: boolean;
        errors: Array<{ type: string; field: string; message: string }>;
        message?: string;
      }>;
    };
    expect(j.source).toBe(p);
    expect(j.results.map((x) => [x.kind, x.name, x.isValid])).toEqual([
      ['Pod', 'ok', true],
      ['CronJob.batch', 'nightly', false],
      ['Pod', 'listed', true],
    ]);
    const cron = j.results[1]!;
    expect(cron.document).toBe(3);
    expect(typeof cron.line).toBe('number');
    expect(cron.templatePath).toBe('spec.jobTemplate.spec.template');
    expect(cron.errors).toEqual([
      {
        type: 'FieldValueRequired',
        field: 'spec.jobTemplate.spec.template.spec.containers[0].lifecycle.postStart.exec.command',
        message: 'spec.jobTemplate.spec.template.spec.containers[0].lifecycle.postStart.exec.command: Required value',
      },
    ]);
    expect(cron.message).toBe(
      'CronJob.batch "nightly" is invalid: spec.jobTemplate.spec.template.spec.containers[0].lifecycle.postStart.exec.command: Required value',
    );
    expect(j.skipped).toHaveLength(1);
    expect(j.skipped[0]).toMatchObject({ kind: 'Service', name: 'svc' });
  });

  it('--json message is the API server aggregate `Pod "x" is invalid: [a, b]` for several errors', async () => {
    const r = await cli(['validate', 'docs/examples/invalid-pod.yaml', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { results: Array<{ message: string; errors: unknown[] }> };
    expect(j.results[0]!.errors).toHaveLength(6);
    expect(j.results[0]!.message).toMatch(
      /^Pod "broken-hooks" is invalid: \[spec\.containers\[0\]\.lifecycle\.postStart\.httpGet: Forbidden: may not specify more than 1 handler type, .*\]$/,
    );
  });

  it('stdin "-": YAML and JSON manifests; valid → 0, invalid → 1', async () => {
    const json = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'j' },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    const [a, b, c] = await Promise.all([
      cli(['validate', '-'], VALID),
      cli(['validate', '-'], INVALID),
      cli(['validate', '-'], json),
    ]);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('Pod "ok": valid');
    expect(b.code).toBe(1);
    expect(b.stdout).toContain(
      'spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
    );
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('Pod "j": valid');
  });

  it('a file holding no pod at all → exit 1', async () => {
    const p = file('svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n');
    const r = await cli(['validate', p]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--policy allowZeroSleep=false rejects sleep.seconds 0 with the pre-1.34 message; default accepts it', async () => {
    const p = file(
      'zero.yaml',
      POD(
        'z',
        `    lifecycle:
      preStop:
        sleep:
          seconds: 0
`,
      ),
    );
    const [a, b] = await Promise.all([cli(['validate', p]), cli(['validate', p, '--policy', 'allowZeroSleep=false'])]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(1);
    expect(b.stdout).toContain(
      'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 0: must be greater than 0 and less than terminationGracePeriodSeconds (30)',
    );
  });

  it('unparsable YAML → exit 2, one line on stderr starting "kube-lifecycle:", no stack trace', async () => {
    const p = file('bad.yaml', 'a: [\n');
    const [a, b] = await Promise.all([cli(['validate', p]), cli(['validate', '-'], 'kind: Pod\n  metadata: [\n')]);
    expectUsageStyleError(a, 2, /invalid YAML|YAML/);
    expectUsageStyleError(b, 2, /YAML/);
  });

  it('a missing file → exit 2, one line starting "kube-lifecycle:", no stack trace', async () => {
    const r = await cli(['validate', pathOf('nope.yaml')]);
    expectUsageStyleError(r, 2, /nope\.yaml/);
  });

  it('file and YAML errors are one line naming the file, exit 2 (docs/cli.md "Exit codes")', async () => {
    const [a, b] = await Promise.all([
      cli(['validate', pathOf('nope.yaml')]),
      cli(['validate', file('bad2.yaml', 'a: [\n')]),
    ]);
    expectUsageStyleError(a, 2, /nope\.yaml/);
    expectUsageStyleError(b, 2, /bad2\.yaml.*line \d+, column \d+/);
    expect(a.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(b.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('unknown flag, missing argument, bad --policy → exit 2 with the pointer to --help', async () => {
    const rs = await Promise.all([
      cli(['validate', '--bogus', 'docs/examples/lifecycle-demo.yaml']),
      cli(['validate']),
      cli(['validate', 'docs/examples/lifecycle-demo.yaml', '--policy', 'allowZeroSleep=maybe']),
      cli(['validate', 'docs/examples/lifecycle-demo.yaml', '--policy', 'nosuch=1']),
    ]);
    expectUsageStyleError(rs[0]!, 2, /--bogus/);
    expectUsageStyleError(rs[1]!, 2, /./);
    expectUsageStyleError(rs[2]!, 2, /allowZeroSleep/);
    expectUsageStyleError(rs[3]!, 2, /nosuch/);
    for (const r of rs) expectHelpPointer(r);
  });
});
