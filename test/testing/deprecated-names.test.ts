/**
 * The public time names renamed to the house rule (issue 13 item 1: `…Ms` for durations, `…At` for
 * instants) keep working under their old spelling until 0.2.0: one test per deprecated alias, each
 * reading or passing the old name through the public barrels (type-checked by `npm run typecheck`).
 * Delete this file when the aliases go.
 */
import { describe, expect, it } from 'vitest';
import { type DeletionState, gracefulDelete, type Pod } from '../../src/index.js';
import {
  checkTraceInvariants,
  type ExecCall,
  FakeHttpClient,
  FakeRuntime,
  type PendingTimer,
  runScenario,
  VirtualClock,
} from '../../src/testing/index.js';

const web = { name: 'web', image: 'shop' };
const pod: Pod = {
  metadata: { name: 'shop', namespace: 'default', uid: 'u-shop' },
  spec: { terminationGracePeriodSeconds: 30, containers: [web] },
};
const signal = new AbortController().signal;

describe('deprecated time names (removed in 0.2.0)', () => {
  it('VirtualClockOptions.startMs still sets the start instant; with startAt it must agree', () => {
    expect(new VirtualClock({ startMs: 1_000 }).now()).toBe(1_000);
    expect(new VirtualClock({ startAt: 1_000, startMs: 1_000 }).now()).toBe(1_000);
    expect(() => new VirtualClock({ startAt: 1_000, startMs: 2_000 })).toThrow(
      expect.objectContaining({
        name: 'VirtualClockError',
        code: 'ERR_CLOCK_INVALID_TIME',
        message: expect.stringMatching(/startAt \(1000\) and its deprecated alias startMs \(2000\) differ/),
      }),
    );
    expect(() => new VirtualClock({ startMs: Number.NaN })).toThrow(/startMs must be a finite number/);
  });

  it('PendingTimer.deadlineMs repeats deadlineAt', () => {
    const clock = new VirtualClock({ startAt: 5 });
    clock.setTimeout(() => undefined, 10, 'grace web');
    const [timer] = clock.pendingTimerList() as [PendingTimer];
    expect([timer.deadlineMs, timer.deadlineAt]).toEqual([15, 15]);
  });

  it('FakeContainerState.startedAtMs / exitedAtMs repeat startedAt / exitedAt', async () => {
    const clock = new VirtualClock({ startAt: 500 });
    const runtime = new FakeRuntime({ clock });
    const { id } = await runtime.startContainer(pod, web, { signal });
    await clock.advance(1_000);
    runtime.crash(id, { exitCode: 3 });
    const state = runtime.container(id);
    expect(state).toMatchObject({ startedAt: 500, startedAtMs: 500, exitedAt: 1_500, exitedAtMs: 1_500 });
  });

  it('RuntimeTimelineEntry.atMs and ExecCall.atMs repeat at', async () => {
    const clock = new VirtualClock({ startAt: 2_000 });
    const calls: ExecCall[] = [];
    const runtime = new FakeRuntime({ clock }).onExec('/bin/drain', (call) => {
      calls.push(call);
      return { exitCode: 0, stdout: '', stderr: '' };
    });
    const { id } = await runtime.startContainer(pod, web, { signal });
    await runtime.exec(runtime.container(id)?.ref ?? expect.fail('not started'), ['/bin/drain'], { signal });
    expect(runtime.timeline.map((e) => [e.kind, e.atMs, e.at])).toContainEqual(['exec', 2_000, 2_000]);
    expect(calls.map((c) => [c.atMs, c.at])).toEqual([[2_000, 2_000]]);
  });

  it('RecordedHttpRequest.atMs repeats at', async () => {
    const clock = new VirtualClock({ startAt: 7 });
    const http = new FakeHttpClient({ clock }).route('/drain', { status: 200 });
    await http.request({ method: 'GET', url: 'http://10.0.0.7:8080/drain', headers: [] }, { signal });
    expect(http.requests.map((r) => [r.atMs, r.at])).toEqual([[7, 7]]);
  });

  it('ScenarioResult.atMs / settledAtMs and ScenarioTrace.endMs repeat at / settledAt / endAt', async () => {
    const trace = await runScenario(pod, {
      actions: [
        { at: 0, startAll: true },
        { at: 5_000, delete: true },
      ],
    });
    const deleted = trace.results[1];
    expect(deleted).toMatchObject({ at: 5_000, atMs: 5_000 });
    expect(deleted?.settledAtMs).toBe(deleted?.settledAt);
    expect(deleted?.settledAt).toBeGreaterThanOrEqual(5_000);
    expect(trace.endMs).toBe(trace.endAt);
    // JSON as it is: both spellings travel.
    expect(JSON.parse(JSON.stringify(trace.results[0]))).toMatchObject({ at: 0, atMs: 0 });
  });

  it('checkTraceInvariants reads timelines written with atMs only', () => {
    const violations = checkTraceInvariants({
      events: [],
      steps: [],
      runtime: [
        { kind: 'stop', atMs: 1_000, podName: 'shop', container: 'web', containerId: 'web-1', timeoutSeconds: 30 },
        { kind: 'signal', atMs: 2_000, podName: 'shop', container: 'web', containerId: 'web-1', signal: 'SIGKILL' },
      ],
    });
    expect(violations).toEqual([
      expect.objectContaining({
        invariant: 'sigkill-deadline',
        time: 2_000,
        message: expect.stringContaining('31000 ms'),
      }),
    ]);
  });

  it('DeletionState.deletionTimestampMs repeats deletionAt, and a stored state with only it is read', () => {
    const first: DeletionState = gracefulDelete({ terminationGracePeriodSeconds: 30 }, {}, 0).state;
    expect([first.deletionTimestampMs, first.deletionAt]).toEqual([30_000, 30_000]);
    // A state kept from before the rename (deletionTimestampMs only) is still read.
    const shortened = gracefulDelete(
      { existing: { deletionGracePeriodSeconds: 30, deletionTimestampMs: 30_000 } },
      { gracePeriodSeconds: 10 },
      5_000,
    ).state;
    expect(shortened).toEqual({ deletionGracePeriodSeconds: 10, deletionAt: 10_000, deletionTimestampMs: 10_000 });
    // Both given (a spread state with deletionAt moved): deletionAt wins.
    const moved = { ...first, deletionAt: 20_000 };
    // 20 000 − 30 000 + 10 000 = 0 from deletionAt; 10 000 had the stale deletionTimestampMs been read.
    expect(gracefulDelete({ existing: moved }, { gracePeriodSeconds: 10 }, 0).state.deletionAt).toBe(0);
  });
});
