/**
 * The pinned CLI example of issue 15: `kube-lifecycle simulate pod.yaml --probe
 * web.liveness=fail@30s`. The liveness worker exists from the pod's first sync (t=0, AddPod) and
 * ticks every 10 s; from 30 s the probe fails: Unhealthy at 30, 40, 50 s (failureThreshold 3),
 * then Killing "Container web failed liveness probe, will be restarted" and the restart at once
 * (first restart, no back-off), then 10 s, 20 s, 40 s, 80 s of CrashLoopBackOff (spec pod §6.1,
 * §6.3, §4.2). docs/cli.md and docs/probes.md show an excerpt of this output.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const PROBE_EXAMPLE_POD = `apiVersion: v1
kind: Pod
metadata: { name: web }
spec:
  containers:
  - name: web
    image: nginx
    ports: [{ name: http, containerPort: 8080 }]
    livenessProbe:
      httpGet: { path: /healthz, port: http }
      periodSeconds: 10
`;

const EXPECTED = `Simulated pod "web" in virtual time: pod.yaml
Ran on the pod worker (startPod) for 300s of virtual time (until nothing was left to happen, at most 300s); restartPolicy Always
Deleted at 300s with the pod's terminationGracePeriodSeconds (30s)

Containers:
  web (container):
    no lifecycle hooks

Events (as kubectl describe would show them at the end of the simulation, t=300s):
  Type     Reason     Age                  From     Message
  ----     ------     ---                  ----     -------
  Normal   Killing    80s (x5 over 4m10s)  kubelet  spec.containers{web}: Container web failed liveness probe, will be restarted
  Warning  BackOff    20s (x5 over 3m40s)  kubelet  spec.containers{web}: Back-off restarting failed container web in pod web_default(sim-web)
  Normal   Created    0s (x6 over 5m)      kubelet  spec.containers{web}: Container created
  Normal   Started    0s (x6 over 5m)      kubelet  spec.containers{web}: Container started
  Warning  Unhealthy  0s (x16 over 4m30s)  kubelet  spec.containers{web}: Liveness probe failed: HTTP probe failed with statuscode: 500
  Normal   Killing    0s                   kubelet  spec.containers{web}: Stopping container web

Timeline (virtual time; one column = 5s):

             0s        50s       100s      150s      200s      250s      300s
             ┼─────────┼─────────┼─────────┼─────────┼─────────┼─────────┤
pod                                                                      ▼  delete 300s
web (container; its first of 6 runs, the status timeline below shows them all)
  Running    ━━━━━━━━━━                                                     0s → 50s (until Killing)
  grace                ├────┤                                               30s from Killing at 50s: budget ends 80s, SIGKILL due 80s
  stop                 ✕                                                    stop 50s (timeout 30s), SIGTERM 50s, exited 50s (code 143)

Legend: █ hook  ▒ hook failed or cut  ━ running  ┄ sidecar waiting  ├─┤ grace budget  ╌ minimum stop grace  ▼ signal/delete  ✕ exit  ✖ SIGKILL

Timeline (virtual time; container status changes and the events behind them):
    0s  web  Waiting (ContainerCreating)  restartCount 0
    0s  web  Normal Created: Container created
    0s  web  Normal Started: Container started
    0s  web  Running  restartCount 0, ready
   30s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
   40s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
   50s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
   50s  web  Normal Killing: Container web failed liveness probe, will be restarted
   50s  web  Terminated (Error, exit code 143)  restartCount 0
   50s  web  Normal Created: Container created
   50s  web  Normal Started: Container started
   50s  web  Running  restartCount 1, ready
   60s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
   70s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
   80s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
   80s  web  Normal Killing: Container web failed liveness probe, will be restarted
   80s  web  Terminated (Error, exit code 143)  restartCount 1
   80s  web  Warning BackOff: Back-off restarting failed container web in pod web_default(sim-web)
   80s  web  Waiting (CrashLoopBackOff, back-off 10s)  restartCount 1
   90s  web  Normal Created: Container created
   90s  web  Normal Started: Container started
   90s  web  Running  restartCount 2, ready
  100s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  110s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  120s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  120s  web  Normal Killing: Container web failed liveness probe, will be restarted
  120s  web  Terminated (Error, exit code 143)  restartCount 2
  120s  web  Warning BackOff: Back-off restarting failed container web in pod web_default(sim-web)
  120s  web  Waiting (CrashLoopBackOff, back-off 20s)  restartCount 2
  140s  web  Normal Created: Container created
  140s  web  Normal Started: Container started
  140s  web  Running  restartCount 3, ready
  140s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  150s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  160s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  160s  web  Normal Killing: Container web failed liveness probe, will be restarted
  160s  web  Terminated (Error, exit code 143)  restartCount 3
  160s  web  Warning BackOff: Back-off restarting failed container web in pod web_default(sim-web)
  160s  web  Waiting (CrashLoopBackOff, back-off 40s)  restartCount 3
  200s  web  Normal Created: Container created
  200s  web  Normal Started: Container started
  200s  web  Running  restartCount 4, ready
  200s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  210s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  220s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  220s  web  Normal Killing: Container web failed liveness probe, will be restarted
  220s  web  Terminated (Error, exit code 143)  restartCount 4
  220s  web  Warning BackOff: Back-off restarting failed container web in pod web_default(sim-web)
  220s  web  Waiting (CrashLoopBackOff, back-off 1m20s)  restartCount 4
  280s  web  Warning BackOff: Back-off restarting failed container web in pod web_default(sim-web)
  300s  web  deleted
  300s  web  Normal Created: Container created
  300s  web  Normal Started: Container started
  300s  web  Running  restartCount 5, ready
  300s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  300s  web  Normal Killing: Stopping container web
  300s  web  Terminated (Error, exit code 143)  restartCount 5

Pod status at 300s: Failed
  Conditions: PodReadyToStartContainers False, Initialized True, Ready False (PodFailed), ContainersReady False (PodFailed), PodScheduled True
  web: Terminated (Error, exit code 143)
    Restart Count: 5   Ready: false   Started: false
    Last State: Terminated (Error, exit code 143)
`;

/** The ```text block right after the marker comment in a Markdown file. */
function excerpt(doc: string): string[] {
  const md = readFileSync(doc, 'utf8');
  const at = md.indexOf('<!-- probe-example-output -->');
  expect(at, `${doc} has the probe example marker`).toBeGreaterThan(-1);
  const open = md.indexOf('```text\n', at);
  const close = md.indexOf('\n```', open + 8);
  return md.slice(open + 8, close).split('\n');
}

describe('simulate --probe web.liveness=fail@30s (issue 15, spec pod §6.3)', () => {
  it('renders Unhealthy x3, Killing "failed liveness probe, will be restarted", then the restart', async () => {
    const run = await cli(['simulate', 'pod.yaml', '--probe', 'web.liveness=fail@30s'], {
      files: { 'pod.yaml': PROBE_EXAMPLE_POD },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(EXPECTED);
  });

  it.each(['docs/cli.md', 'docs/probes.md'])('%s shows lines of that output, in order', (doc) => {
    const lines = EXPECTED.split('\n');
    let from = 0;
    for (const line of excerpt(doc)) {
      if (line.trim() === '…') continue;
      const found = lines.indexOf(line, from);
      expect(found, `${doc}: ${JSON.stringify(line)}`).toBeGreaterThanOrEqual(from);
      from = found + 1;
    }
  });

  it('a scripted probe that never ran is reported: --for shorter than the first tick', async () => {
    const run = await cli(['simulate', 'pod.yaml', '--probe', 'web.liveness=fail@30s', '--for', '5s'], {
      files: { 'pod.yaml': PROBE_EXAMPLE_POD },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--probe web.liveness=fail@30s had no effect: the liveness probe never ran');
    expect(run.stdout).not.toContain('Unhealthy');
  });
});
