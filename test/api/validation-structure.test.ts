import { describe, expect, it } from 'vitest';
import { assertValidPod, type ValidationOptions, validateLifecycle, validatePod } from '../../src/api/index.js';
import { LifecycleSpecError } from '../../src/api/lifecycle-spec-error.js';

// Structural checks that spec §2 rules 1–9 need: names, shapes, JSON types, the throwing API.

const pod = (container: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
  metadata: { name: 'demo' },
  spec: { containers: [{ name: 'web', image: 'nginx', ...container }], ...spec },
});
const messages = (value: unknown, options?: ValidationOptions) =>
  validatePod(value, options).map((error) => error.message);

describe('names, structure and types', () => {
  // ValidateObjectMeta with ValidatePodName (validation.go ValidatePod → apimachinery
  // ValidateObjectMetaAccessor): "name or generateName is required"; the namespace comes from the
  // request. Issue 18: decided as the API server does for a pod.
  it('requires metadata.name (or generateName) as the API server does, a DNS-1123 subdomain, and checks its type', () => {
    expect(messages({ spec: { containers: [{ name: 'web' }] } })).toEqual([
      'metadata.name: Required value: name or generateName is required',
    ]);
    expect(messages({ metadata: {}, spec: { containers: [{ name: 'web' }] } })).toEqual([
      'metadata.name: Required value: name or generateName is required',
    ]);
    expect(messages({ metadata: { name: '' }, spec: { containers: [{ name: 'web' }] } })).toHaveLength(1);
    expect(messages({ metadata: { generateName: 'web-' }, spec: { containers: [{ name: 'web' }] } })).toEqual([]);
    expect(messages({ metadata: { name: 'web-0.east' }, spec: { containers: [{ name: 'web' }] } })).toEqual([]);
    expect(messages({ metadata: { name: 'Web_0' }, spec: { containers: [{ name: 'web' }] } })).toEqual([
      "metadata.name: Invalid value: \"Web_0\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    expect(messages({ metadata: { generateName: 'Web-' }, spec: { containers: [{ name: 'web' }] } })[0]).toMatch(
      /^metadata\.generateName: Invalid value: "Web-": a lowercase RFC 1123 subdomain/,
    );
    expect(
      messages({ metadata: { name: 42 }, spec: { containers: [{ name: 'web' }] } }).map((m) => m.split(':')[0]),
    ).toEqual(['metadata.name']);
  });

  it('requires at least one container, and a spec', () => {
    expect(messages({ metadata: { name: 'demo' }, spec: { containers: [] } })).toMatchInlineSnapshot(`
      [
        "spec.containers: Required value",
      ]
    `);
    expect(messages({ metadata: { name: 'demo' } })).toMatchInlineSnapshot(`
      [
        "spec.containers: Required value",
      ]
    `);
  });

  it('requires container names that are DNS-1123 labels and unique across all lists', () => {
    expect(
      messages({
        metadata: { name: 'demo' },
        spec: {
          containers: [{ name: 'web' }, { name: 'web' }, {}, { name: 'Web_1' }, { name: 'a.b' }],
          initContainers: [{ name: 'web' }],
          ephemeralContainers: [{ name: 'web' }],
        },
      }),
    ).toMatchInlineSnapshot(`
      [
        "spec.containers[1].name: Duplicate value: "web"",
        "spec.containers[2].name: Required value",
        "spec.containers[3].name: Invalid value: "Web_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        "spec.containers[4].name: Invalid value: "a.b": must not contain dots",
        "spec.initContainers[0].name: Duplicate value: "web"",
        "spec.ephemeralContainers[0].name: Duplicate value: "web"",
      ]
    `);
  });

  it('reports wrong JSON types as FieldValueTypeInvalid at the right path', () => {
    const errors = validatePod({
      metadata: { name: 7 },
      spec: {
        terminationGracePeriodSeconds: '30',
        containers: [
          'web',
          { name: 'a', lifecycle: { preStop: { exec: { command: 'ls -l' } }, postStart: { sleep: { seconds: 1.5 } } } },
          {
            name: 'b',
            lifecycle: { preStop: { httpGet: { port: Number.NaN, scheme: 1, httpHeaders: {} } }, postStart: 'sleep' },
          },
          {
            name: 'c',
            lifecycle: {
              preStop: { sleep: { seconds: 2 ** 64 } },
              postStart: { tcpSocket: { port: true } },
              stopSignal: 15,
            },
          },
        ],
      },
    });
    expect(errors.every((error) => error.type === 'FieldValueTypeInvalid')).toBe(true);
    expect(errors.map((error) => error.message)).toMatchInlineSnapshot(`
      [
        "metadata.name: Invalid value: 7: must be of type string",
        "spec.terminationGracePeriodSeconds: Invalid value: "30": must be of type integer",
        "spec.containers[0]: Invalid value: "web": must be of type object",
        "spec.containers[1].lifecycle.postStart.sleep.seconds: Invalid value: 1.5: must be of type integer",
        "spec.containers[1].lifecycle.preStop.exec.command: Invalid value: "ls -l": must be of type array",
        "spec.containers[2].lifecycle.postStart: Invalid value: "sleep": must be of type object",
        "spec.containers[2].lifecycle.preStop.httpGet.port: Invalid value: NaN: must be of type integer",
        "spec.containers[2].lifecycle.preStop.httpGet.scheme: Invalid value: 1: must be of type string",
        "spec.containers[2].lifecycle.preStop.httpGet.httpHeaders: Invalid value: map[string]interface {}{}: must be of type array",
        "spec.containers[3].lifecycle.postStart.tcpSocket.port: Invalid value: true: must be of type integer or string",
        "spec.containers[3].lifecycle.preStop.sleep.seconds: Invalid value: 1.8446744073709552e+19: must be a safe integer (between -9007199254740991 and 9007199254740991)",
        "spec.containers[3].lifecycle.stopSignal: Invalid value: 15: must be of type string",
      ]
    `);
  });

  it('reads only own properties: __proto__ / constructor keys neither pollute nor leak in', () => {
    const text =
      '{"__proto__":{"spec":{"containers":[]}},"metadata":{"name":"demo"},"spec":{"containers":[{"name":"constructor",' +
      '"lifecycle":{"__proto__":{"preStop":{}},"postStart":{"__proto__":{"exec":{"command":[]}},"sleep":{"seconds":1}}}}]}}';
    expect(messages(JSON.parse(text))).toEqual([]);
    expect(messages({ metadata: { name: 'demo' }, spec: Object.create({ containers: [] }) })).toEqual([
      'spec.containers: Required value',
    ]);
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('spec');
    expect(({} as Record<string, unknown>)['preStop']).toBeUndefined();
  });

  it('answers a non-object with one error at <root>', () => {
    expect(messages('pod')).toMatchInlineSnapshot(`
      [
        "<root>: Invalid value: "pod": must be of type object",
      ]
    `);
  });
});

describe('assertValidPod', () => {
  it('returns the defaulted pod without touching the input', () => {
    const input = pod({ lifecycle: { preStop: { httpGet: { port: 80 } } } });
    const snapshot = structuredClone(input);
    const result = assertValidPod(input);
    expect(input).toEqual(snapshot);
    expect(result.spec?.terminationGracePeriodSeconds).toBe(30);
    expect(result.spec?.containers[0]?.lifecycle?.preStop?.httpGet).toEqual({ port: 80, path: '/', scheme: 'HTTP' });
  });

  it('throws LifecycleSpecError with every error and the API server aggregate message', () => {
    const invalidPod = pod({ lifecycle: { preStop: {}, postStart: { exec: {} } } });
    let caught: unknown;
    try {
      assertValidPod(invalidPod);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LifecycleSpecError);
    const error = caught as LifecycleSpecError;
    expect(error.code).toBe('ERR_LIFECYCLE_SPEC');
    expect(error.podName).toBe('demo');
    expect(error.errors).toHaveLength(2);
    expect(error.message).toMatchInlineSnapshot(
      `"Pod "demo" is invalid: [spec.containers[0].lifecycle.postStart.exec.command: Required value, spec.containers[0].lifecycle.preStop: Required value: must specify a handler type]"`,
    );
  });
});

describe('validateLifecycle call forms', () => {
  const lifecycle = { preStop: { sleep: { seconds: 40 } } };
  it('takes (lifecycle, fieldPath, options), (lifecycle, options) and (lifecycle) alone', () => {
    expect(
      validateLifecycle(lifecycle, 'spec.containers[0].lifecycle', { terminationGracePeriodSeconds: 30 }).map(
        (e) => e.field,
      ),
    ).toEqual(['spec.containers[0].lifecycle.preStop.sleep']);
    expect(validateLifecycle(lifecycle, { terminationGracePeriodSeconds: 30 }).map((e) => e.message)).toEqual([
      'lifecycle.preStop.sleep: Invalid value: 40: must be non-negative and less than terminationGracePeriodSeconds (30)',
    ]);
    // Without a grace period the sleep bound is not checked (spec §2 rule 5: gp nil → no sleep error).
    expect(validateLifecycle(lifecycle)).toEqual([]);
    expect(validateLifecycle({ preStop: {} }).map((e) => e.message)).toEqual([
      'lifecycle.preStop: Required value: must specify a handler type',
    ]);
  });
});
