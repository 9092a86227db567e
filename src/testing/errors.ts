import { LifecycleError } from '../errors.js';

/** Stable codes of the errors the testing kit throws; branch on `code`, not on the message. */
export type TestingErrorCode =
  /** `advanceTo(t)` with `t` before `now()`, or a negative `advance(ms)`. */
  | 'ERR_CLOCK_BACKWARDS'
  /** A time or duration that is not a finite number (NaN, Infinity, a string…). */
  | 'ERR_CLOCK_INVALID_TIME'
  /** `runAll()` fired `maxTimers` timers and more keep being armed. */
  | 'ERR_CLOCK_TIMER_LIMIT'
  /** `advance`/`advanceTo`/`next`/`runAll` called while another one is still running. */
  | 'ERR_CLOCK_BUSY'
  /** A fake was used in a way a real adapter would refuse (exec on an unknown container…). */
  | 'ERR_FAKE_MISUSE'
  /** An exec in a container whose main process has exited (or exits during the exec). */
  | 'ERR_FAKE_CONTAINER_NOT_RUNNING'
  /** A fake's scripted expectations were not met (routes never hit, requests unmatched). */
  | 'ERR_FAKE_EXPECTATION'
  /** An adapter failed a conformance case. */
  | 'ERR_CONFORMANCE'
  /** A scenario given to `runScenario` is malformed (unknown container or action, negative time…). */
  | 'ERR_SCENARIO_INVALID';

/**
 * Base of every error the testing kit throws itself (not the faults you script into a fake,
 * which are thrown exactly as you wrote them). The message says what was expected, what came,
 * and how to fix it.
 *
 * @example
 * ```ts
 * await expect(clock.advanceTo(-1)).rejects.toMatchObject({ code: 'ERR_CLOCK_BACKWARDS' });
 * ```
 */
export class TestingError extends LifecycleError<TestingErrorCode> {
  override readonly name: string = 'TestingError';
}

/** A {@link VirtualClock} was asked to do something a monotonic clock cannot do. */
export class VirtualClockError extends TestingError {
  override readonly name = 'VirtualClockError';
}

/**
 * A scenario given to `runScenario` is malformed. `path` points at the offending part
 * (`actions[2].crash`, `hooks["web.preStop"]`), and `actionIndex` is set when it is an action.
 *
 * @example
 * ```ts
 * await expect(runScenario(pod, { actions: [{ at: 0, crash: 'wbe' }] }))
 *   .rejects.toMatchObject({ code: 'ERR_SCENARIO_INVALID', path: 'actions[0].crash', actionIndex: 0 });
 * ```
 */
export class ScenarioError extends TestingError {
  override readonly name = 'ScenarioError';
  /** Where in the scenario the problem is, e.g. `actions[2].at`. */
  readonly path: string;
  /** Index of the offending action, when the problem is in `actions`. */
  readonly actionIndex: number | undefined;

  constructor(path: string, message: string) {
    super('ERR_SCENARIO_INVALID', `scenario.${path}: ${message}`);
    this.path = path;
    const match = /^actions\[(\d+)\]/.exec(path);
    this.actionIndex = match === null ? undefined : Number(match[1]);
  }
}
