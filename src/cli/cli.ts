import { closest } from './args.js';
import { describeCommand } from './describe-command.js';
import { CliError, ExitCode, errorMessage } from './errors.js';
import { execCommand } from './exec-command.js';
import { MAIN_HELP } from './help.js';
import { type CliIo, escapeControls } from './io.js';
import { runCommand } from './run-command.js';
import { simulateCommand } from './simulate-command.js';
import { validateCommand } from './validate-command.js';

/** Options of {@link main}. */
export interface MainOptions {
  /** Printed by `--version`. @default 'unknown' */
  readonly version?: string;
}

const COMMANDS: Readonly<Record<string, (argv: readonly string[], io: CliIo) => Promise<number>>> = {
  validate: validateCommand,
  simulate: simulateCommand,
  run: runCommand,
  describe: describeCommand,
  exec: execCommand,
};

/**
 * The `kube-lifecycle` command as a function: `argv` without the node and script paths, `io` for
 * every effect (control characters in what it prints are escaped). Resolves with the exit code; never rejects and never prints a stack trace: any
 * failure becomes one line on stderr (`kube-lifecycle: <reason>`).
 *
 * @example
 * ```ts
 * const code = await main(['validate', 'pod.yaml'], processIo());
 * ```
 */
export async function main(argv: readonly string[], rawIo: CliIo, options: MainOptions = {}): Promise<number> {
  // Manifest strings reach the terminal in names, messages and hook output: escape its controls.
  const io: CliIo = {
    ...rawIo,
    stdout: (text) => rawIo.stdout(escapeControls(text)),
    stderr: (text) => rawIo.stderr(escapeControls(text)),
  };
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      if (command === 'help' && rest[0] !== undefined && COMMANDS[rest[0]] !== undefined)
        return await (COMMANDS[rest[0]] as (typeof COMMANDS)[string])(['--help'], io);
      (command === undefined ? io.stderr : io.stdout)(MAIN_HELP);
      return command === undefined ? ExitCode.usage : ExitCode.ok;
    }
    if (command === '--version' || command === '-v' || command === 'version') {
      io.stdout(`kube-lifecycle ${options.version ?? 'unknown'}\n`);
      return ExitCode.ok;
    }
    const run = COMMANDS[command];
    if (run === undefined) {
      const hint = closest(command.replace(/^-+/, ''), Object.keys(COMMANDS));
      const what = command.startsWith('-') ? `unknown flag ${command}` : `unknown command ${JSON.stringify(command)}`;
      throw new CliError(`${what}${hint === undefined ? '' : ` (did you mean ${hint}?)`}`, {
        hint: "Run 'kube-lifecycle --help' for usage.",
      });
    }
    return await run(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`kube-lifecycle: ${error.message}\n${error.hint === undefined ? '' : `${error.hint}\n`}`);
      return error.exitCode;
    }
    io.stderr(
      `kube-lifecycle: internal error: ${errorMessage(error)}\nPlease report this with the command line and the manifest.\n`,
    );
    return ExitCode.invalid;
  }
}
