import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  aggregateMessage,
  applyDefaults,
  assertValidPod,
  type Container,
  type FieldError,
  type Lifecycle,
  LifecycleSpecError,
  type Pod,
  validateLifecycle,
  validatePod,
} from '../../src/index.js';

const pod = (lifecycle: unknown, extra: Record<string, unknown> = {}, specExtra: Record<string, unknown> = {}) => ({
  metadata: { name: 'p', namespace: 'ns' },
  spec: { containers: [{ name: 'web', image: 'x', lifecycle, ...extra }], ...specExtra },
});
const messages = (errors: FieldError[]) => errors.map((e) => e.message);
const P = 'spec.containers[0].lifecycle';

describe('DESIGN §7 validatePod never throws, whatever it is given', () => {
  const garbage: Array<[string, unknown]> = [
    ['undefined', undefined],
    ['null', null],
    ['number', 42],
    ['string', 'pod'],
    ['array', []],
    ['function', () => 1],
    ['spec string', { spec: 'x' }],
    ['containers object', { spec: { containers: { a: 1 } } }],
    ['container null', { spec: { containers: [null] } }],
    ['lifecycle array', pod([])],
    ['handler number', pod({ preStop: 5 })],
    ['exec string', pod({ preStop: { exec: 'ls' } })],
    ['command numbers', pod({ preStop: { exec: { command: [1, 2] } } })],
    ['port object', pod({ preStop: { httpGet: { port: {} } } })],
    ['port NaN', pod({ preStop: { httpGet: { port: NaN } } })],
    ['port 2**64', pod({ preStop: { httpGet: { port: 2 ** 64 } } })],
    ['headers non-array', pod({ preStop: { httpGet: { port: 80, httpHeaders: 'x' } } })],
    ['sleep string', pod({ preStop: { sleep: { seconds: '5' } } })],
    ['tgps string', pod(undefined, {}, { terminationGracePeriodSeconds: 'x' })],
    ['symbol', Symbol('x')],
    ['bigint', 10n],
  ];
  for (const [label, input] of garbage) {
    it(`garbage: ${label}`, () => {
      let errors: FieldError[] = [];
      expect(() => {
        errors = validatePod(input);
      }).not.toThrow();
      expect(Array.isArray(errors)).toBe(true);
    });
  }

  it('hostile inputs: cyclic objects, throwing getters, revoked proxies', () => {
    const cyclic: Record<string, unknown> = { metadata: { name: 'p' } };
    cyclic['spec'] = {
      containers: [{ name: 'web', lifecycle: { preStop: { exec: { command: ['x'] } } } }],
      self: cyclic,
    };
    const getter = {
      metadata: { name: 'p' },
      spec: {
        get containers() {
          throw new Error('trap');
        },
      },
    };
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const hostileContainer = {
      metadata: { name: 'p' },
      spec: {
        containers: [
          new Proxy(
            {},
            {
              get() {
                throw new Error('x');
              },
              ownKeys() {
                throw new Error('y');
              },
            },
          ),
        ],
      },
    };
    for (const input of [cyclic, getter, proxy, { metadata: { name: 'p' }, spec: proxy }, hostileContainer]) {
      expect(() => validatePod(input)).not.toThrow();
      expect(Array.isArray(validatePod(input))).toBe(true);
    }
    expect(validatePod(cyclic)).toEqual([]);
  });

  test.prop(
    [
      fc.anything({
        withBigInt: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withTypedArray: true,
        withNullPrototype: true,
      }),
    ],
    { numRuns: 300 },
  )('fc.anything() never throws; results are FieldErrors', (input) => {
    const errors = validatePod(input);
    for (const e of errors) expect(Object.keys(e).sort()).toEqual(['badValue', 'detail', 'field', 'message', 'type']);
  });

  test.prop([fc.anything()], { numRuns: 200 })('random lifecycle garbage never throws (validateLifecycle)', (lc) => {
    expect(() => validateLifecycle(lc, P, { terminationGracePeriodSeconds: 30, osName: 'linux' })).not.toThrow();
    expect(() => validatePod(pod(lc))).not.toThrow();
  });

  it('never writes to its input', () => {
    const input = pod({ preStop: { httpGet: { port: 80 } } });
    const before = JSON.stringify(input);
    validatePod(input);
    applyDefaults(input);
    expect(JSON.stringify(input)).toBe(before);
  });
});

describe('FieldError shape and exact messages (DESIGN §7, spec §2 [FE])', () => {
  it('httpGet port 0: the pinned example, every FieldError field', () => {
    const [e, ...rest] = validatePod(pod({ preStop: { httpGet: { port: 0 } } }));
    expect(rest).toEqual([]);
    expect(e).toEqual({
      type: 'FieldValueInvalid',
      field: `${P}.preStop.httpGet.port`,
      badValue: 0,
      detail: 'must be between 1 and 65535, inclusive',
      message: `${P}.preStop.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive`,
    });
  });

  it('port 65536 invalid; 1 and 65535 valid (spec §2.3)', () => {
    expect(messages(validatePod(pod({ preStop: { httpGet: { port: 65536 } } })))).toEqual([
      `${P}.preStop.httpGet.port: Invalid value: 65536: must be between 1 and 65535, inclusive`,
    ]);
    expect(validatePod(pod({ preStop: { httpGet: { port: 1 } }, postStart: { httpGet: { port: 65535 } } }))).toEqual(
      [],
    );
  });

  it('named ports: IANA_SVC_NAME rules, several errors on one path, strings Go-quoted (spec §2.3)', () => {
    const m = (port: string) => messages(validatePod(pod({ preStop: { httpGet: { port } } })));
    const F = `${P}.preStop.httpGet.port`;
    expect(m('8080')).toEqual([`${F}: Invalid value: "8080": must contain at least one letter (a-z)`]);
    expect(m('HTTP')).toEqual([
      `${F}: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
      `${F}: Invalid value: "HTTP": must contain at least one letter (a-z)`, // Go's one-letter regexp is [a-z]
    ]);
    expect(m('a--b')).toEqual([`${F}: Invalid value: "a--b": must not contain consecutive hyphens`]);
    expect(m('-ab')).toEqual([`${F}: Invalid value: "-ab": must not begin or end with a hyphen`]);
    expect(m('abcdefghijklmnop')).toEqual([
      `${F}: Invalid value: "abcdefghijklmnop": must be no more than 15 characters`,
    ]);
    expect(m('http-admin')).toEqual([]);
    expect(m('-1234567890123456').length).toBeGreaterThanOrEqual(3);
  });

  it('scheme must be HTTP or HTTPS exactly: FieldValueNotSupported (spec §2.3)', () => {
    const errors = validatePod(pod({ preStop: { httpGet: { port: 80, scheme: 'http' } } }));
    expect(errors).toMatchObject([
      { type: 'FieldValueNotSupported', field: `${P}.preStop.httpGet.scheme`, badValue: 'http' },
    ]);
    expect(errors[0]?.message).toBe(
      `${P}.preStop.httpGet.scheme: Unsupported value: "http": supported values: "HTTP", "HTTPS"`,
    );
  });

  it('header names: Invalid at httpHeaders (not indexed) with the regex detail (spec §2.3)', () => {
    const errors = validatePod(
      pod({
        preStop: {
          httpGet: {
            port: 80,
            httpHeaders: [
              { name: 'Ok', value: '' },
              { name: 'X_Bad', value: 'v' },
            ],
          },
        },
      }),
    );
    expect(messages(errors)).toEqual([
      `${P}.preStop.httpGet.httpHeaders: Invalid value: "X_Bad": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')`,
    ]);
  });

  it('exec.command empty → Required value without detail (spec §2.2); empty strings inside not checked', () => {
    expect(validatePod(pod({ preStop: { exec: { command: [] } } }))).toMatchObject([
      {
        type: 'FieldValueRequired',
        field: `${P}.preStop.exec.command`,
        detail: '',
        message: `${P}.preStop.exec.command: Required value`,
      },
    ]);
    expect(validatePod(pod({ preStop: { exec: { command: [''] } } }))).toEqual([]);
  });

  it('no handler → Required "must specify a handler type" (spec §2.1)', () => {
    expect(messages(validatePod(pod({ preStop: {} })))).toEqual([
      `${P}.preStop: Required value: must specify a handler type`,
    ]);
  });

  it('later handlers are Forbidden and not validated themselves, order exec, httpGet, tcpSocket, sleep (spec §2.1)', () => {
    const errors = validatePod(
      pod({ postStart: { sleep: { seconds: -1 }, httpGet: { port: 0 }, exec: { command: ['x'] } } }),
    );
    expect(messages(errors)).toEqual([
      `${P}.postStart.httpGet: Forbidden: may not specify more than 1 handler type`,
      `${P}.postStart.sleep: Forbidden: may not specify more than 1 handler type`,
    ]);
    expect(errors[0]?.type).toBe('FieldValueForbidden');
    // the first non-nil one IS validated
    expect(messages(validatePod(pod({ preStop: { httpGet: { port: 0 }, tcpSocket: { port: 80 } } })))).toEqual([
      `${P}.preStop.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive`,
      `${P}.preStop.tcpSocket: Forbidden: may not specify more than 1 handler type`,
    ]);
  });

  it('tcpSocket is a valid handler type; its port is validated (spec §2.1, §2.4, §9.14)', () => {
    expect(validatePod(pod({ preStop: { tcpSocket: { port: 80 } } }))).toEqual([]);
    expect(messages(validatePod(pod({ preStop: { tcpSocket: { port: '8080' } } })))).toEqual([
      `${P}.preStop.tcpSocket.port: Invalid value: "8080": must contain at least one letter (a-z)`,
    ]);
  });
});

describe('spec §2.5 sleep rules', () => {
  it('seconds == TGPS is valid despite the "less than" text; TGPS + 1 is not (spec §2.5, §9.16)', () => {
    expect(
      validatePod(pod({ preStop: { sleep: { seconds: 45 } } }, {}, { terminationGracePeriodSeconds: 45 })),
    ).toEqual([]);
    expect(
      validatePod(pod({ preStop: { sleep: { seconds: 46 } } }, {}, { terminationGracePeriodSeconds: 45 })),
    ).toEqual([
      {
        type: 'FieldValueInvalid',
        field: `${P}.preStop.sleep`,
        badValue: 46,
        detail: 'must be non-negative and less than terminationGracePeriodSeconds (45)',
        message: `${P}.preStop.sleep: Invalid value: 46: must be non-negative and less than terminationGracePeriodSeconds (45)`,
      },
    ]);
  });

  it('the bound is the defaulted TGPS (30) and applies to postStart too (spec §2 defaulting, §2.5)', () => {
    expect(messages(validatePod(pod({ postStart: { sleep: { seconds: 31 } } })))).toEqual([
      `${P}.postStart.sleep: Invalid value: 31: must be non-negative and less than terminationGracePeriodSeconds (30)`,
    ]);
    expect(validatePod(pod({ postStart: { sleep: { seconds: 30 } } }))).toEqual([]);
  });

  it('negative invalid; zero valid by default (1.34+)', () => {
    expect(messages(validatePod(pod({ preStop: { sleep: { seconds: -1 } } })))).toEqual([
      `${P}.preStop.sleep: Invalid value: -1: must be non-negative and less than terminationGracePeriodSeconds (30)`,
    ]);
    expect(validatePod(pod({ preStop: { sleep: { seconds: 0 } } }))).toEqual([]);
  });

  it('allowZeroSleep: false rejects 0 with the pre-1.34 message (spec §2.5)', () => {
    expect(messages(validatePod(pod({ preStop: { sleep: { seconds: 0 } } }), { allowZeroSleep: false }))).toEqual([
      `${P}.preStop.sleep: Invalid value: 0: must be greater than 0 and less than terminationGracePeriodSeconds (30). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
    ]);
  });

  it('validateLifecycle without a TGPS does not check sleep bounds (nil grace, spec §2.5)', () => {
    expect(validateLifecycle({ preStop: { sleep: { seconds: 999 } } }, P)).toEqual([]);
    expect(
      messages(validateLifecycle({ preStop: { sleep: { seconds: 40 } } }, P, { terminationGracePeriodSeconds: 30 })),
    ).toEqual([
      `${P}.preStop.sleep: Invalid value: 40: must be non-negative and less than terminationGracePeriodSeconds (30)`,
    ]);
  });
});

describe('spec §2.6–2.9 where lifecycle is allowed, probe grace, stopSignal', () => {
  it('init container without restartPolicy Always: Forbidden at the lifecycle (spec §2.6); sidecars allowed', () => {
    const lc: Lifecycle = { preStop: { exec: { command: ['x'] } } };
    const p = {
      metadata: { name: 'p' },
      spec: {
        containers: [{ name: 'web' }],
        initContainers: [
          { name: 'init', lifecycle: lc },
          { name: 'side', restartPolicy: 'Always', lifecycle: lc },
        ],
      },
    };
    expect(messages(validatePod(p))).toEqual([
      'spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always',
    ]);
  });

  it('ephemeral container: Forbidden "cannot be set for an Ephemeral Container" (spec §2.7)', () => {
    const p = {
      metadata: { name: 'p' },
      spec: {
        containers: [{ name: 'web' }],
        ephemeralContainers: [{ name: 'dbg', lifecycle: { preStop: { exec: { command: ['x'] } } } }],
      },
    };
    expect(messages(validatePod(p))).toEqual([
      'spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container',
    ]);
  });

  it('probe grace: liveness <= 0 invalid, readiness must not be set (spec §2.8)', () => {
    expect(
      messages(
        validatePod(
          pod(undefined, { livenessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 0 } }),
        ),
      ),
    ).toEqual([
      'spec.containers[0].livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0',
    ]);
    expect(
      messages(
        validatePod(
          pod(undefined, { readinessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 10 } }),
        ),
      ),
    ).toEqual([
      'spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes',
    ]);
  });

  it('stopSignal needs spec.os.name; windows only SIGTERM/SIGKILL (spec §2.9, strings unverified upstream)', () => {
    expect(validatePod(pod({ stopSignal: 'SIGTERM' }))).toMatchObject([
      { type: 'FieldValueForbidden', field: `${P}.stopSignal` },
    ]);
    expect(validatePod(pod({ stopSignal: 'SIGUSR1' }, {}, { os: { name: 'linux' } }))).toEqual([]);
    expect(validatePod(pod({ stopSignal: 'SIGUSR1' }, {}, { os: { name: 'windows' } })).length).toBe(1);
    expect(validatePod(pod({ stopSignal: 'SIGKILL' }, {}, { os: { name: 'windows' } }))).toEqual([]);
  });
});

describe('LifecycleSpecError and aggregate (DESIGN §6, spec §2)', () => {
  it('assertValidPod throws LifecycleSpecError with every FieldError and the API server aggregate message', () => {
    const p = pod({ preStop: { httpGet: { port: 0 } }, postStart: {} });
    const errors = validatePod(p);
    expect(errors).toHaveLength(2);
    let thrown: unknown;
    try {
      assertValidPod(p);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(LifecycleSpecError);
    expect((thrown as LifecycleSpecError).errors).toEqual(errors);
    expect((thrown as LifecycleSpecError).message).toBe(
      `Pod "p" is invalid: [${errors.map((e) => e.message).join(', ')}]`,
    );
    expect(aggregateMessage('p', [errors[0]!])).toBe(`Pod "p" is invalid: ${errors[0]!.message}`);
  });

  it('defaulting: TGPS 30, path "/", scheme "HTTP"; explicit values kept (spec §2)', () => {
    const c: Container = {
      name: 'web',
      lifecycle: {
        preStop: { httpGet: { port: 80 } },
        postStart: { httpGet: { port: 81, path: '/x', scheme: 'HTTPS' } },
      },
    };
    const d = applyDefaults<Pod>({ metadata: { name: 'p' }, spec: { containers: [c] } });
    expect(d.spec?.terminationGracePeriodSeconds).toBe(30);
    expect(d.spec?.containers[0]?.lifecycle?.preStop?.httpGet).toMatchObject({ path: '/', scheme: 'HTTP' });
    expect(d.spec?.containers[0]?.lifecycle?.postStart?.httpGet).toMatchObject({ path: '/x', scheme: 'HTTPS' });
    expect(
      applyDefaults({ spec: { containers: [] as Container[], terminationGracePeriodSeconds: 0 } }).spec
        .terminationGracePeriodSeconds,
    ).toBe(0);
  });
});
