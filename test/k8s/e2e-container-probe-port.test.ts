/**
 * Port of Kubernetes' e2e `test/e2e/common/node/container_probe.go`, `SIGDescribe("Probing
 * container")` (kubernetes/kubernetes @002c17be427a1761fa11f2476cf94ca574dec7dd), to virtual time:
 * the e2e images are fakes on one VirtualClock (e2e-container-probe-fixtures.ts) and the pod is run
 * by `LifecycleManager.startPod`. Every Go case has an equivalent; the restartable-init-container
 * twin (`Probing restartable init container`) is e2e-container-probe-sidecar-port.test.ts.
 * Where the Go test only counts restarts within its observation timeout, the port also pins the
 * virtual instants (`restartsAt`, e2e-container-probe-cases.ts); the restarts after repeated probe
 * kills, whose back-off the kubelet reads from the exit before the killed one, have a case below.
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

describe('Probing container (spec pod §6)', () => {
  it('with readiness probe should not be ready before initial delay and never restart (spec pod §6.1 step 8, §5.2, §5.3)', async () => {
    await readinessInitialDelay(false);
  });

  it('with readiness probe that fails should never be ready and never restart (spec pod §5.3, §6.2 httpGet)', async () => {
    await readinessFailing(false);
  });

  for (const c of LIVENESS_CASES) {
    it(`${c.name} (${c.spec})`, async () => {
      const h = probeHarness();
      const { pod, container } = c.build(h, false);
      const at = await runLivenessTest(h, pod, container, c.restarts, c.timeoutMs);
      if (c.restartsAt) expect(at.slice(0, c.restartsAt.length), 'restart instants').toEqual(c.restartsAt);
      c.check?.(h, container);
    });
  }

  it('should have monotonically increasing restart count: the restart instants, back-off read from the instance before the killed one (k/k#22240) (spec pod §4.2, §3.2 rule 3, §6.1 Actions)', async () => {
    await monotonicRestartInstants(false);
  });

  it('should not be ready with an exec readiness probe timeout [MinimumKubeletVersion:1.20] (spec pod §6.2 exec, §5.3)', async () => {
    await execReadinessTimeout(false);
  });

  it('should be ready immediately after startupProbe succeeds (spec pod §6.1 timing, step 9; §5.3)', async () => {
    await readyAfterStartup(false);
  });

  it('should mark readiness on pods to false while pod is in progress of terminating when a pod has a readiness probe (spec pod §6.1 step 7)', async () => {
    await readinessFalseWhileTerminating(false, false);
  });

  it('should mark readiness on pods to false and disable liveness probes while pod is in progress of terminating (spec pod §6.1 step 7)', async () => {
    await readinessFalseWhileTerminating(false, true);
  });
});
