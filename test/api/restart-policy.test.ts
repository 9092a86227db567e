/**
 * Pod and container restart policies and `restartPolicyRules` (spec pod §1.1–1.2, §2.3), pinned to
 * `pkg/apis/core/validation/validation.go` (`validateRestartPolicy`, `validateContainers`,
 * `validateInitContainerRestartPolicy`, `validateContainerRestartPolicy`; ≥1.35 copy), 1.35's
 * `field.TooLong` for too many rules/exit codes (k/k#137135) and `pkg/api/pod/util.go`
 * (`dropContainerRestartRules`, `dropContainerStopSignals`) for disabled gates.
 */
import { describe, expect, it } from 'vitest';
import {
  assertValidPod,
  type ContainerRestartRule,
  DEFAULT_FEATURE_GATES,
  dropDisabledFields,
  type Pod,
  validatePod,
} from '../../src/api/index.js';

const rule = (values: number[] = [42], operator = 'In'): ContainerRestartRule => ({
  action: 'Restart',
  exitCodes: { operator, values },
});
const pod = (
  main: Record<string, unknown> = {},
  init?: Record<string, unknown>,
  spec: Record<string, unknown> = {},
) => ({
  metadata: { name: 'p' },
  spec: {
    containers: [{ name: 'web', ...main }],
    ...(init === undefined ? {} : { initContainers: [{ name: 'init', ...init }] }),
    ...spec,
  },
});
const messages = (value: unknown, options = {}) => validatePod(value, options).map((e) => e.message);

describe('pod restartPolicy (spec pod §2.3, validateRestartPolicy)', () => {
  it('accepts Always, OnFailure, Never; defaults the empty string to Always; rejects others in Go order', () => {
    for (const policy of ['Always', 'OnFailure', 'Never', '', undefined]) {
      expect(messages(pod({}, undefined, { restartPolicy: policy }))).toEqual([]);
    }
    expect(messages(pod({}, undefined, { restartPolicy: 'always' }))).toEqual([
      'spec.restartPolicy: Unsupported value: "always": supported values: "Always", "OnFailure", "Never"',
    ]);
  });
});

describe('ContainerRestartRules on (1.35 default, spec pod §1.2)', () => {
  it('is on by default', () => {
    expect(DEFAULT_FEATURE_GATES.ContainerRestartRules).toBe(true);
  });

  it('accepts restartPolicy and rules on regular containers and Never/OnFailure init containers', () => {
    expect(messages(pod({ restartPolicy: 'Never', restartPolicyRules: [rule()] }))).toEqual([]);
    expect(
      messages(
        pod({ restartPolicy: 'OnFailure' }, { restartPolicy: 'Never', restartPolicyRules: [rule([1], 'NotIn')] }),
      ),
    ).toEqual([]);
    // The docs' example: init container tried once.
    expect(messages(pod({}, { restartPolicy: 'Never' }))).toEqual([]);
  });

  it('rules need an explicit restartPolicy (Required: must specify restartPolicy when restart rules are used)', () => {
    expect(messages(pod({ restartPolicyRules: [rule()] }))).toEqual([
      'spec.containers[0].restartPolicy: Required value: must specify restartPolicy when restart rules are used',
    ]);
    expect(messages(pod({}, { restartPolicyRules: [rule()] }))).toEqual([
      'spec.initContainers[0].restartPolicy: Required value: must specify restartPolicy when restart rules are used',
    ]);
  });

  it('rejects an unknown container restartPolicy with the sorted supported list', () => {
    expect(messages(pod({ restartPolicy: 'Sometimes' }))).toEqual([
      'spec.containers[0].restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"',
    ]);
  });

  it('a sidecar (init Always) may not have rules while RestartAllContainers is off (1.35)', () => {
    expect(messages(pod({}, { restartPolicy: 'Always', restartPolicyRules: [rule()] }))).toEqual([
      'spec.initContainers[0].restartPolicyRules: Forbidden: restartPolicyRules are not allowed for init containers with restart policy Always',
    ]);
  });

  it('checks each rule: action Restart, exitCodes required, operator In/NotIn (NotSupported, sorted)', () => {
    expect(
      messages(
        pod({
          restartPolicy: 'Never',
          restartPolicyRules: [
            { action: 'RestartAllContainers', exitCodes: { operator: 'In', values: [1] } },
            { action: 'Restart' },
            { action: 'Restart', exitCodes: { operator: 'Is', values: [1] } },
            { exitCodes: { values: [] } },
          ],
        }),
      ),
    ).toEqual([
      'spec.containers[0].restartPolicyRules[0].action: Unsupported value: "RestartAllContainers": supported values: "Restart"',
      'spec.containers[0].restartPolicyRules[1].exitCodes: Required value: must be specified',
      'spec.containers[0].restartPolicyRules[2].exitCodes.operator: Unsupported value: "Is": supported values: "In", "NotIn"',
      'spec.containers[0].restartPolicyRules[3].action: Unsupported value: "": supported values: "Restart"',
      'spec.containers[0].restartPolicyRules[3].exitCodes.operator: Unsupported value: "": supported values: "In", "NotIn"',
    ]);
  });

  it('1.35 reports more than 20 rules and more than 255 exit codes with field.TooLong (k/k#137135)', () => {
    const rules = Array.from({ length: 21 }, () => rule());
    expect(messages(pod({ restartPolicy: 'Never', restartPolicyRules: rules }))).toEqual([
      'spec.containers[0].restartPolicyRules: Too long: may not be more than 20 bytes',
    ]);
    const values = Array.from({ length: 256 }, (_, i) => i);
    expect(messages(pod({ restartPolicy: 'Never', restartPolicyRules: [rule(values)] }))).toEqual([
      'spec.containers[0].restartPolicyRules[0].exitCodes.values: Too long: may not be more than 255 bytes',
    ]);
    // Identical rules and repeated values are not forbidden.
    expect(messages(pod({ restartPolicy: 'Never', restartPolicyRules: [rule([1, 1]), rule([1, 1])] }))).toEqual([]);
  });

  it('exit codes are int32 values (a type error otherwise)', () => {
    const errors = validatePod(pod({ restartPolicy: 'Never', restartPolicyRules: [rule([1.5, 2 ** 31])] }));
    expect(errors.map((e) => [e.type, e.field])).toEqual([
      ['FieldValueTypeInvalid', 'spec.containers[0].restartPolicyRules[0].exitCodes.values[0]'],
      ['FieldValueTypeInvalid', 'spec.containers[0].restartPolicyRules[0].exitCodes.values[1]'],
    ]);
  });

  it('ephemeral containers may set neither (validateFieldAllowList, struct order)', () => {
    expect(
      messages({
        metadata: { name: 'p' },
        spec: {
          containers: [{ name: 'web' }],
          ephemeralContainers: [{ name: 'dbg', restartPolicy: 'Never', restartPolicyRules: [rule()] }],
        },
      }),
    ).toEqual([
      'spec.ephemeralContainers[0].restartPolicy: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[0].restartPolicyRules: Forbidden: cannot be set for an Ephemeral Container',
    ]);
  });
});

describe('ContainerRestartRules off (dropContainerRestartRules): the fields are dropped silently on create', () => {
  const off = { featureGates: { ContainerRestartRules: false } };

  it('validation sees no container restart fields, so no error; sidecars keep Always', () => {
    const input = pod(
      { restartPolicy: 'Sometimes', restartPolicyRules: [{ action: 'x' }] },
      { restartPolicy: 'Never', restartPolicyRules: [rule()] },
    );
    expect(messages(input, off)).toEqual([]);
    const stored = assertValidPod(input, off);
    expect(stored.spec?.containers[0]).toEqual({ name: 'web' });
    expect(stored.spec?.initContainers?.[0]).toEqual({ name: 'init' });
    const sidecar = assertValidPod(pod({}, { restartPolicy: 'Always' }), off);
    expect(sidecar.spec?.initContainers?.[0]?.restartPolicy).toBe('Always');
    expect(input.spec.containers[0]).toHaveProperty('restartPolicy', 'Sometimes');
  });
});

describe('ContainerStopSignals (alpha, off in 1.35: dropContainerStopSignals)', () => {
  it('off: stopSignal is dropped before validation (no error), and an emptied lifecycle goes too', () => {
    const off = { featureGates: { ContainerStopSignals: false } };
    expect(messages(pod({ lifecycle: { stopSignal: 'SIGFOO' } }), off)).toEqual([]);
    const kept = dropDisabledFields(pod({ lifecycle: { stopSignal: 'SIGUSR1', preStop: { sleep: { seconds: 1 } } } }), {
      ContainerStopSignals: false,
    }) as Pod;
    expect(kept.spec?.containers[0]?.lifecycle).toEqual({ preStop: { sleep: { seconds: 1 } } });
    const emptied = dropDisabledFields(pod({ lifecycle: { stopSignal: 'SIGUSR1' } }), off.featureGates) as Pod;
    expect(emptied.spec?.containers[0]).toEqual({ name: 'web' });
  });

  it("kube-lifecycle's default keeps it on (a named deviation): stopSignal is validated", () => {
    expect(DEFAULT_FEATURE_GATES.ContainerStopSignals).toBe(true);
    expect(messages(pod({ lifecycle: { stopSignal: 'SIGFOO' } }, undefined, { os: { name: 'linux' } }))).toHaveLength(
      1,
    );
  });

  it('with every gate on, dropDisabledFields hands the pod back unchanged', () => {
    const input = pod();
    expect(dropDisabledFields(input)).toBe(input);
  });
});
