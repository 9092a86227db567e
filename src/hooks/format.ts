/**
 * Go-style formatting helpers, so the runner's messages match the kubelet's byte for byte
 * (spec §5): `%q` quoting, `%v` of a string slice, the pod description of
 * `pkg/kubelet/util/format/pod.go`, and turning any thrown value into an error text.
 *
 * @module
 */

import { goQuote } from '../api/go-format.js';
import type { Pod } from '../api/types.js';
import { errorText } from '../errors.js';
import type { HandlerOutcome, HandlerRunContext } from './types.js';

/** Go's `strconv.Quote`, shared with validation messages (see `src/api/go-format.ts`). */
export { goQuote };

/** Go's `%v` of a `[]string`: `[a b c]` (elements joined by one space; `[]` when empty). */
export function goStringSlice(values: readonly unknown[]): string {
  return `[${values.map((v) => String(v)).join(' ')}]`;
}

/**
 * The kubelet's pod description `<name>_<namespace>(<uid>)` (`format.Pod`), used in every
 * handler failure message. Missing metadata renders as empty strings, as Go's zero values.
 *
 * @example formatPodDesc({ metadata: { name: 'web', namespace: 'default', uid: 'u1' } }) === 'web_default(u1)'
 */
export function formatPodDesc(pod: Pod | null | undefined): string {
  if (pod === null || pod === undefined) return '<nil>';
  const meta = pod.metadata ?? {};
  return `${meta.name ?? ''}_${meta.namespace ?? ''}(${meta.uid ?? ''})`;
}

/** The text of anything an adapter threw or rejected with (see `errorText` in src/errors.ts). */
export const describeError: (value: unknown) => string = errorText;

/** A short rendering of an unexpected value for error texts: strings Go-quoted, others `String()`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return goQuote(value);
  return describeError(value);
}

/**
 * The outcome of a run that failed inside the runner itself — only reachable through a malformed
 * context or handler (e.g. a throwing getter): `internal error: <error>`, in the kubelet's
 * message frame as far as the context can still be read.
 */
export function internalFailure(thrown: unknown, ctx: HandlerRunContext): HandlerOutcome {
  const error = `internal error: ${describeError(thrown)}`;
  let container = '';
  let pod = '';
  try {
    container = goQuote(String(ctx.container.name));
    pod = goQuote(formatPodDesc(ctx.pod));
  } catch {
    // keep the empty renderings
  }
  return {
    ok: false,
    error,
    message: `Lifecycle hook for Container ${container} in Pod ${pod} failed - error: ${error}`,
  };
}
