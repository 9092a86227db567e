/**
 * fast-check arbitraries that generate probes (valid `core/v1.Probe` objects) and probe result
 * sequences. fast-check is not imported at runtime: pass your `fc`.
 *
 * @module
 */

import type { ProbeSpec, ProbeType } from '../probes/probe-spec.js';
import type { Arbitrary, FastCheckApi } from './pod-arbitraries.js';

/** Options of {@link probeArbitrary}. */
export interface ProbeArbitraryOptions {
  /** The probe type: liveness and startup get `successThreshold` 1 as validation demands. */
  readonly type: ProbeType;
  /** Handler kinds to draw from. @default all four */
  readonly handlers?: ReadonlyArray<'exec' | 'httpGet' | 'tcpSocket' | 'grpc'> | undefined;
  /** Upper bound of `periodSeconds`. @default 60 */
  readonly maxPeriodSeconds?: number | undefined;
  /** Upper bound of both thresholds. @default 10 */
  readonly maxThreshold?: number | undefined;
}

/**
 * Valid probes for `type`: one handler, positive timings, `successThreshold` 1 for liveness and
 * startup, probe `terminationGracePeriodSeconds` (≥ 1) only on liveness/startup. Fields are
 * sometimes left out so the API defaults apply.
 *
 * @example fc.assert(fc.property(probeArbitrary(fc, { type: 'liveness' }), (probe) => …))
 */
export function probeArbitrary(fc: FastCheckApi, options: ProbeArbitraryOptions): Arbitrary<ProbeSpec> {
  const kinds = options.handlers ?? ['exec', 'httpGet', 'tcpSocket', 'grpc'];
  const port = fc.integer({ min: 1, max: 65535 });
  const byKind = {
    exec: fc
      .constantFrom(['true'], ['cat', '/tmp/healthy'], ['sh', '-c', 'exit 1'])
      .map((command) => ({ exec: { command } })),
    httpGet: fc
      .record({
        path: fc.constantFrom('/', '/healthz', '/ready?full=1'),
        port,
        scheme: fc.constantFrom('HTTP', 'HTTPS'),
      })
      .map((httpGet) => ({ httpGet })),
    tcpSocket: port.map((p) => ({ tcpSocket: { port: p } })),
    grpc: fc.record({ port, service: fc.constantFrom('', 'liveness', 'my.Service') }).map((grpc) => ({ grpc })),
  } as const;
  const handler = fc.oneof(...kinds.map((kind) => byKind[kind] as Arbitrary<ProbeSpec>));
  const maxThreshold = options.maxThreshold ?? 10;
  const isKilling = options.type !== 'readiness';
  const timing = fc.record(
    {
      initialDelaySeconds: fc.integer({ min: 0, max: 30 }),
      timeoutSeconds: fc.integer({ min: 1, max: 5 }),
      periodSeconds: fc.integer({ min: 1, max: options.maxPeriodSeconds ?? 60 }),
      successThreshold: isKilling ? fc.constant(1) : fc.integer({ min: 1, max: maxThreshold }),
      failureThreshold: fc.integer({ min: 1, max: maxThreshold }),
      terminationGracePeriodSeconds: isKilling ? fc.integer({ min: 1, max: 60 }) : fc.constant(undefined),
    },
    { requiredKeys: [] },
  );
  return fc.tuple(handler, timing).map(([h, t]) => {
    const probe: Record<string, unknown> = { ...h };
    for (const [key, value] of Object.entries(t)) if (value !== undefined) probe[key] = value;
    return probe as ProbeSpec;
  });
}

/** Sequences of probe attempt verdicts (`true` = success), for threshold and flapping properties. */
export function probeVerdictsArbitrary(fc: FastCheckApi, maxLength = 40): Arbitrary<boolean[]> {
  return fc.oneof(
    fc.array(fc.boolean(), { minLength: 1, maxLength }),
    // runs of equal verdicts make thresholds actually trip
    fc
      .array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 6 })), { minLength: 1, maxLength: 8 })
      .map((runs) => runs.flatMap(([verdict, length]) => Array.from({ length }, () => verdict)).slice(0, maxLength)),
  );
}
