import { describe, expect, it } from 'vitest';
import type { Container } from '../../src/api/types.js';
import { resolveProbe } from '../../src/probes/probe-spec.js';

const container = (probe: unknown): Container => ({ name: 'app', livenessProbe: probe }) as Container;

describe('resolveProbe: API defaults (SetDefaults_Probe, SetDefaults_HTTPGetAction)', () => {
  it('fills timeout 1, period 10, success 1, failure 3, delay 0, path "/" and scheme HTTP', () => {
    expect(resolveProbe(container({ httpGet: { port: 80 } }), 'liveness')).toEqual({
      type: 'liveness',
      action: { kind: 'httpGet', httpGet: { port: 80, path: '/', scheme: 'HTTP' } },
      initialDelaySeconds: 0,
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  it('zero becomes the default, as the API server does; given values and probe TGPS are kept', () => {
    const probe = resolveProbe(
      container({
        exec: { command: ['true'] },
        timeoutSeconds: 0,
        periodSeconds: 3,
        failureThreshold: 5,
        initialDelaySeconds: 7,
        terminationGracePeriodSeconds: 9,
      }),
      'liveness',
    );
    expect(probe).toMatchObject({
      timeoutSeconds: 1,
      periodSeconds: 3,
      failureThreshold: 5,
      initialDelaySeconds: 7,
      terminationGracePeriodSeconds: 9,
    });
  });

  it('no probe, or a non-object, gives no worker; no handler is kind "none"', () => {
    expect(resolveProbe({ name: 'app' }, 'readiness')).toBeUndefined();
    expect(resolveProbe(container('yes'), 'liveness')).toBeUndefined();
    expect(resolveProbe(container({}), 'liveness')?.action).toEqual({ kind: 'none' });
  });

  it('reads tcpSocket and grpc with their defaults (host "", service "")', () => {
    expect(resolveProbe(container({ tcpSocket: { port: 'http' } }), 'liveness')?.action).toEqual({
      kind: 'tcpSocket',
      port: 'http',
      host: '',
    });
    expect(resolveProbe(container({ grpc: { port: 9090 } }), 'liveness')?.action).toEqual({
      kind: 'grpc',
      port: 9090,
      service: '',
    });
  });
});
