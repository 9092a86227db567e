import { fc, test as propTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isSidecar } from '../../src/api/container-order.js';
import {
  isContainerRestartable,
  restartsAfterProbeKill,
  shouldContainerRestart,
} from '../../src/pod/restart-decision.js';

const regular = (container: object, pod: string | undefined, exitCode: number, gate = true) =>
  shouldContainerRestart({
    kind: 'regular',
    container,
    podRestartPolicy: pod,
    exitCode,
    gates: { containerRestartRules: gate },
  });

describe('shouldContainerRestart (spec pod §3.1)', () => {
  it('uses the pod policy when the container sets none: Always, OnFailure (e ≠ 0), Never, unknown → yes', () => {
    expect([0, 1].map((e) => regular({}, 'Always', e))).toEqual([true, true]);
    expect([0, 1].map((e) => regular({}, 'OnFailure', e))).toEqual([false, true]);
    expect([0, 1].map((e) => regular({}, 'Never', e))).toEqual([false, false]);
    expect(regular({}, 'Sometimes', 0)).toBe(true);
    expect(regular({}, undefined, 0)).toBe(true); // default Always (spec pod §2.1)
  });

  it('a container restartPolicy overrides the pod policy with the gate on', () => {
    expect(regular({ restartPolicy: 'Never' }, 'Always', 1)).toBe(false);
    expect(regular({ restartPolicy: 'OnFailure' }, 'Never', 1)).toBe(true);
    expect(regular({ restartPolicy: 'OnFailure' }, 'Never', 0)).toBe(false);
  });

  it('the first matching rule with action Restart restarts (spec pod §3.5: Never + In [42])', () => {
    const c = {
      restartPolicy: 'Never',
      restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values: [42] } }],
    };
    expect(regular(c, 'Never', 42)).toBe(true);
    expect(regular(c, 'Never', 1)).toBe(false);
    const notIn = {
      restartPolicy: 'Never',
      restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'NotIn', values: [0] } }],
    };
    expect(regular(notIn, 'Always', 0)).toBe(false);
    expect(regular(notIn, 'Always', 3)).toBe(true);
  });

  it('only the first matching rule counts: a non-Restart first match falls through to the container policy', () => {
    const c = {
      restartPolicy: 'Never',
      restartPolicyRules: [
        { action: 'RestartAllContainers', exitCodes: { operator: 'In', values: [7] } },
        { action: 'Restart', exitCodes: { operator: 'In', values: [7] } },
      ],
    };
    expect(regular(c, 'Always', 7)).toBe(false);
  });

  it('rules without exitCodes or with an unknown operator never match', () => {
    const c = {
      restartPolicy: 'Never',
      restartPolicyRules: [{ action: 'Restart' }, { action: 'Restart', exitCodes: { operator: 'Maybe', values: [1] } }],
    };
    expect(regular(c, 'Always', 1)).toBe(false);
  });

  it('rules are ignored when the container restartPolicy is unset', () => {
    const c = { restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values: [42] } }] };
    expect(regular(c, 'Never', 42)).toBe(false);
  });

  it('gate off: only the pod policy counts for regular containers', () => {
    expect(regular({ restartPolicy: 'Never' }, 'Always', 1, false)).toBe(true);
  });

  propTest.prop([fc.constantFrom('Always', 'OnFailure', 'Never', undefined), fc.integer({ min: 0, max: 255 })])(
    'sidecars restart on every exit whatever the pod policy (spec pod §3.4 rule 3)',
    (pod, e) => {
      expect(
        shouldContainerRestart({
          kind: 'sidecar',
          container: { restartPolicy: 'Always' },
          podRestartPolicy: pod,
          exitCode: e,
        }),
      ).toBe(true);
    },
  );

  it('reads hostile shapes without throwing', () => {
    for (const rules of [
      null,
      5,
      'x',
      [null, 1, { action: 1 }, { action: 'Restart', exitCodes: { operator: 'In', values: 'x' } }],
    ]) {
      expect(regular({ restartPolicy: 'Never', restartPolicyRules: rules }, 'Always', 1)).toBe(false);
    }
  });
});

describe('isContainerRestartable (spec pod §3.1)', () => {
  it('follows the container policy and rules, else the pod policy', () => {
    const base = { kind: 'regular' as const, gates: {} };
    expect(isContainerRestartable({ ...base, container: {}, podRestartPolicy: 'Never' })).toBe(false);
    expect(isContainerRestartable({ ...base, container: {}, podRestartPolicy: 'OnFailure' })).toBe(true);
    expect(isContainerRestartable({ ...base, container: { restartPolicy: 'Never' }, podRestartPolicy: 'Always' })).toBe(
      false,
    );
    const withRule = {
      restartPolicy: 'Never',
      restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values: [1] } }],
    };
    expect(isContainerRestartable({ ...base, container: withRule, podRestartPolicy: 'Never' })).toBe(true);
    expect(isSidecar({ restartPolicy: 'Always' })).toBe(true);
    expect(isSidecar({})).toBe(false);
  });
});

describe('restartsAfterProbeKill (spec pod §3.2 rule 3; k/k#133243)', () => {
  const withRule = {
    restartPolicy: 'Never',
    restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values: [137, 143] } }],
  };
  const kill = (container: object, pod: string | undefined, gate = true, kind: 'regular' | 'sidecar' = 'regular') =>
    restartsAfterProbeKill({ kind, container, podRestartPolicy: pod, gates: { containerRestartRules: gate } });

  it('the pod policy, unless a container-level restartPolicy is set: its rules are not read (no exit code yet)', () => {
    expect(kill({}, 'Never')).toBe(false);
    expect(kill({}, 'OnFailure')).toBe(true);
    expect(kill({}, undefined)).toBe(true);
    expect(kill({ restartPolicy: 'Never' }, 'Always')).toBe(false);
    expect(kill({ restartPolicy: 'OnFailure' }, 'Never')).toBe(true);
    // IsContainerRestartable says yes (a Restart rule); the probe kill's decision says no.
    expect(isContainerRestartable({ kind: 'regular', container: withRule, podRestartPolicy: 'Always' })).toBe(true);
    expect(kill(withRule, 'Always')).toBe(false);
  });

  it('gate ContainerRestartRules off: only the pod policy; sidecars always restart', () => {
    expect(kill({ restartPolicy: 'Never' }, 'Always', false)).toBe(true);
    expect(kill({ restartPolicy: 'Always' }, 'Never', true, 'sidecar')).toBe(true);
  });
});
