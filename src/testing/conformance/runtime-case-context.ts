/**
 * What a runtime conformance case gets besides the harness, and the checks the cases share.
 * Internal to the conformance suite.
 * @module
 */
import type { ContainerRef, ExecResult } from '../../ports/runtime.js';
import { describeError, type Settlement } from './conformance-case.js';
import type { ConformanceProcessBehaviour } from './runtime-conformance.js';

/** When an `'exits-by-itself'` conformance container exits (code 3): 500 ms after its start. */
export const EXITS_BY_ITSELF_AFTER_MS = 500;

/** The context of one runtime conformance case. */
export interface RuntimeCaseContext {
  readonly fail: (detail: string, cause?: unknown) => Error;
  readonly prompt: number;
  readonly signal: AbortSignal;
  /** Start a container of `behaviour`, with the case's signal unless `signal` is given. */
  readonly start: (behaviour: ConformanceProcessBehaviour, signal?: AbortSignal) => Promise<ContainerRef>;
}

/** Settle `promise` into a {@link Settlement}. */
export async function settle<T>(promise: Promise<T>): Promise<Settlement<T>> {
  return promise.then(
    (value) => ({ settled: true, ok: true, value }) as const,
    (error: unknown) => ({ settled: true, ok: false, error }) as const,
  );
}

/** Throw unless `state` resolved. */
export function expectResolved(c: RuntimeCaseContext, state: Settlement<unknown>, what: string): void {
  if (!state.settled) throw c.fail(`${what} did not resolve within ${c.prompt} ms`);
  if (!state.ok) throw c.fail(`${what} rejected: ${describeError(state.error)}`, state.error);
}

/** Throw unless `state` rejected. */
export function expectRejected(c: RuntimeCaseContext, state: Settlement<ExecResult | unknown>, what: string): void {
  if (!state.settled) throw c.fail(`${what} did not reject within ${c.prompt} ms`);
  if (state.ok) throw c.fail(`${what} resolved with ${JSON.stringify(state.value)}; expected a rejection`);
}
