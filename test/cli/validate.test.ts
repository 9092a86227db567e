import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const MULTI = `
apiVersion: v1
kind: Service
metadata: { name: web }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template:
    spec:
      containers:
      - name: web
        image: nginx
        lifecycle:
          preStop:
            httpGet: { port: "HTTP" }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly }
spec:
  jobTemplate:
    spec:
      template:
        spec:
          terminationGracePeriodSeconds: 5
          containers:
          - name: job
            image: busybox
            lifecycle:
              preStop: { sleep: { seconds: 6 } }
---
`;

describe('kube-lifecycle validate', () => {
  it('exits 0 for a valid pod and says so', async () => {
    expect(await cli(['validate', 'docs/examples/lifecycle-demo.yaml'])).toEqual({
      code: 0,
      stdout: 'docs/examples/lifecycle-demo.yaml: document 1 (line 5): Pod "lifecycle-demo": valid\n1 pod valid\n',
      stderr: '',
    });
  });

  it('reports workload templates with prefixed field paths, skips other kinds, exits 1 (spec §2)', async () => {
    const run = await cli(['validate', 'multi.yaml'], { files: { 'multi.yaml': MULTI } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatchInlineSnapshot(`
      "multi.yaml: document 2 (line 6): Deployment.apps "web", pod template: invalid (2 errors)
        The Deployment.apps "web" is invalid:
        * spec.template.spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)
        * spec.template.spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: "HTTP": must contain at least one letter (a-z)
      multi.yaml: document 3 (line 19): CronJob.batch "nightly", pod template: invalid (1 error)
        The CronJob.batch "nightly" is invalid:
        * spec.jobTemplate.spec.template.spec.containers[0].lifecycle.preStop.sleep: Invalid value: 6: must be non-negative and less than terminationGracePeriodSeconds (5)
      multi.yaml: document 1 (line 2): Service "web": skipped, kind Service holds no pod template
      2 of 2 pods invalid
      "
    `);
  });

  it('reads stdin with -, and JSON as well as YAML', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', lifecycle: { postStart: {} } }] },
    };
    const run = await cli(['validate', '-'], { stdin: JSON.stringify(pod) });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '* spec.containers[0].lifecycle.postStart: Required value: must specify a handler type',
    );
  });

  it('expands a kind: List', async () => {
    const list = {
      kind: 'List',
      items: [
        { kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'a' }] } },
        { kind: 'Pod', metadata: { name: 'b' }, spec: { containers: [{ name: 'b' }] } },
      ],
    };
    const run = await cli(['validate', '-'], { stdin: JSON.stringify(list) });
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(/document 2 .*Pod "b": valid\n2 pods valid\n$/);
  });

  it('--policy allowZeroSleep=false rejects a zero sleep with the pre-1.34 message', async () => {
    const pod =
      'kind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n  - name: c\n    lifecycle: { preStop: { sleep: { seconds: 0 } } }\n';
    expect((await cli(['validate', '-'], { stdin: pod })).code).toBe(0);
    const strict = await cli(['validate', '-', '--policy', 'allowZeroSleep=false'], { stdin: pod });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('must be greater than 0 and less than terminationGracePeriodSeconds (30)');
  });

  it('--json prints every result with its errors', async () => {
    const run = await cli(['validate', 'docs/examples/invalid-pod.yaml', '--json']);
    expect(run.code).toBe(1);
    const parsed = JSON.parse(run.stdout) as {
      results: Array<{ isValid: boolean; errors: Array<{ field: string; type: string }>; message: string }>;
    };
    expect(parsed.results[0]!.isValid).toBe(false);
    expect(parsed.results[0]!.errors.map((e) => e.type)).toContain('FieldValueForbidden');
    expect(parsed.results[0]!.message).toMatch(/^Pod "broken-hooks" is invalid: \[/);
  });

  it('a file with no pod at all exits 1', async () => {
    const run = await cli(['validate', '-'], { stdin: 'kind: ConfigMap\nmetadata: { name: c }\n' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('no pod or pod template found');
  });

  it('an unknown policy option is a usage error', async () => {
    const run = await cli(['validate', 'docs/examples/lifecycle-demo.yaml', '--policy', 'allowZeroSleeps=false']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^kube-lifecycle: unknown policy option "allowZeroSleeps" \(did you mean allowZeroSleep\?\)/,
    );
  });
});
