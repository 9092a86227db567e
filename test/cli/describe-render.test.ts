/**
 * `kube-lifecycle describe` rendering (kubectl describe pod's layout), pinned on a fixed entry:
 * a container in CrashLoopBackOff with its last termination, conditions, the folded Events table
 * (aggregateEvents + formatEventAge, spec pod §7) and the stale warning.
 */
import { describe, expect, it } from 'vitest';
import { renderDescribe } from '../../src/cli/describe-command.js';
import { podStatePaths, RUN_STATE_KIND, type RunState } from '../../src/cli/state-dir.js';
import type { KubeEvent, PodStatus } from '../../src/index.js';

const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
const object = {
  kind: 'Container' as const,
  name: 'app',
  namespace: 'default',
  fieldPath: 'spec.containers{app}',
  podName: 'web',
};
const ev = (reason: string, type: 'Normal' | 'Warning', message: string, atS: number): KubeEvent => ({
  type,
  reason,
  message,
  object,
  timestamp: T0 + atS * 1000,
});
const status: PodStatus = {
  phase: 'Running',
  conditions: [
    {
      type: 'PodReadyToStartContainers',
      status: 'True',
      lastTransitionTime: '2026-12-07T09:00:00Z',
      lastProbeTime: null,
    },
    { type: 'Initialized', status: 'True', lastTransitionTime: '2026-12-07T09:00:00Z', lastProbeTime: null },
    {
      type: 'Ready',
      status: 'False',
      reason: 'ContainersNotReady',
      lastTransitionTime: '2026-12-07T09:00:01Z',
      lastProbeTime: null,
    },
    {
      type: 'ContainersReady',
      status: 'False',
      reason: 'ContainersNotReady',
      lastTransitionTime: '2026-12-07T09:00:01Z',
      lastProbeTime: null,
    },
  ],
  podIP: '127.0.0.1',
  startTime: '2026-12-07T09:00:00Z',
  initContainerStatuses: [],
  containerStatuses: [
    {
      name: 'app',
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: 'back-off 20s restarting failed container=app pod=web_default(u1)',
        },
      },
      lastState: {
        terminated: {
          exitCode: 1,
          reason: 'Error',
          startedAt: '2026-12-07T09:00:10Z',
          finishedAt: '2026-12-07T09:00:11Z',
          containerID: 'c2',
        },
      },
      ready: false,
      started: false,
      restartCount: 2,
      image: '',
      containerID: 'c2',
    },
  ],
};
const state: RunState = {
  kind: RUN_STATE_KIND,
  pod: { name: 'web', namespace: 'default', uid: 'u1' },
  pid: 4242,
  runtime: { name: 'process', description: 'local processes (ProcessRuntime)', containers: { app: { id: 'c2' } } },
  containers: [{ name: 'app', image: '', kind: 'container' }],
  manifest: 'web.yaml',
  podIP: '127.0.0.1',
  startedAt: T0,
  updatedAt: T0 + 11_000,
  terminating: false,
  status,
  events: [
    ev('Started', 'Normal', 'Container started', 0),
    ev('Started', 'Normal', 'Container started', 1),
    ev('BackOff', 'Warning', 'Back-off restarting failed container app in pod web_default(u1)', 1),
    ev('Started', 'Normal', 'Container started', 10),
    ev('BackOff', 'Warning', 'Back-off restarting failed container app in pod web_default(u1)', 11),
  ],
};

describe('describe: the kubectl-describe layout', () => {
  it('status, the container in CrashLoopBackOff with its last state, conditions, and the folded Events table at now', () => {
    const out = renderDescribe({ state, paths: podStatePaths('/x', 'default', 'web'), stale: false }, T0 + 75_000);
    expect(out).toBe(`Name:               web
Namespace:          default
UID:                u1
Runtime:            local processes (ProcessRuntime)
Run by:             pid 4242, kube-lifecycle run web.yaml
Start Time:         2026-12-07T09:00:00Z
Status:             Running
IP:                 127.0.0.1
Containers:
  app:
    Container ID:   process://c2
    Image:          <none>
    State:          Waiting
      Reason:       CrashLoopBackOff
      Message:      back-off 20s restarting failed container=app pod=web_default(u1)
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      2026-12-07T09:00:10Z
      Finished:     2026-12-07T09:00:11Z
    Ready:          False
    Restart Count:  2
Conditions:
  Type                        Status
  PodReadyToStartContainers   True
  Initialized                 True
  Ready                       False
  ContainersReady             False
Events:
  Type     Reason   Age                From     Message
  ----     ------   ---                ----     -------
  Normal   Started  65s (x3 over 75s)  kubelet  spec.containers{app}: Container started
  Warning  BackOff  64s (x2 over 74s)  kubelet  spec.containers{app}: Back-off restarting failed container app in pod web_default(u1)
`);
  });

  it('a stale entry starts with the warning and says so in Status and Run by', () => {
    const out = renderDescribe({ state, paths: podStatePaths('/x', 'default', 'web'), stale: true }, T0 + 75_000);
    expect(out.split('\n')[0]).toBe(
      "Warning: stale entry: the run process (pid 4242) is gone; this is the status it last wrote, at 2026-12-07T09:00:11.000Z. Its containers may still exist (a new 'run' of this pod replaces the entry).",
    );
    expect(out).toMatch(/^Run by:\s+pid 4242 \(gone\), /m);
    expect(out).toMatch(/^Status:\s+Running \(stale\)$/m);
  });
});
