/**
 * The exec probe (spec pod §6.2): CRI ExecSync through `Runtime.exec`, bounded by the probe's
 * timeout on the injected clock. After the kubelet's `pkg/probe/exec/exec.go` and
 * `prober.newExecInContainer`.
 *
 * @module
 */

import { goDurationString } from '../api/go-format.js';
import type { EnvVar } from '../api/types.js';
import { describeError, describeValue, goQuote } from '../hooks/format.js';
import { type Settled, settle } from '../hooks/settle.js';
import type { ProbeOutcome, ProbeRunContext } from './probe-outcome.js';
import { withDeadline } from './probe-outcome.js';

/** The exec prober reads at most this many bytes of output (`maxReadLength`, 10 KiB). */
export const MAX_EXEC_OUTPUT_BYTES = 10 * 1024;

/**
 * Expand `$(VAR)` in each argument from the container's literal `env` only, as the kubelet's
 * `ExpandContainerCommandOnlyStatic`: a defined name is replaced, an undefined reference stays
 * verbatim, `$$` is one `$`, an unclosed `$(` is kept. Later entries win for repeated names.
 *
 * @example expandProbeCommand(['echo', '$(A)', '$$(A)'], [{ name: 'A', value: 'x' }]) // ['echo', 'x', '$(A)']
 */
export function expandProbeCommand(command: readonly string[], env: readonly EnvVar[] | undefined): string[] {
  // Nothing to expand (the usual case, on every probe run): a copy, without building the table.
  if (command.every((arg) => typeof arg === 'string' && !arg.includes('$'))) return [...command];
  const vars = new Map<string, string>();
  for (const variable of Array.isArray(env) ? env : []) {
    if (variable !== null && typeof variable === 'object' && typeof variable.name === 'string') {
      vars.set(variable.name, typeof variable.value === 'string' ? variable.value : '');
    }
  }
  return command.map((arg) => expand(arg, vars));
}

function expand(input: string, vars: ReadonlyMap<string, string>): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] as string;
    const next = input[i + 1];
    if (ch !== '$' || next === undefined) {
      out += ch;
    } else if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) return out + input.slice(i);
      const name = input.slice(i + 2, close);
      out += vars.get(name) ?? `$(${name})`;
      i = close;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Cut `text` to {@link MAX_EXEC_OUTPUT_BYTES} of UTF-8, as the exec prober's limited reader. */
export function capProbeOutput(text: string): string {
  // A UTF-16 code unit is at most 3 bytes of UTF-8: short output needs no encoding to be within the cap.
  if (text.length <= MAX_EXEC_OUTPUT_BYTES / 3) return text;
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= MAX_EXEC_OUTPUT_BYTES) return text;
  return new TextDecoder().decode(bytes.subarray(0, MAX_EXEC_OUTPUT_BYTES));
}

/**
 * Run an exec probe. Exit 0 → `success`; another exit code → `failure` with stdout then stderr
 * as output; the timeout (`timeoutSeconds` on the clock) → `failure` with the CRI client's
 * `command timed out: "<argv joined by space>" timed out after <timeout>` (ExecProbeTimeout,
 * locked on since 1.27; the text of `k8s.io/cri-client` since 1.31); a runtime error or a
 * malformed result → `unknown` with the error. Never rejects.
 */
export function runExecProbe(
  command: readonly string[],
  timeoutSeconds: number,
  ctx: ProbeRunContext,
): Promise<ProbeOutcome> {
  // A promise chain, not an async frame; a synchronous throw still comes out as a rejection.
  try {
    const argv = expandProbeCommand(command, ctx.container.env);
    return withDeadline(ctx.clock, timeoutSeconds * 1000, ctx.signal, (signal, hasTimedOut) =>
      settle(() => ctx.runtime.exec(ctx.ref, argv, { signal }), signal).then((settled) =>
        execOutcome(settled, argv, settled.kind === 'aborted' && hasTimedOut() ? timeoutSeconds * 1000 : undefined),
      ),
    );
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * An exec call's settlement as the probe's outcome (see {@link runExecProbe}); `timedOutAfterMs`:
 * the probe's own deadline aborted it, after that many milliseconds (`timeoutSeconds`).
 */
export function execOutcome(
  settled: Settled<unknown>,
  argv: readonly string[],
  timedOutAfterMs: number | undefined,
): ProbeOutcome {
  if (settled.kind === 'aborted') {
    if (timedOutAfterMs !== undefined) {
      // cri-client's `fmt.Errorf("%w: %q timed out after %s", ErrCommandTimedOut, cmd, timeout)`.
      const output = `command timed out: ${goQuote(argv.join(' '))} timed out after ${goDurationString(timedOutAfterMs)}`;
      return { result: 'failure', output };
    }
    return { result: 'unknown', output: '', error: 'context canceled' };
  }
  if (settled.kind === 'rejected') return { result: 'unknown', output: '', error: describeError(settled.error) };
  const value = settled.value as unknown;
  if (value === null || typeof value !== 'object') {
    return {
      result: 'unknown',
      output: '',
      error: `runtime returned a malformed ExecSync result: ${describeValue(value)}`,
    };
  }
  const { exitCode, stdout, stderr } = value as Record<string, unknown>;
  if (typeof exitCode !== 'number' || !Number.isInteger(exitCode)) {
    return {
      result: 'unknown',
      output: '',
      error: `runtime returned a malformed ExecSync result: exitCode ${describeValue(exitCode)} is not an integer`,
    };
  }
  const output = capProbeOutput(
    `${typeof stdout === 'string' ? stdout : ''}${typeof stderr === 'string' ? stderr : ''}`,
  );
  return { result: exitCode === 0 ? 'success' : 'failure', output };
}
