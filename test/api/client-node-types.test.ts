/**
 * Type-level test (checked by `tsc --noEmit`): `@kubernetes/client-node` objects are accepted as
 * our Kubernetes shapes without casts (DESIGN §6).
 */
import type {
  V1Container,
  V1ExecAction,
  V1HTTPGetAction,
  V1Lifecycle,
  V1LifecycleHandler,
  V1ObjectMeta,
  V1Pod,
  V1PodSpec,
  V1Probe,
  V1SleepAction,
  V1TCPSocketAction,
} from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { validatePod } from '../../src/api/index.js';
import type {
  Container,
  ExecAction,
  HTTPGetAction,
  Lifecycle,
  LifecycleHandler,
  ObjectMeta,
  Pod,
  PodSpec,
  Probe,
  SleepAction,
  TCPSocketAction,
} from '../../src/api/types.js';

describe('@kubernetes/client-node compatibility', () => {
  it('accepts V1Pod and friends without casts', () => {
    const httpGet: V1HTTPGetAction = {
      port: 8080,
      path: '/drain',
      scheme: 'HTTP',
      httpHeaders: [{ name: 'X-A', value: 'b' }],
    };
    const preStop: V1LifecycleHandler = { httpGet };
    const lifecycle: V1Lifecycle = { preStop, postStart: { exec: { command: ['/bin/true'] } }, stopSignal: 'SIGTERM' };
    const container: V1Container = {
      name: 'web',
      image: 'nginx',
      lifecycle,
      ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
      env: [{ name: 'A', value: 'b' }],
      livenessProbe: { terminationGracePeriodSeconds: 5, httpGet: { port: 'http' } },
      restartPolicy: 'Always',
    };
    const metadata: V1ObjectMeta = {
      name: 'demo',
      namespace: 'default',
      uid: 'u1',
      deletionTimestamp: new Date(0),
      deletionGracePeriodSeconds: 3,
    };
    const spec: V1PodSpec = {
      containers: [container],
      initContainers: [{ ...container, name: 'proxy' }],
      terminationGracePeriodSeconds: 30,
      os: { name: 'linux' },
    };
    const v1pod: V1Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata,
      spec,
      status: { podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }] },
    };

    // The assignments are the test: each must compile without a cast.
    const pod: Pod = v1pod;
    const podSpec: PodSpec = spec;
    const meta: ObjectMeta = metadata;
    const ourContainer: Container = container;
    const ourLifecycle: Lifecycle = lifecycle;
    const handler: LifecycleHandler = preStop;
    const ourHttpGet: HTTPGetAction = httpGet;
    const exec: ExecAction = {} as V1ExecAction;
    const sleep: SleepAction = { seconds: 1 } as V1SleepAction;
    const tcp: TCPSocketAction = { port: 1 } as V1TCPSocketAction;
    const probe: Probe = {} as V1Probe;
    expect([podSpec, meta, ourContainer, ourLifecycle, handler, ourHttpGet, exec, sleep, tcp, probe]).toHaveLength(10);

    expect(validatePod(pod)).toEqual([]);
  });
});
