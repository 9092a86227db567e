import { describe, expect, it } from 'vitest';
import { kubernetesPolicy, type LifecyclePolicy, resolvePolicy } from '../../src/container/policy.js';
import { InvalidArgumentError } from '../../src/errors.js';
import { LifecycleManager } from '../../src/index.js';
import { FakeHttpClient, FakeRuntime, VirtualClock } from '../../src/testing/index.js';

describe('policy options: a misspelled key is rejected, not ignored (issue 18)', () => {
  it('resolvePolicy names the unknown key and lists the valid ones', () => {
    const misspelled = { httpstatus: 'probe' } as unknown as LifecyclePolicy;
    expect(() => resolvePolicy(misspelled)).toThrow(InvalidArgumentError);
    expect(() => resolvePolicy(misspelled)).toThrow(
      `policy.httpstatus: expected a known option (${Object.keys(kubernetesPolicy).join(', ')}), got "probe"`,
    );
  });

  it('new LifecycleManager({ policy }) refuses it too', () => {
    const clock = new VirtualClock();
    const make = () =>
      new LifecycleManager({
        runtime: new FakeRuntime({ clock }),
        httpClient: new FakeHttpClient({ clock }),
        clock,
        policy: { minimumStopGracSeconds: 5 } as unknown as LifecyclePolicy,
      });
    expect(make).toThrow(/policy\.minimumStopGracSeconds: expected a known option \(httpStatus, /);
  });

  it('every documented key is still accepted, undefined included', () => {
    expect(resolvePolicy({ ...kubernetesPolicy, postStartTimeoutSeconds: 5 }).postStartTimeoutSeconds).toBe(5);
  });
});
