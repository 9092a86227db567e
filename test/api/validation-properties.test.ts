import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { applyDefaults, assertValidPod, type FieldError, validateLifecycle, validatePod } from '../../src/api/index.js';
import { LifecycleSpecError } from '../../src/api/lifecycle-spec-error.js';
import type { Container, Pod } from '../../src/api/types.js';
import { lifecycleArbitraries } from '../../src/testing/arbitraries.js';

/** The testing kit's valid-pod arbitrary: the same one users property-test with. */
const validPodArbitrary = lifecycleArbitraries(fc).validPod;

const KNOWN_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'metadata',
  'name',
  'generateName',
  'spec',
  'containers',
  'initContainers',
  'ephemeralContainers',
  'terminationGracePeriodSeconds',
  'os',
  'lifecycle',
  'postStart',
  'preStop',
  'stopSignal',
  'exec',
  'command',
  'httpGet',
  'path',
  'port',
  'scheme',
  'host',
  'httpHeaders',
  'value',
  'tcpSocket',
  'sleep',
  'seconds',
  'restartPolicy',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'grpc',
  'service',
  'initialDelaySeconds',
  'timeoutSeconds',
  'periodSeconds',
  'successThreshold',
  'failureThreshold',
  'restartPolicyRules',
  'action',
  'exitCodes',
  'operator',
  'values',
];

/** Anything, with object keys drawn mostly from the pod shape (and the dangerous ones). */
const podishAnything = fc.anything({
  key: fc.oneof(fc.constantFrom(...KNOWN_KEYS), fc.string()),
  maxDepth: 7,
  withBigInt: true,
  withNullPrototype: true,
  withBoxedValues: true,
  withSparseArray: true,
  withDate: true,
  withTypedArray: true,
});

/** A pod skeleton whose every known slot may hold garbage. */
const garbagePod = fc.letrec((tie) => ({
  pod: fc.record(
    {
      metadata: fc.oneof(podishAnything, fc.record({ name: podishAnything })),
      spec: fc.oneof(tie('spec'), podishAnything),
    },
    { requiredKeys: [] },
  ),
  spec: fc.record(
    {
      containers: fc.oneof(fc.array(tie('container'), { maxLength: 3 }), podishAnything),
      initContainers: fc.oneof(fc.array(tie('container'), { maxLength: 2 }), podishAnything),
      ephemeralContainers: fc.oneof(fc.array(tie('container'), { maxLength: 2 }), podishAnything),
      terminationGracePeriodSeconds: fc.oneof(fc.integer(), fc.double(), podishAnything),
      os: fc.oneof(fc.record({ name: fc.constantFrom('linux', 'windows', '', 'x') }), podishAnything),
      restartPolicy: fc.oneof(fc.constantFrom('Always', 'OnFailure', 'Never', '', 'x'), podishAnything),
    },
    { requiredKeys: [] },
  ),
  container: fc.record(
    {
      name: fc.oneof(fc.string(), podishAnything),
      lifecycle: fc.oneof(tie('lifecycle'), podishAnything),
      restartPolicy: fc.oneof(fc.constantFrom('Always', 'OnFailure', 'Never', 'x'), podishAnything),
      restartPolicyRules: fc.oneof(fc.array(tie('rule'), { maxLength: 3 }), podishAnything),
      livenessProbe: fc.oneof(tie('probe'), podishAnything),
      readinessProbe: fc.oneof(tie('probe'), podishAnything),
      startupProbe: fc.oneof(tie('probe'), podishAnything),
    },
    { requiredKeys: [] },
  ),
  rule: fc.record(
    {
      action: fc.oneof(fc.constantFrom('Restart', 'RestartAllContainers', ''), podishAnything),
      exitCodes: fc.oneof(
        fc.record(
          {
            operator: fc.oneof(fc.constantFrom('In', 'NotIn', 'x'), podishAnything),
            values: fc.oneof(
              fc.array(fc.oneof(fc.integer(), fc.double(), podishAnything), { maxLength: 4 }),
              podishAnything,
            ),
          },
          { requiredKeys: [] },
        ),
        podishAnything,
      ),
    },
    { requiredKeys: [] },
  ),
  probe: fc.record(
    {
      exec: fc.oneof(fc.record({ command: podishAnything }), podishAnything),
      httpGet: fc.oneof(
        fc.record({ port: podishAnything, path: podishAnything }, { requiredKeys: [] }),
        podishAnything,
      ),
      tcpSocket: fc.oneof(fc.record({ port: podishAnything }), podishAnything),
      grpc: fc.oneof(
        fc.record({ port: fc.oneof(fc.integer(), podishAnything), service: podishAnything }),
        podishAnything,
      ),
      initialDelaySeconds: fc.oneof(fc.integer(), fc.double(), podishAnything),
      timeoutSeconds: fc.oneof(fc.integer(), podishAnything),
      periodSeconds: fc.oneof(fc.integer(), podishAnything),
      successThreshold: fc.oneof(fc.integer({ min: -2, max: 3 }), podishAnything),
      failureThreshold: fc.oneof(fc.integer(), podishAnything),
      terminationGracePeriodSeconds: fc.oneof(fc.integer({ min: -2, max: 3 }), fc.bigInt(), podishAnything),
    },
    { requiredKeys: [] },
  ),
  lifecycle: fc.record(
    {
      postStart: fc.oneof(tie('handler'), podishAnything),
      preStop: fc.oneof(tie('handler'), podishAnything),
      stopSignal: podishAnything,
    },
    { requiredKeys: [] },
  ),
  handler: fc.record(
    {
      exec: fc.oneof(fc.record({ command: podishAnything }), podishAnything),
      httpGet: fc.oneof(
        fc.record(
          { port: podishAnything, path: podishAnything, scheme: podishAnything, httpHeaders: podishAnything },
          { requiredKeys: [] },
        ),
        podishAnything,
      ),
      tcpSocket: fc.oneof(fc.record({ port: podishAnything }), podishAnything),
      sleep: fc.oneof(fc.record({ seconds: fc.oneof(fc.double(), fc.bigInt(), podishAnything) }), podishAnything),
    },
    { requiredKeys: [] },
  ),
})).pod;

function expectWellFormed(errors: readonly FieldError[]): void {
  expect(Array.isArray(errors)).toBe(true);
  for (const error of errors) {
    expect(typeof error.field).toBe('string');
    expect(typeof error.message).toBe('string');
    expect(error.message.startsWith(`${error.field}: `)).toBe(true);
  }
}

function prototypeSnapshot(): string[] {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].flatMap((proto) =>
    Object.getOwnPropertyNames(proto),
  );
}

describe('validation never throws and never pollutes prototypes (spec §2)', () => {
  const protoBefore = prototypeSnapshot();

  test.prop([fc.oneof(fc.jsonValue(), podishAnything, garbagePod)], { numRuns: 300 })(
    'validatePod on arbitrary input',
    (value) => {
      expectWellFormed(validatePod(value));
      expectWellFormed(validatePod(value, { allowZeroSleep: false }));
      expectWellFormed(
        validatePod(value, { featureGates: { ContainerRestartRules: false, ContainerStopSignals: false } }),
      );
      expectWellFormed(
        validateLifecycle(value, 'spec.containers[0].lifecycle', {
          terminationGracePeriodSeconds: 30,
          osName: 'linux',
        }),
      );
      try {
        assertValidPod(value);
      } catch (error) {
        expect(error).toBeInstanceOf(LifecycleSpecError);
      }
      expect(prototypeSnapshot()).toEqual(protoBefore);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    },
  );

  test.prop([fc.jsonValue()])('JSON input (with __proto__ keys from JSON.parse) is never mutated', (value) => {
    const text = JSON.stringify({
      __proto__x: 0,
      spec: { containers: [{ name: 'a', lifecycle: value }] },
      v: value,
    }).replace('__proto__x', '__proto__');
    const parsed = JSON.parse(text) as unknown;
    const before = structuredClone(parsed);
    expectWellFormed(validatePod(parsed));
    expect(parsed).toEqual(before);
    expect(prototypeSnapshot()).toEqual(protoBefore);
  });
});

describe('generated valid pods (spec §2)', () => {
  test.prop([validPodArbitrary], { numRuns: 200 })('yield no errors', (pod) => {
    expect(validatePod(pod)).toEqual([]);
    expect(assertValidPod(pod)).toEqual(applyDefaults(pod));
  });
});

type Mutation = { readonly name: string; readonly apply: (pod: Pod) => string | undefined };

/** Mutates container 0 (always present) or the spec, returning the field path that must be reported. */
const mutations: Mutation[] = [
  {
    name: 'grace not an integer',
    apply: (p) => (
      ((p.spec as unknown as Record<string, unknown>)['terminationGracePeriodSeconds'] = 1.5),
      'spec.terminationGracePeriodSeconds'
    ),
  },
  { name: 'no containers', apply: (p) => ((p.spec!.containers = []), 'spec.containers') },
  { name: 'bad name', apply: (p) => ((p.spec!.containers[0]!.name = 'Bad_Name'), 'spec.containers[0].name') },
  { name: 'empty name', apply: (p) => ((p.spec!.containers[0]!.name = ''), 'spec.containers[0].name') },
  {
    name: 'no handler',
    apply: (p) => ((p.spec!.containers[0]!.lifecycle = { preStop: {} }), 'spec.containers[0].lifecycle.preStop'),
  },
  {
    name: 'two handlers',
    apply: (p) => (
      (p.spec!.containers[0]!.lifecycle = { postStart: { exec: { command: ['x'] }, sleep: { seconds: 0 } } }),
      'spec.containers[0].lifecycle.postStart.sleep'
    ),
  },
  {
    name: 'empty command',
    apply: (p) => (
      (p.spec!.containers[0]!.lifecycle = { preStop: { exec: { command: [] } } }),
      'spec.containers[0].lifecycle.preStop.exec.command'
    ),
  },
  {
    name: 'port 0',
    apply: (p) => (
      (p.spec!.containers[0]!.lifecycle = { preStop: { httpGet: { port: 0 } } }),
      'spec.containers[0].lifecycle.preStop.httpGet.port'
    ),
  },
  {
    name: 'port name',
    apply: (p) => (
      (p.spec!.containers[0]!.lifecycle = { preStop: { tcpSocket: { port: '80' } } }),
      'spec.containers[0].lifecycle.preStop.tcpSocket.port'
    ),
  },
  {
    name: 'scheme',
    apply: (p) => (
      (p.spec!.containers[0]!.lifecycle = { postStart: { httpGet: { port: 1, scheme: 'ftp' } } }),
      'spec.containers[0].lifecycle.postStart.httpGet.scheme'
    ),
  },
  {
    name: 'header',
    apply: (p) => (
      (p.spec!.containers[0]!.lifecycle = {
        postStart: { httpGet: { port: 1, httpHeaders: [{ name: 'a b', value: '' }] } },
      }),
      'spec.containers[0].lifecycle.postStart.httpGet.httpHeaders'
    ),
  },
  {
    name: 'sleep too long',
    apply: (p) => (
      (p.spec!.containers[0]!.lifecycle = {
        preStop: { sleep: { seconds: (p.spec!.terminationGracePeriodSeconds ?? 30) + 1 } },
      }),
      'spec.containers[0].lifecycle.preStop.sleep'
    ),
  },
  {
    name: 'probe grace',
    apply: (p) => (
      (p.spec!.containers[0]!.livenessProbe = { terminationGracePeriodSeconds: 0 }),
      'spec.containers[0].livenessProbe.terminationGracePeriodSeconds'
    ),
  },
  {
    name: 'readiness grace',
    apply: (p) => (
      (p.spec!.containers[0]!.readinessProbe = { terminationGracePeriodSeconds: 3 }),
      'spec.containers[0].readinessProbe.terminationGracePeriodSeconds'
    ),
  },
  {
    name: 'stop signal',
    apply: (p) => (
      (p.spec!.os = { name: 'windows' }),
      (p.spec!.containers[0]!.lifecycle = { stopSignal: 'SIGHUP' }),
      'spec.containers[0].lifecycle.stopSignal'
    ),
  },
  {
    name: 'stop signal without os',
    apply: (p) => (
      delete p.spec!.os,
      (p.spec!.containers[0]!.lifecycle = { stopSignal: 'SIGTERM' }),
      'spec.containers[0].lifecycle.stopSignal'
    ),
  },
  {
    name: 'init lifecycle',
    apply: (p) => (
      (p.spec!.initContainers = [{ name: 'zz-init-zz', lifecycle: {} }]), 'spec.initContainers[0].lifecycle'
    ),
  },
  {
    name: 'ephemeral lifecycle',
    apply: (p) => (
      (p.spec!.ephemeralContainers = [{ name: 'zz-eph-zz', lifecycle: {} }]), 'spec.ephemeralContainers[0].lifecycle'
    ),
  },
  {
    name: 'duplicate name',
    apply: (p) => (
      (p.spec!.containers as Container[]).push({ name: p.spec!.containers[0]!.name }),
      `spec.containers[${p.spec!.containers.length - 1}].name`
    ),
  },
];

describe('mutating one field of a valid pod', () => {
  test.prop([validPodArbitrary, fc.constantFrom(...mutations)], { numRuns: 300 })(
    'reports an error at that field',
    (valid, mutation) => {
      const pod = structuredClone(valid);
      const field = mutation.apply(pod);
      const errors = validatePod(pod);
      expect(
        errors.map((error) => error.field),
        mutation.name,
      ).toContain(field);
    },
  );
});

describe('hostile and huge input', () => {
  it('cycles in known positions terminate', () => {
    const pod: Record<string, unknown> = { metadata: { name: 'p' } };
    const container: Record<string, unknown> = { name: 'c' };
    const lifecycle: Record<string, unknown> = { preStop: container, postStart: lifecycle_self() };
    function lifecycle_self(): Record<string, unknown> {
      return {};
    }
    container['lifecycle'] = lifecycle;
    lifecycle['stopSignal'] = lifecycle;
    pod['spec'] = { containers: [container, pod, container], initContainers: [pod], os: pod };
    const errors = validatePod(pod);
    expectWellFormed(errors);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('throwing getters and revoked proxies become an InternalError, not a throw', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const errors = validatePod({
      metadata: { name: 'p' },
      spec: {
        containers: [
          {
            name: 'c',
            get lifecycle(): never {
              throw new Error('boom');
            },
          },
        ],
      },
    });
    expect(errors.map((e) => e.message)).toContain('spec.containers[0]: Internal error: boom');
    expect(validatePod(proxy)[0]?.type).toBe('InternalError');
  });

  it('100 000 containers validate in linear time', () => {
    const containers = Array.from({ length: 100_000 }, (_, i) => ({
      name: `c${i}`,
      lifecycle: { preStop: { sleep: { seconds: 1 } } },
    }));
    const started = performance.now();
    expect(validatePod({ metadata: { name: 'big' }, spec: { containers } })).toEqual([]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
