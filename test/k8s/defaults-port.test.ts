/**
 * Port of the defaulting cases in scope of kubernetes/kubernetes `pkg/apis/core/v1/defaults_test.go`
 * (openshift/kubernetes@24d6f04d, a ≥1.34 copy with `GRPC.Service` and ephemeral-container rows;
 * `TestSetDefaultProbe` is unchanged since ≈1.20): TestSetDefaultProbe,
 * TestSetDefaultReplicationControllerInitContainers ("Probe", "LifeCycle"), and the rows of
 * TestPodDefaults / TestWorkloadDefaults for the fields kube-lifecycle models. Those two tests fill
 * every pointer and list of an empty Pod with a zero value, run the scheme's defaulting
 * (`SetDefaults_PodSpec`, `SetDefaults_Probe`, `SetDefaults_HTTPGetAction`, the generated
 * `+default=""` of `GRPCAction.Service`) and list every field that came out non-zero. Spec §2
 * "Order of operations", spec pod §2.1.
 */
import { describe, expect, it } from 'vitest';
import { applyDefaults, applyProbeDefaults, type Pod } from '../../src/api/index.js';

type Json = Record<string, unknown>;

const probeDefaults = { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 };
const LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** The shape detectDefaults builds: every container list with one container whose structs are all empty. */
function zeroPod(): Pod {
  const container = () => ({
    name: '',
    lifecycle: { postStart: { httpGet: {} }, preStop: { httpGet: {} } },
    livenessProbe: { httpGet: {}, grpc: {} },
    readinessProbe: { httpGet: {}, grpc: {} },
    startupProbe: { httpGet: {}, grpc: {} },
  });
  return {
    spec: { containers: [container()], initContainers: [container()], ephemeralContainers: [container()] },
  } as unknown as Pod;
}

describe('TestSetDefaultProbe (spec pod §2.1)', () => {
  it('TestSetDefaultProbe: an empty liveness probe gets timeout 1, period 10, success 1, failure 3; initialDelaySeconds stays 0 (unset) (spec pod §2.1)', () => {
    const out = applyDefaults({ spec: { containers: [{ name: 'c', livenessProbe: {} }] } } as Pod);
    const probe = out.spec?.containers[0]?.livenessProbe as Json;
    expect(probe).toEqual(probeDefaults);
    expect(probe['initialDelaySeconds'] ?? 0).toBe(0);
  });

  it('SetDefaults_Probe: only zero values are replaced (int32 zero value = unset), others are kept (spec pod §2.1)', () => {
    expect(
      applyProbeDefaults({ periodSeconds: 0, timeoutSeconds: 5, failureThreshold: 7, successThreshold: 2 }),
    ).toEqual({
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 7,
      successThreshold: 2,
    });
  });
});

describe('TestSetDefaultReplicationControllerInitContainers (spec §2, spec pod §2.1)', () => {
  it('TestSetDefaultReplicationControllerInitContainers "Probe": httpGet {host: localhost} → path "/", scheme HTTP, numbers (spec pod §2.1)', () => {
    const out = applyDefaults({
      spec: {
        containers: [{ name: 'app' }],
        initContainers: [
          {
            name: 'fun',
            image: 'alpine',
            livenessProbe: { httpGet: { host: 'localhost' } },
            readinessProbe: { httpGet: { host: 'localhost' } },
          },
        ],
      },
    } as unknown as Pod);
    const init = out.spec?.initContainers?.[0] as unknown as Json;
    for (const kind of ['livenessProbe', 'readinessProbe']) {
      expect(init[kind]).toEqual({ httpGet: { host: 'localhost', path: '/', scheme: 'HTTP' }, ...probeDefaults });
    }
  });

  it('TestSetDefaultReplicationControllerInitContainers "LifeCycle": postStart/preStop httpGet {host: localhost} → path "/", scheme HTTP (spec pod §2.1)', () => {
    const out = applyDefaults({
      spec: {
        containers: [{ name: 'app' }],
        initContainers: [
          {
            name: 'fun',
            image: 'alpine',
            ports: [{ name: 'default' }],
            lifecycle: { postStart: { httpGet: { host: 'localhost' } }, preStop: { httpGet: { host: 'localhost' } } },
          },
        ],
      },
    } as unknown as Pod);
    const httpGet = { host: 'localhost', path: '/', scheme: 'HTTP' };
    expect(out.spec?.initContainers?.[0]?.lifecycle).toEqual({ postStart: { httpGet }, preStop: { httpGet } });
  });
});

describe('TestPodDefaults / TestWorkloadDefaults: the rows kube-lifecycle models (spec pod §2.1)', () => {
  const out = applyDefaults(zeroPod()) as unknown as { spec: Record<string, unknown> };

  it('.Spec.RestartPolicy "Always" and .Spec.TerminationGracePeriodSeconds 30 (spec pod §2.1)', () => {
    expect(out.spec['restartPolicy']).toBe('Always');
    expect(out.spec['terminationGracePeriodSeconds']).toBe(30);
  });

  it('.Lifecycle.PostStart/PreStop.HTTPGet.Path "/" and .Scheme "HTTP" in containers, initContainers, ephemeralContainers (spec pod §2.1)', () => {
    for (const list of LISTS) {
      const container = (out.spec[list] as Json[])[0] as Json;
      const lifecycle = container['lifecycle'] as Record<string, Json>;
      for (const hook of ['postStart', 'preStop']) {
        expect(lifecycle[hook], `${list} ${hook}`).toEqual({ httpGet: { path: '/', scheme: 'HTTP' } });
      }
    }
  });

  it('.LivenessProbe/ReadinessProbe/StartupProbe: numbers, HTTPGet path/scheme and GRPC.Service "" in all three lists (spec pod §2.1)', () => {
    for (const list of LISTS) {
      const container = (out.spec[list] as Json[])[0] as Json;
      for (const kind of PROBES) {
        expect(container[kind], `${list} ${kind}`).toEqual({
          httpGet: { path: '/', scheme: 'HTTP' },
          grpc: { service: '' },
          ...probeDefaults,
        });
      }
    }
  });

  it('SetDefaults_HTTPGetAction / SetDefaults_PodSpec never overwrite a value that is set (spec pod §2.1)', () => {
    const set = applyDefaults({
      spec: {
        terminationGracePeriodSeconds: 0,
        restartPolicy: 'Never',
        containers: [
          {
            name: 'c',
            lifecycle: { preStop: { httpGet: { path: '/drain', scheme: 'HTTPS', port: 1 } } },
            startupProbe: { grpc: { port: 1, service: 'x' } },
          },
        ],
      },
    } as Pod);
    expect(set.spec?.terminationGracePeriodSeconds).toBe(0);
    expect(set.spec?.restartPolicy).toBe('Never');
    expect(set.spec?.containers[0]?.lifecycle?.preStop?.httpGet).toEqual({ path: '/drain', scheme: 'HTTPS', port: 1 });
    expect(set.spec?.containers[0]?.startupProbe?.grpc).toEqual({ port: 1, service: 'x' });
  });
});
