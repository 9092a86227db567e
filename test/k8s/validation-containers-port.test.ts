/**
 * Port of the container-name and restart-policy cases of kubernetes/kubernetes
 * `pkg/apis/core/validation/validation_test.go` (atiratree/kubernetes@81b59d0f, newer than 1.35):
 * TestValidateContainers, TestValidateInitContainers, TestValidateEphemeralContainers,
 * TestValidateRestartPolicy and TestValidatePodSpec ("bad restart policy"), plus the restart-rule
 * rules of `validateContainerRestartPolicy` / `validateInitContainerRestartPolicy` (validation.go,
 * same copy) for which no Go table row was located. Spec §2 rules 6–7, spec pod §2.3.
 *
 * Go's container tables run with `PodValidationOptions{}`, i.e. `ContainerRestartRules` off. Through
 * the API server a disabled gate's fields are first cleared by `dropContainerRestartRules`
 * (pkg/api/pod/util.go), so those rows are ported both ways: gate off (dropped, valid) and the 1.35
 * default, gate on. 1.35 reports too many rules / exit codes with `field.TooLong` (k/k#137135, filed
 * against v1.35); the copy read here already has 1.36's `field.TooMany` (k/k#137136).
 */
import { describe, expect, it } from 'vitest';
import { type ValidationOptions, validatePod } from '../../src/api/index.js';

type Json = Record<string, unknown>;

const pod = (spec: Json): Json => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'app' }], ...spec } });
const messages = (value: unknown, options?: ValidationOptions) => validatePod(value, options).map((e) => e.message);
const GATE_OFF: ValidationOptions = { featureGates: { ContainerRestartRules: false } };
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const rule = { action: 'Restart', exitCodes: { operator: 'In', values: [42] } };

describe('container names (TestValidateContainers / TestValidateInitContainers / TestValidateEphemeralContainers)', () => {
  it('TestValidateContainers successCase names "abc", "123", "abc-123" are valid (spec §2 rules 6–7)', () => {
    expect(messages(pod({ containers: [{ name: 'abc' }, { name: '123' }, { name: 'abc-123' }] }))).toEqual([]);
  });

  it('TestValidateContainers "zero-length name" / "name > 63 characters" / "name not a DNS label" / "name not unique" (spec §2 rules 6–7)', () => {
    expect(messages(pod({ containers: [{ name: '' }] }))).toEqual(['spec.containers[0].name: Required value']);
    const long = 'a'.repeat(64);
    expect(messages(pod({ containers: [{ name: long }] }))).toEqual([
      `spec.containers[0].name: Invalid value: "${long}": must be no more than 63 characters`,
    ]);
    expect(messages(pod({ containers: [{ name: 'a.b.c' }] }))).toEqual([
      'spec.containers[0].name: Invalid value: "a.b.c": must not contain dots',
    ]);
    expect(messages(pod({ containers: [{ name: 'abc' }, { name: 'abc' }] }))).toEqual([
      'spec.containers[1].name: Duplicate value: "abc"',
    ]);
    expect(messages(pod({ containers: [{ name: 'Abc' }] }))).toEqual([
      `spec.containers[0].name: Invalid value: "Abc": ${LABEL}`,
    ]);
  });

  it('TestValidateInitContainers "empty name" / "name collision with regular container" / "duplicate names" (spec §2 rules 6–7)', () => {
    expect(messages(pod({ initContainers: [{ name: '' }] }))).toEqual(['spec.initContainers[0].name: Required value']);
    expect(messages(pod({ initContainers: [{ name: 'app' }] }))).toEqual([
      'spec.initContainers[0].name: Duplicate value: "app"',
    ]);
    expect(messages(pod({ initContainers: [{ name: 'init' }, { name: 'init' }] }))).toEqual([
      'spec.initContainers[1].name: Duplicate value: "init"',
    ]);
  });

  it('TestValidateEphemeralContainers name collisions with containers, init containers and ephemeral containers (spec §2 rules 6–7)', () => {
    const own = (spec: Json) => messages(pod(spec)).filter((m) => m.startsWith('spec.ephemeralContainers['));
    const base = { containers: [{ name: 'ctr' }], initContainers: [{ name: 'ictr' }] };
    expect(own({ ...base, ephemeralContainers: [{ name: 'ctr' }, { name: 'debug1' }] })).toEqual([
      'spec.ephemeralContainers[0].name: Duplicate value: "ctr"',
    ]);
    expect(own({ ...base, ephemeralContainers: [{ name: 'ictr' }, { name: 'debug1' }] })).toEqual([
      'spec.ephemeralContainers[0].name: Duplicate value: "ictr"',
    ]);
    expect(own({ ...base, ephemeralContainers: [{ name: 'debug1' }, { name: 'debug1' }] })).toEqual([
      'spec.ephemeralContainers[1].name: Duplicate value: "debug1"',
    ]);
    expect(own({ ...base, ephemeralContainers: [{ name: '' }] })).toEqual([
      'spec.ephemeralContainers[0].name: Required value',
    ]);
  });

  it('TestValidateEphemeralContainers "Container uses disallowed field: Ports" → Forbidden …ports (validateFieldAllowList) (spec §2 rule 7)', () => {
    const spec = {
      containers: [{ name: 'ctr' }],
      ephemeralContainers: [{ name: 'debug', ports: [{ containerPort: 80 }] }],
    };
    expect(messages(pod(spec))).toEqual([
      'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container',
    ]);
  });

  it('TestValidatePodSpec failureCases "no containers" → Required spec.containers', () => {
    expect(messages({ metadata: { name: 'p' }, spec: { containers: [] } })).toEqual([
      'spec.containers: Required value',
    ]);
  });
});

describe('pod restartPolicy (TestValidateRestartPolicy, TestValidatePodSpec; spec pod §2.3)', () => {
  it('TestValidateRestartPolicy successCases Always, OnFailure, Never (spec pod §2.3)', () => {
    for (const restartPolicy of ['Always', 'OnFailure', 'Never']) expect(messages(pod({ restartPolicy }))).toEqual([]);
  });

  it('TestValidateRestartPolicy errorCases "" (defaulted to Always first, spec pod §2.1) and "newpolicy"', () => {
    expect(messages(pod({ restartPolicy: '' }))).toEqual([]);
    expect(messages(pod({ restartPolicy: 'newpolicy' }))).toEqual([
      'spec.restartPolicy: Unsupported value: "newpolicy": supported values: "Always", "OnFailure", "Never"',
    ]);
  });

  it('TestValidatePodSpec failureCases "bad restart policy" (UnknowPolicy) (spec pod §2.3)', () => {
    expect(messages(pod({ restartPolicy: 'UnknowPolicy' }))).toEqual([
      'spec.restartPolicy: Unsupported value: "UnknowPolicy": supported values: "Always", "OnFailure", "Never"',
    ]);
  });
});

describe('container restartPolicy (TestValidateContainers / TestValidateInitContainers "… RestartPolicy: …")', () => {
  const main = (restartPolicy: string) => pod({ containers: [{ name: 'foo', restartPolicy }] });
  const init = (restartPolicy: string) => pod({ initContainers: [{ name: 'init', restartPolicy }] });
  const sorted = 'supported values: "Always", "Never", "OnFailure"';

  it('TestValidateContainers "Forbidden RestartPolicy: Always/OnFailure/Never/invalid/empty", gate off: dropped on create, valid (spec pod §2.3)', () => {
    for (const policy of ['Always', 'OnFailure', 'Never', 'invalid', ''])
      expect(messages(main(policy), GATE_OFF)).toEqual([]);
  });

  it('same rows with ContainerRestartRules on (1.35 default): Always/OnFailure/Never valid, "invalid" and "" Unsupported (spec pod §2.3)', () => {
    for (const policy of ['Always', 'OnFailure', 'Never']) expect(messages(main(policy))).toEqual([]);
    expect(messages(main('invalid'))).toEqual([
      `spec.containers[0].restartPolicy: Unsupported value: "invalid": ${sorted}`,
    ]);
    expect(messages(main(''))).toEqual([`spec.containers[0].restartPolicy: Unsupported value: "": ${sorted}`]);
  });

  it('TestValidateInitContainers "Not supported RestartPolicy: OnFailure/Never/invalid/empty", gate off: dropped, valid (spec pod §2.3)', () => {
    for (const policy of ['OnFailure', 'Never', 'invalid', '']) expect(messages(init(policy), GATE_OFF)).toEqual([]);
  });

  it('same init rows with the gate on: OnFailure/Never valid, "invalid" and "" Unsupported (sorted list) (spec pod §2.3)', () => {
    for (const policy of ['Always', 'OnFailure', 'Never']) expect(messages(init(policy))).toEqual([]);
    expect(messages(init('invalid'))).toEqual([
      `spec.initContainers[0].restartPolicy: Unsupported value: "invalid": ${sorted}`,
    ]);
    expect(messages(init(''))).toEqual([`spec.initContainers[0].restartPolicy: Unsupported value: "": ${sorted}`]);
  });

  it('TestValidateEphemeralContainers "Forbidden RestartPolicy: Always/OnFailure/Never/invalid/empty" (gate on) (spec pod §2.3)', () => {
    for (const restartPolicy of ['Always', 'OnFailure', 'Never', 'invalid', '']) {
      const own = messages(pod({ ephemeralContainers: [{ name: 'foo', restartPolicy }] })).filter((m) =>
        m.startsWith('spec.ephemeralContainers['),
      );
      expect(own).toEqual([
        'spec.ephemeralContainers[0].restartPolicy: Forbidden: cannot be set for an Ephemeral Container',
      ]);
    }
  });
});

describe('restartPolicyRules, from validateContainerRestartPolicy (no Go table row located; spec pod §2.3)', () => {
  const main = (container: Json) => messages(pod({ containers: [{ name: 'c', ...container }] }));

  it('rules need an explicit restartPolicy; the rules are still validated on a regular container (spec pod §2.3)', () => {
    expect(main({ restartPolicyRules: [rule] })).toEqual([
      'spec.containers[0].restartPolicy: Required value: must specify restartPolicy when restart rules are used',
    ]);
    expect(main({ restartPolicyRules: [{ action: 'Bad', exitCodes: { operator: 'In' } }] })).toEqual([
      'spec.containers[0].restartPolicy: Required value: must specify restartPolicy when restart rules are used',
      'spec.containers[0].restartPolicyRules[0].action: Unsupported value: "Bad": supported values: "Restart"',
    ]);
  });

  it('each rule: action Restart, exitCodes required ("must be specified"), operator In/NotIn', () => {
    expect(main({ restartPolicy: 'Never', restartPolicyRules: [{ action: 'Restart' }] })).toEqual([
      'spec.containers[0].restartPolicyRules[0].exitCodes: Required value: must be specified',
    ]);
    expect(
      main({
        restartPolicy: 'Never',
        restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'Equals', values: [3] } }],
      }),
    ).toEqual([
      'spec.containers[0].restartPolicyRules[0].exitCodes.operator: Unsupported value: "Equals": supported values: "In", "NotIn"',
    ]);
    expect(
      main({
        restartPolicy: 'Never',
        restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'NotIn', values: [] } }],
      }),
    ).toEqual([]);
  });

  it('1.35 field.TooLong for more than 20 rules and more than 255 exit codes (k/k#137135) (spec pod §2.3)', () => {
    expect(main({ restartPolicy: 'Never', restartPolicyRules: Array.from({ length: 21 }, () => rule) })).toEqual([
      'spec.containers[0].restartPolicyRules: Too long: may not be more than 20 bytes',
    ]);
    const values = Array.from({ length: 256 }, (_, i) => i);
    expect(
      main({
        restartPolicy: 'Never',
        restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values } }],
      }),
    ).toEqual(['spec.containers[0].restartPolicyRules[0].exitCodes.values: Too long: may not be more than 255 bytes']);
  });

  it('validateInitContainerRestartPolicy: a sidecar may not have rules (RestartAllContainers off in 1.35) (spec pod §2.3)', () => {
    expect(
      messages(pod({ initContainers: [{ name: 'side', restartPolicy: 'Always', restartPolicyRules: [rule] }] })),
    ).toEqual([
      'spec.initContainers[0].restartPolicyRules: Forbidden: restartPolicyRules are not allowed for init containers with restart policy Always',
    ]);
  });

  it('validateInitContainerRestartPolicy: no restartPolicy + valid rules → Required only (spec pod §2.3)', () => {
    expect(messages(pod({ initContainers: [{ name: 'init', restartPolicyRules: [rule] }] }))).toEqual([
      'spec.initContainers[0].restartPolicy: Required value: must specify restartPolicy when restart rules are used',
    ]);
  });

  it('validateInitContainerRestartPolicy: no restartPolicy + invalid rules → Required only, the rules are not validated (spec pod §2.3)', () => {
    const bad = { action: 'Bad', exitCodes: { operator: 'X', values: [1] } };
    expect(messages(pod({ initContainers: [{ name: 'init', restartPolicyRules: [bad] }] }))).toEqual([
      'spec.initContainers[0].restartPolicy: Required value: must specify restartPolicy when restart rules are used',
    ]);
  });
});
