import { describe, expect, it } from 'vitest';
import { type ValidationOptions, validateLifecycle, validatePod } from '../../src/api/index.js';

const pod = (container: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
  metadata: { name: 'demo' },
  spec: { containers: [{ name: 'web', image: 'nginx', ...container }], ...spec },
});
const messages = (value: unknown, options?: ValidationOptions) =>
  validatePod(value, options).map((error) => error.message);
const lifecycle = (value: unknown, spec: Record<string, unknown> = {}, options?: ValidationOptions) =>
  messages(pod({ lifecycle: value }, spec), options);

describe('a valid pod', () => {
  it('yields no errors (spec §2)', () => {
    expect(
      lifecycle({
        postStart: { exec: { command: ['/bin/true'] } },
        preStop: { httpGet: { port: 8080, httpHeaders: [{ name: 'X-Drain', value: '1' }] } },
      }),
    ).toEqual([]);
    expect(lifecycle({ preStop: { sleep: { seconds: 30 } } })).toEqual([]);
  });
});

describe('spec §2 rule 1: exactly one handler', () => {
  it('forbids every later handler, in the order exec, httpGet, tcpSocket, sleep, without validating it', () => {
    expect(
      lifecycle({
        preStop: { sleep: { seconds: -1 }, tcpSocket: { port: 0 }, httpGet: { port: 0 }, exec: { command: ['x'] } },
      }),
    ).toMatchInlineSnapshot(`
        [
          "spec.containers[0].lifecycle.preStop.httpGet: Forbidden: may not specify more than 1 handler type",
          "spec.containers[0].lifecycle.preStop.tcpSocket: Forbidden: may not specify more than 1 handler type",
          "spec.containers[0].lifecycle.preStop.sleep: Forbidden: may not specify more than 1 handler type",
        ]
      `);
  });

  it('requires a handler type when none is set', () => {
    expect(lifecycle({ postStart: {}, preStop: { grpc: { port: 1 } } })).toMatchInlineSnapshot(`
      [
        "spec.containers[0].lifecycle.postStart: Required value: must specify a handler type",
        "spec.containers[0].lifecycle.preStop: Required value: must specify a handler type",
      ]
    `);
  });

  it('accepts tcpSocket as a handler type (it only fails at runtime, spec §5.4)', () => {
    expect(lifecycle({ preStop: { tcpSocket: { port: 'http' } } })).toEqual([]);
  });
});

describe('spec §2 rule 2: exec', () => {
  it('requires a non-empty command (no detail)', () => {
    expect(lifecycle({ preStop: { exec: {} }, postStart: { exec: { command: [] } } })).toMatchInlineSnapshot(`
      [
        "spec.containers[0].lifecycle.postStart.exec.command: Required value",
        "spec.containers[0].lifecycle.preStop.exec.command: Required value",
      ]
    `);
  });

  it('does not check empty strings inside the command', () => {
    expect(lifecycle({ preStop: { exec: { command: [''] } } })).toEqual([]);
  });
});

describe('spec §2 rule 3: httpGet', () => {
  it('rejects integer ports outside 1..65535', () => {
    expect(
      lifecycle({ preStop: { httpGet: { port: 0 } }, postStart: { httpGet: { port: 65536 } } }),
    ).toMatchInlineSnapshot(`
      [
        "spec.containers[0].lifecycle.postStart.httpGet.port: Invalid value: 65536: must be between 1 and 65535, inclusive",
        "spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive",
      ]
    `);
  });

  it('reports every port-name problem on the same path (IsValidPortName)', () => {
    expect(lifecycle({ preStop: { httpGet: { port: '-Web--port_name-x-' } } })).toMatchInlineSnapshot(`
      [
        "spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: "-Web--port_name-x-": must be no more than 15 characters",
        "spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: "-Web--port_name-x-": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        "spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: "-Web--port_name-x-": must not contain consecutive hyphens",
        "spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: "-Web--port_name-x-": must not begin or end with a hyphen",
      ]
    `);
    expect(lifecycle({ preStop: { httpGet: { port: '8080' } } })).toMatchInlineSnapshot(`
      [
        "spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: "8080": must contain at least one letter (a-z)",
      ]
    `);
    expect(lifecycle({ preStop: { httpGet: { port: 'HTTP' } } })).toMatchInlineSnapshot(`
      [
        "spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        "spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: "HTTP": must contain at least one letter (a-z)",
      ]
    `);
  });

  it('counts the port-name length in UTF-8 bytes, as Go does', () => {
    expect(lifecycle({ preStop: { httpGet: { port: 'ééééééééa' } } })).toMatchInlineSnapshot(`
      [
        "spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: "ééééééééa": must be no more than 15 characters",
        "spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: "ééééééééa": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
      ]
    `);
  });

  it('supports only HTTP and HTTPS, case-sensitively; empty defaults to HTTP', () => {
    expect(lifecycle({ preStop: { httpGet: { port: 80, scheme: 'https' } } })).toMatchInlineSnapshot(`
      [
        "spec.containers[0].lifecycle.preStop.httpGet.scheme: Unsupported value: "https": supported values: "HTTP", "HTTPS"",
      ]
    `);
    expect(lifecycle({ preStop: { httpGet: { port: 80, scheme: '' } } })).toEqual([]);
  });

  it('reports invalid header names at the unindexed httpHeaders path; values and host are free', () => {
    expect(
      lifecycle({
        preStop: {
          httpGet: {
            port: 80,
            host: 'anything at all',
            httpHeaders: [
              { name: 'Ok', value: '\n' },
              { name: 'Bad Name', value: 'v' },
              { name: '', value: '' },
            ],
          },
        },
      }),
    ).toMatchInlineSnapshot(`
      [
        "spec.containers[0].lifecycle.preStop.httpGet.httpHeaders: Invalid value: "Bad Name": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
        "spec.containers[0].lifecycle.preStop.httpGet.httpHeaders: Invalid value: "": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
      ]
    `);
  });

  it('requires path only when defaulting was skipped (validateLifecycle applies it too)', () => {
    expect(lifecycle({ preStop: { httpGet: { port: 80, path: '' } } })).toEqual([]);
  });

  it("requires the port: a missing one is Go's zero value, 0", () => {
    expect(lifecycle({ preStop: { httpGet: {} } })).toMatchInlineSnapshot(`
      [
        "spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive",
      ]
    `);
  });
});

describe('spec §2 rule 4: tcpSocket', () => {
  it('validates only the port, with the same rules', () => {
    expect(
      lifecycle({ preStop: { tcpSocket: { port: 70000 } }, postStart: { tcpSocket: { port: 'a--b' } } }),
    ).toMatchInlineSnapshot(`
      [
        "spec.containers[0].lifecycle.postStart.tcpSocket.port: Invalid value: "a--b": must not contain consecutive hyphens",
        "spec.containers[0].lifecycle.preStop.tcpSocket.port: Invalid value: 70000: must be between 1 and 65535, inclusive",
      ]
    `);
  });
});

describe('spec §2 rule 5: sleep', () => {
  it('allows 0 and seconds == terminationGracePeriodSeconds (zero sleep allowed by default)', () => {
    expect(lifecycle({ preStop: { sleep: { seconds: 0 } }, postStart: { sleep: { seconds: 30 } } })).toEqual([]);
    expect(lifecycle({ preStop: { sleep: { seconds: 10 } } }, { terminationGracePeriodSeconds: 10 })).toEqual([]);
  });

  it('rejects negative and too long sleeps at the .sleep path with the int value', () => {
    expect(
      lifecycle({ preStop: { sleep: { seconds: -1 } }, postStart: { sleep: { seconds: 31 } } }),
    ).toMatchInlineSnapshot(`
      [
        "spec.containers[0].lifecycle.postStart.sleep: Invalid value: 31: must be non-negative and less than terminationGracePeriodSeconds (30)",
        "spec.containers[0].lifecycle.preStop.sleep: Invalid value: -1: must be non-negative and less than terminationGracePeriodSeconds (30)",
      ]
    `);
  });

  it('uses the defaulted grace period (30) and an explicit one', () => {
    expect(
      lifecycle({ preStop: { sleep: { seconds: 11 } } }, { terminationGracePeriodSeconds: 10 }),
    ).toMatchInlineSnapshot(`
      [
        "spec.containers[0].lifecycle.preStop.sleep: Invalid value: 11: must be non-negative and less than terminationGracePeriodSeconds (10)",
      ]
    `);
  });

  it('with allowZeroSleep: false rejects 0 with the pre-1.34 message', () => {
    expect(lifecycle({ preStop: { sleep: { seconds: 0 } } }, {}, { allowZeroSleep: false })).toMatchInlineSnapshot(`
      [
        "spec.containers[0].lifecycle.preStop.sleep: Invalid value: 0: must be greater than 0 and less than terminationGracePeriodSeconds (30). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.",
      ]
    `);
    expect(lifecycle({ preStop: { sleep: { seconds: 1 } } }, {}, { allowZeroSleep: false })).toEqual([]);
  });

  it('treats a null grace period as unset: defaulted to 30, never "Required"', () => {
    expect(lifecycle({ preStop: { sleep: { seconds: 30 } } }, { terminationGracePeriodSeconds: null })).toEqual([]);
  });

  it('validateLifecycle skips sleep bounds when the grace period is nil, as Go does', () => {
    expect(validateLifecycle({ preStop: { sleep: { seconds: 99999 } } }, 'spec.containers[0].lifecycle')).toEqual([]);
  });
});

describe('spec §2 rule 6: init containers', () => {
  it('forbids lifecycle (and probes) without restartPolicy=Always', () => {
    expect(
      messages({
        metadata: { name: 'demo' },
        spec: {
          containers: [{ name: 'web' }],
          initContainers: [{ name: 'init', lifecycle: { preStop: { sleep: { seconds: 1 } } }, livenessProbe: {} }],
        },
      }),
    ).toMatchInlineSnapshot(`
      [
        "spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always",
        "spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
      ]
    `);
  });

  it('validates the lifecycle of sidecars (restartPolicy: Always)', () => {
    expect(
      messages({
        metadata: { name: 'demo' },
        spec: {
          containers: [{ name: 'web' }],
          initContainers: [{ name: 'proxy', restartPolicy: 'Always', lifecycle: { preStop: {} } }],
        },
      }),
    ).toMatchInlineSnapshot(`
      [
        "spec.initContainers[0].lifecycle.preStop: Required value: must specify a handler type",
      ]
    `);
  });

  // ContainerRestartRules on (1.35): validateInitContainerRestartPolicy → validateContainerRestartPolicy,
  // supportedContainerRestartPolicies as sets.List prints it (validation.go, k/k#132642).
  it('rejects an unknown init-container restartPolicy (spec pod §2.3)', () => {
    expect(
      messages({
        metadata: { name: 'demo' },
        spec: { containers: [{ name: 'web' }], initContainers: [{ name: 'i', restartPolicy: 'always' }] },
      }),
    ).toMatchInlineSnapshot(`
      [
        "spec.initContainers[0].restartPolicy: Unsupported value: "always": supported values: "Always", "Never", "OnFailure"",
      ]
    `);
  });
});

describe('spec §2 rule 7: ephemeral containers', () => {
  it('forbids lifecycle and probes', () => {
    expect(
      messages({
        metadata: { name: 'demo' },
        spec: {
          containers: [{ name: 'web' }],
          ephemeralContainers: [{ name: 'debug', lifecycle: {}, readinessProbe: {} }],
        },
      }),
    ).toMatchInlineSnapshot(`
      [
        "spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container",
        "spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container",
      ]
    `);
  });
});

describe('spec §2 rule 8: probe-level grace', () => {
  it('requires liveness/startup grace > 0 and forbids it on readiness probes', () => {
    expect(
      messages(
        pod({
          livenessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 0 },
          startupProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: -5 },
          readinessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 10 },
        }),
      ),
    ).toMatchInlineSnapshot(`
      [
        "spec.containers[0].livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0",
        "spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes",
        "spec.containers[0].startupProbe.terminationGracePeriodSeconds: Invalid value: -5: must be greater than 0",
      ]
    `);
    expect(messages(pod({ livenessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 1 } }))).toEqual(
      [],
    );
  });
});

describe('spec §2 rule 9: stopSignal', () => {
  it('is forbidden without spec.os', () => {
    expect(lifecycle({ stopSignal: 'SIGTERM' })).toMatchInlineSnapshot(`
      [
        "spec.containers[0].lifecycle.stopSignal: Forbidden: may not be set for containers with empty \`spec.os.name\`",
      ]
    `);
  });

  it('allows any enum value on Linux and rejects others', () => {
    expect(lifecycle({ stopSignal: 'SIGRTMAX-3' }, { os: { name: 'linux' } })).toEqual([]);
    const [message] = lifecycle({ stopSignal: 'SIGFOO' }, { os: { name: 'linux' } });
    expect(message).toMatch(
      /^spec\.containers\[0\]\.lifecycle\.stopSignal: Unsupported value: "SIGFOO": supported values: "SIGABRT", "SIGALRM", /,
    );
  });

  it('allows only SIGKILL and SIGTERM on Windows', () => {
    expect(lifecycle({ stopSignal: 'SIGKILL' }, { os: { name: 'windows' } })).toEqual([]);
    expect(lifecycle({ stopSignal: 'SIGINT' }, { os: { name: 'windows' } })).toMatchInlineSnapshot(`
      [
        "spec.containers[0].lifecycle.stopSignal: Unsupported value: "SIGINT": supported values: "SIGKILL", "SIGTERM"",
      ]
    `);
    // validateStopSignal has no empty check: "" is not in the set → NotSupported (validation.go
    // validateStopSignal, supportedStopSignalsWindows; issue 18, a port of Kubernetes' own tests).
    expect(lifecycle({ stopSignal: '' }, { os: { name: 'windows' } })).toMatchInlineSnapshot(`
      [
        "spec.containers[0].lifecycle.stopSignal: Unsupported value: "": supported values: "SIGKILL", "SIGTERM"",
      ]
    `);
  });

  it('reports spec.os problems last (validateOS)', () => {
    expect(lifecycle({ stopSignal: 'SIGTERM' }, { os: { name: 'Linux' } })).toMatchInlineSnapshot(`
      [
        "spec.os: Unsupported value: "Linux": supported values: "linux", "windows"",
      ]
    `);
    expect(lifecycle({}, { os: {} })).toMatchInlineSnapshot(`
      [
        "spec.os.name: Required value: cannot be empty",
      ]
    `);
  });
});
