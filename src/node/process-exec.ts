/**
 * `exec` for {@link ProcessRuntime}: the argv spawned with the container's environment and
 * working directory in a process group of its own, and those groups torn down with the container.
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import type { Clock } from '../ports/clock.js';
import type { ContainerRef, ExecResult } from '../ports/runtime.js';
import { killGroup, runCaptured } from './child.js';
import { execFailure } from './container-process.js';
import { NodeAdapterError } from './errors.js';

/** What an exec needs of its container. */
export interface ExecHost {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** exec processes still running (killed when an exec is aborted). */
  readonly execs: Set<ChildProcess>;
  /** Process groups of the execs, kept while anything (a background child) may be left in them. */
  readonly execGroups: Set<number>;
  /** Whether the container's main process has exited (meanwhile). */
  readonly hasExited: () => boolean;
}

/** Run `command` (no shell) in `host`'s environment, capturing each stream up to `outputCapBytes`. */
export async function runProcessExec(
  host: ExecHost,
  ref: ContainerRef,
  command: readonly string[],
  options: { readonly signal: AbortSignal; readonly clock: Clock; readonly outputCapBytes: number },
): Promise<ExecResult> {
  const [file, ...args] = command;
  if (file === undefined) throw new NodeAdapterError('ERR_EXEC_FAILED', 'exec: empty command', { containerId: ref.id });
  try {
    const run = await runCaptured(file, args, {
      env: host.env,
      cwd: host.cwd,
      signal: options.signal,
      outputCapBytes: options.outputCapBytes,
      clock: options.clock,
      detached: true,
      onSpawn: (child) => {
        pruneGroups(host.execGroups);
        host.execs.add(child);
        if (child.pid !== undefined) host.execGroups.add(child.pid);
        child.once('exit', () => host.execs.delete(child));
      },
    });
    if (host.hasExited()) killExecGroups(host); // the container exited meanwhile
    return { exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr };
  } catch (error) {
    if (options.signal.aborted) throw error;
    throw new NodeAdapterError('ERR_EXEC_FAILED', execFailure(file, error), { cause: error, containerId: ref.id });
  }
}

/** SIGKILL the process groups of a container's execs (with whatever they left running). */
export function killExecGroups(host: ExecHost): void {
  for (const exec of host.execs) killGroup(exec.pid, 'SIGKILL');
  for (const group of host.execGroups) killGroup(group, 'SIGKILL');
  host.execGroups.clear();
}

/** Drop the exec process groups that are empty (nothing left to kill there). */
function pruneGroups(groups: Set<number>): void {
  for (const group of groups) {
    try {
      process.kill(-group, 0);
    } catch {
      groups.delete(group);
    }
  }
}
