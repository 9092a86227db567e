import type { Clock } from '../ports/clock.js';
import type { VirtualClock } from './virtual-clock.js';

/**
 * The part of fast-check's `Scheduler` (from `fc.scheduler()`) that {@link scheduledClock} uses;
 * declared here so the testing kit does not depend on fast-check's types.
 */
export interface SchedulerLike {
  schedule<T>(
    task: Promise<T>,
    label?: string,
    metadata?: unknown,
    customAct?: (f: () => Promise<void>) => Promise<void>,
  ): Promise<T>;
}

/**
 * A {@link Clock} for `fc.scheduler()` race tests: timers are armed on `clock` (a
 * `VirtualClock`), but they fire only when the scheduler picks them. Whenever a timer is armed
 * and none is waiting, one task labelled `VirtualClock timer` is scheduled; when the scheduler
 * runs it, the earliest timer fires (`clock.next()`: deadline order is kept, time only moves
 * forward) and the next one is scheduled. So the scheduler interleaves timer firings with your
 * other scheduled tasks (hook results from `s.scheduleFunction`…), exploring e.g. "preStop
 * answers before / after the grace runs out". This is fast-check's `buildWrapWithTimersAct`
 * recipe for the library's own clock, with no `act` to pass around.
 *
 * Give this clock to everything (manager and fakes) and do not move `clock` yourself while the
 * scheduler runs: drive with `s.waitFor(promise)` or `s.waitIdle()`. An error thrown by a timer
 * callback rejects that wait.
 *
 * @example
 * ```ts
 * test.prop([fc.scheduler()])('preStop vs grace', async (s) => {
 *   const virtual = new VirtualClock();
 *   const clock = scheduledClock(s, virtual);
 *   const runtime = new FakeRuntime({ clock }).onExec(['/bin/drain'], s.scheduleFunction(async () => ({ exitCode: 0 })));
 *   const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock });
 *   await s.waitFor(manager.startContainer(pod, 'web'));
 *   const result = await s.waitFor(manager.stopContainer(pod, 'web'));
 *   // result.preStop.outcome: 'succeeded' or 'timedOut', depending on the order s chose
 * });
 * ```
 */
export function scheduledClock(scheduler: SchedulerLike, clock: VirtualClock): Clock {
  let isWaiting = false;
  const scheduleNext = (): void => {
    if (isWaiting) return;
    const head = clock.pendingTimerList()[0];
    if (head === undefined || head.deadlineAt === Infinity) return;
    isWaiting = true;
    void scheduler.schedule(
      Promise.resolve(),
      'VirtualClock timer',
      { deadlineAt: head.deadlineAt },
      async (trigger) => {
        isWaiting = false;
        await trigger();
        await clock.next();
        scheduleNext();
      },
    );
  };
  return {
    now: () => clock.now(),
    setTimeout: (callback: () => void, delayMs: number): unknown => {
      const handle = clock.setTimeout(callback, delayMs);
      scheduleNext();
      return handle;
    },
    clearTimeout: (handle: unknown): void => clock.clearTimeout(handle),
  };
}
