/**
 * The sleep handler (spec §5.3), timed on the injected clock.
 *
 * @module
 */

import type { SleepAction } from '../api/types.js';
import { sleepOn } from '../ports/clock.js';
import { describeError, formatPodDesc, goQuote } from './format.js';
import type { HandlerOutcome, HandlerRunContext } from './types.js';

/** The error of a sleep cut short by the hook's signal (the kubelet's text). */
export const SLEEP_TERMINATED_ERROR = 'container terminated before sleep hook finished';

/**
 * Wait `sleep.seconds` on `ctx.clock`. Zero, negative or non-numeric seconds return at once and
 * arm no timer. An abort of `ctx.signal` fails with {@link SLEEP_TERMINATED_ERROR} and disarms the
 * timer. Never rejects.
 */
export async function runSleepHandler(sleep: SleepAction, ctx: HandlerRunContext): Promise<HandlerOutcome> {
  const seconds = sleep.seconds;
  if (!(typeof seconds === 'number' && seconds > 0)) return { ok: true };
  try {
    await sleepOn(ctx.clock, seconds * 1000, ctx.signal);
    return { ok: true };
  } catch (thrown) {
    // sleepOn rejects on abort; anything else is the clock itself failing.
    const error = ctx.signal.aborted ? SLEEP_TERMINATED_ERROR : `clock failed: ${describeError(thrown)}`;
    const message =
      `Sleep lifecycle hook (${String(seconds)}) for Container ${goQuote(ctx.container.name)} ` +
      `in Pod ${goQuote(formatPodDesc(ctx.pod))} failed - error: ${error}`;
    return { ok: false, error, message };
  }
}
