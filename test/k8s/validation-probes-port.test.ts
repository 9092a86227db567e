/**
 * Port of the probe cases of kubernetes/kubernetes `pkg/apis/core/validation/validation_test.go`
 * (atiratree/kubernetes@81b59d0f, newer than 1.35; same cases in k/k@000f2605 ≈1.32):
 * TestValidateProbe, Test_validateProbe, TestValidateHandler and the probe rows of
 * TestValidateContainers, TestValidateInitContainers and TestValidateEphemeralContainers.
 *
 * Go's generic `validateProbe` (handler, five non-negative numbers, probe grace > 0) is shared by
 * `validateLivenessProbe`/`validateStartupProbe` (+ successThreshold 1) and `validateReadinessProbe`
 * (+ grace must not be set). Here the generic rows run on `validateProbe(…, 'readinessProbe', …)`
 * when they set no probe grace and on `'livenessProbe'` when they do, so the kind-specific check
 * adds nothing. TestValidateHandler calls `validateHandler(handlerFromProbe(&h), …)` on undefaulted
 * handlers: ported on `validateHandlerFields(…, PROBE_HANDLER_FIELDS, …)`, which does not default.
 * Messages are pinned from validation.go and apimachinery (`ValidateNonnegativeField`,
 * `IsValidPortNum`, `IsValidPortName`, `IsHTTPHeaderName`). Spec pod §2.2.
 */
import { describe, expect, it } from 'vitest';
import {
  PROBE_HANDLER_FIELDS,
  type ProbeField,
  validateHandlerFields,
  validatePod,
  validateProbe,
} from '../../src/api/index.js';

type Json = Record<string, unknown>;

const exec = { exec: { command: ['echo'] } };
const tcp80 = { tcpSocket: { port: 80 } };
const NON_NEGATIVE = 'must be greater than or equal to 0';
const HEADER =
  "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')";
const SCHEME = 'Unsupported value: "": supported values: "HTTP", "HTTPS"';

const probe = (value: unknown, kind: ProbeField, path = 'field') =>
  validateProbe(value, kind, path).map((e) => e.message);
const messages = (value: unknown) => validatePod(value).map((e) => e.message);
const inList = (list: string, container: Json): Json => ({
  metadata: { name: 'p' },
  spec: list === 'containers' ? { containers: [container] } : { containers: [{ name: 'app' }], [list]: [container] },
});

describe('TestValidateProbe (spec pod §2.2)', () => {
  const fields = ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'];

  it('TestValidateProbe successCases: nil, and each of the five numbers set to 10 (spec pod §2.2)', () => {
    expect(probe(undefined, 'readinessProbe')).toEqual([]);
    for (const field of fields) expect(probe({ ...exec, [field]: 10 }, 'readinessProbe')).toEqual([]);
  });

  it('TestValidateProbe errorCases: no handler; each number set to -10 (spec pod §2.2)', () => {
    expect(probe({ timeoutSeconds: 10, initialDelaySeconds: 10 }, 'readinessProbe')).toEqual([
      'field: Required value: must specify a handler type',
    ]);
    for (const field of fields) {
      expect(probe({ ...exec, [field]: -10 }, 'readinessProbe')).toEqual([
        `field.${field}: Invalid value: -10: ${NON_NEGATIVE}`,
      ]);
    }
  });
});

describe('Test_validateProbe (spec pod §2.2)', () => {
  it('Test_validateProbe: empty probe → Required test: must specify a handler type; exec echo → no error', () => {
    expect(probe({}, 'readinessProbe', 'test')).toEqual(['test: Required value: must specify a handler type']);
    expect(probe(exec, 'readinessProbe', 'test')).toEqual([]);
  });

  it('Test_validateProbe: each number at -1 → one Invalid "must be greater than or equal to 0" (spec pod §2.2)', () => {
    for (const field of [
      'initialDelaySeconds',
      'timeoutSeconds',
      'periodSeconds',
      'successThreshold',
      'failureThreshold',
    ]) {
      expect(probe({ ...exec, [field]: -1 }, 'readinessProbe', 'test')).toEqual([
        `test.${field}: Invalid value: -1: ${NON_NEGATIVE}`,
      ]);
    }
  });

  it('Test_validateProbe: terminationGracePeriodSeconds -1 and 0 → "must be greater than 0"; 1 is valid (spec pod §2.2)', () => {
    for (const grace of [-1, 0]) {
      expect(probe({ ...exec, terminationGracePeriodSeconds: grace }, 'livenessProbe', 'test')).toEqual([
        `test.terminationGracePeriodSeconds: Invalid value: ${grace}: must be greater than 0`,
      ]);
    }
    expect(probe({ ...exec, terminationGracePeriodSeconds: 1 }, 'livenessProbe', 'test')).toEqual([]);
  });
});

describe('TestValidateHandler (probe handlers, before defaulting; spec pod §2.2, spec §2 rule 3)', () => {
  const handler = (value: Json) =>
    validateHandlerFields(value, PROBE_HANDLER_FIELDS, 30, 'field').map((e) => e.message);

  it('TestValidateHandler successCases (6): exec, httpGet ports 1/65535/"port", Host and repeated headers (spec pod §2.2)', () => {
    const cases: Json[] = [
      exec,
      { httpGet: { path: '/', port: 1, host: '', scheme: 'HTTP' } },
      { httpGet: { path: '/foo', port: 65535, host: 'host', scheme: 'HTTP' } },
      { httpGet: { path: '/', port: 'port', host: '', scheme: 'HTTP' } },
      {
        httpGet: { path: '/', port: 'port', scheme: 'HTTP', httpHeaders: [{ name: 'Host', value: 'foo.example.com' }] },
      },
      {
        httpGet: {
          path: '/',
          port: 'port',
          scheme: 'HTTP',
          httpHeaders: [
            { name: 'X-Forwarded-For', value: '1.2.3.4' },
            { name: 'X-Forwarded-For', value: '5.6.7.8' },
          ],
        },
      },
    ];
    for (const value of cases) expect(handler(value)).toEqual([]);
  });

  it('TestValidateHandler errorCases 1–2: {} → Required; exec with empty command → Required command (spec pod §2.2)', () => {
    expect(handler({})).toEqual(['field: Required value: must specify a handler type']);
    expect(handler({ exec: { command: [] } })).toEqual(['field.exec.command: Required value']);
  });

  it('TestValidateHandler errorCases 3–5: empty path, ports 0 / 65536 / "", no scheme (spec pod §2.2)', () => {
    expect(handler({ httpGet: { path: '', port: 0, host: '' } })).toEqual([
      'field.httpGet.path: Required value',
      'field.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
      `field.httpGet.scheme: ${SCHEME}`,
    ]);
    expect(handler({ httpGet: { path: '/foo', port: 65536, host: 'host' } })).toEqual([
      'field.httpGet.port: Invalid value: 65536: must be between 1 and 65535, inclusive',
      `field.httpGet.scheme: ${SCHEME}`,
    ]);
    expect(handler({ httpGet: { path: '', port: '', host: '' } })).toEqual([
      'field.httpGet.path: Required value',
      'field.httpGet.port: Invalid value: "": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'field.httpGet.port: Invalid value: "": must contain at least one letter (a-z)',
      `field.httpGet.scheme: ${SCHEME}`,
    ]);
  });

  it('TestValidateHandler errorCases 6–7: header names "Host:" and "X_Forwarded_For" (not indexed) (spec pod §2.2)', () => {
    for (const name of ['Host:', 'X_Forwarded_For']) {
      expect(
        handler({
          httpGet: { path: '/', port: 'port', scheme: 'HTTP', httpHeaders: [{ name, value: 'foo.example.com' }] },
        }),
      ).toEqual([`field.httpGet.httpHeaders: Invalid value: "${name}": ${HEADER}`]);
    }
  });

  it("ValidatePortNumOrName: a named probe port need not exist in the container's ports (spec pod §2.2)", () => {
    expect(messages(inList('containers', { name: 'c', readinessProbe: { httpGet: { port: 'http' } } }))).toEqual([]);
  });
});

describe('TestValidateContainers: probes (spec pod §2.2, spec §2 rule 8)', () => {
  const at = (container: Json) => messages(inList('containers', container));

  it('TestValidateContainers successCases "live-123" and "startup-123": tcpSocket 80, successThreshold 1 (spec pod §2.2)', () => {
    expect(at({ name: 'live-123', livenessProbe: { ...tcp80, successThreshold: 1 } })).toEqual([]);
    expect(at({ name: 'startup-123', startupProbe: { ...tcp80, successThreshold: 1 } })).toEqual([]);
  });

  it('TestValidateContainers "invalid readiness probe, terminationGracePeriodSeconds set." (spec pod §2.2)', () => {
    expect(at({ name: 'life-123', readinessProbe: { ...tcp80, terminationGracePeriodSeconds: 10 } })).toEqual([
      'spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes',
    ]);
  });

  it('TestValidateContainers "invalid liveness probe, no tcp socket port." → Invalid 0 (spec pod §2.2)', () => {
    expect(at({ name: 'live-123', livenessProbe: { tcpSocket: {}, successThreshold: 1 } })).toEqual([
      'spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
  });

  it('TestValidateContainers "invalid liveness probe, no action." → Required …livenessProbe (spec pod §2.2)', () => {
    expect(at({ name: 'live-123', livenessProbe: { successThreshold: 1 } })).toEqual([
      'spec.containers[0].livenessProbe: Required value: must specify a handler type',
    ]);
  });

  it('TestValidateContainers "invalid liveness/startup probe, successThreshold != 1" → must be 1 (spec pod §2.2)', () => {
    expect(at({ name: 'live-123', livenessProbe: { ...tcp80, successThreshold: 2 } })).toEqual([
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
    ]);
    expect(at({ name: 'startup-123', startupProbe: { ...tcp80, successThreshold: 2 } })).toEqual([
      'spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1',
    ]);
  });

  const numbers = (path: string) =>
    ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'].map(
      (field) => `${path}.${field}: Invalid value: -1: ${NON_NEGATIVE}`,
    );

  it('TestValidateContainers "invalid liveness/startup probe, negative numbers" → 7 errors in Go order (spec pod §2.2)', () => {
    for (const kind of ['livenessProbe', 'startupProbe']) {
      const path = `spec.containers[0].${kind}`;
      expect(at({ name: 'c', [kind]: negatives() })).toEqual([
        ...numbers(path),
        `${path}.terminationGracePeriodSeconds: Invalid value: -1: must be greater than 0`,
        `${path}.successThreshold: Invalid value: -1: must be 1`,
      ]);
    }
  });

  it('TestValidateContainers "invalid readiness probe, negative numbers" → two errors on terminationGracePeriodSeconds (spec pod §2.2)', () => {
    const path = 'spec.containers[0].readinessProbe';
    expect(at({ name: 'ready-123', readinessProbe: negatives() })).toEqual([
      ...numbers(path),
      `${path}.terminationGracePeriodSeconds: Invalid value: -1: must be greater than 0`,
      `${path}.terminationGracePeriodSeconds: Invalid value: -1: must not be set for readinessProbes`,
    ]);
  });
});

describe('TestValidateInitContainers / TestValidateEphemeralContainers: probes (spec pod §2.2)', () => {
  const init = (container: Json) => messages(inList('initContainers', { name: 'debug', ...container }));

  it('TestValidateInitContainers "uses disallowed field: LivenessProbe / ReadinessProbe / StartupProbe" → Forbidden (spec pod §2.2)', () => {
    for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      expect(init({ [kind]: { ...tcp80 } })).toEqual([
        `spec.initContainers[0].${kind}: Forbidden: may not be set for init containers without restartPolicy=Always`,
      ]);
    }
  });

  it('TestValidateInitContainers "Disallowed field with other errors should only return a single Forbidden" (spec pod §2.2)', () => {
    expect(init({ startupProbe: negatives() })).toEqual([
      'spec.initContainers[0].startupProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    ]);
  });

  it('TestValidateInitContainers sidecar rows: startup/liveness successThreshold 2, readiness grace 10 (spec pod §2.2)', () => {
    expect(init({ restartPolicy: 'Always', startupProbe: { ...tcp80, successThreshold: 2 } })).toEqual([
      'spec.initContainers[0].startupProbe.successThreshold: Invalid value: 2: must be 1',
    ]);
    expect(init({ restartPolicy: 'Always', livenessProbe: { ...tcp80, successThreshold: 2 } })).toEqual([
      'spec.initContainers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
    ]);
    expect(init({ restartPolicy: 'Always', readinessProbe: { ...tcp80, terminationGracePeriodSeconds: 10 } })).toEqual([
      'spec.initContainers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes',
    ]);
  });

  it('TestValidateEphemeralContainers "Container uses disallowed field: LivenessProbe / ReadinessProbe / StartupProbe" (spec pod §2.2)', () => {
    for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const own = messages(inList('ephemeralContainers', { name: 'debug', [kind]: { ...tcp80 } })).filter((m) =>
        m.startsWith('spec.ephemeralContainers['),
      );
      expect(own).toEqual([`spec.ephemeralContainers[0].${kind}: Forbidden: cannot be set for an Ephemeral Container`]);
    }
  });
});

function negatives(): Json {
  return {
    ...tcp80,
    initialDelaySeconds: -1,
    timeoutSeconds: -1,
    periodSeconds: -1,
    successThreshold: -1,
    failureThreshold: -1,
    terminationGracePeriodSeconds: -1,
  };
}
