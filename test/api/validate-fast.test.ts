/**
 * The happy path of `validatePod` (src/api/validate-fast.ts, issue 19 target 2) against the
 * exhaustive walk it short-cuts (`validatePodExhaustively`, the walk every pod took before):
 * whatever the pod, `validatePod` and `assertValidPod` answer exactly what the exhaustive walk
 * answers (same codes, messages, paths and order), and the happy path does accept the valid pods
 * users generate (otherwise it would be a no-op).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { applyDefaultsNoting } from '../../src/api/defaulting.js';
import { dropDisabledFields } from '../../src/api/drop-disabled-fields.js';
import { LifecycleSpecError } from '../../src/api/lifecycle-spec-error.js';
import type { Pod } from '../../src/api/types.js';
import { isValidDefaultedPod } from '../../src/api/validate-fast.js';
import {
  assertValidPod,
  type ValidationOptions,
  validatePod,
  validatePodExhaustively,
} from '../../src/api/validation.js';
import { lifecycleArbitraries } from '../../src/testing/arbitraries.js';

const arbitraries = lifecycleArbitraries(fc);

/** The happy path alone, on the pod as `validatePod` defaults it. */
function isValidFast(pod: unknown, options: ValidationOptions = {}): boolean {
  const lists: unknown[] = [];
  return isValidDefaultedPod(dropDisabledFields(applyDefaultsNoting(pod, lists), options.featureGates), options, lists);
}

/** Every (object, key) slot of a JSON-like value, depth first. */
function slotsOf(value: unknown, out: [Record<string, unknown>, string][] = []): [Record<string, unknown>, string][] {
  if (typeof value !== 'object' || value === null) return out;
  for (const key of Object.keys(value)) {
    out.push([value as Record<string, unknown>, key]);
    slotsOf((value as Record<string, unknown>)[key], out);
  }
  return out;
}

/** Values at the edges of what each field accepts. */
const NEAR_MISS: readonly unknown[] = [
  undefined,
  null,
  '',
  0,
  -1,
  1,
  2,
  1.5,
  30,
  31,
  65535,
  65536,
  2 ** 31,
  2 ** 53,
  Number.NaN,
  'a',
  'A',
  'a--b',
  '-a',
  'abcdefghijklmnop',
  '8080',
  'http',
  'HTTP',
  'HTTPS',
  'X-Header',
  'bad header',
  'c0',
  'c1',
  'a.b',
  'Always',
  'Never',
  'OnFailure',
  'SIGKILL',
  'SIGTERM',
  'SIGUSR1',
  'linux',
  'windows',
  [],
  [''],
  [1],
  {},
  { command: ['x'] },
  { port: 80 },
  { seconds: 0 },
  { name: 'c0' },
];
const nearMiss = fc.constantFrom(...NEAR_MISS);
const DELETE = Symbol('delete');

const KEYS = [
  'metadata',
  'name',
  'generateName',
  'spec',
  'containers',
  'initContainers',
  'ephemeralContainers',
  'terminationGracePeriodSeconds',
  'os',
  'restartPolicy',
  'restartPolicyRules',
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
  'grpc',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'initialDelaySeconds',
  'timeoutSeconds',
  'periodSeconds',
  'successThreshold',
  'failureThreshold',
  'service',
  'restartPolicy',
];

/** A valid pod with one to three slots set to a near-miss value, deleted, or a known key added. */
const nearlyValidPod = fc
  .tuple(
    arbitraries.validPod,
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('set', 'delete', 'add'), fc.constantFrom(...KEYS), nearMiss), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(([valid, edits]) => {
    const pod = structuredClone(valid) as unknown as Record<string, unknown>;
    for (const [index, kind, key, shared] of edits) {
      // A copy of the near-miss value: the constants must not be shared by two slots (an 'add'
      // into one would change the other, or make a cycle) nor changed for later runs.
      const value = structuredClone(shared);
      const slots = slotsOf(pod);
      const [holder, slot] = slots[index % slots.length] ?? [pod, 'spec'];
      if (kind === 'delete') delete holder[slot];
      else if (kind === 'set') holder[slot] = value;
      else if (typeof holder[slot] === 'object' && holder[slot] !== null)
        (holder[slot] as Record<string, unknown>)[key] = value;
    }
    return pod;
  });

const optionsArbitrary = fc.record<ValidationOptions>(
  {
    allowZeroSleep: fc.boolean(),
    featureGates: fc.record({ ContainerRestartRules: fc.boolean(), ContainerStopSignals: fc.boolean() }),
  },
  { requiredKeys: [] },
);

/** `assertValidPod`'s answer as data: the defaulted pod, or the thrown error's fields. */
function assertOutcome(pod: unknown, options: ValidationOptions): unknown {
  try {
    return { pod: assertValidPod(pod, options) };
  } catch (error) {
    if (!(error instanceof LifecycleSpecError)) throw error;
    return { message: error.message, errors: error.errors };
  }
}

describe('validatePod happy path (issue 19 target 2)', () => {
  test.prop([arbitraries.validPod, optionsArbitrary])('accepts the valid pods of the testing kit', (pod, options) => {
    const exhaustive = validatePodExhaustively(pod, options);
    // The gates off or zero sleep refused can make a generated pod invalid: then both report it.
    if (exhaustive.length === 0) expect(isValidFast(pod, options)).toBe(true);
    expect(validatePod(pod, options)).toEqual(exhaustive);
  });

  test.prop([arbitraries.validPod])('accepts every valid pod with the default options', (pod) => {
    expect(isValidFast(pod)).toBe(true);
  });

  test.prop([arbitraries.invalidPod, optionsArbitrary])(
    'reports exactly what the exhaustive walk reports on invalid pods',
    ({ pod }, options) => {
      // With a gate off the broken field may be dropped, and the pod valid: then both say so.
      const exhaustive = validatePodExhaustively(pod, options);
      expect(isValidFast(pod, options)).toBe(exhaustive.length === 0);
      expect(validatePod(pod, options)).toEqual(exhaustive);
      expect(isValidFast(pod)).toBe(false);
    },
  );

  test.prop([nearlyValidPod, optionsArbitrary], { numRuns: 2000 })(
    'answers as the exhaustive walk on pods one to three edits away from valid',
    (pod, options) => {
      const exhaustive = validatePodExhaustively(pod, options);
      if (isValidFast(pod, options)) expect(exhaustive).toEqual([]);
      expect(validatePod(pod, options)).toEqual(exhaustive);
      const outcome = assertOutcome(pod, options);
      if (exhaustive.length > 0) expect(outcome).toMatchObject({ errors: exhaustive });
      else expect(outcome).toHaveProperty('pod');
    },
  );

  test.prop([arbitraries.validPod, fc.boolean()], { numRuns: 10 })(
    'never accepts a pod the exhaustive walk rejects, for every single edit of a valid pod',
    (valid, allowZeroSleep) => {
      const options = { allowZeroSleep };
      const slotCount = slotsOf(structuredClone(valid)).length;
      for (let index = 0; index < slotCount; index++) {
        for (const value of [...NEAR_MISS, DELETE]) {
          const pod = structuredClone(valid) as unknown as Record<string, unknown>;
          const [holder, slot] = slotsOf(pod)[index]!;
          if (value === DELETE) delete holder[slot];
          else holder[slot] = structuredClone(value);
          if (isValidFast(pod, options)) expect(validatePodExhaustively(pod, options)).toEqual([]);
        }
      }
    },
  );

  test.prop([fc.anything({ withNullPrototype: true, withSparseArray: true })])(
    'answers as the exhaustive walk on anything',
    (value) => {
      expect(validatePod(value)).toEqual(validatePodExhaustively(value));
    },
  );

  it('reports every problem of a pod with errors in several places, in the exhaustive order', () => {
    const pod: Pod = {
      metadata: { name: 'p' },
      spec: {
        containers: [
          { name: 'a', lifecycle: { preStop: { exec: { command: [] } } } },
          { name: 'a', lifecycle: { postStart: { httpGet: { port: 0 } } } },
        ],
      },
    } as Pod;
    expect(validatePod(pod).map((e) => e.message)).toEqual([
      'spec.containers[0].lifecycle.preStop.exec.command: Required value',
      'spec.containers[1].name: Duplicate value: "a"',
      'spec.containers[1].lifecycle.postStart.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
    expect(validatePod(pod)).toEqual(validatePodExhaustively(pod));
  });

  it('hands in a fresh error list for a valid pod (a caller may push to it)', () => {
    const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a' }] } };
    const first = validatePod(pod);
    first.push(validatePod({})[0]!);
    expect(validatePod(pod)).toEqual([]);
  });
});
