/**
 * Port of Kubernetes' e2e `test/e2e/common/node/container_probe.go`, `SIGDescribe(SidecarContainers,
 * "Probing restartable init container")` (kubernetes/kubernetes @002c17be427a1761fa11f2476cf94ca574dec7dd),
 * to virtual time. The pods of `…SidecarPodSpec` put the probed container first in
 * `initContainers` with `restartPolicy: Always` and add a regular `main` (agnhost pause);
 * `RunSidecarLivenessTest` watches `InitContainers[0]`. The cases are those of the regular
 * container (e2e-container-probe-cases.ts), with the sidecar's probe fields where Go differs
 * (`timeoutSeconds: 5` on the /healthz restart and tcp cases). A sidecar's liveness or startup kill
 * restarts it whatever the pod policy (spec pod §3.4 item 3).
 */
import { describe, expect, it } from 'vitest';
import { LIVENESS_CASES, monotonicRestartInstants } from './e2e-container-probe-cases.js';
import { probeHarness, runLivenessTest } from './e2e-container-probe-fixtures.js';
import {
  execReadinessTimeout,
  readinessFailing,
  readinessFalseWhileTerminating,
  readinessInitialDelay,
  readyAfterStartup,
} from './e2e-container-probe-readiness.js';

describe('[Feature:SidecarContainers] Probing restartable init container (spec pod §3.4, §6)', () => {
  it('with readiness probe should not be ready before initial delay and never restart (spec pod §6.1 step 8, §5.2, §5.3)', async () => {
    await readinessInitialDelay(true);
  });

  it('with readiness probe that fails should never be ready and never restart (spec pod §5.2 ContainersReady counts sidecars)', async () => {
    await readinessFailing(true);
  });

  for (const c of LIVENESS_CASES) {
    it(`${c.name} (${c.spec}; spec pod §3.4 item 3)`, async () => {
      const h = probeHarness();
      const { pod, container } = c.build(h, true);
      const at = await runLivenessTest(h, pod, container, c.restarts, c.timeoutMs);
      if (c.restartsAt) expect(at.slice(0, c.restartsAt.length), 'restart instants').toEqual(c.restartsAt);
      c.check?.(h, container);
      // the sidecar's kills never restart the regular container (which a failing startup probe keeps from starting)
      const mainStarts = h.runtime.timeline.filter((e) => e.kind === 'started' && e.container === 'main');
      expect(mainStarts.length).toBeLessThanOrEqual(1);
    });
  }

  // As in e2e-container-probe-port.test.ts: a sidecar's liveness kill and restart also share one
  // SyncPod (computeInitContainerActions puts it in ContainersToKill and InitContainersToStart;
  // step 6 `start` → `doBackOff` on the pre-kill podStatus).
  it('should have monotonically increasing restart count: the restart instants, back-off read from the instance before the killed one (k/k#22240) (spec pod §4.2, §3.4, §6.1 Actions)', async () => {
    await monotonicRestartInstants(true);
  });

  it('should not be ready with an exec readiness probe timeout [MinimumKubeletVersion:1.20] (spec pod §6.2 exec, §5.2)', async () => {
    await execReadinessTimeout(true);
  });

  it('should be ready immediately after startupProbe succeeds (spec pod §3.4 item 2, §6.1 step 9, §5.3)', async () => {
    await readyAfterStartup(true);
  });

  it('should mark readiness on pods to false while pod is in progress of terminating when a pod has a readiness probe (spec pod §6.1 step 7, kubelet §4.2-C.6)', async () => {
    await readinessFalseWhileTerminating(true, false);
  });

  it('should mark readiness on pods to false and disable liveness probes while pod is in progress of terminating (spec pod §6.1 step 7, kubelet §4.2-C.6)', async () => {
    await readinessFalseWhileTerminating(true, true);
  });
});
