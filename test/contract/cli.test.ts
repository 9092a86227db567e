/**
 * Black-box round 2: the `kube-lifecycle` command run as a user runs it from the repository
 * (`npx tsx src/cli/main.ts …`, docs/cli.md), checked against docs/cli.md and the README.
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = join('src', 'cli', 'main.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `tsx src/cli/main.ts …` (what `npx tsx src/cli/main.ts` resolves to), optional stdin. */
function cli(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [MAIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    if (stdin !== undefined) child.stdin.end(stdin);
    else child.stdin.end();
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'kl-contract-cli-'));
function file(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** docs/cli.md "Exit codes": one line starting with `kube-lifecycle:`, then a pointer to --help; no stack trace. */
function expectUsageStyleError(r: Run, code: number, first: RegExp): void {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  const ls = r.stderr.trimEnd().split('\n');
  expect(ls[0]).toMatch(/^kube-lifecycle: /);
  expect(ls[0]).toMatch(first);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).not.toMatch(/\.ts:\d+/);
  expect(ls.length).toBeLessThanOrEqual(2);
}
function expectHelpPointer(r: Run): void {
  const ls = r.stderr.trimEnd().split('\n');
  expect(ls).toHaveLength(2);
  expect(ls[1]).toMatch(/--help/);
}

const POD = (name: string, lifecycle: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
${extra}  containers:
  - name: web
    image: nginx
${lifecycle}`;

const VALID = POD(
  'ok',
  `    lifecycle:
      preStop:
        exec:
          command: ["/bin/drain"]
`,
);
const INVALID = POD(
  'bad',
  `    lifecycle:
      preStop:
        httpGet:
          port: 0
`,
);

// ---------------------------------------------------------------- top level

describe('kube-lifecycle --help / --version (docs/cli.md)', () => {
  it('--help and -h print usage with the three commands, exit 0', async () => {
    const [a, b] = await Promise.all([cli(['--help']), cli(['-h'])]);
    for (const r of [a, b]) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/validate/);
      expect(r.stdout).toMatch(/simulate/);
      expect(r.stdout).toMatch(/\brun\b/);
      expect(r.stderr).toBe('');
    }
    expect(a.stdout).toBe(b.stdout);
  });

  it('every command takes -h / --help (exit 0)', async () => {
    const rs = await Promise.all([cli(['validate', '--help']), cli(['simulate', '-h']), cli(['run', '--help'])]);
    for (const r of rs) {
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(50);
      expect(r.stderr).toBe('');
    }
    expect(rs[1]!.stdout).toMatch(/--delete-at/);
    expect(rs[1]!.stdout).toMatch(/--hook/);
  });

  it('--version prints the package version, exit 0', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(pkg.version);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('unknown command, no command: exit 2, one line + pointer to --help', async () => {
    const [a, b] = await Promise.all([cli(['frobnicate']), cli([])]);
    expectUsageStyleError(a, 2, /frobnicate/);
    expectHelpPointer(a);
    expect([0, 2]).toContain(b.code); // no command: usage (documented only as "usage error" → 2)
    if (b.code === 2) expect(b.stderr).toMatch(/^kube-lifecycle: /);
  });
});

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
    const r = await cli(['validate', join(tmp, 'nope.yaml')]);
    expectUsageStyleError(r, 2, /nope\.yaml/);
  });

  it('file and YAML errors are one line naming the file, exit 2 (docs/cli.md "Exit codes")', async () => {
    const [a, b] = await Promise.all([
      cli(['validate', join(tmp, 'nope.yaml')]),
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

// ---------------------------------------------------------------- simulate

interface Trace {
  pod: { name: string; namespace: string; uid: string };
  containers: unknown[];
  deletes: Array<{ at: number; gracePeriodSeconds?: number }>;
  events: Array<{
    type: string;
    reason: string;
    message: string;
    detail?: string;
    timestamp: number;
    object: { kind: string; name: string };
  }>;
  steps: Array<{
    kind: string;
    time: number;
    container: string;
    seconds?: number;
    outcome?: string;
    stopSignal?: string;
  }>;
  runtime: Array<{ kind: string; at: number; signal?: string; container?: string }>;
  http: Array<{ url: string; outcome: unknown }>;
  starts: unknown;
  termination: {
    gracePeriodSeconds: number;
    containers: Array<{
      container: string;
      outcome: string;
      preStop: { outcome: string; elapsedMs?: number };
      stopTimeoutSeconds?: number;
      exitedAt?: number;
    }>;
  };
  podStatus: {
    phase: string;
    containerStatuses: Array<{
      name: string;
      restartCount: number;
      state: { running?: object; waiting?: { reason: string }; terminated?: { exitCode: number; reason: string } };
    }>;
  };
  notes: string[];
  endAt: number;
}

/** A container's state at the end of the run, from `podStatus` (the pod worker's, DESIGN §10). */
function finalState(j: Trace, name: string): { state: string; exitCode?: number; reason?: string } {
  const s = j.podStatus.containerStatuses.find((c) => c.name === name)?.state;
  if (s?.terminated) return { state: 'Terminated', ...s.terminated };
  return { state: s?.running ? 'Running' : 'Waiting', ...(s?.waiting ? { reason: s.waiting.reason } : {}) };
}
async function simJson(args: string[]): Promise<Trace> {
  const r = await cli(['simulate', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Trace;
}

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
      [['--scenario', join(tmp, 'missing.scenario.yaml')], /missing\.scenario\.yaml/],
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
      cli(['simulate', join(tmp, 'none.yaml')]),
      cli(['simulate', file('bad3.yaml', 'x: [\n')]),
    ]);
    expectUsageStyleError(a, 2, /none\.yaml/);
    expectUsageStyleError(b, 2, /YAML/);
  });
});

// ---------------------------------------------------------------- run (briefly, real processes)

describe('kube-lifecycle run (docs/cli.md "run"), briefly', () => {
  it('SIGINT deletes the pod gracefully: preStop sleep, SIGTERM, exit 0; events printed as they happen', async () => {
    const p = file(
      'run.yaml',
      `apiVersion: v1
kind: Pod
metadata:
  name: runner
spec:
  terminationGracePeriodSeconds: 5
  containers:
  - name: app
    command: ["sleep", "3600"]
    lifecycle:
      preStop:
        sleep:
          seconds: 1
`,
    );
    const child = spawn(TSX, [MAIN, 'run', '--runtime', 'process', p], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const closed = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    try {
      const t0 = Date.now();
      while (!/Started/.test(stdout)) {
        if (Date.now() - t0 > 10_000) throw new Error(`run did not start: ${stdout} ${stderr}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      // tsx forwards SIGINT to the CLI process
      child.kill('SIGINT');
      const code = await Promise.race([closed, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000))]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/Normal\s+Started\s+app/);
      expect(stdout).toMatch(/Normal\s+Killing\s+app: Stopping container app/);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
