import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { HookName, Pod } from '../../src/api/types.js';
import { InvalidArgumentError, UnknownContainerError } from '../../src/errors.js';
import { type HookDeliveryKeyParts, hookDeliveryKey, hookDeliveryKeyForRestart } from '../../src/idempotency/index.js';

const parts: HookDeliveryKeyParts = {
  podUID: 'uid-1',
  containerName: 'web',
  containerID: 'containerd://abc',
  hook: 'PreStop',
};
const pod: Pod = {
  metadata: { name: 'web-0', uid: 'uid-1' },
  spec: { containers: [{ name: 'web' }], initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] },
};

describe('hookDeliveryKey', () => {
  it('renders a readable, versioned key with / and % escaped', () => {
    expect(hookDeliveryKey(parts)).toMatchInlineSnapshot(
      `"kube-lifecycle/hook/v1/PreStop/uid-1/web/id=containerd:%2F%2Fabc"`,
    );
    expect(hookDeliveryKey({ ...parts, podUID: 'a%2Fb' })).toContain('/a%252Fb/');
  });

  it('is the same for a duplicate delivery and different for a new container instance or another hook', () => {
    const duplicate = hookDeliveryKey({ ...parts });
    const restarted = hookDeliveryKey({ ...parts, containerID: 'containerd://def' });
    const postStart = hookDeliveryKey({ ...parts, hook: 'PostStart' });

    expect(duplicate).toBe(hookDeliveryKey(parts));
    expect(restarted).not.toBe(duplicate);
    expect(postStart).not.toBe(duplicate);
  });

  it.each([
    ['podUID', { ...parts, podUID: '' }, 'hookDeliveryKey: parts.podUID: expected a non-empty string, got ""'],
    [
      'containerName',
      { ...parts, containerName: 7 },
      'hookDeliveryKey: parts.containerName: expected a non-empty string, got 7',
    ],
    [
      'containerID',
      { ...parts, containerID: undefined },
      'hookDeliveryKey: parts.containerID: expected a non-empty string, got undefined',
    ],
    [
      'hook',
      { ...parts, hook: 'prestop' },
      `hookDeliveryKey: parts.hook: expected 'PostStart' or 'PreStop' (or the field names 'postStart', 'preStop'), got "prestop"`,
    ],
  ])('rejects a bad %s with an InvalidArgumentError', (_field, bad, message) => {
    const act = (): string => hookDeliveryKey(bad as unknown as HookDeliveryKeyParts);

    expect(act).toThrow(InvalidArgumentError);
    expect(act).toThrow(message);
  });

  it('rejects a missing parts object', () => {
    expect(() => hookDeliveryKey(null as unknown as HookDeliveryKeyParts)).toThrowErrorMatchingInlineSnapshot(
      `[InvalidArgumentError: hookDeliveryKey(parts): expected an object { podUID, containerName, containerID, hook }, got null]`,
    );
  });
});

describe('hookDeliveryKeyForRestart', () => {
  it('keys on the restart count, for regular containers and sidecars', () => {
    expect(hookDeliveryKeyForRestart(pod, 'web', 'PostStart', { restartCount: 0 })).toMatchInlineSnapshot(
      `"kube-lifecycle/hook/v1/PostStart/uid-1/web/restart=0"`,
    );
    expect(hookDeliveryKeyForRestart(pod, 'web', 'PostStart', { restartCount: 1 })).not.toBe(
      hookDeliveryKeyForRestart(pod, 'web', 'PostStart', { restartCount: 0 }),
    );
    expect(hookDeliveryKeyForRestart(pod, 'proxy', 'PreStop', { restartCount: 3 })).toBe(
      'kube-lifecycle/hook/v1/PreStop/uid-1/proxy/restart=3',
    );
  });

  it('accepts a pod without spec (only the UID is needed)', () => {
    expect(hookDeliveryKeyForRestart({ metadata: { uid: 'u' } }, 'x', 'PreStop', { restartCount: 0 })).toBe(
      'kube-lifecycle/hook/v1/PreStop/u/x/restart=0',
    );
  });

  it('rejects a pod without a UID, a bad restart count and an undeclared container', () => {
    expect(() =>
      hookDeliveryKeyForRestart({ metadata: { name: 'p' } }, 'web', 'PreStop', { restartCount: 0 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[InvalidArgumentError: hookDeliveryKeyForRestart: pod.metadata.uid: expected a non-empty string, got undefined]`,
    );
    expect(() =>
      hookDeliveryKeyForRestart(pod, 'web', 'PreStop', { restartCount: -1 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[InvalidArgumentError: hookDeliveryKeyForRestart: options.restartCount: expected an integer >= 0, got -1]`,
    );
    expect(() => hookDeliveryKeyForRestart(pod, 'web', 'PreStop', { restartCount: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => hookDeliveryKeyForRestart(pod, 'db', 'PreStop', { restartCount: 0 })).toThrow(UnknownContainerError);
  });
});

// Parts drawn mostly from the characters that matter to the encoding, so near-collisions are common.
const tricky = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', '/', '%', '2', 'F', '5', '=', 'i', 'd'), minLength: 1, maxLength: 6 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
);
const hook = fc.constantFrom<HookName>('PostStart', 'PreStop');
const idInput = fc.record({
  kind: fc.constant('id' as const),
  podUID: tricky,
  containerName: tricky,
  hook,
  containerID: tricky,
});
const restartInput = fc.record({
  kind: fc.constant('restart' as const),
  podUID: tricky,
  containerName: tricky,
  hook,
  restartCount: fc.nat(),
});
const input = fc.oneof(idInput, restartInput);
type Input = typeof input extends fc.Arbitrary<infer T> ? T : never;

function keyOf(i: Input): string {
  return i.kind === 'id'
    ? hookDeliveryKey(i)
    : hookDeliveryKeyForRestart({ metadata: { uid: i.podUID } }, i.containerName, i.hook, {
        restartCount: i.restartCount,
      });
}

describe('delivery keys (properties)', () => {
  test.prop([input, input], { numRuns: 2000 })(
    'are injective: equal keys ⇔ equal inputs, across both schemes',
    (a, b) => {
      expect(keyOf(a) === keyOf(b)).toBe(JSON.stringify(a) === JSON.stringify(b));
    },
  );

  test.prop([input])('are stable and made of exactly 7 /-separated segments', (i) => {
    expect(keyOf(i)).toBe(keyOf(structuredClone(i)));
    expect(keyOf(i).split('/')).toHaveLength(7);
  });
});

describe('hook spellings', () => {
  it('the API field names postStart/preStop give the same key as PostStart/PreStop', () => {
    const parts = { podUID: 'u', containerName: 'web', containerID: 'c1' };
    expect(hookDeliveryKey({ ...parts, hook: 'preStop' })).toBe(hookDeliveryKey({ ...parts, hook: 'PreStop' }));
    expect(hookDeliveryKey({ ...parts, hook: 'postStart' })).toBe(hookDeliveryKey({ ...parts, hook: 'PostStart' }));
    expect(() => hookDeliveryKey({ ...parts, hook: 'prestop' as never })).toThrow(/'PostStart' or 'PreStop'/);
  });
});
