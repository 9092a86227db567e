// Public option types accept `| undefined` on every optional member (issue 13, issue 18 "What a
// new user tripped over"): a caller compiled with `exactOptionalPropertyTypes` (as this repository
// is, tsconfig.json) may pass `{ x: undefined }` where `{}` is allowed, e.g. when forwarding an
// option of its own. `npm run typecheck` checks this file: each object below fails to compile if
// a member loses `| undefined`; the `@ts-expect-error` lines fail if a type widens to accept
// anything. At run time, an explicit `undefined` means the same as an omitted member.
import { describe, expect, it } from 'vitest';
import {
  type CrashLoopBackOffPolicy,
  type DeleteOptions,
  type IdempotencySetOptions,
  type IdempotentOptions,
  idempotent,
  LifecycleManager,
  type LifecycleManagerOptions,
  type LifecyclePolicy,
  MemoryIdempotencyStore,
  type MemoryIdempotencyStoreOptions,
  type Pod,
  type PodWaitOptions,
  resolvePolicy,
  type StopOptions,
} from '../../src/index.js';
import { FakeHttpClient, FakeRuntime, VirtualClock } from '../../src/testing/index.js';

const policy: LifecyclePolicy = {
  httpStatus: undefined,
  postStartTimeoutSeconds: undefined,
  shorterGraceDuringTermination: undefined,
  unfinishedPreStopEvent: undefined,
  minimumStopGraceSeconds: undefined,
  allowZeroSleep: undefined,
};
const crashLoopBackOff: CrashLoopBackOffPolicy = {
  initialSeconds: undefined,
  maxSeconds: undefined,
  resetAfterSeconds: undefined,
  reducedDecay: undefined,
  afterProbeKill: undefined,
};
const stopOptions: StopOptions = { gracePeriodOverride: undefined, reason: undefined, message: undefined };
const deleteOptions: DeleteOptions = { gracePeriodSeconds: undefined };
const waitOptions: PodWaitOptions = { timeoutMs: undefined, signal: undefined };
const storeOptions: Omit<MemoryIdempotencyStoreOptions, 'clock'> = {
  ttlMs: undefined,
  maxEntries: undefined,
  leaseMs: undefined,
};
const setOptions: IdempotencySetOptions = { ttlMs: undefined, owner: undefined };

// @ts-expect-error a string is not a number of seconds: the types did not widen to `any`
const badDelete: DeleteOptions = { gracePeriodSeconds: '30' };
// @ts-expect-error an unknown kill reason is still refused
const badStop: StopOptions = { reason: 'Bored' };
void badDelete;
void badStop;

const pod: Pod = {
  metadata: { name: 'p', namespace: 'default', uid: 'u-options' },
  spec: { terminationGracePeriodSeconds: 7, containers: [{ name: 'web', image: 'nginx' }] },
};

function managerWithUndefinedOptions(clock: VirtualClock): LifecycleManager {
  const options: LifecycleManagerOptions = {
    runtime: new FakeRuntime({ clock }),
    httpClient: new FakeHttpClient({ clock }),
    clock,
    policy,
    kubeletVersion: undefined,
    runtimeRequestTimeoutSeconds: undefined,
    crashLoopBackOff,
    featureGates: undefined,
    exitObservationDelayMs: undefined,
    random: undefined,
    tcpDialer: undefined,
    grpcHealthChecker: undefined,
  };
  return new LifecycleManager(options);
}

describe('explicit undefined options mean "omitted" (exactOptionalPropertyTypes)', () => {
  it('a policy of undefined members resolves to the Kubernetes defaults', () => {
    expect(resolvePolicy(policy)).toEqual(resolvePolicy({}));
  });

  it('a manager built with undefined members stops and deletes with the defaults (the pod grace, reason Unknown)', async () => {
    const clock = new VirtualClock();
    const manager = managerWithUndefinedOptions(clock);
    await manager.startContainer(pod, 'web');
    const stopped = await manager.stopContainer(pod, 'web', stopOptions);
    expect(stopped.gracePeriodSeconds).toBe(7);
    await manager.startContainer(pod, 'web');
    const deleted = manager.deletePod(pod, deleteOptions);
    await clock.runAll();
    const result = await deleted;
    expect(result.gracePeriodSeconds).toBe(7);
  });

  it('waitForPod with undefined timeoutMs and signal waits without a deadline', async () => {
    const clock = new VirtualClock();
    const manager = managerWithUndefinedOptions(clock);
    const podOnWorker: Pod = { ...pod, metadata: { ...pod.metadata, uid: 'u-options-worker' } };
    await manager.startPod(podOnWorker);
    await expect(manager.waitForPod(podOnWorker, 'Ready', waitOptions)).resolves.toMatchObject({ phase: 'Running' });
  });

  it('idempotent() and MemoryIdempotencyStore take undefined members as their defaults', async () => {
    const clock = new VirtualClock();
    const store = new MemoryIdempotencyStore({ clock, ...storeOptions });
    let runs = 0;
    const options: IdempotentOptions<[string]> = {
      store,
      key: (id) => id,
      ttlMs: undefined,
      clock: undefined,
      leaseMs: undefined,
      owner: undefined,
      pollMs: undefined,
      maxWaitMs: undefined,
    };
    const once = idempotent((id: string) => `ran ${id} #${++runs}`, options);
    expect(await once('a')).toBe('ran a #1');
    expect(await once('a')).toBe('ran a #1');
    await store.set('b', { state: 'completed', completedAt: 0, value: 'stored' }, setOptions);
    expect(await store.get('b')).toMatchObject({ value: 'stored' });
  });
});
