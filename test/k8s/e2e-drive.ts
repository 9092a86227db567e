/**
 * Shared by the e2e ports: run a VirtualClock until a promise settles, as the Go tests' polling
 * waits do in real time, and `podClient.CreateSync`.
 */
import { expect } from 'vitest';
import type { PodStatus } from '../../src/api/pod-status.js';
import type { Pod } from '../../src/api/types.js';
import type { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import type { VirtualClock } from '../../src/testing/virtual-clock.js';

const S = 1_000;

/** Run the clock until `p` settles (at most `maxMs` from now). */
export async function drive<T>(h: { readonly clock: VirtualClock }, p: Promise<T>, maxMs = 10 * 60 * S): Promise<T> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  const end = h.clock.now() + maxMs;
  await h.clock.flush();
  while (!done && h.clock.pendingTimers > 0 && h.clock.now() < end) await h.clock.next();
  return p;
}

/** `podClient.CreateSync`: start the pod and wait until it runs. */
export async function createSync(
  h: { readonly clock: VirtualClock; readonly manager: LifecycleManager },
  pod: Pod,
): Promise<PodStatus> {
  const status = await drive(h, h.manager.startPod(pod), 5 * 60 * S);
  expect(status.phase).toBe('Running');
  return status;
}
