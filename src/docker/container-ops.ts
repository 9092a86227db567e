import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import type { ContainerExit, ContainerRef, ExecResult } from '../ports/runtime.js';
import { delay, linkedAbort } from './abort.js';
import { DockerRuntimeError, daemonError, toFault } from './errors.js';

/** The daemon connection and its address (for messages). */
export interface Daemon {
  readonly docker: Dockerode;
  readonly address: string;
}

/**
 * CRI ExecSync over the Docker exec API: argv as given (no shell), stdout and stderr
 * demultiplexed from the attach stream, the exit code from the exec's inspect. An abort closes
 * the stream and rejects at once (Docker has no call to kill an exec'd process: it runs on until
 * it ends by itself or the container stops, as under dockershim).
 */
export async function execInContainer(
  daemon: Daemon,
  ref: ContainerRef,
  command: readonly string[],
  signal: AbortSignal,
): Promise<ExecResult> {
  return linkedAbort(signal, async (inner) => {
    const container = daemon.docker.getContainer(ref.id);
    let exec: Dockerode.Exec;
    try {
      exec = await container.exec({ Cmd: [...command], AttachStdout: true, AttachStderr: true, abortSignal: inner });
    } catch (error) {
      throw execError(error, daemon, ref, command);
    }
    const stream = (await exec
      .start({ Detach: false, Tty: false, abortSignal: inner })
      .catch((error: unknown) => Promise.reject(execError(error, daemon, ref, command)))) as NodeJS.ReadableStream;
    const out = new CappedText(EXEC_OUTPUT_CAP_BYTES);
    const err = new CappedText(EXEC_OUTPUT_CAP_BYTES);
    const stdout = new PassThrough().on('data', (b: Buffer) => out.push(b));
    const stderr = new PassThrough().on('data', (b: Buffer) => err.push(b));
    await new Promise<void>((resolve, reject) => {
      daemon.docker.modem.demuxStream(stream, stdout, stderr);
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
      stream.on('error', (error: unknown) => reject(inner.aborted ? inner.reason : error));
    });
    const exitCode = await execExitCode(exec, inner);
    return { exitCode, stdout: out.text(), stderr: err.text() };
  });
}

/**
 * The most bytes kept of an exec's stdout and of its stderr: the cap of `kube-lifecycle/node`'s
 * adapters (`DEFAULT_OUTPUT_CAP_BYTES`, 1 MiB; a test keeps them equal), so a hook or probe that
 * prints without end costs the same bounded memory on every runtime.
 */
export const EXEC_OUTPUT_CAP_BYTES = 1024 * 1024;

/** One exec stream up to `capBytes`; the rest is read and dropped, and a marker says so (as node's). */
class CappedText {
  readonly #chunks: Buffer[] = [];
  readonly #capBytes: number;
  #size = 0;
  #isTruncated = false;

  constructor(capBytes: number) {
    this.#capBytes = capBytes;
  }

  push(chunk: Buffer): void {
    const room = this.#capBytes - this.#size;
    if (chunk.length > room) this.#isTruncated = true;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.#chunks.push(kept);
    this.#size += kept.length;
  }

  text(): string {
    const body = Buffer.concat(this.#chunks).toString('utf8');
    return this.#isTruncated ? `${body}\n[kube-lifecycle: output truncated after ${this.#capBytes} bytes]` : body;
  }
}

/** The exec's exit code; the stream may end a moment before the daemon records it. */
async function execExitCode(exec: Dockerode.Exec, signal: AbortSignal): Promise<number> {
  for (let i = 0; ; i++) {
    const info = await exec.inspect({ abortSignal: signal });
    if (!info.Running && typeof info.ExitCode === 'number') return info.ExitCode;
    await delay(Math.min(50, 2 ** i), signal);
  }
}

function execError(error: unknown, daemon: Daemon, ref: ContainerRef, command: readonly string[]): DockerRuntimeError {
  const fault = toFault(error);
  if (fault.statusCode === 409 || (fault.statusCode === 500 && /not running/i.test(fault.message))) {
    return new DockerRuntimeError(
      'ERR_CONTAINER_NOT_RUNNING',
      `exec ${JSON.stringify(command)} in container "${ref.name}" (${ref.id}): the container is not running ` +
        `(${fault.message}); an exec handler needs a running main process`,
      { cause: fault, containerId: ref.id },
    );
  }
  return daemonError(error, `exec ${JSON.stringify(command)} in container "${ref.name}"`, daemon.address, {
    containerId: ref.id,
  });
}

/** Is the daemon's answer "this container is not running" (kill of a stopped container)? */
function isNotRunning(error: unknown): boolean {
  const fault = toFault(error);
  return fault.statusCode === 409 || (fault.statusCode === 500 && /is not running/i.test(fault.message));
}

/**
 * CRI StopContainer: send `stopSignal` (else the container's configured `StopSignal`, else
 * SIGTERM), SIGKILL once `timeoutSeconds` have passed, resolve once the container has exited.
 * A container already stopped, or already removed, resolves at once.
 */
export async function stopContainer(
  daemon: Daemon,
  ref: ContainerRef,
  options: { stopSignal?: string; timeoutSeconds: number; signal: AbortSignal },
): Promise<void> {
  await linkedAbort(options.signal, async (inner) => {
    const container = daemon.docker.getContainer(ref.id);
    const what = `stopping container "${ref.name}" (${ref.id})`;
    let info: Dockerode.ContainerInspectInfo;
    try {
      info = await container.inspect({ abortSignal: inner });
    } catch (error) {
      if (toFault(error).statusCode === 404) return;
      throw daemonError(error, what, daemon.address, { containerId: ref.id });
    }
    if (!info.State.Running) return;
    const stopSignal = options.stopSignal ?? ((info.Config as { StopSignal?: string }).StopSignal || 'SIGTERM');
    const kill = async (sig: string): Promise<void> => {
      try {
        await container.kill({ signal: sig, abortSignal: inner });
      } catch (error) {
        const fault = toFault(error);
        if (fault.statusCode === 404 || isNotRunning(error)) return;
        throw daemonError(error, `${what}: sending ${sig}`, daemon.address, { containerId: ref.id });
      }
    };
    await kill(stopSignal);
    const exited = waitNotRunning(daemon, ref, inner);
    exited.catch(() => undefined); // awaited below; an abort may leave it rejected unawaited
    const timer = new AbortController();
    const onAbort = (): void => timer.abort();
    inner.addEventListener('abort', onAbort);
    try {
      const first = await Promise.race([
        exited.then(() => 'exited' as const),
        delay(Math.max(0, options.timeoutSeconds) * 1000, timer.signal).then(() => 'timeout' as const),
      ]);
      if (first === 'timeout') {
        await kill('SIGKILL');
        await exited;
      }
    } finally {
      timer.abort();
      inner.removeEventListener('abort', onAbort);
    }
  });
}

/** The wait endpoint with `condition=not-running`: resolves with the daemon's answer once exited. */
async function waitNotRunning(
  daemon: Daemon,
  ref: ContainerRef,
  signal: AbortSignal,
): Promise<{ StatusCode: number; Error?: { Message?: string } | null }> {
  try {
    return await daemon.docker.getContainer(ref.id).wait({ condition: 'not-running', abortSignal: signal });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (toFault(error).statusCode === 404) return { StatusCode: -1 };
    throw daemonError(error, `waiting for container "${ref.name}" (${ref.id})`, daemon.address, {
      containerId: ref.id,
    });
  }
}

/**
 * Resolve once the container's main process has exited, with its exit code and, when Docker says
 * so, the reason `OOMKilled` (`Completed`/`Error` are left to the manager). Rejects with
 * `ERR_CONTAINER_NOT_FOUND` for a container the daemon does not know, and on abort.
 */
export async function waitContainer(daemon: Daemon, ref: ContainerRef, signal: AbortSignal): Promise<ContainerExit> {
  return linkedAbort(signal, async (inner) => {
    const container = daemon.docker.getContainer(ref.id);
    const what = `waiting for container "${ref.name}" (${ref.id})`;
    let answer: { StatusCode: number };
    try {
      answer = await container.wait({ condition: 'not-running', abortSignal: inner });
    } catch (error) {
      throw daemonError(error, what, daemon.address, { containerId: ref.id });
    }
    let oomKilled = false;
    try {
      oomKilled = (await container.inspect({ abortSignal: inner })).State.OOMKilled === true;
    } catch {
      // removed in between: the wait's exit code is all there is
    }
    return { exitCode: answer.StatusCode, ...(oomKilled ? { reason: 'OOMKilled' } : {}) };
  });
}
