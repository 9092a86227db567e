/**
 * `runc exec` for {@link OciRuntime}: capture, abort through the pid file, and an exec that ends
 * when the exec'd process exits even if a background child holds runc's output pipes.
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../ports/clock.js';
import type { ExecResult } from '../ports/runtime.js';
import { runCaptured } from './child.js';
import { NodeAdapterError } from './errors.js';
import { RuncCli } from './runc-cli.js';

/** What {@link runcExec} needs. */
export interface RuncExecInput {
  readonly cli: RuncCli;
  readonly clock: Clock;
  /** The container's bundle directory (pid and log files of the exec go there). */
  readonly bundle: string;
  /** The exec's number in the container (file names). */
  readonly n: number;
  /** The container id. */
  readonly id: string;
  readonly command: readonly string[];
  readonly signal: AbortSignal;
  readonly outputCapBytes: number;
  /** `runc exec` processes still running: each is added at spawn and removed at its exit. */
  readonly runners: Set<ChildProcess>;
  /** Whether the container's main process has exited (meanwhile). */
  readonly hasExited: () => boolean;
  /** The error for a container that is not running (runc said so). */
  readonly notRunning: () => NodeAdapterError;
}

/**
 * `runc --debug exec --pid-file <file> <id> argv…`: resolves with the exec'd process's exit
 * status and output (up to the cap), at the latest once runc logged the exit (`process exited`),
 * so a background child holding the output pipes does not hold the exec. An abort SIGKILLs the
 * exec'd process through its pid file.
 */
export async function runcExec(input: RuncExecInput): Promise<ExecResult> {
  const { cli, clock, id, signal } = input;
  const pidFile = join(input.bundle, `exec-${input.n}.pid`);
  const logFile = join(input.bundle, `exec-${input.n}.log`);
  const done = new AbortController();
  try {
    const run = await runCaptured(
      cli.binary,
      ['--debug', ...cli.globalArgs(logFile), 'exec', '--pid-file', pidFile, id, ...input.command],
      {
        clock,
        exitedEarly: RuncCli.loggedProcessExit(logFile, clock, done.signal),
        onSpawn: (child) => {
          input.runners.add(child);
          child.once('exit', () => input.runners.delete(child));
        },
        outputCapBytes: input.outputCapBytes,
        signal,
        kill: (child) => {
          void readFile(pidFile, 'utf8')
            .then((pid) => process.kill(Number(pid), 'SIGKILL'))
            .catch(() => undefined);
          child.kill('SIGKILL');
        },
      },
    ).catch((error: unknown) => {
      throw signal.aborted ? error : cli.mapSpawnError(error);
    });
    const errors = await RuncCli.logErrors(logFile);
    if (errors.length > 0) {
      if (input.hasExited() || /stopped container|not running|does not exist/.test(errors.join('\n'))) {
        throw input.notRunning();
      }
      throw new NodeAdapterError('ERR_EXEC_FAILED', errors.join('; '), { containerId: id });
    }
    return { exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr };
  } finally {
    done.abort();
    await rm(pidFile, { force: true });
    await rm(logFile, { force: true });
  }
}

/** `ERR_CONTAINER_NOT_RUNNING`: an exec in a container whose init process has exited. */
export function notRunning(id: string, status: { readonly exitCode: number } | undefined): NodeAdapterError {
  const how = status === undefined ? '' : ` (exited with ${status.exitCode})`;
  return new NodeAdapterError('ERR_CONTAINER_NOT_RUNNING', `exec: container "${id}" is not running${how}`, {
    containerId: id,
  });
}

/** SIGKILL the `runc exec` processes still running (draining a background process's output) and wait for them. */
export async function endRunners(runners: ReadonlySet<ChildProcess>): Promise<void> {
  await Promise.all(
    [...runners].map(
      (runner) =>
        new Promise<void>((done) => {
          runner.once('exit', () => done());
          if (runner.exitCode !== null || runner.signalCode !== null || !runner.kill('SIGKILL')) done();
        }),
    ),
  );
}
