import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  applyDefaults,
  applyLifecycleDefaults,
  DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS,
} from '../../src/api/index.js';
import type { Pod } from '../../src/api/types.js';

// spec §2 "Order of operations": TGPS → 30 [API]; httpGet path "" → "/", scheme "" → "HTTP" [D].
describe('applyDefaults (spec §2 defaulting)', () => {
  it('defaults terminationGracePeriodSeconds to 30 when unset or null, keeps explicit values (0 included)', () => {
    expect(applyDefaults<Pod>({ spec: { containers: [] } }).spec?.terminationGracePeriodSeconds).toBe(
      DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS,
    );
    expect(applyDefaults<unknown>({ spec: { containers: [], terminationGracePeriodSeconds: null } })).toMatchObject({
      spec: { terminationGracePeriodSeconds: 30 },
    });
    expect(
      applyDefaults<Pod>({ spec: { containers: [], terminationGracePeriodSeconds: 0 } }).spec
        ?.terminationGracePeriodSeconds,
    ).toBe(0);
  });

  it('a negative terminationGracePeriodSeconds is stored as 1 (since 1.27, k/k#115606)', () => {
    const tgps = (value: number) =>
      applyDefaults<Pod>({ spec: { containers: [], terminationGracePeriodSeconds: value } }).spec
        ?.terminationGracePeriodSeconds;
    expect(tgps(-1)).toBe(1);
    expect(tgps(-3600)).toBe(1);
    expect(tgps(1)).toBe(1);
    expect(tgps(45)).toBe(45);
  });

  it('defaults httpGet path and scheme in every container list and both hooks', () => {
    const handler = { httpGet: { port: 80, path: '', scheme: '' } };
    const container = { name: 'c', lifecycle: { postStart: handler, preStop: { httpGet: { port: 'http' } } } };
    const result = applyDefaults<Pod>({
      spec: { containers: [container], initContainers: [container], ephemeralContainers: [container] },
    });
    for (const list of [result.spec?.containers, result.spec?.initContainers, result.spec?.ephemeralContainers]) {
      expect(list?.[0]?.lifecycle).toEqual({
        postStart: { httpGet: { port: 80, path: '/', scheme: 'HTTP' } },
        preStop: { httpGet: { port: 'http', path: '/', scheme: 'HTTP' } },
      });
    }
  });

  it('keeps set values and unknown fields', () => {
    const pod = {
      apiVersion: 'v1',
      extra: { deep: [1, 2] },
      metadata: { name: 'p', labels: { a: 'b' } },
      spec: {
        nodeName: 'n',
        containers: [
          {
            name: 'c',
            x: 1,
            lifecycle: { y: 2, preStop: { z: 3, httpGet: { port: 1, path: '/healthz', scheme: 'HTTPS', w: 4 } } },
          },
        ],
      },
    };
    expect(applyDefaults(pod)).toEqual({
      ...pod,
      spec: { ...pod.spec, terminationGracePeriodSeconds: 30, restartPolicy: 'Always' },
    });
  });

  it('leaves wrong shapes alone and returns non-objects as they are', () => {
    for (const value of [null, undefined, 'pod', 42, [1]]) expect(applyDefaults(value)).toBe(value);
    expect(applyDefaults({ spec: 'x' })).toEqual({ spec: 'x' });
    expect(applyDefaults({ spec: { containers: 'x' } })).toEqual({
      spec: { containers: 'x', terminationGracePeriodSeconds: 30, restartPolicy: 'Always' },
    });
    expect(applyLifecycleDefaults({ preStop: { httpGet: 'x' } })).toEqual({ preStop: { httpGet: 'x' } });
  });

  it('never throws on hostile objects (returns them untouched)', () => {
    const hostile = {
      get spec(): never {
        throw new Error('boom');
      },
    };
    expect(applyDefaults(hostile)).toBe(hostile);
  });

  it('copies __proto__ own keys as data without touching prototypes', () => {
    const input = JSON.parse(
      '{"__proto__":{"polluted":1},"spec":{"__proto__":{"polluted":2},"containers":[]}}',
    ) as object;
    const result = applyDefaults(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.hasOwn(result, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test.prop([fc.jsonValue()])('never mutates its input and is idempotent', (value) => {
    const before = structuredClone(value);
    const once = applyDefaults(value);
    expect(value).toEqual(before);
    expect(applyDefaults(once)).toEqual(once);
  });
});
