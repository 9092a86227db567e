import { parseArgs } from './args.js';
import { CliError, ExitCode, errorMessage, usageError } from './errors.js';
import { requestExec } from './exec-socket.js';
import { EXEC_HELP } from './help.js';
import type { CliIo } from './io.js';
import { readRunState, stateDir } from './state-dir.js';

/**
 * `kube-lifecycle exec POD [-c CONTAINER] -- CMD…`: runs CMD in a container of a pod that a
 * `kube-lifecycle run` process holds, from another terminal. The request goes over the pod's
 * `exec.sock` in the state directory to the `run` process, which execs through the runtime that
 * holds the container (docker exec, runc exec, or a process in the container's environment), so it
 * works the same for every runtime. Output is buffered and capped as hook output is
 * (`DEFAULT_OUTPUT_CAP_BYTES`), not streamed; there is no stdin or TTY.
 *
 * Exit codes: the command's own; 1 when the pod is not found, its entry is stale, the container is
 * not running or the exec failed; 2 on usage errors.
 */
export async function execCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const dashes = argv.indexOf('--');
  const flags = dashes < 0 ? argv : argv.slice(0, dashes);
  const command = dashes < 0 ? [] : argv.slice(dashes + 1);
  const args = parseArgs('exec', flags, [
    { name: 'container', kind: 'string', short: 'c' },
    { name: 'namespace', kind: 'string', short: 'n' },
    { name: 'state-dir', kind: 'string' },
  ]);
  if (args.bool('help')) {
    io.stdout(EXEC_HELP);
    return ExitCode.ok;
  }
  const [name, ...extra] = args.positionals;
  if (name === undefined) throw usageError('exec', 'missing POD: the name of a pod a kube-lifecycle run holds');
  if (extra.length > 0 || dashes < 0)
    throw usageError('exec', `the command goes after --, e.g. kube-lifecycle exec ${name} -- cat /etc/hostname`);
  if (command.length === 0) throw usageError('exec', 'missing the command after --');
  const namespace = args.string('namespace') ?? 'default';
  const root = args.string('state-dir') ?? stateDir();
  const entry = readRunState(root, namespace, name);
  if (entry === undefined)
    throw new CliError(
      `pod ${JSON.stringify(name)} not found in namespace ${namespace} (no 'kube-lifecycle run' holds it; state directory ${root})`,
      { exitCode: ExitCode.invalid },
    );
  if (entry.stale)
    throw new CliError(
      `pod ${name}: stale entry, its run process (pid ${entry.state.pid}) is gone; nothing holds the containers to exec in`,
      { exitCode: ExitCode.invalid },
    );
  const container = args.string('container');
  let answer: Awaited<ReturnType<typeof requestExec>>;
  try {
    answer = await requestExec(entry.paths.socket, {
      ...(container === undefined ? {} : { container }),
      command,
    });
  } catch (error) {
    throw new CliError(`pod ${name}: cannot reach its run process (pid ${entry.state.pid}): ${errorMessage(error)}`, {
      exitCode: ExitCode.invalid,
    });
  }
  if ('error' in answer) throw new CliError(`pod ${name}: ${answer.error}`, { exitCode: ExitCode.invalid });
  if (container === undefined && entry.state.containers.filter((c) => c.kind === 'container').length > 1)
    io.stderr(
      `Defaulted container "${answer.container}" out of: ${entry.state.containers.map((c) => c.name).join(', ')}\n`,
    );
  if (answer.stdout !== undefined) io.stdout(answer.stdout);
  if (answer.stderr !== undefined) io.stderr(answer.stderr);
  return answer.exitCode;
}
