import { type Clock, sleepOn } from '../../ports/clock.js';
import { TestingError } from '../errors.js';
import { VirtualClock } from '../virtual-clock.js';

/** One named conformance check. `run` resolves on success and throws a descriptive error on failure. */
export interface ConformanceCase {
  readonly name: string;
  readonly run: () => Promise<void>;
}

/**
 * Register conformance cases with any test runner whose `test(name, fn)` accepts an async
 * function: vitest, jest, mocha, `node:test`, ava…
 *
 * @example
 * ```ts
 * import { test } from 'vitest';
 * registerConformanceCases(runtimeConformanceCases(makeHarness), test);
 * // equivalent to: for (const c of cases) test(c.name, c.run);
 * ```
 */
export function registerConformanceCases(
  cases: readonly ConformanceCase[],
  test: (name: string, fn: () => Promise<void>) => unknown,
  options: { prefix?: string } = {},
): void {
  for (const c of cases) test(options.prefix === undefined ? c.name : `${options.prefix}${c.name}`, c.run);
}

/** The failure of a conformance case. */
export function conformanceFailure(suite: string, name: string, detail: string, cause?: unknown): TestingError {
  return new TestingError('ERR_CONFORMANCE', `${suite} conformance, "${name}": ${detail}`, cause === undefined ? {} : { cause });
}

/** How a promise stood after a wait. */
export type Settlement<T> =
  | { readonly settled: false }
  | { readonly settled: true; readonly ok: true; readonly value: T }
  | { readonly settled: true; readonly ok: false; readonly error: unknown };

/**
 * Track `promise` and let `ms` pass on `clock`: a `VirtualClock` is advanced (so the adapter's
 * timers fire), any other clock is waited on in real time, stopping early once `promise` settles.
 * Returns a function that reports how the promise stands.
 */
export function track<T>(promise: Promise<T>): () => Settlement<T> {
  let state: Settlement<T> = { settled: false };
  promise.then(
    (value) => void (state = { settled: true, ok: true, value }),
    (error: unknown) => void (state = { settled: true, ok: false, error }),
  );
  return () => state;
}

/** Let `ms` pass (virtual: advance; real: sleep, returning early once `until` settles). */
export async function pass(clock: Clock, ms: number, until?: Promise<unknown>): Promise<void> {
  if (clock instanceof VirtualClock) return clock.advance(ms);
  const controller = new AbortController();
  const sleep = sleepOn(clock, ms, controller.signal).catch(() => undefined);
  await Promise.race(until === undefined ? [sleep] : [sleep, until.then(() => undefined, () => undefined)]);
  controller.abort();
}

/** Describes a thrown value for a failure message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}${'code' in error ? ` (code ${String(error.code)})` : ''}`;
  return String(error);
}
