/**
 * The exec handler (spec §5.1): CRI ExecSync through the `Runtime` port.
 *
 * @module
 */
import type { ExecAction } from '../api/types.js';
import { describeError, describeValue, formatPodDesc, goQuote, goStringSlice, internalFailure } from './format.js';
import { contextErrorText, type Settled, settleCall } from './settle.js';
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
  return settleCall(callExec, ctx, command, options, ctx.signal).then((settled) => {
    try {
      return execOutcome(settled, command, ctx);
    } catch (thrown) {
      return internalFailure(thrown, ctx);
    }
  });
}

/** The runtime's ExecSync call of a hook (one function for every call: no closure per hook run). */
const callExec = (ctx: HandlerRunContext, command: string[], options: { readonly signal: AbortSignal }): unknown =>
  ctx.runtime.exec(ctx.ref, command, options);

/** The outcome of a settled ExecSync call. */
function execOutcome(settled: Settled<unknown>, command: readonly string[], ctx: HandlerRunContext): HandlerOutcome {
  let error: string;
  let output = '';
  let note = '';
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
      const stdout = capExecOutput(checked.stdout);
      const stderr = capExecOutput(checked.stderr);
      output = stdout.text + stderr.text;
      error = `command '${command.join(' ')}' exited with ${checked.exitCode}: ${stderr.text}`;
      note = truncationNote([
        ['stdout', checked.stdout, stdout],
        ['stderr', checked.stderr, stderr],
      ]);
    }
  }
  const message =
    `Exec lifecycle hook (${goStringSlice(command)}) for Container ${goQuote(ctx.container.name)} ` +
    `in Pod ${goQuote(formatPodDesc(ctx.pod))} failed - error: ${error}, message: ${goQuote(output)}${note}`;
  return { ok: false, error, message };
}

/**
 * The most of each exec output stream (stdout, stderr) a failed hook's texts keep: 16 MiB, the
 * bound of the kubelet's CRI path — CRI-O's `maxExecSyncSize = 16 * 1024 * 1024` (per stream,
 * "the amount of logs allowed in the dockershim implementation", k/k#82514) and the kubelet's CRI
 * client `maxMsgSize = 1024 * 1024 * 16` (`k8s.io/cri-client`, the largest ExecSync response it
 * accepts). The kubelet itself adds no limit (spec §5.1); the runtime's cap is what bounds it.
 */
export const MAX_EXEC_OUTPUT_BYTES = 16 * 1024 * 1024;

interface CappedOutput {
  readonly text: string;
  /** UTF-8 bytes of the stream as the runtime returned it. */
  readonly bytes: number;
  readonly isTruncated: boolean;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * `text` cut to at most `capBytes` UTF-8 bytes, on a character boundary (as a byte cap followed by
 * Go's `%q`, which would print a cut character as `\x..` escapes; here the partial character is dropped).
 */
export function capExecOutput(text: string, capBytes: number = MAX_EXEC_OUTPUT_BYTES): CappedOutput {
  // Fast path: a UTF-16 unit is at most 3 UTF-8 bytes, so short strings cannot be over the cap.
  if (text.length * 3 <= capBytes) return { text, bytes: -1, isTruncated: false };
  const encoded = utf8.encode(text);
  if (encoded.length <= capBytes) return { text, bytes: encoded.length, isTruncated: false };
  let end = capBytes;
  // Back off continuation bytes (10xxxxxx) so the cut falls between characters.
  while (end > 0 && ((encoded[end] ?? 0) & 0xc0) === 0x80) end--;
  return { text: utf8Decoder.decode(encoded.subarray(0, end)), bytes: encoded.length, isTruncated: true };
}

/** ` (truncated: stdout kept 16777216 of 20000000 bytes)`, or '' when nothing was cut. */
function truncationNote(streams: ReadonlyArray<readonly [string, string, CappedOutput]>): string {
  const cut = streams
    .filter(([, , capped]) => capped.isTruncated)
    .map(([name, , capped]) => `${name} kept ${utf8.encode(capped.text).length} of ${capped.bytes} bytes`);
  return cut.length === 0
    ? ''
    : ` (truncated: ${cut.join(', ')}; the runtime's ExecSync cap is ${MAX_EXEC_OUTPUT_BYTES} bytes per stream)`;
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
