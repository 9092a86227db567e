/**
 * The pinned CLI example of issue 15: `kube-lifecycle simulate pod.yaml --probe
 * web.liveness=fail@30s`. The liveness worker exists from the pod's first sync (t=0, AddPod) and
 * ticks every 10 s; from 30 s the probe fails: Unhealthy at 30, 40, 50 s (failureThreshold 3),
 * then Killing "Container web failed liveness probe, will be restarted" and the restart in the
 * killing sync, whose back-off check reads the exit before the killed one (k/k#22240): at once
 * after the kills at 50, 80, 110 and 140 s (back-off 0, 10, 20, 40 s, each shorter than the 30 s
 * between exits), BackOff after the kill at 170 s (exit 140 is 30 s old, the back-off 40 s) and a
 * restart at 210 s, 40 s after that exit; the same at 230 s with 1m20s (spec pod §6.1, §6.3, §4.2,
 * §3.2 rule 3). docs/cli.md and docs/probes.md show an excerpt of this output.
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
  Type     Reason     Age                   From     Message
  ----     ------     ---                   ----     -------
  Normal   Created    90s (x6 over 5m)      kubelet  spec.containers{web}: Container created
  Normal   Started    90s (x6 over 5m)      kubelet  spec.containers{web}: Container started
  Warning  Unhealthy  70s (x18 over 4m30s)  kubelet  spec.containers{web}: Liveness probe failed: HTTP probe failed with statuscode: 500
  Normal   Killing    70s (x6 over 4m10s)   kubelet  spec.containers{web}: Container web failed liveness probe, will be restarted
  Warning  BackOff    10s (x5 over 2m10s)   kubelet  spec.containers{web}: Back-off restarting failed container web in pod web_default(sim-web)

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
   50s  web  Normal Created: Container created
   50s  web  Normal Started: Container started
   50s  web  Running  restartCount 1, ready
   60s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
   70s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
   80s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
   80s  web  Normal Killing: Container web failed liveness probe, will be restarted
   80s  web  Normal Created: Container created
   80s  web  Normal Started: Container started
   80s  web  Running  restartCount 2, ready
   90s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  100s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  110s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  110s  web  Normal Killing: Container web failed liveness probe, will be restarted
  110s  web  Normal Created: Container created
  110s  web  Normal Started: Container started
  110s  web  Running  restartCount 3, ready
  120s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  130s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  140s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  140s  web  Normal Killing: Container web failed liveness probe, will be restarted
  140s  web  Normal Created: Container created
  140s  web  Normal Started: Container started
  140s  web  Running  restartCount 4, ready
  150s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  160s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  170s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  170s  web  Normal Killing: Container web failed liveness probe, will be restarted
  170s  web  Warning BackOff: Back-off restarting failed container web in pod web_default(sim-web)
  170s  web  Waiting (CrashLoopBackOff, back-off 40s)  restartCount 4
  170s  web  Warning BackOff: Back-off restarting failed container web in pod web_default(sim-web)
  210s  web  Normal Created: Container created
  210s  web  Normal Started: Container started
  210s  web  Running  restartCount 5, ready
  210s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  220s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  230s  web  Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500
  230s  web  Normal Killing: Container web failed liveness probe, will be restarted
  230s  web  Warning BackOff: Back-off restarting failed container web in pod web_default(sim-web)
  230s  web  Waiting (CrashLoopBackOff, back-off 1m20s)  restartCount 5
  230s  web  Warning BackOff: Back-off restarting failed container web in pod web_default(sim-web)
  290s  web  Warning BackOff: Back-off restarting failed container web in pod web_default(sim-web)
  300s  web  deleted
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
