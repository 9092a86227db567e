import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/types.js';
import { probeKill } from '../../src/probes/probe-kill.js';
import { makeRef } from './helpers.js';

const pod = (restartPolicy?: string): Pod =>
  ({ spec: { containers: [], ...(restartPolicy ? { restartPolicy } : {}) } }) as Pod;

describe('probeKill: the Killing message and grace (spec pod §6.1 "Actions", §6.3)', () => {
  it.each([
    [undefined, undefined, 'Container web failed liveness probe, will be restarted', true],
    ['OnFailure', undefined, 'Container web failed liveness probe, will be restarted', true],
    ['Never', undefined, 'Container web failed liveness probe', false],
    ['Never', 'Always', 'Container web failed liveness probe, will be restarted', true], // a sidecar restarts
  ])('pod policy %s, container policy %s → %s', (podPolicy, containerPolicy, message, willRestart) => {
    const container = { name: 'web', ...(containerPolicy ? { restartPolicy: containerPolicy } : {}) };
    const kill = probeKill(pod(podPolicy), container, 'liveness', undefined, makeRef('web'));
    expect([kill.message, kill.willRestart, kill.reason]).toEqual([message, willRestart, 'LivenessProbe']);
    expect('terminationGracePeriodSeconds' in kill).toBe(false);
  });

  it('a startup kill carries reason StartupProbe and the probe-level grace', () => {
    const probe = {
      type: 'startup',
      action: { kind: 'none' },
      initialDelaySeconds: 0,
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
      terminationGracePeriodSeconds: 5,
    } as const;
    expect(probeKill(pod(), { name: 'db' }, 'startup', probe, makeRef('db'))).toMatchObject({
      reason: 'StartupProbe',
      message: 'Container db failed startup probe, will be restarted',
      terminationGracePeriodSeconds: 5,
    });
  });
});
