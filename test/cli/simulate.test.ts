import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const DEMO = 'docs/examples/lifecycle-demo.yaml';

const POD = `
apiVersion: v1
kind: Pod
metadata: { name: web }
spec:
  terminationGracePeriodSeconds: 30
  containers:
  - name: web
    image: nginx
    ports: [{ name: admin, containerPort: 9090 }]
    lifecycle:
      postStart: { exec: { command: ["/bin/warm-up"] } }
      preStop: { httpGet: { path: /drain, port: admin } }
`;

interface Trace {
  events: Array<{ reason: string; timestamp: number; detail?: string }>;
  runtime: Array<{
    kind: string;
    at: number;
    container: string;
    signal?: string;
    exitCode?: number;
    timeoutSeconds?: number;
  }>;
  http: Array<{ at: number; url: string; outcome?: { status?: number } }>;
  steps: Array<{ kind: string; time: number; outcome?: string }>;
  podStatus: {
    phase: string;
    containerStatuses: Array<{
      name: string;
      restartCount: number;
      state: { waiting?: { reason: string }; terminated?: { exitCode: number; reason: string } };
    }>;
  };
  termination?: {
    gracePeriodSeconds: number;
    containers: Array<{ preStop: { outcome: string }; stopTimeoutSeconds?: number; exitedAt?: number }>;
  };
  notes: string[];
  endAt: number;
}

async function trace(argv: string[], files: Record<string, string> = { 'pod.yaml': POD }): Promise<Trace> {
  const run = await cli(['simulate', ...argv, '--json'], { files });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Trace;
}

describe('kube-lifecycle simulate', () => {
  it('prints the demo: events table and timeline (file snapshot)', async () => {
    const run = await cli(['simulate', DEMO]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    await expect(run.stdout).toMatchFileSnapshot('__snapshots__/lifecycle-demo.txt');
  });

  it('draws the timeline in ASCII with --ascii (file snapshot)', async () => {
    const run = await cli(['simulate', DEMO, '--ascii']);
    expect(run.stdout).toMatch(/^[\x20-\x7e\n]*$/);
    await expect(run.stdout).toMatchFileSnapshot('__snapshots__/lifecycle-demo.ascii.txt');
  });

  it('is deterministic: the same input gives byte-identical output, text and JSON', async () => {
    const argv = [
      'simulate',
      'docs/examples/sidecars.yaml',
      '--hook',
      'shop.preStop=hang',
      '--stop',
      'proxy=ignore-sigterm',
    ];
    const [a, b] = [await cli(argv), await cli(argv)];
    expect(a.stdout).toBe(b.stdout);
    expect((await cli([...argv, '--json'])).stdout).toBe((await cli([...argv, '--json'])).stdout);
  });

  it('deletes once nothing is left to happen by default, with the pod grace, and sends the drain request', async () => {
    const t = await trace(['pod.yaml']);
    expect(t.events.map((e) => e.reason)).toEqual(['Created', 'Started', 'Killing']);
    expect(t.http.map((r) => [r.at, r.url, r.outcome?.status])).toEqual([[0, 'http://10.244.0.7:9090/drain', 200]]);
    expect(t.termination).toMatchObject({
      gracePeriodSeconds: 30,
      containers: [{ preStop: { outcome: 'succeeded' }, stopTimeoutSeconds: 30 }],
    });
  });

  it('--hook on an httpGet hook: a 500 still succeeds (k/k#56963) unless --policy httpStatus=probe', async () => {
    const kube = await trace(['pod.yaml', '--hook', 'web.preStop=status:500,after:2s']);
    expect(kube.termination!.containers[0]).toMatchObject({
      preStop: { outcome: 'succeeded' },
      stopTimeoutSeconds: 28,
    });
    const probe = await trace([
      'pod.yaml',
      '--hook',
      'web.preStop=status:500,after:2s',
      '--policy',
      'httpStatus=probe',
    ]);
    expect(probe.events.map((e) => e.reason)).toContain('FailedPreStopHook');
  });

  it('--stop ignore-sigterm: SIGKILL when the remaining grace runs out (spec §4.2-C.8)', async () => {
    const t = await trace([
      'pod.yaml',
      '--delete-at',
      '10',
      '--grace',
      '5',
      '--stop',
      'web=ignore-sigterm',
      '--hook',
      'web.preStop=after:2s',
    ]);
    const signals = t.runtime.filter((r) => r.kind === 'signal').map((r) => [r.signal, r.at]);
    expect(signals).toEqual([
      ['SIGTERM', 12_000],
      ['SIGKILL', 15_000],
    ]);
    expect(t.podStatus.containerStatuses[0]?.state.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    // A deleted pod whose container ended non-zero is Failed (spec pod §5.1, deleted pods).
    expect(t.podStatus.phase).toBe('Failed');
  });

  it('a hung postStart keeps the pod from starting; the delete waits behind it (spec §3.7, k/k#116032)', async () => {
    const t = await trace(['pod.yaml', '--hook', 'web.postStart=hang', '--delete-at', '5s']);
    expect(t.termination).toBeUndefined();
    expect(t.notes.join('\n')).toMatch(/never finished starting.*k\/k#116032/);
    expect(t.notes.join('\n')).toMatch(/stuck Terminating/);
    expect(t.podStatus.containerStatuses[0]?.state.waiting?.reason).toBe('ContainerCreating');
    // Bounded, the postStart fails every 10 s and the kubelet restarts it with back-off (spec pod §4.7).
    const bounded = await trace([
      'pod.yaml',
      '--hook',
      'web.postStart=hang',
      '--policy',
      'postStartTimeoutSeconds=10',
      '--for',
      '35s',
    ]);
    expect(bounded.events.map((e) => `${e.timestamp / 1000} ${e.reason}`)).toEqual([
      '0 Created',
      '0 Started',
      '10 FailedPostStartHook',
      '10 Killing',
      '10 Created',
      '10 Started',
      '20 FailedPostStartHook',
      '20 Killing',
      '20 BackOff',
      '30 Created',
      '30 Started',
    ]);
    expect(bounded.podStatus.containerStatuses[0]).toMatchObject({
      restartCount: 1,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
    });
  });

  it('--http scripts any request by path; --crash makes the process exit by itself (no preStop, spec §1.1)', async () => {
    const t = await trace(['pod.yaml', '--http', 'GET /drain=refuse', '--delete-at', '3s']);
    expect(t.events.map((e) => e.reason)).toEqual(['Created', 'Started', 'Killing', 'FailedPreStopHook']);
    expect(t.events[3]!.detail).toMatch(/^HTTP lifecycle hook \(\/drain\) for Container "web" .*connection refused/);
    // Under Always the crashed container restarts at once (first crash, spec pod §4.2); the delete
    // at 5 s then stops the second instance, with its preStop.
    const crashed = await trace(['pod.yaml', '--crash', 'web@2s,exit:3', '--delete-at', '5s']);
    expect(crashed.runtime.filter((r) => r.kind === 'exit').map((r) => [r.at, r.exitCode])).toEqual([
      [2000, 3],
      [5000, 143],
    ]);
    expect(crashed.http.map((r) => r.at)).toEqual([5000]);
    expect(crashed.podStatus.containerStatuses[0]?.restartCount).toBe(1);
    const never = `${POD.replace('terminationGracePeriodSeconds: 30', 'terminationGracePeriodSeconds: 30\n  restartPolicy: Never')}`;
    const once = await trace(['never.yaml', '--crash', 'web@2s,exit:3', '--delete-at', '5s'], { 'never.yaml': never });
    expect(once.http).toEqual([]);
    expect(once.podStatus).toMatchObject({ phase: 'Failed' });
    expect(once.podStatus.containerStatuses[0]?.state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
  });

  it('--delete-again with a shorter grace does not cut the in-flight preStop (policy kubelet, k/k#113717)', async () => {
    const args = ['pod.yaml', '--hook', 'web.preStop=after:20s', '--delete-again', '5s:1'];
    const kubelet = await trace(args);
    expect(kubelet.termination!.containers[0]).toMatchObject({ preStop: { outcome: 'succeeded' }, exitedAt: 20_000 });
    const interrupt = await trace([...args, '--policy', 'shorterGraceDuringTermination=interrupt']);
    expect(interrupt.termination!.containers[0]).toMatchObject({ preStop: { outcome: 'timedOut' } });
    expect(interrupt.termination!.containers[0]!.exitedAt).toBe(5_000); // cut when the repeat delete arrives
  });

  it('reads a scenario file; flags override it', async () => {
    const files = {
      'pod.yaml': POD,
      's.yaml':
        'deleteAt: 4s\ngrace: 10\nhooks:\n  web.preStop: status:200,after:3s\npolicy:\n  unfinishedPreStopEvent: true\n',
    };
    const t = await trace(['pod.yaml', '--scenario', 's.yaml'], files);
    expect(t.termination).toMatchObject({
      gracePeriodSeconds: 10,
      containers: [{ stopTimeoutSeconds: 7, exitedAt: 7_000 }],
    });
    const overridden = await trace(['pod.yaml', '--scenario', 's.yaml', '--hook', 'web.preStop=hang'], files);
    expect(overridden.events.map((e) => e.reason)).toContain('UnfinishedPreStopHook');
  });

  it('--delete-at 0 arrives while the pod is starting: the init container is stopped, nothing after it starts', async () => {
    const t = await trace(['docs/examples/sidecars.yaml', '--scenario', 'none', '--delete-at', '0'], {});
    expect(t.runtime.filter((r) => r.kind === 'exit').map((r) => [r.container, r.at, r.exitCode])).toEqual([
      ['migrate', 0, 143],
    ]);
    expect(t.podStatus.containerStatuses[0]?.state.waiting?.reason).toBe('PodInitializing');
    expect(t.notes).toEqual([]);
    expect(t.endAt).toBe(0);
  });

  it('explains scripting mistakes in one line (exit 2)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--hook', 'api.preStop=exit:1'], /--hook api.preStop=exit:1: unknown container "api"; the pod has web/],
      [['--hook', 'web.preStop=exit:1'], /exit codes are for exec hooks; an HTTP route takes status:N/],
      [['--hook', 'web.postStart=status:500'], /status is for httpGet hooks; an exec hook takes exit:N/],
      [['--hook', 'web.preStop=explode'], /unknown item "explode"/],
      [
        ['--hook', 'web.onStart=exit:1'],
        /--hook web.onStart=exit:1: expected a key "<container>.postStart" or "<container>.preStop"/,
      ],
      [['--stop', 'api=ignore-sigterm'], /--stop api: unknown container "api"; the pod has web/],
      [['--crash', 'api@2s'], /--crash api@2s: unknown container "api"; the pod has web/],
      [['--init', 'web=exit-after:1s'], /--init web: web is not an init container/],
      [['--stop', 'web=sleep'], /--stop "web=sleep": unknown item "sleep"/],
      [['--crash', 'web'], /--crash "web": expected CONTAINER@TIME/],
      [['--delete-at', 'soon'], /--delete-at "soon": expected seconds/],
      [['--policy', 'httpStatus=strict'], /invalid --policy: policy.httpStatus: expected one of 'ignore', 'probe'/],
      [['--scenario', 'missing.yaml'], /cannot read scenario missing.yaml: no such file/],
    ];
    for (const [argv, expected] of cases) {
      const run = await cli(['simulate', 'pod.yaml', ...argv], { files: { 'pod.yaml': POD } });
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr, argv.join(' ')).toMatch(expected);
    }
  });

  it('an invalid pod is one line with the API server message (exit 1)', async () => {
    const run = await cli(['simulate', 'docs/examples/invalid-pod.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^kube-lifecycle: Pod "broken-hooks" is invalid: \[spec\.containers\[0\].*\(run 'kube-lifecycle validate' for the list\)\n$/,
    );
  });

  it('asks which pod when a file holds several', async () => {
    const two = `${POD}\n---\n${POD.replace('name: web }', 'name: api }')}`;
    const run = await cli(['simulate', 'two.yaml'], { files: { 'two.yaml': two } });
    expect(run.stderr).toMatch(/holds 2 pods \(web, api\); choose one with --pod NAME/);
    expect((await cli(['simulate', 'two.yaml', '--pod', 'api'], { files: { 'two.yaml': two } })).stdout).toContain(
      'Simulated pod "api"',
    );
  });

  it('--json keeps the deprecated atMs/endMs keys beside at/endAt, same values (removed in 0.2.0)', async () => {
    const run = await cli(['simulate', 'pod.yaml', '--crash', 'web@2s,exit:3', '--delete-at', '5s', '--json'], {
      files: { 'pod.yaml': POD },
    });
    const json = JSON.parse(run.stdout) as { endAt: number; endMs: number } & Record<
      'deletes' | 'exits' | 'runtime' | 'http' | 'statusChanges',
      Array<{ at: number; atMs: number }>
    >;
    expect(json.endMs).toBe(json.endAt);
    for (const key of ['deletes', 'exits', 'runtime', 'http', 'statusChanges'] as const) {
      expect(json[key].length, key).toBeGreaterThan(0);
      for (const entry of json[key]) expect([key, entry.atMs]).toEqual([key, entry.at]);
    }
  });
});
