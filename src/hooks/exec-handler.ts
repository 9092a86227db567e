/**
 * The exec handler (spec §5.1): CRI ExecSync through the `Runtime` port.
 *
 * @module
 */
import type { ExecAction } from '../spec/types.js';
import { describeError, describeValue, formatPodDesc, goQuote, goStringSlice } from './format.js';
import { contextErrorText, settle } from './settle.js';
import type { HandlerOutcome, HandlerRunContext } from './types.js';

/**
 * Run `exec.command` in the container. Exit code 0 is success. A non-zero exit fails with the CRI
 * client's text `command '<argv joined by space>' exited with <code>: <stderr>`; a runtime error
 * passes through with its message (and no output, as the kubelet gets none then); a malformed
 * result (exit code not an integer, non-string output, no object) counts as a runtime error; an
 * abort of `ctx.signal` fails with `context canceled` (`context deadline exceeded` for a
 * `TimeoutError` reason) without waiting for the runtime. Never rejects.
 */
export async function runExecHandler(exec: ExecAction, ctx: HandlerRunContext): Promise<HandlerOutcome> {
  const command: string[] = Array.isArray(exec.command) ? exec.command.map((arg) => String(arg)) : [];
  const settled = await settle(() => ctx.runtime.exec(ctx.ref, command, { signal: ctx.signal }), ctx.signal);
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
      if (checked.exitCode === 0) return { ok: true };
      output = checked.stdout + checked.stderr;
      error = `command '${command.join(' ')}' exited with ${checked.exitCode}: ${checked.stderr}`;
    }
  }
  const message =
    `Exec lifecycle hook (${goStringSlice(command)}) for Container ${goQuote(ctx.container.name)} ` +
    `in Pod ${goQuote(formatPodDesc(ctx.pod))} failed - error: ${error}, message: ${goQuote(output)}`;
  return { ok: false, error, message };
}

function checkExecResult(result: unknown): { exitCode: number; stdout: string; stderr: string } | string {
  const prefix = 'runtime returned a malformed ExecSync result';
  if (result === null || typeof result !== 'object') return `${prefix}: ${describeValue(result)}`;
  const { exitCode, stdout, stderr } = result as Record<string, unknown>;
  if (typeof exitCode !== 'number' || !Number.isInteger(exitCode)) {
    return `${prefix}: exitCode ${describeValue(exitCode)} is not an integer`;
  }
  for (const [name, value] of [['stdout', stdout], ['stderr', stderr]] as const) {
    if (value !== undefined && typeof value !== 'string') return `${prefix}: ${name} is not a string`;
  }
  return { exitCode, stdout: (stdout as string | undefined) ?? '', stderr: (stderr as string | undefined) ?? '' };
}
