/**
 * Issue 18 "Fidelity to the API server" and "Bounded work on hostile input", for the API model.
 * Sources: `pkg/apis/core/validation/validation.go` `validateStopSignal` (≥1.35 copy: no empty
 * check, `field.NotSupported` with `sets.List(supportedStopSignalsLinux)`), Go's `encoding/json`
 * (a missing field keeps its zero value), `validateSleepAction`.
 */
import { describe, expect, it } from 'vitest';
import {
  applyDefaults,
  type Container,
  LINUX_STOP_SIGNALS,
  MAX_CONTAINERS_PER_LIST,
  MAX_LIST_ITEMS,
  type Pod,
  validatePod,
} from '../../src/api/index.js';

const messages = (value: unknown, options = {}) => validatePod(value, options).map((e) => e.message);
const withLifecycle = (lifecycle: unknown, spec: Record<string, unknown> = {}) => ({
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'web', lifecycle }], ...spec },
});

describe('fidelity (issue 18)', () => {
  it('stopSignal empty on Linux is NotSupported with the whole sorted list, not Required (validateStopSignal)', () => {
    const [message, ...rest] = messages(withLifecycle({ stopSignal: '' }, { os: { name: 'linux' } }));
    expect(rest).toEqual([]);
    expect(message).toBe(
      `spec.containers[0].lifecycle.stopSignal: Unsupported value: "": supported values: ${LINUX_STOP_SIGNALS.map((s) => `"${s}"`).join(', ')}`,
    );
    expect(LINUX_STOP_SIGNALS).toHaveLength(65);
    expect(LINUX_STOP_SIGNALS.slice(0, 3)).toEqual(['SIGABRT', 'SIGALRM', 'SIGBUS']);
  });

  it('sleep: {} decodes seconds as Go would (0): valid since 1.34, the pre-1.34 message otherwise', () => {
    expect(messages(withLifecycle({ preStop: { sleep: {} } }))).toEqual([]);
    expect(messages(withLifecycle({ preStop: { sleep: { seconds: null } } }))).toEqual([]);
    expect(messages(withLifecycle({ preStop: { sleep: {} } }), { allowZeroSleep: false })).toEqual([
      'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 0: must be greater than 0 and less than terminationGracePeriodSeconds (30). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.',
    ]);
  });

  it('a missing port decodes as Go would (0): Invalid value: 0 (spec §2 rule 3)', () => {
    expect(messages(withLifecycle({ preStop: { httpGet: {} } }))).toEqual([
      'spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
    expect(messages(withLifecycle({ preStop: { tcpSocket: { port: null } } }))).toEqual([
      'spec.containers[0].lifecycle.preStop.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
  });
});

describe('bounded work on hostile input (issue 18)', () => {
  it('a container list claiming length 2^32-1 (new Array) is one TooMany, answered at once', () => {
    const started = performance.now();
    const errors = validatePod({ metadata: { name: 'p' }, spec: { containers: new Array(2 ** 32 - 1) } });
    expect(errors.map((e) => e.message)).toEqual([
      `spec.containers: Too many: 4294967295: must have at most ${MAX_CONTAINERS_PER_LIST} items`,
    ]);
    const defaulted = applyDefaults({ spec: { initContainers: new Array(2 ** 32 - 1), containers: [] } });
    expect(defaulted.spec.initContainers).toHaveLength(2 ** 32 - 1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('huge sparse inner lists (command, headers, rules, exit codes) are TooMany too', () => {
    const huge = new Array(2 ** 31);
    const errors = validatePod({
      metadata: { name: 'p' },
      spec: {
        containers: [
          {
            name: 'web',
            lifecycle: { postStart: { exec: { command: huge } }, preStop: { httpGet: { port: 1, httpHeaders: huge } } },
            restartPolicy: 'Never',
            restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values: huge } }],
          },
        ],
      },
    });
    expect(errors.map((e) => [e.type, e.field])).toEqual([
      ['FieldValueTooMany', 'spec.containers[0].lifecycle.postStart.exec.command'],
      ['FieldValueTooMany', 'spec.containers[0].lifecycle.preStop.httpGet.httpHeaders'],
      ['FieldValueTooMany', 'spec.containers[0].restartPolicyRules[0].exitCodes.values'],
    ]);
    expect(errors[0]?.message).toContain(`must have at most ${MAX_LIST_ITEMS} items`);
  });

  it('many containers sharing one long list stay bounded by the per-pod budget (MAX_LIST_ITEMS_PER_POD)', () => {
    const command = new Array<string>(MAX_LIST_ITEMS).fill('x');
    const containers = Array.from({ length: 100 }, (_, i) => ({
      name: `c${i}`,
      lifecycle: { preStop: { exec: { command } } },
    }));
    const started = performance.now();
    const errors = validatePod({ metadata: { name: 'p' }, spec: { containers } });
    expect(performance.now() - started).toBeLessThan(5_000);
    // 1 000 000 items: the container list (100) and 9 commands fit (900 100); commands 9..99 are TooMany.
    const tooMany = errors.filter((e) => e.type === 'FieldValueTooMany');
    expect(tooMany).toHaveLength(91);
    expect(tooMany[0]?.field).toBe('spec.containers[9].lifecycle.preStop.exec.command');
    expect(errors).toHaveLength(91);
  }, 20_000);

  it('a sparse list is one TypeInvalid at the list, found at its first hole', () => {
    const containers = new Array(3);
    containers[1] = { name: 'web' };
    const errors = validatePod({ metadata: { name: 'p' }, spec: { containers } });
    expect(errors.map((e) => [e.type, e.field, e.detail])).toEqual([
      ['FieldValueTypeInvalid', 'spec.containers', 'must not have holes (a sparse array cannot come from JSON)'],
    ]);
    const started = performance.now();
    validatePod(withLifecycle({ preStop: { exec: { command: new Array(MAX_LIST_ITEMS) } } }));
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('deep nesting in any slot neither throws nor overflows the stack', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep, b: [deep] };
    const slots = [
      { metadata: { name: deep }, spec: { containers: [{ name: 'web' }] } },
      withLifecycle({ preStop: { exec: { command: [deep] } } }),
      withLifecycle(deep),
      { metadata: { name: 'p' }, spec: { containers: [{ name: 'web', livenessProbe: { grpc: { port: deep } } }] } },
      {
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'web', restartPolicy: 'Never', restartPolicyRules: [deep] }] },
      },
    ];
    for (const slot of slots) {
      expect(() => validatePod(slot)).not.toThrow();
      expect(validatePod(slot).every((e) => typeof e.message === 'string')).toBe(true);
      expect(() => applyDefaults(slot)).not.toThrow();
    }
  });
});

describe('types accept readonly input and "| undefined" (issue 18, exactOptionalPropertyTypes)', () => {
  it('an as-const pod and explicit undefined fields compile without casts', () => {
    const frozen = {
      metadata: { name: 'web', namespace: undefined },
      spec: {
        restartPolicy: 'OnFailure',
        containers: [
          {
            name: 'web',
            command: ['/bin/app', '--serve'],
            restartPolicy: 'Never',
            restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values: [42] } }],
            livenessProbe: { grpc: { port: 9090, service: undefined }, periodSeconds: 5 },
            readinessProbe: { httpGet: { port: 'http', path: '/ready', httpHeaders: [{ name: 'A', value: 'b' }] } },
            lifecycle: { preStop: { sleep: { seconds: 5 } }, stopSignal: undefined },
          },
        ],
        initContainers: undefined,
      },
    } as const;
    const pod: Pod = frozen;
    const containers: readonly Container[] = frozen.spec.containers;
    expect(validatePod(pod)).toEqual([]);
    expect(containers).toHaveLength(1);
  });
});
