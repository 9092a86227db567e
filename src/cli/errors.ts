import { errorText } from '../index.js';

/** Exit codes of the `kube-lifecycle` command. */
export const ExitCode = Object.freeze({
  /** Success (valid manifests; simulation or run finished). */
  ok: 0,
  /** The input is well-formed but invalid (validation errors), or a run ended in failure. */
  invalid: 1,
  /** Usage error (unknown flag, missing argument) or an input that cannot be read or parsed. */
  usage: 2,
});

/**
 * An error the CLI reports as one line on stderr (`kube-lifecycle: <message>`), with an exit code,
 * never as a stack trace.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: number;
  /** Printed after the message, e.g. `Run 'kube-lifecycle simulate --help' for usage.` */
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode?: number; hint?: string } = {}) {
    super(message);
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.hint = options.hint;
  }
}

/** A usage error for `command`: message plus the pointer to its `--help`. */
export function usageError(command: string, message: string): CliError {
  const prefix = command === '' ? 'kube-lifecycle' : `kube-lifecycle ${command}`;
  return new CliError(message, { exitCode: ExitCode.usage, hint: `Run '${prefix} --help' for usage.` });
}

/** The message of any thrown value, one line. */
export function errorMessage(error: unknown): string {
  const text = errorText(error);
  return text.split('\n')[0] ?? text;
}
