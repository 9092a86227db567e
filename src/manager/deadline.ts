import pTimeout from 'p-timeout';
import type { Clock } from '../ports/clock.js';

/** Marker returned by {@link raceDeadline} when the deadline came first. */
export const DEADLINE = Symbol('deadline');

/**
 * Race `promise` against `delayMs` on the injected clock (p-timeout with the clock's timers).
 * Resolves with the value, or {@link DEADLINE}; rejects if `promise` rejects first. No timer stays
 * armed once settled. `delayMs` of `Infinity` never times out; `<= 0` is due at once.
 */
export function raceDeadline<T>(clock: Clock, promise: PromiseLike<T>, delayMs: number): Promise<T | typeof DEADLINE> {
  const customTimers = {
    setTimeout: (callback: () => void, ms: number) => clock.setTimeout(callback, ms),
    clearTimeout: (handle: unknown) => {
      if (handle !== undefined) clock.clearTimeout(handle);
    },
  } as unknown as NonNullable<Parameters<typeof pTimeout>[1]['customTimers']>;
  return pTimeout(Promise.resolve(promise), {
    milliseconds: delayMs > 0 ? delayMs : Number.MIN_VALUE,
    fallback: () => DEADLINE,
    customTimers,
  });
}

/** A promise with its resolve function exposed. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  readonly resolve: (value: T) => void;
}

/** Create a {@link Deferred}. */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Render any thrown value as text, never throwing. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return String(error);
  } catch {
    return 'unknown error';
  }
}

/** Call `fn`, turning a synchronous throw into a rejection. */
export function callSafely<T>(fn: () => PromiseLike<T> | T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}
