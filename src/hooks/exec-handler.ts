/**
 * The exec handler (spec §5.1): CRI ExecSync through the `Runtime` port.
 *
 * @module
 */
import type { ExecAction } from '../api/types.js';
import { describeError, describeValue, formatPodDesc, goQuote, goStringSlice, internalFailure } from './format.js';
import { contextErrorText, type Settled, settle } from './settle.js';
import type { HandlerOutcome, HandlerRunContext } from './types.js';

/**
 * Run `exec.command` in the container. Exit code 0 is success. A non-zero exit fails with the CRI
 * client's text `command '<argv joined by space>' exited with <code>: <stderr>`; a runtime error
 * passes through with its message (and no output, as the kubelet gets none then); a malformed
 * result (exit code not an integer, non-string output, no object) counts as a runtime error; an
 * abort of `ctx.signal` fails with `context canceled` (`context deadline exceeded` for a
 * `TimeoutError` reason) without waiting for the runtime. Never rejects.
 */
export function runExecHandler(exec: ExecAction, ctx: HandlerRunContext): Promise<HandlerOutcome> {
  const command: string[] = Array.isArray(exec.command) ? exec.command.map(String) : [];
  const options = { signal: ctx.signal };
  return settle(() => ctx.runtime.exec(ctx.ref, command, options), ctx.signal).then((settled) => {
    try {
      return execOutcome(settled, command, ctx);
    } catch (thrown) {
      return internalFailure(thrown, ctx);
    }
  });
}

/** The outcome of a settled ExecSync call. */
function execOutcome(settled: Settled<unknown>, command: readonly string[], ctx: HandlerRunContext): HandlerOutcome {
  let error: string;
  let output = '';
  if (settled.kind === 'aborted') {
    error = contextErrorText(ctx.signal);
  } else if (settled.kind === 'rejected') {
    error = describeError(settled.error);
  } else {
    const checked = checkExecResult(settled.value);
    if (typeof checked === 'string') {
      error = checked;
    } else {
      if (checked.exitCode === 0) return SUCCEEDED;
      output = checked.stdout + checked.stderr;
      error = `command '${command.join(' ')}' exited with ${checked.exitCode}: ${checked.stderr}`;
    }
  }
  const message =
    `Exec lifecycle hook (${goStringSlice(command)}) for Container ${goQuote(ctx.container.name)} ` +
    `in Pod ${goQuote(formatPodDesc(ctx.pod))} failed - error: ${error}, message: ${goQuote(output)}`;
  return { ok: false, error, message };
}

/** The outcome of every successful handler run (read-only, so shared). */
export const SUCCEEDED: HandlerOutcome = Object.freeze({ ok: true });

function checkExecResult(result: unknown): { exitCode: number; stdout: string; stderr: string } | string {
  const prefix = 'runtime returned a malformed ExecSync result';
  if (result === null || typeof result !== 'object') return `${prefix}: ${describeValue(result)}`;
  const { exitCode, stdout, stderr } = result as Record<string, unknown>;
  if (typeof exitCode !== 'number' || !Number.isInteger(exitCode)) {
    return `${prefix}: exitCode ${describeValue(exitCode)} is not an integer`;
  }
  if (stdout !== undefined && typeof stdout !== 'string') return `${prefix}: stdout is not a string`;
  if (stderr !== undefined && typeof stderr !== 'string') return `${prefix}: stderr is not a string`;
  return { exitCode, stdout: stdout ?? '', stderr: stderr ?? '' };
}
