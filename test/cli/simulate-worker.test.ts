import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const SEED = 'docs/examples/crashloop-poststart.yaml';

const JOB = `
apiVersion: v1
kind: Pod
metadata: { name: job }
spec:
  restartPolicy: OnFailure
  containers:
  - name: main
    image: busybox
`;

interface WorkerTrace {
  mode: string;
  endAt: number;
  horizonIsDefault: boolean;
  podStatus: {
    phase: string;
    containerStatuses: Array<{
      name: string;
      restartCount: number;
      state: { waiting?: { reason: string; message: string }; terminated?: { exitCode: number; reason: string } };
      lastState: { terminated?: { exitCode: number } };
    }>;
  };
  aggregatedEvents: Array<{ reason: string; count: number; firstTimestamp: number; lastTimestamp: number }>;
  notes: string[];
}

async function json(argv: string[], files: Record<string, string> = {}): Promise<WorkerTrace> {
  const run = await cli(['simulate', ...argv, '--json'], { files });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as WorkerTrace;
}

describe('simulate on the pod worker (issue 14 item 8)', () => {
  it('renders the seed scene as spec pod §4.7 predicts: x3 with restartCount 2 and back-off 20s (inline snapshot)', async () => {
    const run = await cli(['simulate', SEED]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatchInlineSnapshot(`
      "Simulated pod "crashloop" in virtual time: docs/examples/crashloop-poststart.yaml
      Scenario: docs/examples/crashloop-poststart.scenario.yaml
      Ran on the pod worker (startPod) for 60s of virtual time (--for 60s); restartPolicy Always

      Containers:
        main (container):
          PostStart:   exec ["sh","-c","exit 1"]

      Events (as kubectl describe would show them at the end of the simulation, t=60s):
        Type     Reason               Age                From     Message
        ----     ------               ---                ----     -------
        Normal   Created              20s (x3 over 60s)  kubelet  spec.containers{main}: Container created
        Normal   Started              20s (x3 over 60s)  kubelet  spec.containers{main}: Container started
        Warning  FailedPostStartHook  5s (x3 over 45s)   kubelet  spec.containers{main}: PostStartHook failed
        Normal   Killing              5s (x3 over 45s)   kubelet  spec.containers{main}: FailedPostStartHook
        Warning  BackOff              5s (x2 over 30s)   kubelet  spec.containers{main}: Back-off restarting failed container main in pod crashloop_default(sim-crashloop)

      Hook failure details (the kubelet logs these; the events above carry only the reason):
        t=15s, 30s, 55s  FailedPostStartHook  main: Exec lifecycle hook ([sh -c exit 1]) for Container "main" in Pod "crashloop_default(sim-crashloop)" failed - error: command 'sh -c exit 1' exited with 1: , message: ""

      Timeline (virtual time; one column = 1s):

                   0s        10s       20s       30s       40s       50s       60s
                   ┼─────────┼─────────┼─────────┼─────────┼─────────┼─────────┤
      main (container; its first of 3 runs, the status timeline below shows them all)
        postStart  ▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒                                                exec 0s → 15s: failed
        grace                     ├────────────────────────────┤                  30s from Killing at 15s: budget ends 45s, SIGKILL due 45s
        stop                      ✕                                               stop 15s (timeout 30s), SIGTERM 15s, exited 15s (code 143)

      Legend: █ hook  ▒ hook failed or cut  ━ running  ┄ sidecar waiting  ├─┤ grace budget  ╌ minimum stop grace  ▼ signal/delete  ✕ exit  ✖ SIGKILL

      Timeline (virtual time; container status changes and the events behind them):
         0s  main  Waiting (ContainerCreating)  restartCount 0
         0s  main  Normal Created: Container created
         0s  main  Normal Started: Container started
        15s  main  Warning FailedPostStartHook: PostStartHook failed
        15s  main  Normal Killing: FailedPostStartHook
        15s  main  Waiting (PostStartHookError)  restartCount 0
        15s  main  Normal Created: Container created
        15s  main  Normal Started: Container started
        30s  main  Warning FailedPostStartHook: PostStartHook failed
        30s  main  Normal Killing: FailedPostStartHook
        30s  main  Waiting (PostStartHookError)  restartCount 1
        30s  main  Warning BackOff: Back-off restarting failed container main in pod crashloop_default(sim-crashloop)
        30s  main  Waiting (CrashLoopBackOff, back-off 10s)  restartCount 1
        40s  main  Normal Created: Container created
        40s  main  Normal Started: Container started
        55s  main  Warning FailedPostStartHook: PostStartHook failed
        55s  main  Normal Killing: FailedPostStartHook
        55s  main  Waiting (PostStartHookError)  restartCount 2
        55s  main  Warning BackOff: Back-off restarting failed container main in pod crashloop_default(sim-crashloop)
        55s  main  Waiting (CrashLoopBackOff, back-off 20s)  restartCount 2

      Pod status at 60s: Running
        Conditions: PodReadyToStartContainers True, Initialized True, Ready False (ContainersNotReady), ContainersReady False (ContainersNotReady), PodScheduled True
        main: Waiting (CrashLoopBackOff: back-off 20s restarting failed container=main pod=crashloop_default(sim-crashloop))
          Restart Count: 2   Ready: false   Started: false
          Last State: Terminated (Error, exit code 143)
      "
    `);
  });

  it('--json carries the pod status and the aggregated events (spec pod §4.4, §7.2)', async () => {
    const trace = await json([SEED]);
    expect(trace.mode).toBe('podWorker');
    const main = trace.podStatus.containerStatuses[0];
    expect(main?.restartCount).toBe(2);
    expect(main?.state.waiting?.reason).toBe('CrashLoopBackOff');
    expect(main?.state.waiting?.message).toMatch(
      /^back-off 20s restarting failed container=main pod=crashloop_default\(/,
    );
    expect(main?.lastState.terminated?.exitCode).toBe(143);
    const counts = Object.fromEntries(trace.aggregatedEvents.map((e) => [e.reason, e.count]));
    expect(counts).toEqual({ Created: 3, Started: 3, FailedPostStartHook: 3, Killing: 3, BackOff: 2 });
  });

  it('a shorter --for shows the x2 stage: restartCount 1, back-off 10s (spec pod §4.4, §4.7 step 3)', async () => {
    const trace = await json([SEED, '--for', '35s']);
    const main = trace.podStatus.containerStatuses[0];
    expect(main?.restartCount).toBe(1);
    expect(main?.state.waiting?.message).toMatch(/^back-off 10s /);
    expect(trace.aggregatedEvents.find((e) => e.reason === 'Killing')?.count).toBe(2);
    expect(trace.endAt).toBe(35_000);
  });

  it('--exit scripts exits: OnFailure restarts after code 1 and completes after code 0 (spec pod §3.1, §5.1)', async () => {
    const trace = await json(['job.yaml', '--exit', 'main=1@5s,main=0@20s'], { 'job.yaml': JOB });
    expect(trace.podStatus.phase).toBe('Succeeded');
    const main = trace.podStatus.containerStatuses[0];
    expect(main?.restartCount).toBe(1);
    expect(main?.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    // The default horizon ends once nothing is left to happen.
    expect(trace.horizonIsDefault).toBe(true);
    expect(trace.endAt).toBe(20_000);
  });

  it('an exit of a container that is not running is a note, not a silent no-op', async () => {
    const trace = await json(['job.yaml', '--exit', 'main=0@5s', '--exit', 'main=1@10s'], { 'job.yaml': JOB });
    expect(trace.podStatus.phase).toBe('Succeeded');
    expect(trace.notes).toContain('--exit main=1@10s ignored: main was not running at 10s');
  });

  it('an exit after the horizon is a note too', async () => {
    const trace = await json(['job.yaml', '--exit', 'main=1@50s', '--for', '20s'], { 'job.yaml': JOB });
    expect(trace.notes).toContain('--exit main=1@50s not reached: the simulation ended at 20s (use --for)');
  });

  it('a scripted delete during a back-off wait ends the pod: no restart after it (issue 14 item 1)', async () => {
    const trace = await json([SEED, '--delete-at', '35s']);
    const main = trace.podStatus.containerStatuses[0];
    expect(main?.restartCount).toBe(1);
    expect(main?.state.terminated).toBeDefined();
    expect(trace.aggregatedEvents.find((e) => e.reason === 'Started')?.count).toBe(2);
    expect(['Succeeded', 'Failed']).toContain(trace.podStatus.phase);
  });

  it('the human report shows the timeline of restarts and the final container status', async () => {
    const run = await cli(['simulate', 'job.yaml', '--exit', 'main=1@5s', '--for', '10s'], {
      files: { 'job.yaml': JOB },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('5s  main  exits with code 1 (scripted)');
    expect(run.stdout).toContain('5s  main  Running  restartCount 1, ready');
    expect(run.stdout).toContain('Pod status at 10s: Running');
    expect(run.stdout).toContain('Last State: Terminated (Error, exit code 1)');
  });
});

describe('simulate --probe (issue 15 item 6)', () => {
  const WEB = `
apiVersion: v1
kind: Pod
metadata: { name: web }
spec:
  containers:
  - name: web
    image: nginx
    ports: [{ name: http, containerPort: 8080 }]
    livenessProbe: { httpGet: { path: /healthz, port: http }, periodSeconds: 10 }
`;
  it('a scripted probe that the run never exercised is reported, never silently ignored', async () => {
    const run = await cli(['simulate', 'web.yaml', '--probe', 'web.liveness=fail@30s', '--for', '70s', '--json'], {
      files: { 'web.yaml': WEB },
    });
    expect(run.code).toBe(0);
    const trace = JSON.parse(run.stdout) as WorkerTrace & { events: Array<{ reason: string }> };
    const unhealthy = trace.events.filter((e) => e.reason === 'Unhealthy').length;
    const note = trace.notes.find((n) => n.startsWith('--probe web.liveness=fail@30s had no effect'));
    // Either the manager runs the liveness worker (then the probe fails from 30 s: Unhealthy,
    // spec pod §6.3) or the note says that the script had no effect.
    expect(unhealthy > 0 || note !== undefined).toBe(true);
    expect(unhealthy > 0 && note !== undefined).toBe(false);
  });
});

describe('simulate reports share one header and containers block (issue 13 item 5)', () => {
  const SIGNALLED = `
apiVersion: v1
kind: Pod
metadata: { name: signalled }
spec:
  restartPolicy: Never
  os: { name: linux }
  containers:
  - name: main
    image: busybox
    lifecycle:
      stopSignal: SIGUSR1
      preStop: { sleep: { seconds: 1 } }
`;

  it('the pod-worker report lists a stop signal as the container-level report does', async () => {
    const files = { 'pod.yaml': SIGNALLED };
    const plain = await cli(['simulate', 'pod.yaml'], { files });
    const worker = await cli(['simulate', 'pod.yaml', '--exit', 'main=0@5s'], { files });
    expect(plain).toMatchObject({ code: 0, stderr: '' });
    expect(worker).toMatchObject({ code: 0, stderr: '' });
    const block = (out: string): string =>
      out.slice(out.indexOf('Containers:'), out.indexOf('\n\n', out.indexOf('Containers:')));
    expect(block(worker.stdout)).toBe(block(plain.stdout));
    expect(block(worker.stdout)).toContain('StopSignal:  SIGUSR1');
    expect(worker.stdout.split('\n')[0]).toBe(plain.stdout.split('\n')[0]);
  });
});
