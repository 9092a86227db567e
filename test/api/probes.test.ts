/**
 * Probe defaulting and validation (spec pod §2.1–2.2), pinned to the Kubernetes source:
 * `pkg/apis/core/v1/defaults.go` `SetDefaults_Probe` / `SetDefaults_HTTPGetAction` and
 * `pkg/apis/core/validation/validation.go` `validateProbe`, `validateLivenessProbe`,
 * `validateReadinessProbe`, `validateStartupProbe`, `validateHandler`, `validateGRPCAction`
 * (read in a ≥1.35 copy; the same functions in a ≈1.32 copy).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  applyDefaults,
  applyProbeDefaults,
  type Pod,
  PROBE_DEFAULTS,
  type Probe,
  type ProbeField,
  validatePod,
  validateProbe,
} from '../../src/api/index.js';

const exec = { exec: { command: ['true'] } };
const pod = (container: Record<string, unknown>, list = 'containers') => ({
  metadata: { name: 'p' },
  spec: {
    containers: list === 'containers' ? [{ name: 'web', ...container }] : [{ name: 'web' }],
    ...(list === 'containers' ? {} : { [list]: [{ name: 'side', ...container }] }),
  },
});
const messages = (value: unknown) => validatePod(value).map((e) => e.message);

describe('probe defaulting (spec pod §2.1, SetDefaults_Probe)', () => {
  it('defaults timeout 1, period 10, success 1, failure 3 when unset, null or 0; keeps initialDelaySeconds', () => {
    const defaulted = applyDefaults(pod({ livenessProbe: { ...exec }, readinessProbe: { ...exec, periodSeconds: 0 } }));
    const container = defaulted.spec.containers[0] as Record<string, Probe>;
    expect(container['livenessProbe']).toEqual({
      ...exec,
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    // An explicit 0 is Go's zero value: "periodSeconds: 0" means 10 (spec pod §2.1).
    expect(container['readinessProbe']?.periodSeconds).toBe(10);
    expect(container['readinessProbe']?.initialDelaySeconds).toBeUndefined();
    expect(applyProbeDefaults({ ...exec, timeoutSeconds: null, failureThreshold: 7 })).toMatchObject({
      timeoutSeconds: 1,
      failureThreshold: 7,
    });
  });

  it('keeps negative numbers (validation reports them) and never mutates its input', () => {
    const probe = Object.freeze({ ...exec, timeoutSeconds: -1 });
    expect(applyProbeDefaults(probe).timeoutSeconds).toBe(-1);
    expect(probe).toEqual({ ...exec, timeoutSeconds: -1 });
  });

  it('defaults a probe httpGet path to "/" and scheme to "HTTP", grpc service to "" (SetDefaults_HTTPGetAction)', () => {
    expect(applyProbeDefaults({ httpGet: { port: 8080 } }).httpGet).toEqual({ port: 8080, path: '/', scheme: 'HTTP' });
    expect(applyProbeDefaults({ grpc: { port: 9090 } }).grpc).toEqual({ port: 9090, service: '' });
  });

  it('defaults probes in init (sidecar) and ephemeral containers too, and the pod restartPolicy to Always', () => {
    const defaulted = applyDefaults<Pod>({
      spec: {
        containers: [{ name: 'a' }],
        initContainers: [{ name: 'b', restartPolicy: 'Always', startupProbe: { tcpSocket: { port: 1 } } }],
        ephemeralContainers: [{ name: 'c', readinessProbe: { httpGet: { port: 1 } } }],
      },
    });
    expect(defaulted.spec?.initContainers?.[0]?.startupProbe?.periodSeconds).toBe(10);
    expect(defaulted.spec?.ephemeralContainers?.[0]?.readinessProbe?.httpGet?.path).toBe('/');
    expect(defaulted.spec?.restartPolicy).toBe('Always');
    expect(applyDefaults({ spec: { containers: [], restartPolicy: '' } }).spec.restartPolicy).toBe('Always');
    expect(applyDefaults({ spec: { containers: [], restartPolicy: 'Never' } }).spec.restartPolicy).toBe('Never');
  });
});

describe('probe handler (spec pod §2.2, validateHandler with handlerFromProbe)', () => {
  it('requires a handler type; later handlers (exec, httpGet, tcpSocket, grpc) are forbidden, not validated', () => {
    expect(messages(pod({ livenessProbe: {} }))).toEqual([
      'spec.containers[0].livenessProbe: Required value: must specify a handler type',
    ]);
    expect(
      messages(pod({ readinessProbe: { exec: { command: [] }, httpGet: { port: 0 }, tcpSocket: {}, grpc: {} } })),
    ).toEqual([
      'spec.containers[0].readinessProbe.exec.command: Required value',
      'spec.containers[0].readinessProbe.httpGet: Forbidden: may not specify more than 1 handler type',
      'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
      'spec.containers[0].readinessProbe.grpc: Forbidden: may not specify more than 1 handler type',
    ]);
  });

  it('a probe has no sleep handler (handlerFromProbe copies none): sleep alone is must-specify-a-handler-type', () => {
    expect(messages(pod({ startupProbe: { sleep: { seconds: 1 } } }))).toEqual([
      'spec.containers[0].startupProbe: Required value: must specify a handler type',
    ]);
  });

  it('validates httpGet and tcpSocket ports as hooks do; named ports need not exist (ValidatePortNumOrName only)', () => {
    expect(messages(pod({ livenessProbe: { httpGet: { port: 'http' } } }))).toEqual([]);
    expect(messages(pod({ livenessProbe: { httpGet: { port: 70000 } } }))).toEqual([
      'spec.containers[0].livenessProbe.httpGet.port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
    expect(messages(pod({ livenessProbe: { tcpSocket: { port: '8080' } } }))).toEqual([
      'spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: "8080": must contain at least one letter (a-z)',
    ]);
  });

  it('grpc: the port must be 1..65535 (validateGRPCAction); service is free', () => {
    expect(messages(pod({ livenessProbe: { grpc: { port: 9090, service: 'anything goes' } } }))).toEqual([]);
    expect(messages(pod({ livenessProbe: { grpc: { port: 0 } } }))).toEqual([
      'spec.containers[0].livenessProbe.grpc.port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
    expect(messages(pod({ livenessProbe: { grpc: {} } }))).toEqual([
      'spec.containers[0].livenessProbe.grpc.port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
    expect(validatePod(pod({ livenessProbe: { grpc: { port: 'grpc' } } }))[0]?.type).toBe('FieldValueTypeInvalid');
  });
});

describe('probe numbers (spec pod §2.2, validateProbe → ValidateNonnegativeField)', () => {
  it('rejects negative numbers (must be greater than or equal to 0), in validateProbe order', () => {
    expect(
      messages(
        pod({
          readinessProbe: {
            ...exec,
            initialDelaySeconds: -1,
            timeoutSeconds: -2,
            periodSeconds: -3,
            successThreshold: -4,
            failureThreshold: -5,
          },
        }),
      ),
    ).toEqual([
      'spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0',
      'spec.containers[0].readinessProbe.timeoutSeconds: Invalid value: -2: must be greater than or equal to 0',
      'spec.containers[0].readinessProbe.periodSeconds: Invalid value: -3: must be greater than or equal to 0',
      'spec.containers[0].readinessProbe.successThreshold: Invalid value: -4: must be greater than or equal to 0',
      'spec.containers[0].readinessProbe.failureThreshold: Invalid value: -5: must be greater than or equal to 0',
    ]);
  });

  it('int32 fields: a non-integer or a value past 2^31-1 is a type error (Go cannot decode it)', () => {
    const errors = validatePod(pod({ livenessProbe: { ...exec, periodSeconds: 1.5, timeoutSeconds: 2 ** 31 } }));
    expect(errors.map((e) => [e.type, e.field])).toEqual([
      ['FieldValueTypeInvalid', 'spec.containers[0].livenessProbe.timeoutSeconds'],
      ['FieldValueTypeInvalid', 'spec.containers[0].livenessProbe.periodSeconds'],
    ]);
  });
});

describe('per-kind rules (spec pod §2.2)', () => {
  it('successThreshold must be 1 for liveness and startup (validateLivenessProbe/validateStartupProbe)', () => {
    expect(
      messages(
        pod({ livenessProbe: { ...exec, successThreshold: 2 }, startupProbe: { ...exec, successThreshold: 3 } }),
      ),
    ).toEqual([
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      'spec.containers[0].startupProbe.successThreshold: Invalid value: 3: must be 1',
    ]);
    expect(messages(pod({ readinessProbe: { ...exec, successThreshold: 3 } }))).toEqual([]);
  });

  it("readiness TGPS <= 0 gets BOTH errors: validateProbe's > 0, then validateReadinessProbe's must-not-be-set (issue 18)", () => {
    expect(messages(pod({ readinessProbe: { ...exec, terminationGracePeriodSeconds: 0 } }))).toEqual([
      'spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0',
      'spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 0: must not be set for readinessProbes',
    ]);
    expect(messages(pod({ readinessProbe: { ...exec, terminationGracePeriodSeconds: -3 } }))).toHaveLength(2);
    expect(messages(pod({ readinessProbe: { ...exec, terminationGracePeriodSeconds: 5 } }))).toEqual([
      'spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes',
    ]);
  });

  it('liveness/startup TGPS must be > 0; a larger value than the pod grace is fine', () => {
    expect(messages(pod({ startupProbe: { ...exec, terminationGracePeriodSeconds: 0 } }))).toEqual([
      'spec.containers[0].startupProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0',
    ]);
    expect(messages(pod({ livenessProbe: { ...exec, terminationGracePeriodSeconds: 3600 } }))).toEqual([]);
  });

  it('validateProbe can be called alone, with the kind deciding the rules', () => {
    expect(validateProbe({ ...exec, successThreshold: 2 }, 'readinessProbe', 'p')).toEqual([]);
    expect(validateProbe({ ...exec, successThreshold: 2 }, 'livenessProbe', 'p')[0]?.message).toBe(
      'p.successThreshold: Invalid value: 2: must be 1',
    );
    expect(validateProbe('x', 'startupProbe', 'p')[0]?.type).toBe('FieldValueTypeInvalid');
    expect(validateProbe(undefined, 'startupProbe', 'p')).toEqual([]);
  });
});

describe('where probes may appear (spec pod §2.2, validateInitContainers / validateEphemeralContainers)', () => {
  it('forbids probes on regular init containers, validates them on sidecars, forbids them on ephemeral ones', () => {
    expect(messages(pod({ livenessProbe: { ...exec } }, 'initContainers'))).toEqual([
      'spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    ]);
    expect(
      messages(pod({ restartPolicy: 'Always', livenessProbe: { ...exec, successThreshold: 2 } }, 'initContainers')),
    ).toEqual(['spec.initContainers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1']);
    expect(messages(pod({ readinessProbe: { ...exec } }, 'ephemeralContainers'))).toEqual([
      'spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container',
    ]);
  });
});

describe('probe properties (spec pod §2.1–2.2)', () => {
  const number = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer({ min: -5, max: 100 }));
  const probeArb = fc.record({
    timeoutSeconds: number,
    periodSeconds: number,
    successThreshold: number,
    failureThreshold: number,
    initialDelaySeconds: number,
  });

  test.prop([probeArb])('defaulting replaces exactly the zero values, and is idempotent', (numbers) => {
    const defaulted = applyProbeDefaults({ ...exec, ...numbers }) as Record<string, unknown>;
    for (const [field, fallback] of Object.entries(PROBE_DEFAULTS)) {
      const given = numbers[field as keyof typeof numbers];
      expect(defaulted[field]).toBe(given === undefined || given === null || given === 0 ? fallback : given);
    }
    expect(defaulted['initialDelaySeconds']).toBe(numbers.initialDelaySeconds);
    expect(applyProbeDefaults(defaulted)).toEqual(defaulted);
  });

  test.prop([probeArb, fc.constantFrom<ProbeField>('livenessProbe', 'readinessProbe', 'startupProbe')])(
    'a probe is valid iff its numbers are >= 0 and (liveness/startup) successThreshold defaults or is 1',
    (numbers, kind) => {
      const errors = validateProbe({ ...exec, ...numbers }, kind, 'p');
      const values = Object.values(numbers).filter((v): v is number => typeof v === 'number');
      const success = numbers.successThreshold;
      const successOk =
        kind === 'readinessProbe' || success === undefined || success === null || success === 0 || success === 1;
      expect(errors.length === 0).toBe(values.every((v) => v >= 0) && successOk);
    },
  );
});
