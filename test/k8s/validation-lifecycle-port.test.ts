/**
 * Port of the lifecycle-hook cases of kubernetes/kubernetes
 * `pkg/apis/core/validation/validation_test.go` (read at atiratree/kubernetes@81b59d0f, a copy
 * newer than 1.35; the cases below are unchanged since ≈1.32, k/k@000f2605): TestValidateContainers,
 * TestValidateInitContainers, TestValidateEphemeralContainers and TestValidatePod (stop signals).
 *
 * Go's tables compare error type and field only (TestValidateInitContainers also the value); the
 * full message is pinned here from the Go functions that build it (`validateLifecycle`,
 * `validateHandler`, `validateHTTPGetAction`, `ValidatePortNumOrName`, `validateSleepAction`,
 * `validateStopSignal` in validation.go, apimachinery `field.Error.Error()`). Go calls
 * `validateContainers(…, field.NewPath("containers"))`; through the API server the path is
 * `spec.containers`, which is what `validatePod` reports. Go's unit tests run before defaulting;
 * cases that only fail without defaulting are ported on `validateHandler` (which does not default).
 */
import { describe, expect, it } from 'vitest';
import { type ValidationOptions, validateHandler, validatePod } from '../../src/api/index.js';

type Json = Record<string, unknown>;

const pod = (spec: Json): Json => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'app' }], ...spec } });
const messages = (value: unknown, options?: ValidationOptions) =>
  validatePod(value, options).map((error) => error.message);
const withLifecycle = (lifecycle: Json, list = 'containers', extra: Json = {}): Json =>
  list === 'containers'
    ? pod({ containers: [{ name: 'life-123', lifecycle, ...extra }] })
    : pod({ [list]: [{ name: 'life-123', lifecycle, ...extra }] });
const sidecar = { restartPolicy: 'Always' };
const RANGE = 'must be between 1 and 65535, inclusive';

describe('TestValidateContainers: lifecycle (spec §2 rules 1–4)', () => {
  it('TestValidateContainers successCase "life-123": preStop exec [ls -l] is valid (spec §2)', () => {
    expect(messages(withLifecycle({ preStop: { exec: { command: ['ls', '-l'] } } }))).toEqual([]);
  });

  it('TestValidateContainers successCase "container-with-stopsignal-lifecycle" (podOS linux) is valid (spec §2 rule 9)', () => {
    expect(
      messages(pod({ os: { name: 'linux' }, containers: [{ name: 'c', lifecycle: { stopSignal: 'SIGTERM' } }] })),
    ).toEqual([]);
  });

  it('TestValidateContainers "invalid lifecycle, no exec command." → Required …preStop.exec.command (spec §2 rule 2)', () => {
    expect(messages(withLifecycle({ preStop: { exec: {} } }))).toEqual([
      'spec.containers[0].lifecycle.preStop.exec.command: Required value',
    ]);
  });

  it('TestValidateContainers "invalid lifecycle, no http path." → Required …httpGet.path before defaulting (spec §2 rule 3)', () => {
    // Go validates the internal object without defaulting; validatePod defaults path to "/" first.
    expect(
      validateHandler({ httpGet: { port: 80, scheme: 'HTTP' } }, 30, 'containers[0].lifecycle.preStop').map(
        (e) => e.message,
      ),
    ).toEqual(['containers[0].lifecycle.preStop.httpGet.path: Required value']);
    expect(messages(withLifecycle({ preStop: { httpGet: { port: 80, scheme: 'HTTP' } } }))).toEqual([]);
  });

  it('TestValidateContainers "invalid lifecycle, no http port." → FieldValueInvalid: the missing port decodes as 0 (spec §2 rule 3)', () => {
    const errors = validatePod(withLifecycle({ preStop: { httpGet: { path: '/', scheme: 'HTTP' } } }));
    expect(errors.map((e) => [e.type, e.field])).toEqual([
      ['FieldValueInvalid', 'spec.containers[0].lifecycle.preStop.httpGet.port'],
    ]);
  });

  it('TestValidateContainers "invalid lifecycle, no http port." with Go\'s zero value written out (port 0) → Invalid 0 (spec §2 rule 3)', () => {
    expect(messages(withLifecycle({ preStop: { httpGet: { path: '/', scheme: 'HTTP', port: 0 } } }))).toEqual([
      `spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: 0: ${RANGE}`,
    ]);
  });

  it('TestValidateContainers "invalid lifecycle, no http scheme." → Unsupported "" before defaulting (spec §2 rule 3)', () => {
    expect(
      validateHandler({ httpGet: { path: '/', port: 80 } }, 30, 'containers[0].lifecycle.preStop').map(
        (e) => e.message,
      ),
    ).toEqual([
      'containers[0].lifecycle.preStop.httpGet.scheme: Unsupported value: "": supported values: "HTTP", "HTTPS"',
    ]);
    expect(messages(withLifecycle({ preStop: { httpGet: { path: '/', port: 80 } } }))).toEqual([]);
  });

  it('TestValidateContainers "invalid lifecycle, no tcp socket port." → Invalid 0 (spec §2 rule 4)', () => {
    expect(messages(withLifecycle({ preStop: { tcpSocket: {} } }))).toEqual([
      `spec.containers[0].lifecycle.preStop.tcpSocket.port: Invalid value: 0: ${RANGE}`,
    ]);
  });

  it('TestValidateContainers "invalid lifecycle, zero tcp socket port." → Invalid 0 (spec §2 rule 4)', () => {
    expect(messages(withLifecycle({ preStop: { tcpSocket: { port: 0 } } }))).toEqual([
      `spec.containers[0].lifecycle.preStop.tcpSocket.port: Invalid value: 0: ${RANGE}`,
    ]);
  });

  it('TestValidateContainers "invalid lifecycle, no action." → Required …preStop: must specify a handler type (spec §2 rule 1)', () => {
    expect(messages(withLifecycle({ preStop: {} }))).toEqual([
      'spec.containers[0].lifecycle.preStop: Required value: must specify a handler type',
    ]);
  });
});

describe('TestValidateInitContainers: lifecycle (spec §2 rule 6)', () => {
  it('TestValidateInitContainers successCase "container-3-restart-always-with-lifecycle-hook-and-probes": a sidecar may have hooks (spec §2 rule 6)', () => {
    const lifecycle = {
      postStart: { exec: { command: ['echo', 'post start'] } },
      preStop: { exec: { command: ['echo', 'pre stop'] } },
    };
    expect(messages(withLifecycle(lifecycle, 'initContainers', sidecar))).toEqual([]);
  });

  it('TestValidateInitContainers "uses disallowed field: Lifecycle" → Forbidden …initContainers[0].lifecycle (spec §2 rule 6)', () => {
    expect(messages(withLifecycle({ preStop: { exec: { command: ['ls', '-l'] } } }, 'initContainers'))).toEqual([
      'spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always',
    ]);
  });

  it('TestValidateInitContainers (sidecar) "invalid lifecycle, no exec command." → Required …exec.command (spec §2 rule 6)', () => {
    expect(messages(withLifecycle({ preStop: { exec: {} } }, 'initContainers', sidecar))).toEqual([
      'spec.initContainers[0].lifecycle.preStop.exec.command: Required value',
    ]);
  });

  it('TestValidateInitContainers (sidecar) "invalid lifecycle, zero tcp socket port." → Invalid 0 (spec §2 rule 6)', () => {
    expect(messages(withLifecycle({ preStop: { tcpSocket: { port: 0 } } }, 'initContainers', sidecar))).toEqual([
      `spec.initContainers[0].lifecycle.preStop.tcpSocket.port: Invalid value: 0: ${RANGE}`,
    ]);
  });

  it('TestValidateInitContainers (sidecar) "invalid lifecycle, no action." → Required …preStop (spec §2 rule 6)', () => {
    expect(messages(withLifecycle({ preStop: {} }, 'initContainers', sidecar))).toEqual([
      'spec.initContainers[0].lifecycle.preStop: Required value: must specify a handler type',
    ]);
  });

  it('TestValidateInitContainers (sidecar) "no http path." / "no http scheme." before defaulting, on validateHandler (spec §2 rule 6)', () => {
    const at = 'initContainers[0].lifecycle.preStop';
    expect(validateHandler({ httpGet: { port: 80, scheme: 'HTTP' } }, 30, at).map((e) => e.message)).toEqual([
      `${at}.httpGet.path: Required value`,
    ]);
    expect(validateHandler({ httpGet: { path: '/', port: 80 } }, 30, at).map((e) => e.message)).toEqual([
      `${at}.httpGet.scheme: Unsupported value: "": supported values: "HTTP", "HTTPS"`,
    ]);
  });
});

describe('TestValidateEphemeralContainers: lifecycle (spec §2 rule 7)', () => {
  // validateEphemeralContainers' own errors; ValidatePodCreate adds one more (see the skip below).
  const own = (value: unknown) => messages(value).filter((message) => message.startsWith('spec.ephemeralContainers['));

  it('TestValidateEphemeralContainers "Container uses disallowed field: Lifecycle" → Forbidden …lifecycle (spec §2 rule 7)', () => {
    expect(
      own(
        pod({ ephemeralContainers: [{ name: 'debug', lifecycle: { preStop: { exec: { command: ['ls', '-l'] } } } }] }),
      ),
    ).toEqual(['spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container']);
  });

  it('TestValidateEphemeralContainers "Disallowed field with other errors should only return a single Forbidden" (spec §2 rule 7)', () => {
    expect(
      own(pod({ ephemeralContainers: [{ name: 'debug', lifecycle: { preStop: { exec: { command: [] } } } }] })),
    ).toEqual(['spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container']);
  });

  it.skip('ValidatePodCreate: any ephemeral container → "spec.ephemeralContainers: Forbidden: cannot be set on create" — not reproduced: the pod spec is validated, not a create (docs/validation.md) (spec §2 rule 7)', () => {});
});

describe('TestValidatePod: stop signals (spec §2 rule 9, validateStopSignal)', () => {
  const signal = (stopSignal: string, os?: string) =>
    pod({
      ...(os === undefined ? {} : { os: { name: os } }),
      containers: [{ name: 'test-container', lifecycle: { stopSignal } }],
    });

  it('TestValidatePod successCases "Pod with valid StopSignal and valid OS" / "(Windows)": SIGTERM is valid (spec §2 rule 9)', () => {
    expect(messages(signal('SIGTERM', 'linux'))).toEqual([]);
    expect(messages(signal('SIGTERM', 'windows'))).toEqual([]);
  });

  it('TestValidatePod "Pod with a StopSignal without `spec.os.name`" → Forbidden', () => {
    expect(messages(signal('SIGTERM'))).toEqual([
      'spec.containers[0].lifecycle.stopSignal: Forbidden: may not be set for containers with empty `spec.os.name`',
    ]);
  });

  it('TestValidatePod "Pod with a StopSignal not supported by OS" (windows, SIGHUP) → Unsupported (spec §2 rule 9)', () => {
    expect(messages(signal('SIGHUP', 'windows'))).toEqual([
      'spec.containers[0].lifecycle.stopSignal: Unsupported value: "SIGHUP": supported values: "SIGKILL", "SIGTERM"',
    ]);
  });
});

describe('validateHandler / validateSleepAction, from validation.go (no Go table case located; spec §2 rules 1, 5)', () => {
  it('handlerFromLifecycle: later handlers (order exec, httpGet, tcpSocket, sleep) are Forbidden and not validated (spec §2)', () => {
    expect(
      messages(
        withLifecycle({
          postStart: { sleep: { seconds: -1 }, tcpSocket: { port: 0 }, httpGet: { port: 0 }, exec: { command: ['x'] } },
        }),
      ),
    ).toEqual([
      'spec.containers[0].lifecycle.postStart.httpGet: Forbidden: may not specify more than 1 handler type',
      'spec.containers[0].lifecycle.postStart.tcpSocket: Forbidden: may not specify more than 1 handler type',
      'spec.containers[0].lifecycle.postStart.sleep: Forbidden: may not specify more than 1 handler type',
    ]);
  });

  it('validateSleepAction (1.35: AllowPodLifecycleSleepActionZeroValue locked on): 0 ≤ seconds ≤ gp; path …sleep (spec §2)', () => {
    expect(
      messages(withLifecycle({ preStop: { sleep: { seconds: 0 } }, postStart: { sleep: { seconds: 30 } } })),
    ).toEqual([]);
    expect(
      messages(withLifecycle({ preStop: { sleep: { seconds: 31 } }, postStart: { sleep: { seconds: -1 } } })),
    ).toEqual([
      'spec.containers[0].lifecycle.postStart.sleep: Invalid value: -1: must be non-negative and less than terminationGracePeriodSeconds (30)',
      'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 31: must be non-negative and less than terminationGracePeriodSeconds (30)',
    ]);
    expect(
      messages(
        pod({
          terminationGracePeriodSeconds: 5,
          containers: [{ name: 'c', lifecycle: { preStop: { sleep: { seconds: 6 } } } }],
        }),
      ),
    ).toEqual([
      'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 6: must be non-negative and less than terminationGracePeriodSeconds (5)',
    ]);
  });

  it('validateSleepAction without the zero-value option (the pre-1.34 branch) rejects 0 with the gate hint (spec §2)', () => {
    expect(messages(withLifecycle({ preStop: { sleep: { seconds: 0 } } }), { allowZeroSleep: false })).toEqual([
      'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 0: must be greater than 0 and less than terminationGracePeriodSeconds (30). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.',
    ]);
  });
});
