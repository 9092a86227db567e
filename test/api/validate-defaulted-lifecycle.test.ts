import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { applyLifecycleDefaults } from '../../src/api/defaulting.js';
import { validateLifecycle, validateLifecycleAt } from '../../src/api/validate-lifecycle.js';

// validatePod validates a container list that applyDefaults copied whole without defaulting its
// lifecycles again (docs/performance-history.md round 5 item 27): that relies on handler defaulting
// (spec §2, `SetDefaults_HTTPGetAction`) being idempotent, which this checks on arbitrary lifecycles.
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(fc.oneof(arb, fc.constant(null)), { nil: undefined });
const httpGet = fc.record(
  {
    path: maybe(fc.constantFrom('', '/', '/healthz', 'x', 7)),
    scheme: maybe(fc.constantFrom('', 'HTTP', 'HTTPS', 'ftp')),
    port: maybe(fc.oneof(fc.integer({ min: -2, max: 70_000 }), fc.constantFrom('http', '', 'a--b'))),
    host: maybe(fc.constantFrom('', 'example.com')),
  },
  { requiredKeys: [] },
);
const handler = fc.record(
  {
    exec: maybe(fc.record({ command: maybe(fc.array(fc.constantFrom('sh', '-c', ''), { maxLength: 3 })) })),
    httpGet: maybe(httpGet),
    sleep: maybe(fc.record({ seconds: maybe(fc.integer({ min: -1, max: 40 })) })),
    tcpSocket: maybe(fc.record({ port: fc.constantFrom(80, 'http') })),
    grpc: maybe(fc.record({ port: fc.integer({ min: 0, max: 9 }), service: maybe(fc.constantFrom('', 'svc')) })),
  },
  { requiredKeys: [] },
);
const lifecycle = fc.record(
  {
    postStart: maybe(fc.oneof(handler, fc.constant('x'))),
    preStop: maybe(handler),
    stopSignal: maybe(fc.constantFrom('SIGTERM', 'SIGFOO', '')),
  },
  { requiredKeys: [] },
);
const options = fc.record({
  terminationGracePeriodSeconds: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
  osName: fc.constantFrom(undefined, 'linux', 'windows'),
});

describe('validateLifecycleAt on an already defaulted lifecycle (spec §2 defaulting order)', () => {
  test.prop([lifecycle, options])('reports exactly what validateLifecycle reports on the original', (raw, opts) => {
    const path = 'spec.containers[0].lifecycle';
    const expected = validateLifecycle(raw, path, opts);
    expect(validateLifecycleAt(applyLifecycleDefaults(raw), path, opts, true)).toEqual(expected);
    expect(validateLifecycleAt(raw, path, opts, false)).toEqual(expected);
  });
});
