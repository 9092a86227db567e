import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/types.js';
import { LifecycleError } from '../../src/errors.js';
import { findMissingProbePort, MissingPortError } from '../../src/probes/missing-port.js';

const pod = (containers: unknown[], initContainers: unknown[] = []): Pod =>
  ({ metadata: { name: 'web' }, spec: { containers, initContainers } }) as Pod;

describe('findMissingProbePort (DESIGN §11: rejected at startPod, never skipped)', () => {
  it('names the tcpSocket probe when no tcpDialer was given', () => {
    const error = findMissingProbePort(
      pod([{ name: 'a' }, { name: 'b', livenessProbe: { tcpSocket: { port: 80 } } }]),
      {},
    );
    expect(error).toBeInstanceOf(MissingPortError);
    expect(error).toBeInstanceOf(LifecycleError);
    expect(error).toMatchObject({
      code: 'ERR_MISSING_PORT',
      port: 'tcpDialer',
      containerName: 'b',
      probeType: 'liveness',
      fieldPath: 'spec.containers[1].livenessProbe.tcpSocket',
    });
    expect(error?.message).toBe(
      'Pod "web": spec.containers[1].livenessProbe.tcpSocket needs a TcpDialer, but the manager was given no `tcpDialer`; ' +
        'pass one (e.g. `new LifecycleManager({ ..., tcpDialer: new NodeTcpDialer() })` from kube-lifecycle/node, ' +
        "or the testing kit's fake) or remove the probe",
    );
  });

  it('names a sidecar grpc probe when no grpcHealthChecker was given', () => {
    const error = findMissingProbePort(
      pod([], [{ name: 's', restartPolicy: 'Always', startupProbe: { grpc: { port: 9090 } } }]),
      { tcpDialer: {} },
    );
    expect(error).toMatchObject({ port: 'grpcHealthChecker', fieldPath: 'spec.initContainers[0].startupProbe.grpc' });
  });

  it('is undefined when every probe can run (exec and httpGet need no extra port)', () => {
    const p = pod([
      { name: 'a', readinessProbe: { exec: { command: ['true'] } }, livenessProbe: { httpGet: { port: 80 } } },
    ]);
    expect(findMissingProbePort(p, {})).toBeUndefined();
    expect(
      findMissingProbePort(pod([{ name: 'b', livenessProbe: { tcpSocket: { port: 80 } } }]), { tcpDialer: {} }),
    ).toBeUndefined();
    expect(findMissingProbePort({} as Pod, {})).toBeUndefined();
  });
});
